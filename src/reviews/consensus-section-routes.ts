// A consensus section's page: every submitted rating side by side per indicator (most disagreement first), and for
// the panel's lead one form for the whole section: each indicator's consensus score and rationale, and the section's
// strengths and recommendations. Every Save button on the page saves all of it, so nothing typed in one indicator is
// lost by saving another, however long the meeting. A decision or a box unchanged since the page was shown is not
// written; each box is judged on its own (findings-boxes.ts), so another tab's save of a box this page did not change
// stands. The save is all or nothing: when a decision or a box was saved elsewhere meanwhile to something else, nothing
// is written, and the page names each part that clashed and gives everything back as typed. The earlier forms of one
// indicator, and of the section's findings alone, are still answered for tabs opened before.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import {
  describeLengthLimit,
  type FieldErrors,
  type FieldLabeller,
  inSentence,
  parseForm,
  type RawForm,
  toRawForm,
} from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { formatList } from '../i18n/format.js';
import { labelsOf } from '../i18n/labels.js';
import type { MessageKey, MessageParams } from '../i18n/messages.js';
import { indicatorCode, listIndicators, type Rubric, type RubricSection } from '../rubrics/rubric-schema.js';
import { describeRationaleNeed, describeRationaleRule, findRationaleNeed } from './consensus-rationale.js';
import {
  type Boxes,
  createFindingsBoxes,
  pickTyped,
  type SectionBox,
  type SectionSave,
  sectionBase,
  sectionBoxes,
  sectionBoxNames,
  sectionFindingsValues,
  storedSectionFindings,
} from './findings-boxes.js';
import { orderByDisagreement, type RatingSpread, summarizeSpread } from './rating-spread.js';
import { canEditConsensus, canSeeOthersRatings } from './review-access.js';
import { findConsensusSkipLink, type SkipLink } from './consensus-skip-link.js';
import { describeSpread } from './spread-text.js';
import { describeCoreCaps } from './core-element-caps.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import {
  consensusFieldNames,
  createConsensusSchema,
  createConsensusSectionSchema,
  createFindingsSchema,
  FINDINGS_MAX,
  findingFieldNames,
  labelFindingsFields,
  labelIndicatorFields,
  NOT_APPLICABLE_VALUE,
  RATIONALE_MAX,
  SECTION_FINDINGS_BASE,
  SECTION_FINDINGS_VERSION,
} from './review-forms.js';
import type { ReviewStore } from './review-store.js';
import { type ConsensusRating, isRaterRole, type PanelMember, type Rating, type Review, sameConsensus } from './review-types.js';
import {
  OWNER_CHOICES,
  pickRowFields,
  PRIORITY_CHOICES,
  readPostedRows,
  type RecommendationRow,
  recommendationMetaNames,
  storedRows,
} from './recommendation-meta.js';

/** One indicator of a consensus section: the panel's submitted ratings, their spread and the consensus so far. */
type ConsensusItem = {
  readonly order: number;
  readonly code: string;
  readonly section: RubricSection;
  readonly indicator: RubricSection['indicators'][number];
  readonly rows: readonly { readonly rater: PanelMember; readonly rating: Rating | undefined }[];
  readonly spread: RatingSpread;
  readonly consensus: ConsensusRating | undefined;
};

/**
 * An indicator as the page shows it: its raters' spread in words (describeSpread), its rationale's label saying when
 * the rationale is required, and for a core element what its score does to the level (describeCoreCaps; '' for any
 * other indicator).
 */
type ConsensusPageItem = ConsensusItem & { readonly spreadText: string; readonly rationaleRule: string; readonly coreNote: string };

/**
 * How a render of the section page differs from what is stored: the section's form as posted (its own field names),
 * the errors to show, and why nothing was saved. `locked`: the review can no longer be edited, so the form keeps
 * what was typed but has no Save; `storedNow`, after a conflict, what is stored in each box that differs.
 */
type SectionFormState = {
  readonly values?: RawForm | undefined;
  readonly errors?: FieldErrors | undefined;
  readonly notice?: string | undefined;
  readonly storedNow?: Boxes | undefined;
  readonly locked?: boolean | undefined;
  readonly undecidedOnly?: boolean | undefined;
};

