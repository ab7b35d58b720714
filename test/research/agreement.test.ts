import { describe, expect, it } from 'vitest';
import {
  classifyAlpha,
  classifyIcc,
  computeAgreement,
  computeIcc,
  computeKrippendorffAlpha,
  computeMedian,
  createAgreementAccumulator,
  type Unit,
} from '../../src/agreement/agreement.js';
import { SHROUT_FLEISS_TABLE_2 } from '../fixtures/shrout-fleiss.js';

/**
 * Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
 * University of Pennsylvania (repository.upenn.edu/asc_papers/43). The worked example: four observers A–D code
 * twelve units, with missing values (null). Published: nominal α = 0.743, ordinal α = 0.815, interval α = 0.849.
 */
const OBSERVERS = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
} as const;
const KRIPPENDORFF_2011 = OBSERVERS.A.map(
  (_, unit) => [OBSERVERS.A[unit], OBSERVERS.B[unit], OBSERVERS.C[unit], OBSERVERS.D[unit]] as (number | null)[],
);

function toUnits(data: readonly (readonly (number | null)[])[], item?: (index: number) => string): Unit[] {
  return data.map((row, index) => ({
    ...(item ? { item: item(index) } : {}),
    ratings: row.flatMap((value, rater) => (value === null ? [] : [{ rater: `r${rater}`, value }])),
  }));
}

describe('computeIcc', () => {
  it('when given Shrout & Fleiss (1979) Table 2, then all six forms match the published values to three decimals', () => {
    const icc = computeIcc(SHROUT_FLEISS_TABLE_2);
    expect(icc.unitsUsed).toBe(6);
    expect(icc.raters).toBe(4);
    expect(icc.ICC1).toBeCloseTo(0.166, 3);
    expect(icc.ICC2).toBeCloseTo(0.29, 3);
    expect(icc.ICC3).toBeCloseTo(0.715, 3);
    expect(icc.ICC1k).toBeCloseTo(0.443, 3);
    expect(icc.ICC2k).toBeCloseTo(0.62, 3);
    expect(icc.ICC3k).toBeCloseTo(0.909, 3);
    // And rounded as the paper prints them.
    expect([icc.ICC1, icc.ICC2, icc.ICC3, icc.ICC1k, icc.ICC2k, icc.ICC3k].map((v) => Number(v?.toFixed(2)))).toEqual([
      0.17, 0.29, 0.71, 0.44, 0.62, 0.91,
    ]);
  });

  it('when every value is shifted or the scale is large, then the ICC does not change', () => {
    const original = computeIcc(SHROUT_FLEISS_TABLE_2);
    const shifted = computeIcc(SHROUT_FLEISS_TABLE_2.map((row) => row.map((v) => v + 1_000_000)));
    expect(shifted.ICC2).toBeCloseTo(original.ICC2 ?? 0, 9);
    expect(shifted.ICC3k).toBeCloseTo(original.ICC3k ?? 0, 9);
  });

  it('when raters agree perfectly and units differ, then every form is 1', () => {
    const icc = computeIcc([
      [1, 1, 1],
      [2, 2, 2],
      [4, 4, 4],
    ]);
    for (const value of [icc.ICC1, icc.ICC2, icc.ICC3, icc.ICC1k, icc.ICC2k, icc.ICC3k]) expect(value).toBeCloseTo(1, 12);
  });

  it('when there is no variation at all, or fewer than two units or raters, then the forms are null, never NaN', () => {
    const flat = computeIcc([
      [3, 3],
      [3, 3],
      [3, 3],
    ]);
    expect([flat.ICC1, flat.ICC2, flat.ICC3, flat.ICC1k, flat.ICC2k, flat.ICC3k]).toEqual([null, null, null, null, null, null]);
    expect(computeIcc([[1, 2, 3]]).ICC2).toBeNull();
    expect(computeIcc([[1], [2]]).ICC2).toBeNull();
    expect(computeIcc([]).unitsUsed).toBe(0);
  });

  it('when a row misses a rater, then it throws: the ICC needs a complete design', () => {
    expect(() => computeIcc([[1, 2], [3]])).toThrow(/every rater/);
  });
});

describe('computeKrippendorffAlpha', () => {
  it('when given the reliability data of Krippendorff (2011), then nominal, ordinal and interval match the published 0.743, 0.815, 0.849', () => {
    expect(computeKrippendorffAlpha(KRIPPENDORFF_2011, 'nominal')).toBeCloseTo(0.743, 3);
    expect(computeKrippendorffAlpha(KRIPPENDORFF_2011, 'ordinal')).toBeCloseTo(0.815, 3);
    expect(computeKrippendorffAlpha(KRIPPENDORFF_2011, 'interval')).toBeCloseTo(0.849, 3);
  });

  it('when units have a single value (unit 12 of the example), then they are not pairable and do not count', () => {
    const withoutLoneUnit = KRIPPENDORFF_2011.slice(0, 11);
    expect(computeKrippendorffAlpha(withoutLoneUnit, 'interval')).toBeCloseTo(
      computeKrippendorffAlpha(KRIPPENDORFF_2011, 'interval') ?? 0,
      12,
    );
  });

  it('when the ratings agree perfectly, then alpha is 1; when there is no variation, then it is null', () => {
    expect(
      computeKrippendorffAlpha(
        [
          [1, 1],
          [2, 2],
          [3, null, 3],
        ],
        'ordinal',
      ),
    ).toBe(1);
    expect(
      computeKrippendorffAlpha(
        [
          [2, 2],
          [2, 2],
        ],
        'interval',
      ),
    ).toBeNull();
    expect(computeKrippendorffAlpha([], 'nominal')).toBeNull();
  });

  it('when values are on another scale (0–2, negative, decimal), then alpha depends only on their order or distances', () => {
    const shifted = KRIPPENDORFF_2011.map((row) => row.map((value) => (value === null ? null : value * 0.5 - 3)));
    expect(computeKrippendorffAlpha(shifted, 'interval')).toBeCloseTo(0.849, 3);
    expect(computeKrippendorffAlpha(shifted, 'ordinal')).toBeCloseTo(0.815, 3);
  });
});

