// The consensus view: every submitted rating side by side per indicator, most disagreement first,
// and the lead's forms for the consensus score, its rationale, and each section's strengths and recommendations.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { type FieldErrors, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import { listIndicators, type Rubric } from '../rubrics/rubric-schema.js';
import { orderByDisagreement, summarizeSpread, isOutsideRatedRange } from './rating-spread.js';
import { canEditConsensus, canSeeOthersRatings } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import { barrierFieldName, createConsensusSchema, createFindingsSchema, findingFieldNames, NOT_APPLICABLE_VALUE } from './review-forms.js';
import { BARRIER_CATEGORIES } from './review-types.js';
import type { ReviewStore } from './review-store.js';
import { isRaterRole } from './review-types.js';

type IndicatorForm = { readonly indicatorId: string; readonly values: RawForm; readonly errors: FieldErrors };
type IndicatorPlace = ReturnType<typeof listIndicators>[number];

/**
 * Whether to offer the viewer the one-step adoption of a self-assessment's ratings as its consensus (the form posts to
 * POST /self-assessments/:id/adopt). The same checks as that route (a self-assessment of one of the viewer's programs,
 * in consensus, the viewer its panel lead), offered where it saves the work: a single rater, who has submitted, and
 * no consensus decided yet.
 */
export function canOfferAdoption(context: ReviewContext, decidedCount: number): boolean {
  const { review, panel, viewer } = context;
  if (review.kind !== 'self_assessment' || viewer.selfAssessment?.programPerson !== true) return false;
  if (review.status !== 'consensus' || !canEditConsensus(viewer, review.status)) return false;
  if (panel.find((member) => member.role === 'lead')?.userId !== viewer.user.id) return false;
  const raters = panel.filter((member) => isRaterRole(member.role));
  return raters.length === 1 && raters[0]?.submittedAt !== undefined && decidedCount === 0;
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

  const buildItems = (context: ReviewContext) => {
    const rubric = context.review.rubric.rubric;
    const raters = context.panel.filter((m) => isRaterRole(m.role));
    const ratings = reviews.listSubmittedRatings(context.review.id);
    const consensus = new Map(reviews.listConsensus(context.review.id).map((c) => [c.indicatorId, c]));
    const items = listIndicators(rubric).map(({ section, indicator }, order) => {
      const own = ratings.filter((r) => r.indicatorId === indicator.id);
      const rows = raters
        .map((rater) => ({ rater, rating: own.find((r) => r.raterId === rater.userId) }))
        .filter((row) => row.rating !== undefined);
      const spread = summarizeSpread(
        indicator.scale,
        own.map((r) => ({ raterId: r.raterId, score: r.score, notApplicable: r.notApplicable })),
      );
      return { order, section, indicator, rows, spread, consensus: consensus.get(indicator.id) };
    });
    return { items: orderByDisagreement(items), decided: consensus.size, total: items.length };
  };

  const renderConsensus = async (req: Request, res: Response, context: ReviewContext, failed?: IndicatorForm, status = 200) => {
    const { items, decided, total } = buildItems(context);
    await renderPage(
      res,
      'reviews/consensus',
      {
        title: `${req.t('reviews.consensus.title')}: ${context.review.programName}`,
        review: context.review,
        canAdopt: canOfferAdoption(context, decided),
        rubric: context.review.rubric.rubric,
        items: items.map((item) => {
          const ownForm = failed?.indicatorId === item.indicator.id;
          const current = item.consensus;
          const values: RawForm = ownForm
            ? failed.values
            : {
                score: current ? (current.notApplicable ? NOT_APPLICABLE_VALUE : String(current.score)) : '',
                rationale: current?.rationale ?? '',
                version: String(current?.version ?? 0),
              };
          return { ...item, form: createFormView(values, ownForm ? failed.errors : {}, ownForm) };
        }),
        decided,
        total,
        canEdit: canEditConsensus(context.viewer, context.review.status),
        naValue: NOT_APPLICABLE_VALUE,
      },
      status,
    );
  };

  router.get('/reviews/:id/consensus', async (req, res) => {
    await renderConsensus(req, res, loadConsensus(req));
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
              label: `${section.code}.${section.indicators.indexOf(indicator) + 1}`,
              text: indicator.text[req.locale],
              score: score === NOT_APPLICABLE_VALUE ? req.t('reviews.rate.notApplicable') : score,
              note: rationale,
            },
          ];
    const message = req.t(context.review.status === 'final' ? 'reviews.consensus.lockedFinal' : 'reviews.consensus.locked');
    await renderPage(res, 'reviews/rate-not-saved', { title: req.t('reviews.rate.notSavedTitle'), review: context.review, message, typed }, 409);
  };

  router.post('/reviews/:id/consensus/:indicatorId', async (req, res) => {
    const context = loadConsensus(req);
    const found = listIndicators(context.review.rubric.rubric).find(({ indicator }) => indicator.id === req.params.indicatorId);
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (found && context.viewer.membership?.role === 'lead') return renderConsensusNotSaved(req, res, context, found);
      throw new ForbiddenError('reviews.consensus.locked');
    }
    if (!found) throw new NotFoundError();
    const { indicator } = found;
    const parsed = parseForm(createConsensusSchema(indicator, `${found.section.code}.${found.section.indicators.indexOf(indicator) + 1}`), req.body, req.t);
    if (!parsed.ok) return renderConsensus(req, res, context, { indicatorId: indicator.id, ...parsed }, 422);
    const { score, notApplicable } = parsed.value.score;
    const rationale = parsed.value.rationale;
    // A score the ratings do not support needs the panel's reasons in writing.
    if (score !== null && rationale === '') {
      const ratings = reviews.listSubmittedRatings(context.review.id).filter((r) => r.indicatorId === indicator.id);
      const spread = summarizeSpread(indicator.scale, ratings);
      if (isOutsideRatedRange(score, spread)) {
        const values: RawForm = { score: String(score), rationale, version: String(parsed.value.version) };
        return renderConsensus(
          req,
          res,
          context,
          { indicatorId: indicator.id, values, errors: { rationale: [req.t('reviews.consensus.rationaleRequired')] } },
          422,
        );
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
      return renderConsensus(
        req,
        res,
        context,
        { indicatorId: indicator.id, values, errors: { score: [req.t('reviews.editConflict', { value: shown })] } },
        409,
      );
    }
    setFlash(req, 'reviews.consensus.saved');
    res.redirect(303, `/reviews/${context.review.id}/consensus#ind-${indicator.id}`);
  });

  /**
   * `notice` says why nothing was saved; `storedNow`, after a conflict, what is stored in each box that differs from
   * what was typed; `locked`, that the review can no longer be edited (the form keeps the texts but has no Save).
   */
  type FindingsNotSaved = {
    readonly notice?: string | undefined;
    readonly storedNow?: Readonly<Record<string, readonly string[]>> | undefined;
    readonly locked?: boolean | undefined;
  };

  const renderFindings = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    notSaved: FindingsNotSaved = {},
  ) => {
    await renderPage(
      res,
      'reviews/findings',
      {
        title: `${req.t('reviews.consensus.findingsTitle')}: ${context.review.programName}`,
        review: context.review,
        rubric: context.review.rubric.rubric,
        fieldNames: findingFieldNames,
        barrierFields: BARRIER_CATEGORIES.map((category) => ({ category, name: barrierFieldName(category) })),
        form: createFormView(values, errors, status !== 200),
        conflictNotice: notSaved.notice,
        storedNow: notSaved.storedNow ?? {},
        locked: notSaved.locked === true,
      },
      status,
    );
  };

  /**
   * The findings form posted after the lead can no longer edit (the review was finalised while the page was open):
   * nothing is saved, and the page gives back the boxes as typed, without a Save. Only for the panel's lead.
   */
  const renderFindingsLocked = (req: Request, res: Response, context: ReviewContext) =>
    renderFindings(req, res, context, toRawForm(req.body), {}, 409, {
      notice: req.t(context.review.status === 'final' ? 'reviews.consensus.findingsLockedFinal' : 'reviews.consensus.locked'),
      locked: true,
    });

  const loadLead = (req: Request): ReviewContext => {
    const context = loadConsensus(req);
    if (!canEditConsensus(context.viewer, context.review.status)) throw new ForbiddenError('reviews.consensus.locked');
    return context;
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
    const parsed = parseForm(createFindingsSchema(rubric), req.body, req.t);
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
