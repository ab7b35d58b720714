import { describe, it, expect } from 'vitest';
import type { RubricScale } from '../../src/rubrics/rubric-schema.js';
import {
  isOutsideRatedRange,
  orderByDisagreement,
  summarizeSpread,
  type RaterScore,
  type RatingSpread,
} from '../../src/reviews/rating-spread.js';

function buildScale(min: number, max: number, allowNa = true): RubricScale {
  const anchors: Record<string, { sv: string; en: string }> = {};
  for (let level = min; level <= max; level++) anchors[String(level)] = { sv: `nivå ${level}`, en: `level ${level}` };
  return { min, max, allow_na: allowNa, anchors };
}

const ONE_TO_FOUR = buildScale(1, 4);
const ZERO_TO_TWO = buildScale(0, 2);

/** Ratings from raters 1, 2, 3, …: a number is a score, 'na' is N/A, null is not rated. */
function ratingsOf(...values: (number | 'na' | null)[]): RaterScore[] {
  return values.map((value, index) => ({
    raterId: index + 1,
    score: value === 'na' ? null : value,
    notApplicable: value === 'na',
  }));
}

describe('summarizeSpread', () => {
  it('shows no disagreement when all raters agree', () => {
    expect(summarizeSpread(ONE_TO_FOUR, ratingsOf(3, 3, 3))).toEqual({
      count: 3,
      naCount: 0,
      unratedCount: 0,
      min: 3,
      max: 3,
      range: 0,
      normalizedRange: 0,
      stdDev: 0,
      normalizedStdDev: 0,
      mixedNa: false,
      disagreement: 0,
    });
  });

  it('gives a normalized range of 1 when ratings span the whole scale', () => {
    // 1 and 4 on 1–4: range 3 of width 3; population sd of {1, 4} = 1.5.
    const spread = summarizeSpread(ONE_TO_FOUR, ratingsOf(1, 4));
    expect(spread).toMatchObject({ min: 1, max: 4, range: 3, normalizedRange: 1, stdDev: 1.5, normalizedStdDev: 0.5, disagreement: 1 });
  });

  it('normalizes by the scale width so different scales compare', () => {
    // 0 and 2 on 0–2 is the full scale, like 1 and 4 on 1–4.
    expect(summarizeSpread(ZERO_TO_TWO, ratingsOf(0, 2)).normalizedRange).toBe(1);
    expect(summarizeSpread(ZERO_TO_TWO, ratingsOf(0, 1)).normalizedRange).toBe(0.5);
  });

  it('uses the population standard deviation', () => {
    // {2, 3, 4}: mean 3, variance (1 + 0 + 1) / 3.
    expect(summarizeSpread(ONE_TO_FOUR, ratingsOf(2, 3, 4)).stdDev).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('adds a bonus when some raters find the indicator not applicable and others score it', () => {
    const spread = summarizeSpread(ONE_TO_FOUR, ratingsOf(3, 3, 'na'));
    expect(spread).toMatchObject({ count: 2, naCount: 1, mixedNa: true, normalizedRange: 0, disagreement: 0.5 });
  });

  it('does not count all raters saying N/A as mixed', () => {
    const spread = summarizeSpread(ONE_TO_FOUR, ratingsOf('na', 'na'));
    expect(spread).toMatchObject({
      count: 0,
      naCount: 2,
      mixedNa: false,
      min: null,
      max: null,
      range: null,
      stdDev: null,
      disagreement: 0,
    });
  });

  it('gives empty statistics when nobody has rated', () => {
    expect(summarizeSpread(ONE_TO_FOUR, ratingsOf(null, null))).toEqual({
      count: 0,
      naCount: 0,
      unratedCount: 2,
      min: null,
      max: null,
      range: null,
      normalizedRange: 0,
      stdDev: null,
      normalizedStdDev: 0,
      mixedNa: false,
      disagreement: 0,
    });
    expect(summarizeSpread(ONE_TO_FOUR, []).count).toBe(0);
  });

  it('leaves unrated raters out of the statistics', () => {
    const spread = summarizeSpread(ONE_TO_FOUR, ratingsOf(2, null, 4));
    expect(spread).toMatchObject({ count: 2, unratedCount: 1, min: 2, max: 4, stdDev: 1 });
  });

  it('throws on a score off the scale, N/A where not allowed, or a rater counted twice', () => {
    expect(() => summarizeSpread(ONE_TO_FOUR, ratingsOf(5))).toThrow();
    expect(() => summarizeSpread(ONE_TO_FOUR, ratingsOf(0))).toThrow();
    expect(() => summarizeSpread(ONE_TO_FOUR, ratingsOf(2.5))).toThrow();
    expect(() => summarizeSpread(buildScale(1, 4, false), ratingsOf('na'))).toThrow();
    expect(() => summarizeSpread(ONE_TO_FOUR, [{ raterId: 1, score: 2, notApplicable: true }])).toThrow();
    const twice: RaterScore[] = [
      { raterId: 7, score: 2, notApplicable: false },
      { raterId: 7, score: 3, notApplicable: false },
    ];
    expect(() => summarizeSpread(ONE_TO_FOUR, twice)).toThrow(/7/);
  });
});

describe('orderByDisagreement', () => {
  type Item = { id: string; order: number; spread: RatingSpread };
  function itemOf(id: string, order: number, scale: RubricScale, ratings: RaterScore[]): Item {
    return { id, order, spread: summarizeSpread(scale, ratings) };
  }

  it('puts the widest normalized range first', () => {
    const items = [
      itemOf('agree', 1, ONE_TO_FOUR, ratingsOf(2, 2)),
      itemOf('full', 2, ONE_TO_FOUR, ratingsOf(1, 4)),
      itemOf('some', 3, ONE_TO_FOUR, ratingsOf(2, 3)),
    ];
    expect(orderByDisagreement(items).map((i) => i.id)).toEqual(['full', 'some', 'agree']);
  });

  it('ranks a mixed-N/A indicator above one that spans up to half the scale', () => {
    const items = [
      itemOf('half', 1, ZERO_TO_TWO, ratingsOf(0, 1)),
      itemOf('mixed', 2, ONE_TO_FOUR, ratingsOf(3, 'na')),
      itemOf('full', 3, ONE_TO_FOUR, ratingsOf(1, 4)),
    ];
    // full: 1. half: range 1 of 2 = 0.5. mixed: range 0 + bonus 0.5 = 0.5, a tie with half that the
    // spread breaks (sd 0.5 of 2 = 0.25 against 0). Against a range of 1 of 3, mixed wins.
    expect(orderByDisagreement(items).map((i) => i.id)).toEqual(['full', 'half', 'mixed']);
    const narrower = [itemOf('third', 1, ONE_TO_FOUR, ratingsOf(2, 3)), itemOf('mixed', 2, ONE_TO_FOUR, ratingsOf(3, 'na'))];
    expect(orderByDisagreement(narrower).map((i) => i.id)).toEqual(['mixed', 'third']);
  });

  it('breaks a tie in range by the spread of the ratings, normalized by the scale', () => {
    // Both span 1–4; {1, 1, 1, 4} has sd 1.30, {1, 4, 1, 4} has sd 1.5.
    const items = [itemOf('outlier', 1, ONE_TO_FOUR, ratingsOf(1, 1, 1, 4)), itemOf('split', 2, ONE_TO_FOUR, ratingsOf(1, 4, 1, 4))];
    expect(orderByDisagreement(items).map((i) => i.id)).toEqual(['split', 'outlier']);
  });

  it('breaks a full tie by rubric order, whatever the input order', () => {
    const items = [
      itemOf('third', 3, ONE_TO_FOUR, ratingsOf(1, 4)),
      itemOf('first', 1, ZERO_TO_TWO, ratingsOf(0, 2)),
      itemOf('second', 2, ONE_TO_FOUR, ratingsOf(4, 1)),
    ];
    expect(orderByDisagreement(items).map((i) => i.id)).toEqual(['first', 'second', 'third']);
  });

  it('keeps the input order of items equal on every key', () => {
    const items = [itemOf('b', 1, ONE_TO_FOUR, ratingsOf(2, 2)), itemOf('a', 1, ONE_TO_FOUR, ratingsOf(3, 3))];
    expect(orderByDisagreement(items).map((i) => i.id)).toEqual(['b', 'a']);
  });

  it('returns a new array and leaves its input alone', () => {
    const items = [itemOf('agree', 1, ONE_TO_FOUR, ratingsOf(2, 2)), itemOf('full', 2, ONE_TO_FOUR, ratingsOf(1, 4))];
    const before = [...items];
    const ordered = orderByDisagreement(items);
    expect(ordered).not.toBe(items);
    expect(items).toEqual(before);
    expect(ordered.map((i) => i.id)).toEqual(['full', 'agree']);
  });
});

describe('isOutsideRatedRange', () => {
  const spread = summarizeSpread(ONE_TO_FOUR, ratingsOf(2, 3, 'na', null));

  it('accepts consensus at either end of the individual ratings and between', () => {
    expect(isOutsideRatedRange(2, spread)).toBe(false);
    expect(isOutsideRatedRange(3, spread)).toBe(false);
  });

  it('flags consensus just below the lowest or above the highest rating', () => {
    expect(isOutsideRatedRange(1, spread)).toBe(true);
    expect(isOutsideRatedRange(4, spread)).toBe(true);
  });

  it('accepts only the one score when all raters agree', () => {
    const agreed = summarizeSpread(ONE_TO_FOUR, ratingsOf(3, 3));
    expect(isOutsideRatedRange(3, agreed)).toBe(false);
    expect(isOutsideRatedRange(2, agreed)).toBe(true);
  });

  it('counts any consensus score as outside when no rater gave a score', () => {
    expect(isOutsideRatedRange(1, summarizeSpread(ONE_TO_FOUR, ratingsOf('na', null)))).toBe(true);
    expect(isOutsideRatedRange(3, summarizeSpread(ONE_TO_FOUR, []))).toBe(true);
  });
});
