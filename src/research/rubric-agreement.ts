// Agreement across all final reviews of a rubric (within the page's filters): every (review, indicator) is a
// unit, every submitted rater a rater. Reads a batch of reviews at a time and yields to the event loop between
// batches, so other requests keep being served while hundreds of thousands of ratings go through.
//
// The ICC needs units rated by every rater; across reviews with different panels there are seldom any, so each
// review's own ICC(2,1) and ICC(2,k) are also computed and summarised by their median.
//
// Each unit carries its indicator's scale from the rubric snapshot its review is pinned to, so indicators on
// different scales are never pooled: the statistics then come in scale groups (see agreement.ts), and the
// reviews' own ICCs are computed and summarised per scale group too.
import {
  computeIcc,
  computeMedian,
  createAgreementAccumulator,
  isIccInterpretable,
  type AgreementStatistics,
  type MedianIcc,
  type Scale,
  type UnitRating,
} from '../agreement/agreement.js';
import type { ResearchFilter, ResearchStore } from './research-store.js';

export type RubricAgreement = {
  readonly reviews: number;
  /** With `scaleGroups` when the indicators span several scales; each group then carries its `medianIcc`. */
  readonly statistics: AgreementStatistics;
  /**
   * Reviews whose own ICC can be interpreted (at least MIN_ICC_UNITS indicators scored by every rater who scored
   * anything, and ICCs within [−1, 1]). When the indicators
   * span several scales, 0 and the medians null: they are per scale group, in `statistics.scaleGroups[].medianIcc`.
   */
  readonly reviewsWithIcc: number;
  readonly medianIcc2: number | null;
  readonly medianIcc2k: number | null;
};

const REVIEWS_PER_BATCH = 50;

/**
 * Small numbers (docs/research-data.md): agreement across fewer final reviews than this is said to be uncertain, and
 * an indicator among those raters disagreed on most that rests on fewer pairs of ratings than MIN_ITEM_PAIRS is marked.
 * One review of three raters gives each indicator 3 pairs; 10 pairs take at least four such reviews.
 */
export const MIN_AGREEMENT_REVIEWS = 3;
export const MIN_ITEM_PAIRS = 10;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function pushTo(lists: Map<string, number[]>, key: string, value: number): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

const scaleKeyOf = (scale: Scale | undefined): string => (scale ? `${scale.min}:${scale.max}` : '');

export async function computeRubricAgreement(store: ResearchStore, filter: ResearchFilter): Promise<RubricAgreement> {
  const accumulator = createAgreementAccumulator(store.listDistinctRaters(filter));
  // The reviews' own ICCs, by scale key.
  const icc2 = new Map<string, number[]>();
  const icc2k = new Map<string, number[]>();
  // Indicator scales by rubric snapshot.
  const scalesOfSnapshot = new Map<number, ReadonlyMap<string, Scale>>();
  const scalesOf = (snapshotId: number): ReadonlyMap<string, Scale> => {
    let scales = scalesOfSnapshot.get(snapshotId);
    if (!scales) {
      const map = new Map<string, Scale>();
      for (const section of store.loadSnapshot(snapshotId).sections) {
        for (const indicator of section.indicators) map.set(indicator.id, { min: indicator.scale.min, max: indicator.scale.max });
      }
      scales = map;
      scalesOfSnapshot.set(snapshotId, scales);
    }
    return scales;
  };
  let reviews = 0;
  let afterId = 0;
  for (;;) {
    const page = store.listFinalReviewsAfter(filter, afterId, REVIEWS_PER_BATCH);
    if (page.length === 0) break;
    const ids = page.map((review) => review.id);
    const snapshotOf = new Map(page.map((review) => [review.id, review.snapshotId]));
    const ratersOf = store.listRatersOfReviews(ids);
    reviews += page.length;

    // Rows come by review: a review's ICC is computed when the next review starts.
    let currentReview = -1;
    let raters: readonly number[] = [];
    let submitted: ReadonlySet<number> = new Set();
    let scales: ReadonlyMap<string, Scale> = new Map();
    // The review's complete rows, by scale key.
    let complete = new Map<string, number[][]>();
    const finishReview = () => {
      for (const [key, rows] of complete) {
        const icc = computeIcc(rows);
        // Only ICCs that can be read (enough complete units, within [−1, 1]): a median of meaningless values is one too.
        if (icc.ICC2 !== null && icc.ICC2k !== null && isIccInterpretable(icc)) {
          pushTo(icc2, key, icc.ICC2);
          pushTo(icc2k, key, icc.ICC2k);
        }
      }
      complete = new Map();
    };
    store.forEachScoredIndicator(ids, (reviewId, indicatorId, scores) => {
      if (reviewId !== currentReview) {
        finishReview();
        currentReview = reviewId;
        submitted = ratersOf.get(reviewId) ?? new Set();
        raters = [...submitted];
        const snapshotId = snapshotOf.get(reviewId);
        scales = snapshotId === undefined ? new Map() : scalesOf(snapshotId);
      }
      const unit: UnitRating[] = [];
      for (const { raterId, score } of scores) if (submitted.has(raterId)) unit.push({ rater: raterId, value: score });
      if (unit.length === 0) return;
      const scale = scales.get(indicatorId);
      accumulator.addUnit(scale ? { item: indicatorId, scale, ratings: unit } : { item: indicatorId, ratings: unit });
      if (unit.length === raters.length && raters.length >= 2) {
        const byRater = new Map(unit.map((rating) => [rating.rater, rating.value]));
        const key = scaleKeyOf(scale);
        const rows = complete.get(key) ?? [];
        rows.push(raters.map((id) => byRater.get(id) ?? 0));
        complete.set(key, rows);
      }
    });
    finishReview();
    afterId = page[page.length - 1]?.id ?? afterId;
    await yieldToEventLoop();
  }
  const statistics = accumulator.finish();
  const medianIccOf = (key: string): MedianIcc => ({
    designs: icc2.get(key)?.length ?? 0,
    medianIcc2: computeMedian(icc2.get(key) ?? []),
    medianIcc2k: computeMedian(icc2k.get(key) ?? []),
  });
  if (statistics.scaleGroups) {
    return {
      reviews,
      statistics: {
        ...statistics,
        scaleGroups: statistics.scaleGroups.map((group) => ({ ...group, medianIcc: medianIccOf(scaleKeyOf(group.scale ?? undefined)) })),
      },
      reviewsWithIcc: 0,
      medianIcc2: null,
      medianIcc2k: null,
    };
  }
  // One scale: every review's ICC is in the one key there is (or in none).
  const [only] = [...icc2.keys()];
  const single = medianIccOf(only ?? '');
  return { reviews, statistics, reviewsWithIcc: single.designs, medianIcc2: single.medianIcc2, medianIcc2k: single.medianIcc2k };
}