/** What views/reviews/consensus-section.ejs is rendered with (besides res.locals). */
export type ConsensusSectionPageLocals = {
  readonly title: string;
  /** The layout's skip link: to the first indicator shown without a consensus, else the first shown. */
  readonly skipLink: SkipLink | undefined;
  readonly heading: string;
  readonly review: Review;
  readonly section: RubricSection;
  readonly items: readonly ConsensusPageItem[];
  readonly decided: number;
  readonly total: number;
  readonly undecidedOnly: boolean;
  readonly previous: RubricSection | undefined;
  readonly next: RubricSection | undefined;
  readonly evidenceLabels: Readonly<Record<string, Rubric['evidence_sources'][number]['label']>>;
  /** Whether the page has the section's form: the lead during consensus, or the lead's form given back once locked. */
  readonly showForm: boolean;
  readonly locked: boolean;
  readonly notice: string | undefined;
  readonly form: FormView;
  readonly summary: readonly { readonly href: string; readonly message: string }[];
  readonly fieldNames: typeof consensusFieldNames;
  readonly naValue: typeof NOT_APPLICABLE_VALUE;
  readonly findingsNames: ReturnType<typeof findingFieldNames>;
  /** The longest strengths or recommendations box, said in its hint. */
  readonly findingsMax: number;
  /** The rationale's length limit as its hint says it ("Högst 4 000 tecken."). */
  readonly rationaleLengthHint: string;
  readonly findingsVersionName: typeof SECTION_FINDINGS_VERSION;
  readonly findingsBaseName: typeof SECTION_FINDINGS_BASE;
  readonly storedNow: Boxes;
  readonly flashTargets: readonly string[];
  readonly strengths: readonly string[];
  readonly recommendations: readonly string[];
  readonly recommendationRows: readonly RecommendationRow[];
  readonly recommendationMeta: {
    readonly names: typeof recommendationMetaNames;
    readonly priorities: typeof PRIORITY_CHOICES;
    readonly owners: typeof OWNER_CHOICES;
    /** The label of each choice, built here where tsc checks the keys. */
    readonly priorityLabels: Readonly<Record<(typeof PRIORITY_CHOICES)[number], string>>;
    readonly ownerLabels: Readonly<Record<(typeof OWNER_CHOICES)[number], string>>;
    /** After a conflict on the rows: the field its message stands at (the first row's priority), and storedNow's key. */
    readonly conflictField: string;
    readonly storedNowKey: string;
  };
};

/** Where storedNow keeps the rows' stored priorities and owners after a conflict on them (one line per row). */
const rowsStoredNowKey = (sectionId: string) => `rec_meta__${sectionId}`;

/** Where a save returns to: the indicator or the findings whose Save was pressed (`focus`), or the section to go on to (`goto`). */
const FocusSchema = z.string().regex(/^[\w.-]{1,100}$/);

/** The stored consensus as the form's value of its score ('' when not decided). */
const scoreValueOf = (consensus: ConsensusRating | undefined): string =>
  consensus ? (consensus.notApplicable ? NOT_APPLICABLE_VALUE : String(consensus.score)) : '';

/** What a conflict says is stored now: "3 – ”the rationale”", "Ej tillämplig", or that nothing is. */
function describeStored(req: Request, current: ConsensusRating | undefined): string {
  if (!current) return req.t('reviews.conflictNothing');
  const value = current.notApplicable ? req.t('reviews.rate.notApplicable') : String(current.score);
  return current.rationale ? `${value} – ”${current.rationale}”` : value;
}

/**
 * The side-by-side view exists only for those who may see others' ratings: during rating, a rater who has submitted
 * (read-only, to prepare for the session); from consensus on, the panel and coordinators.
 */
export function loadConsensusContext(req: Request, reviews: ReviewStore): ReviewContext {
  const context = loadReviewContext(req, reviews, req.params.id);
  if (!canSeeOthersRatings(context.viewer, context.review.status)) throw new NotFoundError();
  return context;
}

export function findRubricSection(context: ReviewContext, sectionId: unknown): RubricSection {
  const section = context.review.rubric.rubric.sections.find((s) => s.id === sectionId);
  if (!section) throw new NotFoundError();
  return section;
}

