// Consensus one section per page: the section list with decided/total, and per section every submitted rating side by
// side per indicator (most disagreement first), the lead's consensus forms and the section's strengths and
// recommendations. The review's barriers have a page of their own; the whole-review findings form is kept for old tabs.
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { type FieldErrors, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import type { Translate } from '../i18n/messages.js';
import { listIndicators, type Rubric, type RubricSection, indicatorCode } from '../rubrics/rubric-schema.js';
import { orderByDisagreement, type RatingSpread, summarizeSpread, isOutsideRatedRange } from './rating-spread.js';
import { canEditConsensus, canSeeOthersRatings, isLoneSubmittedLead } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import {
  barrierFieldName,
  createConsensusSchema,
  createFindingsSchema,
  findingFieldNames,
  labelFindingsFields,
  labelIndicatorFields,
  NOT_APPLICABLE_VALUE,
} from './review-forms.js';
import { BARRIER_CATEGORIES, type ConsensusRating, type Finding, type PanelMember, type Rating, type Review } from './review-types.js';
import type { ReviewStore } from './review-store.js';
import { isRaterRole } from './review-types.js';
import { summarizeProgress } from './review-workflow.js';
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

type IndicatorForm = { readonly indicatorId: string; readonly values: RawForm; readonly errors: FieldErrors };
type IndicatorPlace = ReturnType<typeof listIndicators>[number];

/**
 * `notice` says why nothing was saved; `storedNow`, after a conflict, what is stored in each box that differs from
 * what was typed; `locked`, that the review can no longer be edited (the form keeps the texts but has no Save).
 */
type FindingsNotSaved = {
  readonly notice?: string | undefined;
  readonly storedNow?: Readonly<Record<string, readonly string[]>> | undefined;
  readonly locked?: boolean | undefined;
};

/** A refused or conflicting save of the section's strengths and recommendations: the boxes as typed. */
type FindingsForm = { readonly values: RawForm; readonly errors: FieldErrors } & FindingsNotSaved;

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

/** What views/reviews/consensus-section.ejs is rendered with (besides res.locals). */
export type ConsensusSectionPageLocals = {
  readonly title: string;
  readonly heading: string;
  readonly review: Review;
  readonly section: RubricSection;
  readonly items: readonly (ConsensusItem & { readonly form: FormView })[];
  readonly decided: number;
  readonly total: number;
  readonly undecidedOnly: boolean;
  readonly previous: RubricSection | undefined;
  readonly next: RubricSection | undefined;
  readonly evidenceLabels: Readonly<Record<string, Rubric['evidence_sources'][number]['label']>>;
  readonly canEdit: boolean;
  readonly naValue: typeof NOT_APPLICABLE_VALUE;
  readonly summary: readonly { readonly href: string; readonly message: string }[];
  readonly findingsNames: ReturnType<typeof findingFieldNames>;
  readonly findingsForm: FormView;
  readonly findingsNotice: string | undefined;
  readonly findingsLocked: boolean;
  readonly storedNow: Readonly<Record<string, readonly string[]>>;
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

/** A short fingerprint of some boxes' stored texts: a section's form carries it, so a save can tell whether that section changed. */
function fingerprintBoxes(boxes: Readonly<Record<string, readonly string[]>>, names: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(names.map((name) => boxes[name] ?? [])))
    .digest('hex')
    .slice(0, 16);
}

/** The fields of a form of some boxes as posted (a missing version is saved unchecked, as on the whole-review form). */
function pickTyped(raw: RawForm, names: readonly string[]): RawForm {
  return Object.fromEntries(['version', 'base', ...names].flatMap((name) => (typeof raw[name] === 'string' ? [[name, raw[name]]] : [])));
}

/** The indicator's number in the rubric ("A2.2"). */

/**
 * Whether to offer the viewer the one-step adoption of a self-assessment's ratings as its consensus (the form posts to
 * POST /self-assessments/:id/adopt). The same checks as that route (a self-assessment of one of the viewer's programs,
 * in consensus, the viewer its panel lead), offered where it saves the work: a single rater, who has submitted, and
 * no consensus decided yet.
 */
export function canOfferAdoption(context: ReviewContext, decidedCount: number): boolean {
  const { review, panel, viewer } = context;
  if (review.kind !== 'self_assessment' || viewer.selfAssessment?.programPerson !== true) return false;
  // A lone rater who has submitted is offered it from the rating phase too: the adoption starts consensus itself.
  const fromRating = review.status === 'rating';
  if (!fromRating && (review.status !== 'consensus' || !canEditConsensus(viewer, review.status))) return false;
  return isLoneSubmittedLead(panel, viewer.user.id) && decidedCount === 0;
}

/** The barrier boxes of the barriers page and the whole-review findings form: one per category, with its words. */
function describeBarrierFields(t: Translate) {
  return BARRIER_CATEGORIES.map((category) => ({
    category,
    name: barrierFieldName(category),
    label: t(`reviews.consensus.barrierLabels.${category}`),
    hint: t(`reviews.consensus.barrierHints.${category}`),
  }));
}

export function createConsensusRouter({ reviews }: { reviews: ReviewStore }): Router {
  const router = Router();

  /**
   * The side-by-side view exists only for those who may see others' ratings: during rating, a rater who has
   * submitted (read-only, to prepare for the session); from consensus on, the panel and coordinators.
   */
  const loadConsensus = (req: Request): ReviewContext => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (!canSeeOthersRatings(context.viewer, context.review.status)) throw new NotFoundError();
    return context;
  };

  const findSection = (context: ReviewContext, sectionId: unknown): RubricSection => {
    const section = context.review.rubric.rubric.sections.find((s) => s.id === sectionId);
    if (!section) throw new NotFoundError();
    return section;
  };

  const readProgress = (context: ReviewContext) =>
    summarizeProgress({
      rubric: context.review.rubric.rubric,
      panel: context.panel,
      consensus: reviews.listDecidedIndicators(context.review.id),
      findings: reviews.countFindingsBySection(context.review.id),
      barriers: reviews.countBarriersByCategory(context.review.id),
    });

  /** The section's indicators, most disagreement first (the rubric's order breaks ties). */
  const buildSectionItems = (context: ReviewContext, section: RubricSection) => {
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

  /** Every box of the findings form with its points, one a line, in order; an empty box has none. */
  const emptyBoxes = (rubric: Rubric): Record<string, string[]> => {
    const boxes: Record<string, string[]> = {};
    for (const section of rubric.sections) {
      const names = findingFieldNames(section.id);
      boxes[names.strengths] = [];
      boxes[names.recommendations] = [];
    }
    for (const category of BARRIER_CATEGORIES) boxes[barrierFieldName(category)] = [];
    return boxes;
  };

  const storedBoxes = (context: ReviewContext): Record<string, string[]> => {
    const boxes = emptyBoxes(context.review.rubric.rubric);
    for (const finding of reviews.listFindings(context.review.id)) {
      const names = findingFieldNames(finding.sectionId);
      boxes[finding.kind === 'strength' ? names.strengths : names.recommendations]?.push(finding.text);
    }
    for (const barrier of reviews.listBarriers(context.review.id)) boxes[barrierFieldName(barrier.category)]?.push(barrier.text);
    return boxes;
  };

  /** One section's two boxes (strengths, recommendations) from its stored findings (listSectionFindings). */
  const sectionBoxes = (sectionId: string, findings: readonly Finding[]): Record<string, string[]> => {
    const names = findingFieldNames(sectionId);
    const textsOf = (kind: Finding['kind']) => findings.filter((f) => f.kind === kind).map((f) => f.text);
    return { [names.strengths]: textsOf('strength'), [names.recommendations]: textsOf('recommendation') };
  };

  const sectionBoxNames = (sectionId: string): string[] => {
    const names = findingFieldNames(sectionId);
    return [names.strengths, names.recommendations];
  };
  const barrierBoxNames = () => BARRIER_CATEGORIES.map((category) => barrierFieldName(category));

  /** The stored texts of some boxes as form values, with the review's findings version and the boxes' fingerprint. */
  const storedValues = (context: ReviewContext, names: readonly string[], boxes = storedBoxes(context)): Record<string, string> => {
    // The version is read with the texts (no await between), so the form is based on exactly what it shows.
    const values: Record<string, string> = {
      version: String(reviews.findFindingsVersion(context.review.id)),
      base: fingerprintBoxes(boxes, names),
    };
    for (const name of names) values[name] = (boxes[name] ?? []).join('\n');
    return values;
  };

  /**
   * Saves some boxes (one section's, or the barriers) with the review-wide findings version. The version goes up with
   * every save of any section, so on its own it would call a save of section A after a save of section B a conflict.
   * The form also carries the fingerprint of its own boxes as shown: when they are unchanged since, nobody else wrote
   * them, and the save goes ahead on the current version. Read and write happen with no await between, so nothing
   * can come in between them.
   */
  const saveBoxes = (
    context: ReviewContext,
    names: readonly string[],
    raw: RawForm,
    formVersion: number | undefined,
    write: (expectedVersion: number | undefined) => 'saved' | 'locked' | 'conflict',
  ) => {
    const stored = storedBoxes(context);
    const unchanged = typeof raw.base === 'string' && raw.base === fingerprintBoxes(stored, names);
    return write(unchanged ? reviews.findFindingsVersion(context.review.id) : formVersion);
  };

  /** After a conflict: the boxes that differ from what was typed, with what is stored in them now. */
  const describeConflict = (context: ReviewContext, names: readonly string[], typed: Readonly<Record<string, readonly string[]>>) => {
    const stored = storedBoxes(context);
    const differing = names.filter((name) => (stored[name] ?? []).join('\n') !== (typed[name] ?? []).join('\n'));
    return {
      storedNow: Object.fromEntries(differing.map((name) => [name, stored[name] ?? []])),
      errors: (t: Request['t']): FieldErrors =>
        Object.fromEntries(differing.map((name) => [name, [t('reviews.consensus.findingsFieldConflict')]])),
      values: { version: String(reviews.findFindingsVersion(context.review.id)), base: fingerprintBoxes(stored, names) },
    };
  };

  router.get('/reviews/:id/consensus', async (req, res) => {
    const context = loadConsensus(req);
    const progress = readProgress(context);
    const rubric = context.review.rubric.rubric;
    await renderPage(res, 'reviews/consensus', {
      title: `${req.t('reviews.consensus.title')}: ${context.review.programName}`,
      review: context.review,
      canAdopt: canOfferAdoption(context, progress.decided),
      sections: rubric.sections.map((section, index) => ({ section, progress: progress.sections[index] })),
      decided: progress.decided,
      total: progress.indicators,
      canEdit: canEditConsensus(context.viewer, context.review.status),
    });
  });

  const renderSection = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    section: RubricSection,
    state: { failed?: IndicatorForm; findings?: FindingsForm; undecidedOnly?: boolean } = {},
    status = 200,
  ) => {
    const rubric = context.review.rubric.rubric;
    const all = buildSectionItems(context, section);
    const undecidedOnly = state.undecidedOnly ?? req.query.undecided === '1';
    // The filter hides decided indicators, but never the one whose save was refused.
    const items = undecidedOnly ? all.filter((item) => !item.consensus || item.indicator.id === state.failed?.indicatorId) : all;
    const canEdit = canEditConsensus(context.viewer, context.review.status);
    const names = findingFieldNames(section.id);
    // The section's own findings, read once for its boxes, their fingerprint and the recommendations' rows.
    const findings = reviews.listSectionFindings(context.review.id, section.id);
    const stored = sectionBoxes(section.id, findings);
    const findingsValues = state.findings?.values ?? storedValues(context, sectionBoxNames(section.id), stored);
    const findingsForm = createFormView(findingsValues, state.findings?.errors ?? {}, state.findings !== undefined);
    const indicatorForms = items.map((item) => {
      const ownForm = state.failed?.indicatorId === item.indicator.id;
      const current = item.consensus;
      const values: RawForm =
        ownForm && state.failed
          ? state.failed.values
          : {
              score: current ? (current.notApplicable ? NOT_APPLICABLE_VALUE : String(current.score)) : '',
              rationale: current?.rationale ?? '',
              version: String(current?.version ?? 0),
            };
      return { ...item, form: createFormView(values, ownForm && state.failed ? state.failed.errors : {}, ownForm) };
    });
    // One error summary, at the top of the page, for whichever form was refused.
    const summary = [
      ...indicatorForms.flatMap((item) =>
        item.form.errorList.map((e) => ({ href: `#f-${e.field}--${item.indicator.id}`, message: `${item.code}: ${e.message}` })),
      ),
      ...findingsForm.errorList.map((e) => ({ href: `#f-${e.field}`, message: e.message })),
    ];
    const sectionIndex = rubric.sections.indexOf(section);
    const heading = req.t('reviews.consensus.sectionTitle', { code: section.code, title: section.title[req.locale] });
    await renderPage<ConsensusSectionPageLocals>(
      res,
      'reviews/consensus-section',
      {
        title: summary.length > 0 ? req.t('reviews.consensus.errorTitle', { title: heading }) : heading,
        heading,
        review: context.review,
        section,
        items: indicatorForms,
        decided: all.filter((item) => item.consensus).length,
        total: all.length,
        undecidedOnly,
        previous: rubric.sections[sectionIndex - 1],
        next: rubric.sections[sectionIndex + 1],
        evidenceLabels: Object.fromEntries(rubric.evidence_sources.map((source) => [source.code, source.label])),
        canEdit,
        naValue: NOT_APPLICABLE_VALUE,
        summary,
        findingsNames: names,
        findingsForm,
        findingsNotice: state.findings?.notice,
        findingsLocked: state.findings?.locked === true,
        storedNow: state.findings?.storedNow ?? {},
        strengths: stored[names.strengths] ?? [],
        recommendations: stored[names.recommendations] ?? [],
        // Each recommendation's priority and owner: as typed after a refused save, else as stored.
        recommendationRows: state.findings ? readPostedRows(state.findings.values, section.id) : storedRows(findings, section.id),
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

  router.get('/reviews/:id/consensus/:sectionId', async (req, res) => {
    const context = loadConsensus(req);
    // An indicator's save address opened as a page (a reload, a link kept from a refused save): its section, at it.
    const indicator = listIndicators(context.review.rubric.rubric).find(({ indicator }) => indicator.id === req.params.sectionId);
    if (indicator)
      return res.redirect(303, `/reviews/${context.review.id}/consensus/${indicator.section.id}#ind-${indicator.indicator.id}`);
    await renderSection(req, res, context, findSection(context, req.params.sectionId));
  });

  /**
   * A consensus form posted after the lead can no longer edit (the review was finalised while the page was open):
   * nothing is saved, and the page gives back the typed score and rationale, as text, so they are not lost. Only for
   * the panel's lead, who typed them; anyone else gets the plain refusal.
   */
  const renderConsensusNotSaved = async (req: Request, res: Response, context: ReviewContext, found: IndicatorPlace) => {
    const raw = toRawForm(req.body);
    const score = typeof raw.score === 'string' ? raw.score : '';
    const rationale = typeof raw.rationale === 'string' ? raw.rationale.trim() : '';
    const { section, indicator } = found;
    const typed =
      score === '' && rationale === ''
        ? []
        : [
            {
              label: indicatorCode(section, section.indicators.indexOf(indicator)),
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
      if (found && context.viewer.membership?.role === 'lead') return renderConsensusNotSaved(req, res, context, found);
      throw new ForbiddenError('reviews.consensus.locked');
    }
    if (!found) throw new NotFoundError();
    const { indicator, section } = found;
    // The filter the page was shown with comes back with the form, so the save returns to the same view.
    const undecidedOnly = toRawForm(req.body).undecided === '1';
    const refuse = (failed: IndicatorForm, status: number) => renderSection(req, res, context, section, { failed, undecidedOnly }, status);
    const code = indicatorCode(section, section.indicators.indexOf(indicator));
    const parsed = parseForm(
      createConsensusSchema(indicator, code),
      req.body,
      req.t,
      labelIndicatorFields(req.t, () => undefined, code),
    );
    if (!parsed.ok) return refuse({ indicatorId: indicator.id, values: parsed.values, errors: parsed.errors }, 422);
    const { score, notApplicable } = parsed.value.score;
    const rationale = parsed.value.rationale;
    // A score the ratings do not support needs the panel's reasons in writing.
    if (score !== null && rationale === '') {
      const ratings = reviews.listSubmittedRatingsOf(context.review.id, [indicator.id]);
      const spread = summarizeSpread(indicator.scale, ratings);
      if (isOutsideRatedRange(score, spread)) {
        const values: RawForm = { score: String(score), rationale, version: String(parsed.value.version) };
        return refuse({ indicatorId: indicator.id, values, errors: { rationale: [req.t('reviews.consensus.rationaleRequired')] } }, 422);
      }
    }
    const saved = reviews.saveConsensus(
      context.review.id,
      { indicatorId: indicator.id, score, notApplicable, rationale, expectedVersion: parsed.value.version },
      context.viewer.user.id,
    );
    if (saved.outcome === 'locked') return renderConsensusNotSaved(req, res, context, found);
    if (saved.outcome === 'conflict') {
      const current = saved.conflicts[0]?.current;
      const shown = !current
        ? req.t('reviews.conflictNothing')
        : `${current.notApplicable ? req.t('reviews.rate.notApplicable') : String(current.score)}${current.rationale ? ` – ”${current.rationale}”` : ''}`;
      const values: RawForm = { ...toRawForm(req.body), version: String(current?.version ?? 0) };
      return refuse({ indicatorId: indicator.id, values, errors: { score: [req.t('reviews.editConflict', { value: shown })] } }, 409);
    }
    setFlash(req, 'reviews.consensus.saved');
    res.redirect(303, `/reviews/${context.review.id}/consensus/${section.id}${undecidedOnly ? '?undecided=1' : ''}#ind-${indicator.id}`);
  });

  const loadLead = (req: Request): ReviewContext => {
    const context = loadConsensus(req);
    if (!canEditConsensus(context.viewer, context.review.status)) throw new ForbiddenError('reviews.consensus.locked');
    return context;
  };

  /** The findings schema for some of the rubric's sections (no section: the barriers alone). */
  const findingsSchemaFor = (rubric: Rubric, sections: readonly RubricSection[]) =>
    createFindingsSchema({ ...rubric, sections: [...sections] });
  /** Every findings form's messages name their box: its section and what it holds, or its barrier category. */
  const findingsLabels = (req: Request, rubric: Rubric) =>
    labelFindingsFields(req.t, (sectionId) => rubric.sections.find((section) => section.id === sectionId)?.code);

  router.post('/reviews/:id/consensus/:sectionId/findings', async (req, res) => {
    const context = loadConsensus(req);
    const section = findSection(context, req.params.sectionId);
    const names = sectionBoxNames(section.id);
    const raw = toRawForm(req.body);
    const typedValues: RawForm = { ...pickTyped(raw, names), ...pickRowFields(raw, section.id) };
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (context.viewer.membership?.role !== 'lead') throw new ForbiddenError('reviews.consensus.locked');
      const notice = req.t(context.review.status === 'final' ? 'reviews.consensus.findingsLockedFinal' : 'reviews.consensus.locked');
      return renderSection(req, res, context, section, { findings: { values: typedValues, errors: {}, notice, locked: true } }, 409);
    }
    const parsed = parseForm(
      findingsSchemaFor(context.review.rubric.rubric, [section]),
      typedValues,
      req.t,
      findingsLabels(req, context.review.rubric.rubric),
    );
    if (!parsed.ok) {
      const errors = Object.fromEntries(Object.entries(parsed.errors).filter(([name]) => names.includes(name) || name === 'version'));
      return renderSection(req, res, context, section, { findings: { values: typedValues, errors } }, 422);
    }
    // A form without priority rows (a tab opened before recommendations had priorities) keeps the stored ones, by text.
    const rows = readPostedRows(raw, section.id);
    const meta = rows.length === 0 ? undefined : matchRecommendationMeta(parsed.value.sections[0]?.recommendations ?? [], rows);
    if (rows.length > 0 && meta === undefined) {
      return renderSection(
        req,
        res,
        context,
        section,
        { findings: { values: typedValues, errors: { [names[1] ?? '']: [req.t('validation.invalidChoice')] } } },
        422,
      );
    }
    const sections = parsed.value.sections.map((own) => ({ ...own, recommendationMeta: meta }));
    const outcome = saveBoxes(context, names, raw, parsed.value.version, (expected) =>
      reviews.replaceFindings(context.review.id, sections, context.viewer.user.id, undefined, expected),
    );
    if (outcome === 'locked') {
      const notice = req.t('reviews.consensus.findingsLockedFinal');
      return renderSection(req, res, context, section, { findings: { values: typedValues, errors: {}, notice, locked: true } }, 409);
    }
    if (outcome === 'conflict') {
      const [own] = sections;
      const typed = { [names[0] ?? '']: own?.strengths ?? [], [names[1] ?? '']: own?.recommendations ?? [] };
      const conflict = describeConflict(context, names, typed);
      const values: RawForm = { ...typedValues, ...conflict.values };
      const findings = {
        values,
        errors: conflict.errors(req.t),
        notice: req.t('reviews.consensus.sectionFindingsConflict'),
        storedNow: conflict.storedNow,
      };
      return renderSection(req, res, context, section, { findings }, 409);
    }
    setFlash(req, 'reviews.consensus.sectionFindingsSaved');
    res.redirect(303, `/reviews/${context.review.id}/consensus/${section.id}#findings`);
  });

  /** The barriers page and the all-sections findings page: boxes of points, with what a refused save kept. */
  const renderBoxesPage = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    page: { readonly view: string; readonly title: string; readonly locals?: Readonly<Record<string, unknown>> },
    form: { readonly values: RawForm; readonly errors: FieldErrors; readonly status: number; readonly notSaved: FindingsNotSaved },
  ) => {
    const { values, errors, status, notSaved } = form;
    await renderPage(
      res,
      page.view,
      {
        title: `${page.title}: ${context.review.programName}`,
        review: context.review,
        ...page.locals,
        barrierFields: describeBarrierFields(req.t),
        form: createFormView(values, errors, status !== 200),
        conflictNotice: notSaved.notice,
        storedNow: notSaved.storedNow ?? {},
        locked: notSaved.locked === true,
      },
      status,
    );
  };

  const renderBarriers = (
    req: Request,
    res: Response,
    context: ReviewContext,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    notSaved: FindingsNotSaved = {},
  ) => {
    const heading = req.t('reviews.consensus.barriersTitle');
    const title = status === 422 || status === 409 ? req.t('reviews.consensus.errorTitle', { title: heading }) : heading;
    return renderBoxesPage(req, res, context, { view: 'reviews/findings-barriers', title }, { values, errors, status, notSaved });
  };

  router.get('/reviews/:id/barriers', async (req, res) => {
    const context = loadLead(req);
    await renderBarriers(req, res, context, storedValues(context, barrierBoxNames()), {});
  });

  router.post('/reviews/:id/barriers', async (req, res) => {
    const context = loadConsensus(req);
    const names = barrierBoxNames();
    const raw = toRawForm(req.body);
    const typedValues: RawForm = pickTyped(raw, names);
    const locked = () =>
      renderBarriers(req, res, context, typedValues, {}, 409, {
        notice: req.t(context.review.status === 'final' ? 'reviews.consensus.findingsLockedFinal' : 'reviews.consensus.locked'),
        locked: true,
      });
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (context.viewer.membership?.role === 'lead') return locked();
      throw new ForbiddenError('reviews.consensus.locked');
    }
    const parsed = parseForm(
      findingsSchemaFor(context.review.rubric.rubric, []),
      typedValues,
      req.t,
      findingsLabels(req, context.review.rubric.rubric),
    );
    if (!parsed.ok) return renderBarriers(req, res, context, typedValues, parsed.errors, 422);
    const barriers = parsed.value.barriers;
    const outcome = saveBoxes(context, names, raw, parsed.value.version, (expected) =>
      reviews.replaceFindings(context.review.id, [], context.viewer.user.id, barriers, expected),
    );
    if (outcome === 'locked') return locked();
    if (outcome === 'conflict') {
      const typed = Object.fromEntries(barriers.map((b) => [barrierFieldName(b.category), b.items]));
      const conflict = describeConflict(context, names, typed);
      return renderBarriers(req, res, context, { ...typedValues, ...conflict.values }, conflict.errors(req.t), 409, {
        notice: req.t('reviews.consensus.barriersConflict'),
        storedNow: conflict.storedNow,
      });
    }
    setFlash(req, 'reviews.consensus.barriersSaved');
    res.redirect(303, `/reviews/${context.review.id}`);
  });

  const renderFindings = (
    req: Request,
    res: Response,
    context: ReviewContext,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    notSaved: FindingsNotSaved = {},
  ) =>
    renderBoxesPage(
      req,
      res,
      context,
      {
        view: 'reviews/findings',
        title: req.t('reviews.consensus.findingsTitle'),
        locals: { rubric: context.review.rubric.rubric, fieldNames: findingFieldNames },
      },
      { values, errors, status, notSaved },
    );

  /**
   * The findings form posted after the lead can no longer edit (the review was finalised while the page was open):
   * nothing is saved, and the page gives back the boxes as typed, without a Save. Only for the panel's lead.
   */
  const renderFindingsLocked = (req: Request, res: Response, context: ReviewContext) =>
    renderFindings(req, res, context, toRawForm(req.body), {}, 409, {
      notice: req.t(context.review.status === 'final' ? 'reviews.consensus.findingsLockedFinal' : 'reviews.consensus.locked'),
      locked: true,
    });

  // The whole-review findings form (every section and the barriers on one page). The task list links to the pages per
  // section and to the barriers page instead; this one stays for tabs and bookmarks opened before.
  router.get('/reviews/:id/findings', async (req, res) => {
    const context = loadLead(req);
    // The version is read with the texts (no await between), so the form is based on exactly what it shows.
    const values: Record<string, string> = { version: String(reviews.findFindingsVersion(context.review.id)) };
    for (const [name, lines] of Object.entries(storedBoxes(context))) values[name] = lines.join('\n');
    await renderFindings(req, res, context, values, {});
  });

  router.post('/reviews/:id/findings', async (req, res) => {
    const context = loadConsensus(req);
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (context.viewer.membership?.role === 'lead') return renderFindingsLocked(req, res, context);
      throw new ForbiddenError('reviews.consensus.locked');
    }
    const rubric = context.review.rubric.rubric;
    const parsed = parseForm(createFindingsSchema(rubric), req.body, req.t, findingsLabels(req, rubric));
    if (!parsed.ok) return renderFindings(req, res, context, parsed.values, parsed.errors, 422);
    const { sections, barriers, version } = parsed.value;
    const outcome = reviews.replaceFindings(context.review.id, sections, context.viewer.user.id, barriers, version);
    if (outcome === 'locked') return renderFindingsLocked(req, res, context);
    if (outcome === 'conflict') {
      // Someone saved other texts since this form was shown: nothing was written. The boxes keep what was typed, the
      // form is now based on the stored version, and each box that differs shows what is stored beside it.
      const stored = storedBoxes(context);
      const typed = emptyBoxes(rubric);
      for (const section of sections) {
        const names = findingFieldNames(section.sectionId);
        typed[names.strengths] = [...section.strengths];
        typed[names.recommendations] = [...section.recommendations];
      }
      for (const barrier of barriers) typed[barrierFieldName(barrier.category)] = [...barrier.items];
      const differing = Object.keys(stored).filter((name) => (stored[name] ?? []).join('\n') !== (typed[name] ?? []).join('\n'));
      const values: RawForm = { ...toRawForm(req.body), version: String(reviews.findFindingsVersion(context.review.id)) };
      const errors: FieldErrors = Object.fromEntries(differing.map((name) => [name, [req.t('reviews.consensus.findingsFieldConflict')]]));
      const storedNow = Object.fromEntries(differing.map((name) => [name, stored[name] ?? []]));
      return renderFindings(req, res, context, values, errors, 409, { notice: req.t('reviews.consensus.findingsConflict'), storedNow });
    }
    setFlash(req, 'reviews.consensus.findingsSaved');
    res.redirect(303, `/reviews/${context.review.id}/consensus`);
  });

  return router;
}
