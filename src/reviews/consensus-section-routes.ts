// A consensus section's page: every submitted rating side by side per indicator (most disagreement first), and for
// the panel's lead one form for the whole section: each indicator's consensus score and rationale, and the section's
// strengths and recommendations. Every Save button on the page saves all of it, so nothing typed in one indicator is
// lost by saving another, however long the meeting. A decision or a box unchanged since the page was shown is not
// written. The earlier forms of one indicator, and of the section's findings alone, are still answered for tabs
// opened before.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { type FieldErrors, type FieldLabeller, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import { indicatorCode, listIndicators, type Rubric, type RubricSection } from '../rubrics/rubric-schema.js';
import { type Boxes, createFindingsBoxes, pickTyped, sectionBoxes, sectionBoxNames } from './findings-boxes.js';
import { isOutsideRatedRange, orderByDisagreement, type RatingSpread, summarizeSpread } from './rating-spread.js';
import { canEditConsensus, canSeeOthersRatings } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import {
  consensusFieldNames,
  createConsensusSchema,
  createConsensusSectionSchema,
  createFindingsSchema,
  findingFieldNames,
  labelFindingsFields,
  labelIndicatorFields,
  NOT_APPLICABLE_VALUE,
  SECTION_FINDINGS_BASE,
  SECTION_FINDINGS_VERSION,
} from './review-forms.js';
import type { ReviewStore } from './review-store.js';
import { type ConsensusRating, isRaterRole, type PanelMember, type Rating, type Review, sameConsensus } from './review-types.js';
import {
  matchRecommendationMeta,
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
  readonly heading: string;
  readonly review: Review;
  readonly section: RubricSection;
  readonly items: readonly ConsensusItem[];
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
  };
};

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
    const items = undecidedOnly ? all.filter((item) => !item.consensus || onPostedForm(item.indicator.id)) : all;
    const locked = state.locked === true;
    const showForm = canEditConsensus(context.viewer, context.review.status) || locked;
    const findingsNames = findingFieldNames(section.id);
    // The section's own findings, read once for its boxes, their fingerprint and the recommendations' rows.
    const findings = reviews.listSectionFindings(context.review.id, section.id);
    const stored = sectionBoxes(section.id, findings);
    const storedFindings = boxes.storedValues(context, sectionBoxNames(section.id), stored);
    // In the page's order, which is the error summary's.
    const values: Record<string, string | readonly string[]> = {};
    for (const item of all) {
      const names = consensusFieldNames(item.indicator.id);
      values[names.score] = scoreValueOf(item.consensus);
      values[names.rationale] = item.consensus?.rationale ?? '';
      values[names.version] = String(item.consensus?.version ?? 0);
    }
    values[findingsNames.strengths] = storedFindings[findingsNames.strengths] ?? '';
    values[findingsNames.recommendations] = storedFindings[findingsNames.recommendations] ?? '';
    values[SECTION_FINDINGS_VERSION] = storedFindings.version ?? '0';
    values[SECTION_FINDINGS_BASE] = storedFindings.base ?? '';
    // What was typed wins over what is stored; what the posted form did not have (a hidden indicator) is as stored.
    Object.assign(values, posted);
    const form = createFormView(values, state.errors ?? {}, false);
    // One error summary for the page. A message beside its field need not name the indicator; in the summary it must.
    const codeOfField = new Map<string, string>(
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
        },
      },
      status,
    );
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

    // A changed score the ratings do not support needs the panel's reasons in writing. One already stored is left be
    // (a self-assessment's adopted ratings have no rationale).
    const items = new Map(buildSectionItems(context, section).map((item) => [item.indicator.id, item]));
    const errors: Record<string, string[]> = {};
    for (const decision of decisions) {
      const item = items.get(decision.indicatorId);
      const current = item?.consensus;
      const unchanged = current !== undefined && sameConsensus(current, decision);
      if (!item || unchanged || decision.score === null || decision.rationale !== '') continue;
      if (isOutsideRatedRange(decision.score, item.spread)) {
        errors[consensusFieldNames(decision.indicatorId).rationale] = [req.t('reviews.consensus.rationaleRequired')];
      }
    }

    // The findings: each recommendation's priority and owner by its row (a form without rows keeps the stored ones).
    let findings:
      | { sections: { sectionId: string; strengths: string[]; recommendations: string[] }[]; expectedVersion: number | undefined }
      | undefined;
    const own = parsed.value.findings;
    if (own) {
      const rows = readPostedRows(raw, section.id);
      const meta = rows.length === 0 ? undefined : matchRecommendationMeta(own.recommendations, rows);
      if (rows.length > 0 && meta === undefined) errors[findingsNames.recommendations] = [req.t('validation.invalidChoice')];
      findings = {
        sections: [
          {
            sectionId: own.sectionId,
            strengths: own.strengths,
            recommendations: own.recommendations,
            ...(meta ? { recommendationMeta: meta } : {}),
          },
        ],
        expectedVersion: boxes.expectedVersion(context, sectionBoxNames(section.id), typed[SECTION_FINDINGS_BASE], own.version),
      };
    }
    if (Object.keys(errors).length > 0) return giveBack({ errors }, 422);

    const saved = reviews.saveConsensusSection(context.review.id, { decisions, findings }, context.viewer.user.id);
    if (saved.outcome === 'locked') return giveBack({ notice: lockedNotice(req, context), locked: true }, 409);
    if (saved.outcome === 'conflict') {
      // Someone saved meanwhile: nothing was written. The form keeps what was typed, each conflicting part is now based
      // on what is stored (saving again replaces it, knowingly), and a message beside it says what is stored.
      const values: Record<string, string | readonly string[]> = { ...typed };
      const conflictErrors: Record<string, string[]> = {};
      for (const { indicatorId, current } of saved.conflicts) {
        const names = consensusFieldNames(indicatorId);
        values[names.version] = String(current?.version ?? 0);
        // The summary puts the indicator's code before it; beside its field it needs none.
        conflictErrors[names.score] = [req.t('reviews.editConflict', { value: describeStored(req, current) })];
      }
      let storedNow: Boxes | undefined;
      if (saved.findingsConflict && own) {
        const conflict = boxes.describeConflict(context, sectionBoxNames(section.id), {
          [findingsNames.strengths]: own.strengths,
          [findingsNames.recommendations]: own.recommendations,
        });
        values[SECTION_FINDINGS_VERSION] = conflict.version;
        values[SECTION_FINDINGS_BASE] = conflict.base;
        Object.assign(conflictErrors, conflict.errors(req.t));
        storedNow = conflict.storedNow;
      }
      return renderSection(
        req,
        res,
        context,
        section,
        { values, errors: conflictErrors, notice: req.t('reviews.consensus.sectionConflict'), storedNow, undecidedOnly },
        409,
      );
    }
    const flash =
      saved.decisionsChanged > 0 || saved.findingsChanged ? 'reviews.consensus.sectionSaved' : 'reviews.consensus.sectionUnchanged';
    // "Save and go on" names the next section; otherwise the page comes back where its Save was pressed, and the
    // notice stands there.
    const goto = FocusSchema.safeParse(raw.goto);
    const target = goto.success ? context.review.rubric.rubric.sections.find((s) => s.id === goto.data) : undefined;
    if (target) {
      setFlash(req, flash);
      return res.redirect(303, `/reviews/${context.review.id}/consensus/${target.id}`);
    }
    const focus = FocusSchema.safeParse(raw.focus);
    const place = !focus.success
      ? undefined
      : focus.data === 'findings'
        ? 'findings'
        : shownIds.has(focus.data)
          ? `ind-${focus.data}`
          : undefined;
    setFlash(req, flash, place);
    res.redirect(
      303,
      `/reviews/${context.review.id}/consensus/${section.id}${undecidedOnly ? '?undecided=1' : ''}${place ? `#${place}` : ''}`,
    );
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
    // A score the ratings do not support needs the panel's reasons in writing.
    if (score !== null && rationale === '') {
      const ratings = reviews.listSubmittedRatingsOf(context.review.id, [indicator.id]);
      const spread = summarizeSpread(indicator.scale, ratings);
      if (isOutsideRatedRange(score, spread)) {
        const values: RawForm = { score: String(score), rationale, version: String(parsed.value.version) };
        return refuse(values, { rationale: [req.t('reviews.consensus.rationaleRequired')] }, 422);
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
    setFlash(req, 'reviews.consensus.saved', `ind-${indicator.id}`);
    res.redirect(303, `/reviews/${context.review.id}/consensus/${section.id}${undecidedOnly ? '?undecided=1' : ''}#ind-${indicator.id}`);
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
    // A form without priority rows (a tab opened before recommendations had priorities) keeps the stored ones, by text.
    const rows = readPostedRows(raw, section.id);
    const meta = rows.length === 0 ? undefined : matchRecommendationMeta(parsed.value.sections[0]?.recommendations ?? [], rows);
    if (rows.length > 0 && meta === undefined) return giveBack({ errors: { [names[1] ?? '']: [req.t('validation.invalidChoice')] } }, 422);
    const sections = parsed.value.sections.map((s) => ({ ...s, recommendationMeta: meta }));
    const expected = boxes.expectedVersion(context, names, raw.base, parsed.value.version);
    const outcome = reviews.replaceFindings(context.review.id, sections, context.viewer.user.id, undefined, expected);
    if (outcome === 'locked') return giveBack({ notice: lockedNotice(req, context), locked: true }, 409);
    if (outcome === 'conflict') {
      const [ownSection] = sections;
      const typed = { [names[0] ?? '']: ownSection?.strengths ?? [], [names[1] ?? '']: ownSection?.recommendations ?? [] };
      const conflict = boxes.describeConflict(context, names, typed);
      const values: RawForm = { ...typedValues, [SECTION_FINDINGS_VERSION]: conflict.version, [SECTION_FINDINGS_BASE]: conflict.base };
      return giveBack(
        {
          values,
          errors: conflict.errors(req.t),
          notice: req.t('reviews.consensus.sectionFindingsConflict'),
          storedNow: conflict.storedNow,
        },
        409,
      );
    }
    setFlash(req, 'reviews.consensus.sectionFindingsSaved', 'findings');
    res.redirect(303, `/reviews/${context.review.id}/consensus/${section.id}#findings`);
  });

  return router;
}
