// Agreement across all final reviews of a rubric (within the page's filters): every (review, indicator) is a
// unit, every submitted rater a rater. Reads a batch of reviews at a time and yields to the event loop between
// batches, so other requests keep being served while hundreds of thousands of ratings go through.
//
// The ICC needs units rated by every rater; across reviews with different panels there are seldom any, so each
// review's own ICC(2,1) and ICC(2,k) are also computed and summarised by their median.
import { computeIcc, computeMedian, createAgreementAccumulator, type AgreementStatistics, type UnitRating } from './agreement.js';
import type { ResearchFilter, ResearchStore } from './research-store.js';

export type RubricAgreement = {
  readonly reviews: number;
  readonly statistics: AgreementStatistics;
  /** Reviews whose own ICC could be computed (at least two indicators scored by every rater). */
  readonly reviewsWithIcc: number;
  readonly medianIcc2: number | null;
  readonly medianIcc2k: number | null;
};

const REVIEWS_PER_BATCH = 50;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function computeRubricAgreement(store: ResearchStore, filter: ResearchFilter): Promise<RubricAgreement> {
  const accumulator = createAgreementAccumulator(store.listDistinctRaters(filter));
  const icc2: number[] = [];
  const icc2k: number[] = [];
  let reviews = 0;
  let afterId = 0;
  for (;;) {
    const page = store.listFinalReviewsAfter(filter, afterId, REVIEWS_PER_BATCH);
    if (page.length === 0) break;
    const ids = page.map((review) => review.id);
    const ratersOf = store.listRatersOfReviews(ids);
    reviews += page.length;

    // Rows come by review: a review's ICC is computed when the next review starts.
    let currentReview = -1;
    let raters: readonly number[] = [];
    let submitted: ReadonlySet<number> = new Set();
    let complete: number[][] = [];
    const finishReview = () => {
      if (complete.length === 0) return;
      const icc = computeIcc(complete);
      if (icc.ICC2 !== null && icc.ICC2k !== null) {
        icc2.push(icc.ICC2);
        icc2k.push(icc.ICC2k);
      }
      complete = [];
    };
    store.forEachScoredIndicator(ids, (reviewId, indicatorId, scores) => {
      if (reviewId !== currentReview) {
        finishReview();
        currentReview = reviewId;
        submitted = ratersOf.get(reviewId) ?? new Set();
        raters = [...submitted];
      }
      const unit: UnitRating[] = [];
      for (const { raterId, score } of scores) if (submitted.has(raterId)) unit.push({ rater: raterId, value: score });
      if (unit.length === 0) return;
      accumulator.addUnit({ item: indicatorId, ratings: unit });
      if (unit.length === raters.length && raters.length >= 2) {
        const byRater = new Map(unit.map((rating) => [rating.rater, rating.value]));
        complete.push(raters.map((id) => byRater.get(id) ?? 0));
      }
    });
    finishReview();
    afterId = page[page.length - 1]?.id ?? afterId;
    await yieldToEventLoop();
  }
  return {
    reviews,
    statistics: accumulator.finish(),
    reviewsWithIcc: icc2.length,
    medianIcc2: computeMedian(icc2),
    medianIcc2k: computeMedian(icc2k),
  };
}
