// Finalising through a check page: what will be locked as a summary list with "Ändra" links, what is
// missing or thin with links, then a confirm button that names the consequence; after locking, a confirmation page with
// the result and the report one click away.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { renderPage } from '../http/render-page.js';
import { indicatorNumbers, listIndicators } from '../rubrics/rubric-schema.js';
import { canTransition, canViewOverview, canViewResult, TRANSITIONS } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import type { ReviewStore } from './review-store.js';
import { findFinaliseGaps, findTransitionBlockers, summarizeProgress } from './review-workflow.js';
import { describeReportParts } from './report-parts.js';

const FINALISE = TRANSITIONS.find((t) => t.to === 'final') ?? { from: 'consensus', to: 'final' };

export function createFinaliseRouter({ reviews }: { reviews: ReviewStore }): Router {
  const router = Router();

  /** The check page is for those who may finalise (the lead, coordinators); a review one may not see answers 404. */
  const loadFinaliser = (req: Request): ReviewContext => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (!canViewOverview(context.viewer)) throw new NotFoundError();
    if (!canTransition(context.viewer, FINALISE)) throw new ForbiddenError();
    return context;
  };

  const renderCheck = async (req: Request, res: Response, context: ReviewContext, status = 200, notice?: string) => {
    const { review } = context;
    const rubric = review.rubric.rubric;
    const decided = reviews.listConsensus(review.id);
    const barriers = reviews.countBarriersByCategory(review.id);
    const progress = summarizeProgress({
      rubric,
      panel: context.panel,
      consensus: decided,
      findings: reviews.countFindingsBySection(review.id),
      barriers,
    });
    const hasJudgement = reviews.findJudgement(review.id) !== undefined;
    const blockers = findTransitionBlockers(
      { rubric, panel: context.panel, consensus: decided, kind: review.kind, hasJudgement },
      FINALISE,
    );
    const numbers = indicatorNumbers(rubric);
    const sections = new Map(rubric.sections.map((s) => [s.id, s]));
    const indicators = new Map(listIndicators(rubric).map(({ indicator }) => [indicator.id, indicator]));
    const gaps = findFinaliseGaps(
      rubric,
      progress,
      decided,
      reviews.listSubmittedScores(review.id),
      reviews.listRecommendations(review.id),
    ).map((gap) => {
      const section = sections.get(gap.sectionId);
      const sectionParams = { code: section?.code ?? '', title: section?.title[req.locale] ?? '' };
      if ('indicatorId' in gap) {
        const text = indicators.get(gap.indicatorId)?.text[req.locale] ?? '';
        return {
          text: req.t(`reviews.finalise.${gap.kind}`, { code: numbers.get(gap.indicatorId) ?? '', text }),
          // A capping indicator's gap is mended in the section's recommendations, where their priorities are set.
          href: `/reviews/${review.id}/consensus/${gap.sectionId}#${gap.kind === 'capWithoutHighRecommendation' ? 'findings' : `ind-${gap.indicatorId}`}`,
        };
      }
      return {
        text: req.t(`reviews.finalise.${gap.kind}`, sectionParams),
        href: `/reviews/${review.id}/consensus/${gap.sectionId}#findings`,
      };
    });
    await renderPage(
      res,
      'reviews/finalise',
      {
        title: `${req.t('reviews.finalise.title')}: ${review.programName}`,
        review,
        progress,
        barrierCount: barriers.reduce((sum, category) => sum + category.count, 0),
        undecidedSections: rubric.sections
          .map((section, index) => ({ section, left: (progress.sections[index]?.total ?? 0) - (progress.sections[index]?.decided ?? 0) }))
          .filter((s) => s.left > 0),
        gaps,
        blockers: blockers.map((b) => req.t(b.key, b.params)),
        notice,
        // The overall judgement (required), the evidence base and the factual check, each with its page.
        reportParts: describeReportParts(reviews, review, context.viewer),
      },
      status,
    );
  };

  router.get('/reviews/:id/finalise', async (req, res) => {
    const context = loadFinaliser(req);
    if (context.review.status === 'final') return res.redirect(303, `/reviews/${context.review.id}/finalised`);
    if (context.review.status !== 'consensus') return res.redirect(303, `/reviews/${context.review.id}`);
    await renderCheck(req, res, context);
  });

  router.post('/reviews/:id/finalise', async (req, res) => {
    const context = loadFinaliser(req);
    const { review } = context;
    if (review.status !== 'consensus') {
      setFlash(req, review.kind === 'self_assessment' ? 'reviews.self.transitionStale' : 'reviews.transitionStale');
      return res.redirect(303, review.status === 'final' ? `/reviews/${review.id}/finalised` : `/reviews/${review.id}`);
    }
    const blockers = findTransitionBlockers(
      {
        rubric: review.rubric.rubric,
        panel: context.panel,
        consensus: reviews.listDecidedIndicators(review.id),
        kind: review.kind,
        hasJudgement: reviews.findJudgement(review.id) !== undefined,
      },
      FINALISE,
    );
    if (blockers.length > 0) return renderCheck(req, res, context, 409, blockers.map((b) => req.t(b.key, b.params)).join(' '));
    if (!reviews.transition(review.id, 'consensus', 'final', context.viewer.user.id)) {
      setFlash(req, 'reviews.transitionStale');
      return res.redirect(303, `/reviews/${review.id}`);
    }
    res.redirect(303, `/reviews/${review.id}/finalised`);
  });

  /** The confirmation after locking: the result and the report right there. */
  router.get('/reviews/:id/finalised', async (req, res) => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (!canViewOverview(context.viewer)) throw new NotFoundError();
    const { review } = context;
    if (review.status !== 'final') return res.redirect(303, `/reviews/${review.id}`);
    const self = review.kind === 'self_assessment';
    await renderPage(res, 'reviews/finalise-done', {
      title: req.t(self ? 'reviews.finalise.selfDoneTitle' : 'reviews.finalise.doneTitle'),
      // Who may read it, as its overview says: a self-assessment is the program's, and the panels' it is shared with.
      intro: req.t(self ? 'reviews.self.statusHelp.final' : 'reviews.finalise.doneIntro'),
      back: req.t(self ? 'reviews.finalise.selfDoneBack' : 'reviews.finalise.doneBack'),
      review,
      canViewResult: canViewResult(context.viewer, review.status),
      // The municipality's report holds peer reviews only: a self-assessment has none to link to.
      reportHref: self ? undefined : `/municipalities/${review.municipalityCode}/report.pdf`,
    });
  });

  return router;
}
