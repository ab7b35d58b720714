import { describe, expect, it } from 'vitest';
import { computeAgreement, type Unit } from '../../src/agreement/agreement.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { computeRubricAgreement } from '../../src/research/rubric-agreement.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createResearchWorld, importRound, type Pick } from './research-helpers.js';

describe('computeRubricAgreement', () => {
  it('when read review by review from the database, then it equals the statistics of the same units computed at once', async () => {
    const w = await createResearchWorld();
    const picks: Pick[][] = [
      [() => 3, (_min, _max, index) => (index % 3 === 0 ? 4 : 3), (_min, _max, index) => (index % 5 === 0 ? 'na' : 2)],
      [(_min, _max, index) => (index % 2 === 0 ? 4 : 3), () => 4, () => 1],
    ];
    const programs = [w.addProgram('0180', 'Stockholm', 'A'), w.addProgram('1480', 'Göteborg', 'B')];
    programs.forEach((program, index) => w.addFinalReview(program, { date: `202${index + 3}-01-01`, raters: picks[index] ?? [] }));
    // An imported round with two external raters joins in; an app self-assessment stays out.
    importRound(w, programs[0] ?? 0, { date: '2019-01-01', kind: 'peer_review', source: 'paper' });
    w.addFinalReview(w.addProgram('0191', 'Sigtuna', 'C'), {
      date: '2025-01-01',
      kind: 'self_assessment',
      raters: [() => 1, () => 4, () => 2],
    });

    const indicators = listIndicators(w.rubric);
    const units: Unit[] = [];
    picks.forEach((reviewPicks) =>
      indicators.forEach(({ indicator }, index) =>
        units.push({
          item: indicator.id,
          ratings: reviewPicks.flatMap((pick, rater) => {
            const value = pick(1, 4, index);
            return value === 'na' ? [] : [{ rater: `app-${w.raters[rater]?.id}`, value }];
          }),
        }),
      ),
    );
    for (const { indicator } of indicators)
      units.push({
        item: indicator.id,
        ratings: [
          { rater: 'P1', value: 3 },
          { rater: 'P2', value: 2 },
        ],
      });
    const expected = computeAgreement(units);

    const actual = await computeRubricAgreement(createResearchStore(w.db), {
      rubricId: 'bostad-forst',
      kind: undefined,
      year: undefined,
    });
    expect(actual.reviews).toBe(3);
    expect(actual.statistics.units).toBe(expected.units);
    expect(actual.statistics.raters).toBe(expected.raters);
    expect(actual.statistics.ratings).toBe(expected.ratings);
    expect(actual.statistics.pairwise).toEqual(expected.pairwise);
    for (const metric of ['nominal', 'ordinal', 'interval'] as const) {
      expect(actual.statistics.alpha[metric]).toBeCloseTo(expected.alpha[metric] ?? Number.NaN, 10);
    }
    // No unit was rated by all five raters (the app panel and the two paper raters), so there is no global ICC…
    expect(actual.statistics.icc.unitsUsed).toBe(0);
    expect(actual.statistics.icc.ICC2).toBeNull();
    // …but each review's own ICC is there: the two app reviews and the paper round.
    expect(actual.reviewsWithIcc).toBe(3);
    expect(actual.statistics.items.map((item) => item.item)).toEqual(expected.items.map((item) => item.item));
  });
});