export function createConsensusSectionRouter({ reviews }: { reviews: ReviewStore }): Router {
  const router = Router();
  const boxes = createFindingsBoxes(reviews);
  const loadConsensus = (req: Request) => loadConsensusContext(req, reviews);

  /** The section's indicators, most disagreement first (the rubric's order breaks ties). */
  const buildSectionItems = (context: ReviewContext, section: RubricSection): ConsensusItem[] => {
    const raters = context.panel.filter((m) => isRaterRole(m.role));
    // Only the section's rows are read: a section page shows a handful of the review's indicators.
    const ids = section.indicators.map((indicator) => indicator.id);
    const ratings = reviews.listSubmittedRatingsOf(context.review.id, ids);
    const consensus = new Map(reviews.listConsensusOf(context.review.id, ids).map((c) => [c.indicatorId, c]));
    const items = section.indicators.map((indicator, order) => {
      const own = ratings.filter((r) => r.indicatorId === indicator.id);
      const rows = raters
        .map((rater) => ({ rater, rating: own.find((r) => r.raterId === rater.userId) }))
        .filter((row) => row.rating !== undefined);
      const spread = summarizeSpread(
        indicator.scale,
        own.map((r) => ({ raterId: r.raterId, score: r.score, notApplicable: r.notApplicable })),
      );
      return { order, code: indicatorCode(section, order), section, indicator, rows, spread, consensus: consensus.get(indicator.id) };
    });
    return orderByDisagreement(items);
  };

  /** Every message on the section's form names its indicator ("poängen för A1.5") or its box ("styrkorna för avsnitt A1"). */
  const labelSectionFields = (req: Request, section: RubricSection): FieldLabeller => {
    const codeOf = (indicatorId: string) => {
      const index = section.indicators.findIndex((indicator) => indicator.id === indicatorId);
      return index < 0 ? undefined : indicatorCode(section, index);
    };
    const indicatorLabel = labelIndicatorFields(req.t, codeOf);
    const findingsLabel = labelFindingsFields(req.t, (sectionId) => (sectionId === section.id ? section.code : undefined));
    return (field) => indicatorLabel(field) ?? findingsLabel(field);
  };

  const renderSection = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    section: RubricSection,
    state: SectionFormState = {},
    status = 200,
  ) => {
    const rubric = context.review.rubric.rubric;
    const all = buildSectionItems(context, section);
    const undecidedOnly = state.undecidedOnly ?? req.query.undecided === '1';
    const posted = state.values;
    // The filter hides decided indicators, but never one that was on a form given back.
    const onPostedForm = (indicatorId: string) =>
      posted !== undefined && typeof posted[consensusFieldNames(indicatorId).version] === 'string';
    const items = (undecidedOnly ? all.filter((item) => !item.consensus || onPostedForm(item.indicator.id)) : all).map(
      (item): ConsensusPageItem => ({
        ...item,
        spreadText: describeSpread(item.spread, req.t),
        rationaleRule: describeRationaleRule(rubric, item.indicator, item.spread, req.t),
        coreNote: item.indicator.critical === true ? describeCoreCaps(rubric, req.t, req.locale, item.indicator.scale) : '',
      }),
    );
    const locked = state.locked === true;
    const showForm = canEditConsensus(context.viewer, context.review.status) || locked;
    const findingsNames = findingFieldNames(section.id);
    // The section's own findings, read once for its boxes, their fingerprints and the recommendations' rows, with the
    // version (no await between), so the form is based on exactly what it shows.
    const findings = reviews.listSectionFindings(context.review.id, section.id);
    const stored = sectionBoxes(section.id, findings);
    const shownFindings = storedSectionFindings(section.id, findings);
    const findingsVersion = reviews.findFindingsVersion(context.review.id);
    // In the page's order, which is the error summary's.
    const values: Record<string, string | readonly string[]> = {};
    for (const item of all) {
      const names = consensusFieldNames(item.indicator.id);
      values[names.score] = scoreValueOf(item.consensus);
      values[names.rationale] = item.consensus?.rationale ?? '';
      values[names.version] = String(item.consensus?.version ?? 0);
    }
    values[findingsNames.strengths] = shownFindings.strengths.join('\n');
    values[findingsNames.recommendations] = shownFindings.recommendations.join('\n');
    values[SECTION_FINDINGS_VERSION] = String(findingsVersion);
    values[SECTION_FINDINGS_BASE] = sectionBase(shownFindings);
    // What was typed wins over what is stored; what the posted form did not have (a hidden indicator) is as stored.
    Object.assign(values, posted);
    const form = createFormView(values, state.errors ?? {}, false);
    // One error summary for the page. A message beside its field need not name the indicator; in the summary it must.
    const codeOfField =
      form.errorList.length === 0
        ? new Map<string, string>()
        : new Map<string, string>(
            all.flatMap((item) => Object.values(consensusFieldNames(item.indicator.id)).map((name): [string, string] => [name, item.code])),
          );
    const summary = form.errorList.map(({ field, message }) => {
      const code = codeOfField.get(field);
      return { href: `#f-${field}`, message: code === undefined || message.includes(code) ? message : `${code}: ${message}` };
    });
    const sectionIndex = rubric.sections.indexOf(section);
    const heading = req.t('reviews.consensus.sectionTitle', { code: section.code, title: section.title[req.locale] });
    await renderPage<ConsensusSectionPageLocals>(
      res,
      'reviews/consensus-section',
      {
        title: summary.length > 0 || state.notice !== undefined ? req.t('reviews.consensus.errorTitle', { title: heading }) : heading,
        heading,
        skipLink: findConsensusSkipLink(items, req.t),
        review: context.review,
        section,
        items,
        decided: all.filter((item) => item.consensus).length,
        total: all.length,
        undecidedOnly,
        previous: rubric.sections[sectionIndex - 1],
        next: rubric.sections[sectionIndex + 1],
        evidenceLabels: Object.fromEntries(rubric.evidence_sources.map((source) => [source.code, source.label])),
        showForm,
        locked,
        notice: state.notice,
        form,
        summary,
        fieldNames: consensusFieldNames,
        naValue: NOT_APPLICABLE_VALUE,
        findingsNames,
        findingsMax: FINDINGS_MAX,
        // The rationale has a textarea of its own (its label says when it is required): its limit, worded as the
        // text-field partial words one ("Högst 4 000 tecken.").
        rationaleLengthHint: describeLengthLimit(RATIONALE_MAX, req.t),
        findingsVersionName: SECTION_FINDINGS_VERSION,
        findingsBaseName: SECTION_FINDINGS_BASE,
        storedNow: state.storedNow ?? {},
        // Where a save's notice can stand: at each indicator shown, and at the findings (src/http/flash.ts).
        flashTargets: [...items.map((item) => `ind-${item.indicator.id}`), 'findings'],
        strengths: stored[findingsNames.strengths] ?? [],
        recommendations: stored[findingsNames.recommendations] ?? [],
        // Each recommendation's priority and owner: as typed on a form given back, else as stored.
        recommendationRows: posted ? readPostedRows(values, section.id) : storedRows(findings, section.id),
        recommendationMeta: {
          names: recommendationMetaNames,
          priorities: PRIORITY_CHOICES,
          owners: OWNER_CHOICES,
          priorityLabels: labelsOf(PRIORITY_CHOICES, (priority) => `reviews.recommendation.priority.${priority}`, req.t),
          ownerLabels: labelsOf(OWNER_CHOICES, (owner) => `reviews.recommendation.owner.${owner || 'none'}`, req.t),
          conflictField: recommendationMetaNames(section.id, 0).priority,
          storedNowKey: rowsStoredNowKey(section.id),
        },
      },
      status,
    );
  };

  /** A box as messages name it: "styrkorna för avsnitt A1", "prioritet och ansvarig för rekommendationerna i avsnitt A1". */
  const boxLabel = (req: Request, section: RubricSection, box: SectionBox): string => {
    const code = { code: section.code };
    if (box === 'strengths') return req.t('validation.fields.strengthsFor', code);
    if (box === 'recommendations') return req.t('validation.fields.recommendationsFor', code);
    return req.t('reviews.consensus.recommendationMetaFor', code);
  };

  /**
   * The findings of a form given back after a conflict: based on what is stored now, so saving again replaces a
   * conflicting box knowingly; a box the page did not change shows what is stored now (nothing typed is lost by it,
   * and saving again cannot put the page's older copy back); each conflicting box has a message naming it and, below
   * it, what is stored now.
   */
  const giveBackFindings = (
    req: Request,
    section: RubricSection,
    resolved: SectionSave,
    conflicts: readonly SectionBox[],
    typedValues: RawForm,
  ) => {
    const names = findingFieldNames(section.id);
    const now = sectionFindingsValues(section.id, resolved.stored);
    const values: Record<string, string | readonly string[]> = { ...typedValues };
    values[SECTION_FINDINGS_VERSION] = String(resolved.version);
    values[SECTION_FINDINGS_BASE] = resolved.base;
    for (const [box, name] of [
      ['strengths', names.strengths],
      ['recommendations', names.recommendations],
    ] as const) {
      if (!resolved.typedHere.has(box)) values[name] = now[name] ?? '';
    }
    if (!resolved.typedHere.has('meta')) {
      for (const name of Object.keys(pickRowFields(typedValues, section.id))) delete values[name];
      Object.assign(values, pickRowFields(now, section.id));
    }
    const errors: Record<string, string[]> = {};
    const storedNow: Record<string, readonly string[]> = {};
    const priorities: Readonly<Record<string, string>> = labelsOf(PRIORITY_CHOICES, (p) => `reviews.recommendation.priority.${p}`, req.t);
    const owners: Readonly<Record<string, string>> = labelsOf(OWNER_CHOICES, (o) => `reviews.recommendation.owner.${o || 'none'}`, req.t);
    for (const box of conflicts) {
      const label = boxLabel(req, section, box);
      if (box === 'meta') {
        errors[recommendationMetaNames(section.id, 0).priority] = [req.t('reviews.consensus.sectionRowsConflict', { box: label })];
        storedNow[rowsStoredNowKey(section.id)] = resolved.stored.rows.map(
          (row) => `${row.text} – ${priorities[row.priority] ?? row.priority}, ${inSentence(owners[row.owner] ?? row.owner)}`,
        );
      } else {
        const name = box === 'strengths' ? names.strengths : names.recommendations;
        errors[name] = [req.t('reviews.consensus.sectionBoxConflict', { box: label })];
        storedNow[name] = resolved.stored[box];
      }
    }
    return { values, errors, storedNow, labels: conflicts.map((box) => boxLabel(req, section, box)) };
  };

  /**
   * Where the page comes back after a save at an indicator: there, or, with the filter of undecided indicators on
   * and the indicator decided now (so no longer shown), at the next undecided one in the page's order, or the findings.
   */
  const placeAfterSave = (context: ReviewContext, section: RubricSection, indicatorId: string, undecidedOnly: boolean): string => {
    if (!undecidedOnly) return `ind-${indicatorId}`;
    const items = buildSectionItems(context, section);
    const at = items.findIndex((item) => item.indicator.id === indicatorId);
    const next = items.find((item, index) => index >= at && !item.consensus);
    return next ? `ind-${next.indicator.id}` : 'findings';
  };

  /** The notice of a form posted once the review can no longer be edited. */
  const lockedNotice = (req: Request, context: ReviewContext) =>
    req.t(context.review.status === 'final' ? 'reviews.consensus.sectionLockedFinal' : 'reviews.consensus.locked');

  router.get('/reviews/:id/consensus/:sectionId', async (req, res) => {
    const context = loadConsensus(req);
    // An indicator's save address opened as a page (a reload, a link kept from a refused save): its section, at it.
    const indicator = listIndicators(context.review.rubric.rubric).find(({ indicator }) => indicator.id === req.params.sectionId);
    if (indicator)
      return res.redirect(303, `/reviews/${context.review.id}/consensus/${indicator.section.id}#ind-${indicator.indicator.id}`);
    await renderSection(req, res, context, findRubricSection(context, req.params.sectionId));
  });

  router.post('/reviews/:id/consensus/:sectionId/save', async (req, res) => {
    const context = loadConsensus(req);
    const section = findRubricSection(context, req.params.sectionId);
    const raw = toRawForm(req.body);
    const undecidedOnly = raw.undecided === '1';
    const findingsNames = findingFieldNames(section.id);
    // Only the section's own fields are kept: which indicators the form had, and whether it had the findings.
    const shownIds = new Set(
      section.indicators.filter((indicator) => typeof raw[consensusFieldNames(indicator.id).version] === 'string').map((i) => i.id),
    );
    const withFindings = typeof raw[SECTION_FINDINGS_VERSION] === 'string';
    const ownNames = [
      ...[...shownIds].flatMap((id) => Object.values(consensusFieldNames(id))),
      ...(withFindings ? [findingsNames.strengths, findingsNames.recommendations, SECTION_FINDINGS_VERSION, SECTION_FINDINGS_BASE] : []),
    ];
    const typed: RawForm = {
      ...Object.fromEntries(ownNames.flatMap((name) => (typeof raw[name] === 'string' ? [[name, raw[name]]] : []))),
      ...(withFindings ? pickRowFields(raw, section.id) : {}),
    };
    const giveBack = (state: SectionFormState, status: number) =>
      renderSection(req, res, context, section, { values: typed, undecidedOnly, ...state }, status);
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (context.viewer.membership?.role !== 'lead') throw new ForbiddenError('reviews.consensus.locked');
      return giveBack({ notice: lockedNotice(req, context), locked: true }, 409);
    }
    const parsed = parseForm(createConsensusSectionSchema(section, shownIds, withFindings), typed, req.t, labelSectionFields(req, section));
    if (!parsed.ok) return giveBack({ errors: parsed.errors }, 422);
    const { decisions } = parsed.value;
    const rubric = context.review.rubric.rubric;

    // A changed decision the ratings do not support, or one that caps the review's level, needs the panel's reasons in
    // writing (consensus-rationale.ts). One already stored is left be (a self-assessment's adopted ratings have none).
    const sectionItems = buildSectionItems(context, section);
    const items = new Map(sectionItems.map((item) => [item.indicator.id, item]));
    const changedIds = new Set(
      decisions
        .filter((decision) => {
          const current = items.get(decision.indicatorId)?.consensus;
          return !(current && sameConsensus(current, decision));
        })
        .map((decision) => decision.indicatorId),
    );
    const errors: Record<string, string[]> = {};
    for (const decision of decisions) {
      const item = items.get(decision.indicatorId);
      if (!item || !changedIds.has(decision.indicatorId) || decision.rationale !== '') continue;
      const need = findRationaleNeed(rubric, item.indicator, item.spread, decision);
      if (need) errors[consensusFieldNames(decision.indicatorId).rationale] = [describeRationaleNeed(need, req.t, req.locale)];
    }

    // The findings, box by box against what the page showed: a box it did not change is written as stored now.
    const own = parsed.value.findings;
    let resolved: SectionSave | undefined;
    if (own) {
      const posted = { strengths: own.strengths, recommendations: own.recommendations, rows: readPostedRows(raw, section.id) };
      resolved = boxes.resolveSectionSave(context, section.id, posted, typed[SECTION_FINDINGS_BASE], own.version);
      if (resolved.invalidRow) errors[findingsNames.recommendations] = [req.t('validation.invalidChoice')];
    }
    if (Object.keys(errors).length > 0) return giveBack({ errors }, 422);

    const findings = resolved && {
      sections: [resolved.input],
      expectedVersion: resolved.expectedVersion,
      conflict: resolved.refuse,
    };
    const saved = reviews.saveConsensusSection(context.review.id, { decisions, findings }, context.viewer.user.id);
    if (saved.outcome === 'locked') return giveBack({ notice: lockedNotice(req, context), locked: true }, 409);
    if (saved.outcome === 'conflict') {
      // Someone saved meanwhile: nothing was written. The form keeps what was typed, each conflicting part is now based
      // on what is stored (saving again replaces it, knowingly), a message beside it names it and says what is stored,
      // and the notice names every part that clashed.
      const values: Record<string, string | readonly string[]> = { ...typed };
      const conflictErrors: Record<string, string[]> = {};
      const parts: string[] = [];
      for (const { indicatorId, current } of saved.conflicts) {
        const names = consensusFieldNames(indicatorId);
        values[names.version] = String(current?.version ?? 0);
        // The summary puts the indicator's code before it; beside its field it needs none.
        conflictErrors[names.score] = [req.t('reviews.editConflict', { value: describeStored(req, current) })];
        const item = items.get(indicatorId);
        if (item) parts.push(item.code);
      }
      const given = resolved && giveBackFindings(req, section, resolved, saved.findingsConflict ? resolved.conflicts : [], values);
      if (given) {
        Object.assign(conflictErrors, given.errors);
        parts.push(...given.labels);
      }
      return renderSection(
        req,
        res,
        context,
        section,
        {
          values: given?.values ?? values,
          errors: conflictErrors,
          notice: req.t('reviews.consensus.sectionConflict', { parts: formatList(parts.length > 0 ? parts : [section.code], req.locale) }),
          storedNow: given?.storedNow,
          undecidedOnly,
        },
        409,
      );
    }

    // The notice names what was saved: the indicators (the one whose Save was pressed first) and the boxes changed here.
    const focus = FocusSchema.safeParse(raw.focus);
    const focusId = focus.success ? focus.data : undefined;
    const savedCodes = sectionItems
      .filter((item) => changedIds.has(item.indicator.id))
      .sort((a, b) => Number(b.indicator.id === focusId) - Number(a.indicator.id === focusId) || a.order - b.order)
      .map((item) => item.code);
    const savedBoxes = resolved && saved.findingsChanged ? resolved.changes.filter((box) => resolved.typedHere.has(box)) : [];
    const parts = formatList([...savedCodes, ...savedBoxes.map((box) => boxLabel(req, section, box))], req.locale);
    const changed = saved.decisionsChanged > 0 || saved.findingsChanged;
    // New recommendations have no priority or owner of their own yet: their rows are on the page once saved.
    const fresh = saved.findingsChanged ? (resolved?.newRecommendations.length ?? 0) : 0;
    const filter = undecidedOnly ? '?undecided=1' : '';
    const base = `/reviews/${context.review.id}/consensus/${section.id}${filter}`;

    // "Save and go on" names the next section, and goes there with the filter, unless new recommendations are waiting
    // for their priority and owner: then it stays, at the findings, and says so.
    const goto = FocusSchema.safeParse(raw.goto);
    const target = goto.success ? rubric.sections.find((s) => s.id === goto.data) : undefined;
    if (target && fresh > 0) {
      setFlash(req, 'reviews.consensus.sectionSavedStayForRecommendations', 'findings', {
        parts,
        count: fresh,
        code: section.code,
        next: target.code,
      });
      return res.redirect(303, `${base}#findings`);
    }
    const [key, params]: [MessageKey, MessageParams | undefined] = !changed
      ? ['reviews.consensus.sectionUnchanged', undefined]
      : fresh > 0
        ? ['reviews.consensus.sectionSavedChooseRecommendations', { parts, count: fresh }]
        : parts === ''
          ? ['reviews.consensus.sectionSavedGeneric', undefined]
          : ['reviews.consensus.sectionSaved', { parts }];
    if (target) {
      setFlash(req, key, undefined, params);
      return res.redirect(303, `/reviews/${context.review.id}/consensus/${target.id}${filter}`);
    }
    // Otherwise the page comes back where its Save was pressed, and the notice stands there; with the filter on, an
    // indicator just decided is no longer shown, so it comes back at the next undecided one, or at the findings.
    const place =
      focusId === 'findings'
        ? 'findings'
        : focusId !== undefined && shownIds.has(focusId)
          ? placeAfterSave(context, section, focusId, undecidedOnly)
          : undefined;
    setFlash(req, key, place, params);
    res.redirect(303, `${base}${place ? `#${place}` : ''}`);
  });

  /**
   * The earlier form of one indicator, posted from a tab opened before the section had one form. After the lead can
   * no longer edit (the review was finalised while the page was open) nothing is saved, and the page gives back the
   * typed score and rationale as text, so they are not lost. Only for the panel's lead, who typed them.
   */
  const renderConsensusNotSaved = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    section: RubricSection,
    indicatorId: string,
  ) => {
    const raw = toRawForm(req.body);
    const score = typeof raw.score === 'string' ? raw.score : '';
    const rationale = typeof raw.rationale === 'string' ? raw.rationale.trim() : '';
    const index = section.indicators.findIndex((indicator) => indicator.id === indicatorId);
    const indicator = section.indicators[index];
    const typed =
      (score === '' && rationale === '') || !indicator
        ? []
        : [
            {
              label: indicatorCode(section, index),
              text: indicator.text[req.locale],
              score: score === NOT_APPLICABLE_VALUE ? req.t('reviews.rate.notApplicable') : score,
              note: rationale,
            },
          ];
    const message = req.t(context.review.status === 'final' ? 'reviews.consensus.lockedFinal' : 'reviews.consensus.locked');
    await renderPage(
      res,
      'reviews/rate-not-saved',
      { title: req.t('reviews.rate.notSavedTitle'), review: context.review, message, typed },
      409,
    );
  };

  router.post('/reviews/:id/consensus/:indicatorId', async (req, res) => {
    const context = loadConsensus(req);
    const found = listIndicators(context.review.rubric.rubric).find(({ indicator }) => indicator.id === req.params.indicatorId);
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (found && context.viewer.membership?.role === 'lead')
        return renderConsensusNotSaved(req, res, context, found.section, found.indicator.id);
      throw new ForbiddenError('reviews.consensus.locked');
    }
    if (!found) throw new NotFoundError();
    const { indicator, section } = found;
    const names = consensusFieldNames(indicator.id);
    // The filter the page was shown with comes back with the form, so the save returns to the same view.
    const undecidedOnly = toRawForm(req.body).undecided === '1';
    // A refusal gives the section's form back with this indicator's fields as typed.
    const refuse = (values: RawForm, errors: FieldErrors, status: number) => {
      const own: Record<string, string> = {};
      for (const field of ['score', 'rationale', 'version'] as const)
        if (typeof values[field] === 'string') own[names[field]] = values[field];
      const ownErrors = Object.fromEntries(
        Object.entries(errors).map(([field, messages]) => [names[field as keyof typeof names] ?? field, messages]),
      );
      return renderSection(req, res, context, section, { values: own, errors: ownErrors, undecidedOnly }, status);
    };
    const code = indicatorCode(section, section.indicators.indexOf(indicator));
    const parsed = parseForm(
      createConsensusSchema(indicator, code),
      req.body,
      req.t,
      labelIndicatorFields(req.t, () => undefined, code),
    );
    if (!parsed.ok) return refuse(parsed.values, parsed.errors, 422);
    const { score, notApplicable } = parsed.value.score;
    const rationale = parsed.value.rationale;
    // A decision the ratings do not support, or one that caps the level, needs the panel's reasons in writing.
    if (rationale === '') {
      const ratings = reviews.listSubmittedRatingsOf(context.review.id, [indicator.id]);
      const need = findRationaleNeed(context.review.rubric.rubric, indicator, summarizeSpread(indicator.scale, ratings), {
        score,
        notApplicable,
      });
      if (need) {
        const values: RawForm = { ...toRawForm(req.body), rationale, version: String(parsed.value.version) };
        return refuse(values, { rationale: [describeRationaleNeed(need, req.t, req.locale)] }, 422);
      }
    }
    const saved = reviews.saveConsensus(
      context.review.id,
      { indicatorId: indicator.id, score, notApplicable, rationale, expectedVersion: parsed.value.version },
      context.viewer.user.id,
    );
    if (saved.outcome === 'locked') return renderConsensusNotSaved(req, res, context, section, indicator.id);
    if (saved.outcome === 'conflict') {
      const current = saved.conflicts[0]?.current;
      const values: RawForm = { ...toRawForm(req.body), version: String(current?.version ?? 0) };
      return refuse(values, { score: [req.t('reviews.editConflict', { value: describeStored(req, current) })] }, 409);
    }
    const place = placeAfterSave(context, section, indicator.id, undecidedOnly);
    setFlash(req, 'reviews.consensus.saved', place);
    res.redirect(303, `/reviews/${context.review.id}/consensus/${section.id}${undecidedOnly ? '?undecided=1' : ''}#${place}`);
  });

  /** The findings schema for one section alone. */
  const findingsSchemaFor = (rubric: Rubric, section: RubricSection) => createFindingsSchema({ ...rubric, sections: [section] });

  // The earlier form of the section's strengths and recommendations alone, posted from a tab opened before.
  router.post('/reviews/:id/consensus/:sectionId/findings', async (req, res) => {
    const context = loadConsensus(req);
    const section = findRubricSection(context, req.params.sectionId);
    const names = sectionBoxNames(section.id);
    const raw = toRawForm(req.body);
    const picked = pickTyped(raw, names);
    // Given back on the section's form, whose findings version and fingerprint have names of their own.
    const typedValues: RawForm = {
      ...Object.fromEntries(names.flatMap((name) => (typeof picked[name] === 'string' ? [[name, picked[name]]] : []))),
      ...(typeof picked.version === 'string' ? { [SECTION_FINDINGS_VERSION]: picked.version } : {}),
      ...(typeof picked.base === 'string' ? { [SECTION_FINDINGS_BASE]: picked.base } : {}),
      ...pickRowFields(raw, section.id),
    };
    const giveBack = (state: SectionFormState, status: number) =>
      renderSection(req, res, context, section, { values: typedValues, ...state }, status);
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (context.viewer.membership?.role !== 'lead') throw new ForbiddenError('reviews.consensus.locked');
      return giveBack({ notice: lockedNotice(req, context), locked: true }, 409);
    }
    const rubric = context.review.rubric.rubric;
    const parsed = parseForm(
      findingsSchemaFor(rubric, section),
      picked,
      req.t,
      labelFindingsFields(req.t, (sectionId) => (sectionId === section.id ? section.code : undefined)),
    );
    if (!parsed.ok) {
      const errors = Object.fromEntries(
        Object.entries(parsed.errors).flatMap(([name, messages]) =>
          names.includes(name) ? [[name, messages]] : name === 'version' ? [[SECTION_FINDINGS_VERSION, messages]] : [],
        ),
      );
      return giveBack({ errors }, 422);
    }
    // Box by box, as the section's form (a form without priority rows keeps the stored ones, by text).
    const [posted] = parsed.value.sections;
    const resolved = boxes.resolveSectionSave(
      context,
      section.id,
      { strengths: posted?.strengths ?? [], recommendations: posted?.recommendations ?? [], rows: readPostedRows(raw, section.id) },
      raw.base,
      parsed.value.version,
    );
    if (resolved.invalidRow) return giveBack({ errors: { [names[1] ?? '']: [req.t('validation.invalidChoice')] } }, 422);
    const outcome = resolved.refuse
      ? 'conflict'
      : reviews.replaceFindings(context.review.id, [resolved.input], context.viewer.user.id, undefined, resolved.expectedVersion);
    if (outcome === 'locked') return giveBack({ notice: lockedNotice(req, context), locked: true }, 409);
    if (outcome === 'conflict') {
      const given = giveBackFindings(req, section, resolved, resolved.conflicts, typedValues);
      return giveBack(
        {
          values: given.values,
          errors: given.errors,
          notice: req.t('reviews.consensus.sectionFindingsConflict'),
          storedNow: given.storedNow,
        },
        409,
      );
    }
    setFlash(req, 'reviews.consensus.sectionFindingsSaved', 'findings');
    res.redirect(303, `/reviews/${context.review.id}/consensus/${section.id}#findings`);
  });

  return router;
}
