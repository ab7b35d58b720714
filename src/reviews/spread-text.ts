// The raters' spread of one indicator in words, after the label "Bedömarnas spridning (lägst–högst):" on the
// consensus and result section pages: "2–4 (3 bedömare)", "3 (3 bedömare, alla gav samma poäng)", "3 (1 bedömare)".
// The count comes first and the same way in each, as the report's "3 bedömare" does.
import type { Translate } from '../i18n/messages.js';

/** The lowest and highest score (as numbers or already formatted) and how many raters gave a score. */
export type SpreadBounds = {
  readonly count: number;
  readonly min: number | string | null | undefined;
  readonly max: number | string | null | undefined;
};

export function describeSpread({ count, min, max }: SpreadBounds, t: Translate): string {
  if (count === 0 || min === null || min === undefined || max === null || max === undefined) return t('reviews.consensus.spreadNone');
  if (min !== max) return t('reviews.consensus.spreadValue', { min, max, count });
  // One rater's score is no agreement: "alla gav samma poäng" would claim one.
  return t(count === 1 ? 'reviews.consensus.spreadOne' : 'reviews.consensus.spreadSame', { score: min, count });
}