describe('createAgreementAccumulator', () => {
  it('when units are added one by one, then the result equals the batch computation', () => {
    const units = toUnits(KRIPPENDORFF_2011);
    const accumulator = createAgreementAccumulator(['r0', 'r1', 'r2', 'r3']);
    for (const unit of units) accumulator.addUnit(unit);
    expect(accumulator.finish()).toEqual(computeAgreement(units));
  });

  it('when some raters miss some units, then the ICC uses only the units every rater rated and alpha all of them', () => {
    const statistics = computeAgreement(toUnits(KRIPPENDORFF_2011));
    // Units 2 to 9 are coded by all four observers.
    expect(statistics.icc.unitsUsed).toBe(8);
    expect(statistics.units).toBe(12);
    expect(statistics.raters).toBe(4);
    expect(statistics.ratings).toBe(41);
    expect(statistics.alpha.interval).toBeCloseTo(0.849, 3);
  });

  it('counts pairs within units: exact, within ±1 and mean absolute difference', () => {
    // Unit 1: 1, 1, 2 → pairs (1,1) (1,2) (1,2). Unit 2: 4, 1 → one pair, 3 apart. Unit 3: a lone value, no pairs.
    const statistics = computeAgreement([
      {
        ratings: [
          { rater: 'a', value: 1 },
          { rater: 'b', value: 1 },
          { rater: 'c', value: 2 },
        ],
      },
      {
        ratings: [
          { rater: 'a', value: 4 },
          { rater: 'b', value: 1 },
        ],
      },
      { ratings: [{ rater: 'a', value: 3 }] },
    ]);
    expect(statistics.pairwise.pairs).toBe(4);
    expect(statistics.pairwise.percentExact).toBeCloseTo(25, 12);
    expect(statistics.pairwise.percentWithin1).toBeCloseTo(75, 12);
    expect(statistics.pairwise.meanAbsDiff).toBeCloseTo((0 + 1 + 1 + 3) / 4, 12);
  });

  it('ranks items by mean absolute difference, most disagreement first, then by lower exact agreement', () => {
    const statistics = computeAgreement([
      {
        item: 'calm',
        ratings: [
          { rater: 'a', value: 3 },
          { rater: 'b', value: 3 },
        ],
      },
      {
        item: 'split',
        ratings: [
          { rater: 'a', value: 1 },
          { rater: 'b', value: 4 },
        ],
      },
      {
        item: 'split',
        ratings: [
          { rater: 'a', value: 2 },
          { rater: 'b', value: 4 },
        ],
      },
      {
        item: 'near',
        ratings: [
          { rater: 'a', value: 2 },
          { rater: 'b', value: 3 },
        ],
      },
    ]);
    expect(statistics.items.map((item) => item.item)).toEqual(['split', 'near', 'calm']);
    expect(statistics.items[0]).toMatchObject({ units: 2, pairs: 2, meanAbsDiff: 2.5, percentExact: 0 });
  });

  it('when a rater rates a unit twice or is not in the rater set, then it throws', () => {
    const accumulator = createAgreementAccumulator(['a']);
    expect(() =>
      accumulator.addUnit({
        ratings: [
          { rater: 'a', value: 1 },
          { rater: 'a', value: 2 },
        ],
      }),
    ).toThrow(/twice/);
    expect(() => accumulator.addUnit({ ratings: [{ rater: 'x', value: 1 }] })).toThrow(/not in the rater set/);
  });

  it('when there are no ratings, then every figure is null and the counts are 0', () => {
    const statistics = computeAgreement([]);
    expect(statistics).toMatchObject({ units: 0, raters: 0, ratings: 0, pairwise: { pairs: 0, percentExact: null, meanAbsDiff: null } });
    expect(statistics.alpha).toEqual({ nominal: null, ordinal: null, interval: null });
    expect(statistics.icc.ICC2).toBeNull();
  });
});

describe('interpretation bands', () => {
  it('reads an ICC after Koo & Li (2016): < .50 poor, .50–.75 moderate, .75–.90 good, > .90 excellent', () => {
    expect(classifyIcc(-0.2)).toBe('poor');
    expect(classifyIcc(0.4999)).toBe('poor');
    expect(classifyIcc(0.5)).toBe('moderate');
    expect(classifyIcc(0.75)).toBe('good');
    expect(classifyIcc(0.9)).toBe('good');
    expect(classifyIcc(0.9001)).toBe('excellent');
    expect(classifyIcc(null)).toBeUndefined();
  });

  it('reads alpha after Krippendorff: ≥ .800 reliable, ≥ .667 tentative, else unreliable', () => {
    expect(classifyAlpha(0.8)).toBe('reliable');
    expect(classifyAlpha(0.743)).toBe('tentative');
    expect(classifyAlpha(0.667)).toBe('tentative');
    expect(classifyAlpha(0.666)).toBe('unreliable');
    expect(classifyAlpha(null)).toBeUndefined();
  });
});

describe('computeMedian', () => {
  it('gives the middle value, the mean of the two middle ones, or null', () => {
    expect(computeMedian([3, 1, 2])).toBe(2);
    expect(computeMedian([4, 1, 3, 2])).toBe(2.5);
    expect(computeMedian([])).toBeNull();
  });
});
