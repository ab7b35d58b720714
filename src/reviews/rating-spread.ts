// How far apart the panel's individual ratings of one indicator are, so the consensus meeting can
// start with the indicators the raters disagree on most. Pure: no I/O.
//
// Rules:
// - Each rater either gave a score, marked the indicator N/A, or has not rated it. `count` is raters
//   with a score; `min`/`max`/`range`/`stdDev` are over those scores only (null when there are none).
// - `normalizedRange` is range / (scale max − scale min), so 1 means "from one end of the scale to the
//   other" whatever the scale; 0 when fewer than two raters scored. `normalizedStdDev` likewise
//   divides the population standard deviation by the scale width (0 when nobody scored).
// - `mixedNa` is true when some raters said N/A and others gave a score: they disagree on whether
//   the indicator applies at all, which deserves discussion however close the scores are.
// - `disagreement` = normalizedRange + MIXED_NA_BONUS (0.5) when mixedNa. A mixed-N/A indicator thus
//   ranks above any that only spans up to half the scale.
// - Ordering (`orderByDisagreement`): disagreement descending, then normalizedStdDev descending (of
//   two equal ranges, the one where raters are spread out rather than one outlier goes first), then
//   rubric `order` ascending; items equal on all three keep their input order (the sort is stable).
// - A consensus score outside the individual ratings' min–max (`isOutsideRatedRange`) needs a
//   written rationale. When no rater gave a score (all N/A or unrated), every consensus score counts
//   as outside: nothing in the individual ratings supports it, so the rationale is required.
// - Scores that are not a level of the scale, N/A on a scale that does not allow it, a score together
//   with N/A, and two ratings from the same rater throw: input is validated before this, so these are
//   programming errors.
import type { RubricScale } from '../rubrics/rubric-schema.js';

export type RaterScore = { readonly raterId: number; readonly score: number | null; readonly notApplicable: boolean };

export type RatingSpread = {
  /** Raters who gave a score. */
  readonly count: number;
  readonly naCount: number;
  readonly unratedCount: number;
  readonly min: number | null;
  readonly max: number | null;
  /** max − min, null when nobody scored. */
  readonly range: number | null;
  /** range / scale width, in 0–1; 0 when nobody scored. */
  readonly normalizedRange: number;
  /** Population standard deviation of the scores; null when nobody scored. */
  readonly stdDev: number | null;
  /** stdDev / scale width; 0 when nobody scored. Used to break ties in the ordering. */
  readonly normalizedStdDev: number;
  /** Some raters said N/A and some gave a score. */
  readonly mixedNa: boolean;
  /** One sortable number: normalizedRange plus MIXED_NA_BONUS when mixedNa. */
  readonly disagreement: number;
};

/** Added to the disagreement when raters disagree whether the indicator applies at all. */
export const MIXED_NA_BONUS = 0.5;

export function summarizeSpread(scale: RubricScale, ratings: readonly RaterScore[]): RatingSpread {
  const seenRaters = new Set<number>();
  const scores: number[] = [];
  let naCount = 0;
  for (const rating of ratings) {
    if (seenRaters.has(rating.raterId)) {
      throw new Error(`rater ${rating.raterId} has more than one rating`);
    }
    seenRaters.add(rating.raterId);
    assertValidRating(scale, rating);
    if (rating.notApplicable) naCount++;
    else if (rating.score !== null) scores.push(rating.score);
  }
  const width = scale.max - scale.min;
  const count = scores.length;
  const min = count > 0 ? Math.min(...scores) : null;
  const max = count > 0 ? Math.max(...scores) : null;
  const range = min !== null && max !== null ? max - min : null;
  const stdDev = count > 0 ? computePopulationStdDev(scores) : null;
  const normalizedRange = range === null ? 0 : range / width;
  const mixedNa = naCount > 0 && count > 0;
  return {
    count,
    naCount,
    unratedCount: ratings.length - count - naCount,
    min,
    max,
    range,
    normalizedRange,
    stdDev,
    normalizedStdDev: stdDev === null ? 0 : stdDev / width,
    mixedNa,
    disagreement: normalizedRange + (mixedNa ? MIXED_NA_BONUS : 0),
  };
}

/** Most disagreement first; see the rules at the top of this file. Returns a new array. */
export function orderByDisagreement<T extends { spread: RatingSpread; order: number }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => b.spread.disagreement - a.spread.disagreement || b.spread.normalizedStdDev - a.spread.normalizedStdDev || a.order - b.order,
  );
}

/** True when the consensus score lies outside the raters' min–max, or nobody gave a score. */
export function isOutsideRatedRange(consensusScore: number, spread: RatingSpread): boolean {
  if (spread.min === null || spread.max === null) return true;
  return consensusScore < spread.min || consensusScore > spread.max;
}

function assertValidRating(scale: RubricScale, rating: RaterScore): void {
  if (rating.notApplicable) {
    if (rating.score !== null) {
      throw new Error(`rater ${rating.raterId} both marked N/A and scored ${rating.score}`);
    }
    if (!scale.allow_na) {
      throw new Error(`rater ${rating.raterId} marked N/A on a scale that does not allow it`);
    }
    return;
  }
  if (rating.score === null) return;
  if (!Number.isInteger(rating.score) || rating.score < scale.min || rating.score > scale.max) {
    throw new Error(`score ${rating.score} from rater ${rating.raterId} is not a level of the ${scale.min}–${scale.max} scale`);
  }
}

function computePopulationStdDev(values: readonly number[]): number {
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  const variance = values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance);
}
