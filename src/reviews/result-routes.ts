// The result page of a review: final results for everyone logged in, a preview for the panel during consensus.
import { Router } from 'express';
import { requireUser } from '../accounts/access.js';
import { NotFoundError } from '../errors.js';
import { renderPage } from '../http/render-page.js';
import { canViewOverview, canViewResult } from './review-access.js';
import { loadReviewContext } from './review-context.js';
import type { ReviewStore } from './review-store.js';
import { buildResultView } from './result-view.js';
import { buildAgreementView, computeReviewAgreement, countScoringRaters, createIndicatorNamer, createIndicatorScales } from '../research/agreement-view.js';
import { hasAnyRole } from '../accounts/access.js';

export function createResultRouter({ reviews }: { reviews: ReviewStore }): Router {
  const router = Router();

  router.get('/reviews/:id/result', requireUser(), async (req, res) => {
    const { review, viewer } = loadReviewContext(req, reviews, req.params.id);
    // A 404, not a 403: whether a review exists before it is final is not for everyone to know.
    if (!canViewResult(viewer, review.status)) throw new NotFoundError();
    const submittedRatings = reviews.listSubmittedScores(review.id);
    const result = buildResultView(
      review,
      reviews.listConsensus(review.id),
      submittedRatings,
      reviews.listFindings(review.id),
      req.locale,
      reviews.listBarriers(review.id),
    );
    // Agreement between the raters, for final reviews only: figures over the panel, never who gave what. It needs two
    // raters at least: a single rater's review (a self-assessment by its lead alone) gets a one-line note instead.
    // Raters who gave a score, counted as the research page and the agreement CLI count them.
    const submittedRaters = countScoringRaters(submittedRatings);
    const agreement =
      review.status === 'final' && submittedRaters >= 2
        ? buildAgreementView(
            computeReviewAgreement(submittedRatings, createIndicatorScales(review.rubric.rubric)),
            createIndicatorNamer(review.rubric.rubric, req.locale),
            req.locale,
          )
        : undefined;
    await renderPage(res, 'reviews/result', {
      title: req.t('reviews.result.title', { program: review.programName }),
      result,
      canViewOverview: canViewOverview(viewer),
      agreement,
      agreementNeedsTwo: review.status === 'final' && submittedRaters < 2,
      canExportMatrix: review.status === 'final' && hasAnyRole(req.user, ['researcher', 'coordinator']),
    });
  });

  return router;
}
