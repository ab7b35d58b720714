// Agreement across all final reviews of a rubric (within the page's filters): every (review, indicator) is a
// unit, every submitted rater a rater. Reads review by review and yields to the event loop between batches, so
// other requests keep being served while hundreds of thousands of ratings go through.
//
// The ICC needs units rated by every rater; across reviews with different panels there are seldom any, so each
// review's own ICC(2,1) and ICC(2,k) are also computed and summarised by their median.
import { computeIcc, computeMedian, createAgreementAccumulator, type AgreementStatistics } from './agreement.js';
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
  const accumulator = createAgreementAccumulator(store.listDistinctRaters(filter).map(String));
  const icc2: number[] = [];
  const icc2k: number[] = [];
  let reviews = 0;
  let afterId = 0;
  for (;;) {
    const page = store.listFinalReviewsAfter(filter, afterId, REVIEWS_PER_BATCH);
    if (page.length === 0) break;
    for (const review of page) {
      reviews++;
      const raters = store.listRatersOfReview(review.id).map((rater) => rater.userId);
      const complete: number[][] = [];
      let currentIndicator: string | undefined;
      let current: { rater: string; value: number }[] = [];
      const flush = () => {
        if (currentIndicator === undefined) return;
        accumulator.addUnit({ item: currentIndicator, ratings: current });
        if (current.length === raters.length && raters.length >= 2) {
          const byRater = new Map(current.map((rating) => [rating.rater, rating.value]));
          complete.push(raters.map((id) => byRater.get(String(id)) ?? 0));
        }
      };
      store.forEachScoreByIndicator(review.id, (indicatorId, raterId, score) => {
        if (indicatorId !== currentIndicator) {
          flush();
          currentIndicator = indicatorId;
          current = [];
        }
        current.push({ rater: String(raterId), value: score });
      });
      flush();
      const icc = computeIcc(complete);
      if (icc.ICC2 !== null && icc.ICC2k !== null) {
        icc2.push(icc.ICC2);
        icc2k.push(icc.ICC2k);
      }
    }
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
