// The consensus pages besides a section's own (consensus-section-routes.ts): the section list with decided/total,
// the review's barriers, and the whole-review findings form, kept for tabs and bookmarks opened before the findings
// moved to the section pages.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ForbiddenError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { type FieldErrors, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import type { Translate } from '../i18n/messages.js';
import { coreElementNumbers, type Rubric, type RubricSection } from '../rubrics/rubric-schema.js';
import { describeCoreCaps } from './core-element-caps.js';
import { loadConsensusContext } from './consensus-section-routes.js';
import { barrierBoxNames, createFindingsBoxes, emptyBoxes, pickTyped } from './findings-boxes.js';
import { canEditConsensus, canTransition, isLoneSubmittedLead, TRANSITIONS } from './review-access.js';
import type { ReviewContext } from './review-context.js';
import { barrierFieldName, createFindingsSchema, FINDINGS_MAX, findingFieldNames, labelFindingsFields } from './review-forms.js';
import type { ReviewStore } from './review-store.js';
import { BARRIER_CATEGORIES } from './review-types.js';
import { summarizeProgress } from './review-workflow.js';

/**
 * `notice` says why nothing was saved; `storedNow`, after a conflict, what is stored in each box that differs from
 * what was typed; `locked`, that the review can no longer be edited (the form keeps the texts but has no Save).
 */
type FindingsNotSaved = {
  readonly notice?: string | undefined;
  readonly storedNow?: Readonly<Record<string, readonly string[]>> | undefined;
  readonly locked?: boolean | undefined;
};

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

const FINALISE = TRANSITIONS.find((transition) => transition.to === 'final') ?? { from: 'consensus', to: 'final' };

export function createConsensusRouter({ reviews }: { reviews: ReviewStore }): Router {
  const router = Router();
  const { storedBoxes, storedValues, expectedVersion, describeConflict } = createFindingsBoxes(reviews);
  const loadConsensus = (req: Request) => loadConsensusContext(req, reviews);
  const readProgress = (context: ReviewContext) =>
    summarizeProgress({
      rubric: context.review.rubric.rubric,
      panel: context.panel,
      consensus: reviews.listDecidedIndicators(context.review.id),
      findings: reviews.countFindingsBySection(context.review.id),
      barriers: reviews.countBarriersByCategory(context.review.id),
    });

  router.get('/reviews/:id/consensus', async (req, res) => {
    const context = loadConsensus(req);
    const progress = readProgress(context);
    const rubric = context.review.rubric.rubric;
    const canEdit = canEditConsensus(context.viewer, context.review.status);
    await renderPage(res, 'reviews/consensus', {
      title: `${req.t('reviews.consensus.title')}: ${context.review.programName}`,
      review: context.review,
      rubric,
      canAdopt: canOfferAdoption(context, progress.decided),
      // Each section with its core elements' numbers ("A1.1, A1.2"), which cap the level.
      sections: rubric.sections.map((section, index) => ({
        section,
        progress: progress.sections[index],
        coreNumbers: coreElementNumbers(rubric, [section]),
      })),
      // The caps' rules in words, said once above the list; '' when the rubric has no core elements.
      coreRules: coreElementNumbers(rubric).length > 0 ? describeCoreCaps(rubric, req.t, req.locale) : '',
      decided: progress.decided,
      total: progress.indicators,
      canEdit,
      // The steps after the last decision, for those who may take them (the judgement is a peer review's, and the lead's).
      canWriteJudgement: canEdit && context.review.kind === 'peer_review',
      canFinalise: context.review.status === 'consensus' && canTransition(context.viewer, FINALISE),
    });
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
        findingsMax: FINDINGS_MAX,
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
    const expected = expectedVersion(context, names, raw.base, parsed.value.version);
    const outcome = reviews.replaceFindings(context.review.id, [], context.viewer.user.id, barriers, expected);
    if (outcome === 'locked') return locked();
    if (outcome === 'conflict') {
      const typed = Object.fromEntries(barriers.map((b) => [barrierFieldName(b.category), b.items]));
      const conflict = describeConflict(context, names, typed);
      return renderBarriers(
        req,
        res,
        context,
        { ...typedValues, version: conflict.version, base: conflict.base },
        conflict.errors(req.t),
        409,
        {
          notice: req.t('reviews.consensus.barriersConflict'),
          storedNow: conflict.storedNow,
        },
      );
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
