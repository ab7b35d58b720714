// Agreement statistics never pool indicators on different scales: each scale is its own group, and the single-scale
// output stays exactly what it was (the reference values of agreement.test.ts still hold).
import { describe, expect, it } from 'vitest';
import {
  computeAgreement,
  computeIcc,
  createAgreementAccumulator,
  rankItemDisagreement,
  type ItemDisagreement,
  type Scale,
  type Unit,
} from '../../src/agreement/agreement.js';
import {
  buildAgreementView,
  computeReviewAgreement,
  createIndicatorNamer,
  createIndicatorScales,
} from '../../src/agreement/agreement-view.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { computeRubricAgreement } from '../../src/research/rubric-agreement.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { SHROUT_FLEISS_TABLE_2 } from '../fixtures/shrout-fleiss.js';
import { createResearchWorld, mainOf, type Pick } from './research-helpers.js';

const ZERO_TWO: Scale = { min: 0, max: 2 };
const ONE_FIVE: Scale = { min: 1, max: 5 };

const pair = (a: number, b: number) => [
  { rater: 'a', value: a },
  { rater: 'b', value: b },
];

/** The review's repro: maximal disagreement on one 0–2 item; agreement on another 0–2 item (2) and two 1–5 items (5, 1). */
const REPRO: Unit[] = [
  { item: 'gamma', scale: ZERO_TWO, ratings: pair(0, 2) },
  { item: 'gamma-2', scale: ZERO_TWO, ratings: pair(2, 2) },
  { item: 'five', scale: ONE_FIVE, ratings: pair(5, 5) },
  { item: 'one', scale: ONE_FIVE, ratings: pair(1, 1) },
];

const withoutScales = (units: readonly Unit[]): Unit[] =>
  units.map(({ item, ratings }) => (item === undefined ? { ratings } : { item, ratings }));

describe('computeAgreement over units on different scales', () => {
  it('when pooled as before (no scales given), then the repro looks reliable: interval α .851, ICC(2,1) .87, ±1 75 %', () => {
    const pooled = computeAgreement(withoutScales(REPRO));
    expect(pooled.alpha.interval).toBeCloseTo(0.851, 3);
    expect(pooled.icc.ICC2).toBeCloseTo(0.87, 2);
    expect(pooled.pairwise.percentWithin1).toBe(75);
    expect(pooled.scaleGroups).toBeUndefined();
  });

  it('when the units carry their scales, then the repro gives two groups and the 0–2 group shows its disagreement', () => {
    const statistics = computeAgreement(REPRO);
    const groups = statistics.scaleGroups ?? [];
    expect(groups.map((group) => group.scale)).toEqual([ZERO_TWO, ONE_FIVE]);
    const [zeroTwo, oneFive] = groups;
    // 0–2: one pair 2 apart and one equal pair.
    expect(zeroTwo).toMatchObject({
      units: 2,
      raters: 2,
      ratings: 4,
      pairwise: { pairs: 2, percentExact: 50, percentWithin1: 50, meanAbsDiff: 1 },
    });
    expect(zeroTwo?.alpha.interval).toBeCloseTo(0, 12);
    expect(zeroTwo?.icc.ICC2).toBeCloseTo(0, 12);
    expect(zeroTwo?.icc.unitsUsed).toBe(2);
    // 1–5: perfect agreement.
    expect(oneFive).toMatchObject({ units: 2, pairwise: { pairs: 2, percentExact: 100, percentWithin1: 100, meanAbsDiff: 0 } });
    expect(oneFive?.alpha.interval).toBe(1);
    expect(oneFive?.icc.ICC2).toBeCloseTo(1, 12);
    // Each group is exactly the statistics of its units alone.
    expect(zeroTwo).toMatchObject(computeAgreement(withoutScales(REPRO.slice(0, 2))));
    expect(oneFive).toMatchObject(computeAgreement(withoutScales(REPRO.slice(2))));
  });

  it('when the units span scales, then the top level keeps only scale-free figures: counts, pairs and exact agreement', () => {
    const statistics = computeAgreement(REPRO);
    expect(statistics).toMatchObject({
      units: 4,
      raters: 2,
      ratings: 8,
      pairwise: { pairs: 4, percentExact: 75, percentWithin1: null, meanAbsDiff: null },
    });
    expect(statistics.alpha).toEqual({ nominal: null, ordinal: null, interval: null });
    expect([
      statistics.icc.ICC1,
      statistics.icc.ICC2,
      statistics.icc.ICC3,
      statistics.icc.ICC1k,
      statistics.icc.ICC2k,
      statistics.icc.ICC3k,
    ]).toEqual([null, null, null, null, null, null]);
    expect(statistics.icc.unitsUsed).toBe(4);
    // Items of every group, each with its scale; the 0–2 item raters split on comes first.
    expect(statistics.items[0]).toMatchObject({ item: 'gamma', scale: ZERO_TWO, meanAbsDiff: 2 });
    expect(statistics.items.map((item) => item.scale)).toContainEqual(ONE_FIVE);
  });

  it('when added one unit at a time, then the groups equal the batch computation', () => {
    const accumulator = createAgreementAccumulator(['a', 'b']);
    for (const unit of REPRO) accumulator.addUnit(unit);
    expect(accumulator.finish()).toEqual(computeAgreement(REPRO));
  });

  it('when some units carry no scale, then they form their own group, last', () => {
    const statistics = computeAgreement([...REPRO, { item: 'loose', ratings: pair(3, 4) }]);
    expect(statistics.scaleGroups?.map((group) => group.scale)).toEqual([ZERO_TWO, ONE_FIVE, null]);
    expect(statistics.scaleGroups?.[2]?.pairwise.meanAbsDiff).toBe(1);
  });

  it('when a scale is not a range, then it throws', () => {
    expect(() => computeAgreement([{ scale: { min: 2, max: 2 }, ratings: pair(2, 2) }])).toThrow(/not a range/);
  });
});

describe('computeAgreement over units on one scale', () => {
  it('when every unit carries the same scale, then the output is exactly that of the same units without scales', () => {
    const units: Unit[] = [
      {
        item: 'x',
        ratings: [
          { rater: 'a', value: 1 },
          { rater: 'b', value: 1 },
          { rater: 'c', value: 2 },
        ],
      },
      {
        item: 'y',
        ratings: [
          { rater: 'a', value: 4 },
          { rater: 'b', value: 1 },
        ],
      },
      {
        item: 'x',
        ratings: [
          { rater: 'a', value: 3 },
          { rater: 'b', value: 2 },
          { rater: 'c', value: 3 },
        ],
      },
      { item: 'z', ratings: [{ rater: 'a', value: 3 }] },
    ];
    const scaled = computeAgreement(units.map((unit) => ({ ...unit, scale: { min: 1, max: 4 } })));
    expect(scaled).toEqual(computeAgreement(units));
    expect(scaled.scaleGroups).toBeUndefined();
    expect(scaled.items.every((item) => !('scale' in item))).toBe(true);
  });

  it('when Shrout & Fleiss (1979) Table 2 comes as units on a 1–10 scale, then the ICCs are the published ones', () => {
    const units: Unit[] = SHROUT_FLEISS_TABLE_2.map((row) => ({
      scale: { min: 1, max: 10 },
      ratings: row.map((value, rater) => ({ rater: `j${rater}`, value })),
    }));
    const statistics = computeAgreement(units);
    expect(statistics.scaleGroups).toBeUndefined();
    expect(statistics.icc).toEqual(computeIcc(SHROUT_FLEISS_TABLE_2));
    expect(statistics.icc.ICC2).toBeCloseTo(0.29, 3);
  });
});

describe('rankItemDisagreement', () => {
  const item = (id: string, meanAbsDiff: number, scale?: Scale): ItemDisagreement => ({
    item: id,
    units: 2,
    pairs: 2,
    percentExact: 0,
    percentWithin1: 0,
    meanAbsDiff,
    ...(scale ? { scale } : {}),
  });

  it('when the items are on different scales, then it ranks by the mean absolute difference relative to the range', () => {
    // 1 point on 0–2 is half the range; 1.5 points on 1–5 is 37.5 % of it.
    expect(rankItemDisagreement([item('wide', 1.5, ONE_FIVE), item('narrow', 1, ZERO_TWO)]).map((entry) => entry.item)).toEqual([
      'narrow',
      'wide',
    ]);
  });

  it('when the items share a scale or carry none, then it ranks by the raw mean absolute difference as before', () => {
    expect(rankItemDisagreement([item('small', 1, ZERO_TWO), item('large', 1.5, ZERO_TWO)]).map((entry) => entry.item)).toEqual([
      'large',
      'small',
    ]);
    expect(rankItemDisagreement([item('small', 1), item('large', 1.5)]).map((entry) => entry.item)).toEqual(['large', 'small']);
  });
});

describe('buildAgreementView by scale', () => {
  const nameOf = (id: string) => {
    const scale = REPRO.find((unit) => unit.item === id)?.scale;
    return { code: id.toUpperCase(), text: `Text ${id}`, ...(scale ? { scale } : {}) };
  };

  it('when the statistics span scales, then the view has a labelled group per scale and ranks items relative to the range', () => {
    const view = buildAgreementView(computeAgreement(REPRO), nameOf, 'sv');
    expect(view.mixedScales).toBe(true);
    expect(view.scales).toBe('0–2, 1–5');
    expect(view.scaleGroups.map((group) => [group.scale, group.slug])).toEqual([
      ['0–2', '0-2'],
      ['1–5', '1-5'],
    ]);
    expect(view.scaleGroups[0]).toMatchObject({
      percentExact: '50,0\u00a0%',
      percentWithin1: '50,0\u00a0%',
      meanAbsDiff: '1,00',
      pairs: 2,
      across: undefined,
    });
    expect(view.scaleGroups[0]?.alpha.find((figure) => figure.id === 'interval')?.band).toBe('unreliable');
    expect(view.scaleGroups[1]?.alpha.find((figure) => figure.id === 'interval')).toMatchObject({ value: '1,000', band: 'reliable' });
    // Nothing pooled at the top.
    expect(view).toMatchObject({ percentWithin1: '–', meanAbsDiff: '–', percentExact: '75,0\u00a0%' });
    expect(view.items).toEqual([
      {
        id: 'gamma',
        code: 'GAMMA',
        text: 'Text gamma',
        meanAbsDiff: '2,00',
        percentExact: '0,0\u00a0%',
        pairs: 1,
        fewPairs: false,
        scale: '0–2',
        relativeMeanAbsDiff: '100,0\u00a0%',
      },
    ]);
  });

  it('when the statistics share one scale, then the view is the single-group view, without groups', () => {
    const view = buildAgreementView(
      computeAgreement(REPRO.slice(2).concat({ item: 'split', scale: ONE_FIVE, ratings: pair(1, 4) })),
      nameOf,
      'en',
    );
    expect(view.mixedScales).toBe(false);
    expect(view.scaleGroups).toEqual([]);
    expect(view.scales).toBe('');
    expect(view).toMatchObject({ percentExact: '66.7%', percentWithin1: '66.7%', meanAbsDiff: '1.00' });
    expect(view.items[0]).toMatchObject({ id: 'split', meanAbsDiff: '3.00', scale: '', relativeMeanAbsDiff: '–' });
  });

  it('when one review’s ratings are computed with its rubric’s scales, then the view groups them by scale; without them, they stay pooled', async () => {
    const w = await createResearchWorld('mini-five');
    const indicators = listIndicators(w.rubric).map(({ indicator }) => indicator);
    const gamma = indicators.find((indicator) => indicator.scale.max === 2);
    if (!gamma) throw new Error('mini-five has a 0–2 indicator');
    // Two raters: 0 and 2 on the 0–2 indicator, the same score elsewhere (1 and 5 alternating).
    const ratings = indicators.flatMap((indicator, index) =>
      [1, 2].map((raterId) => ({
        raterId,
        indicatorId: indicator.id,
        score: indicator === gamma ? (raterId === 1 ? 0 : 2) : index % 2 === 0 ? 5 : 1,
        notApplicable: false,
      })),
    );
    const namer = createIndicatorNamer(w.rubric, 'sv');
    const grouped = buildAgreementView(computeReviewAgreement(ratings, createIndicatorScales(w.rubric)), namer, 'sv');
    expect(grouped.scaleGroups.map((group) => group.scale)).toEqual(['0–2', '1–5']);
    expect(grouped.scaleGroups[0]).toMatchObject({
      units: 1,
      percentExact: '0,0\u00a0%',
      percentWithin1: '0,0\u00a0%',
      meanAbsDiff: '2,00',
    });
    expect(grouped.scaleGroups[1]).toMatchObject({ units: indicators.length - 1, percentExact: '100,0\u00a0%' });
    // Without the scales (the agreement CLI's files carry none), the figures stay as computed.
    expect(buildAgreementView(computeReviewAgreement(ratings), namer, 'sv').mixedScales).toBe(false);
  });
});

/** Three raters on mini-five (1–5 and one 0–2 indicator): they agree on the 1–5 indicators and split on the 0–2 one. */
const MIXED_PICKS: readonly Pick[] = [
  (_min, max, index) => (max === 2 ? 0 : (index % 4) + 1),
  (_min, max, index) => (max === 2 ? 2 : (index % 4) + 1),
  (_min, max, index) => (max === 2 ? 2 : (index % 4) + 1),
];

async function createMixedWorld() {
  const w = await createResearchWorld('mini-five');
  const program = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  const reviewId = w.addFinalReview(program, { date: '2025-03-01', raters: MIXED_PICKS });
  w.addFinalReview(w.addProgram('1480', 'Göteborg', 'Bostad först Göteborg'), { date: '2025-04-01', raters: MIXED_PICKS });
  return { ...w, reviewId };
}

describe('agreement by scale on the pages', () => {
  it('when a final review mixes scales, then the result page shows a group per scale with captions and scoped headers', async () => {
    const w = await createMixedWorld();
    const agent = await w.login(await w.person(['reviewer']));
    const html = mainOf((await agent.get(`/reviews/${w.reviewId}/result`)).text);
    const section = html.slice(html.indexOf('<section aria-labelledby="agreement"'));
    expect(section).toContain('Indikatorerna har olika skalor (0–2, 1–5).');
    expect(section).toContain('<section aria-labelledby="agreement-scale-0-2">');
    expect(section).toContain('<h3 id="agreement-scale-0-2">Indikatorer med skalan 0–2</h3>');
    expect(section).toContain('<h3 id="agreement-scale-1-5">Indikatorer med skalan 1–5</h3>');
    expect(section).toContain('<h4 id="agreement-icc-scale-0-2">Intraklasskorrelation (ICC)</h4>');
    expect(section).toContain('<caption class="visually-hidden">Krippendorffs alfa, skalan 1–5</caption>');
    // The 0–2 group: 3 pairs (0,2) (0,2) (2,2), one of them equal, none of the others within ±1.
    const zeroTwo = section.slice(section.indexOf('agreement-scale-0-2'), section.indexOf('agreement-scale-1-5'));
    expect(zeroTwo).toContain('<dt>Exakt samma poäng</dt><dd>33,3\u00a0%</dd>');
    expect(zeroTwo).toContain('<dt>Högst 1 poäng ifrån varandra</dt><dd>33,3\u00a0%</dd>');
    expect(zeroTwo).toContain('<dt>Genomsnittlig absolut skillnad</dt><dd>1,33</dd>');
    const oneFive = section.slice(section.indexOf('agreement-scale-1-5'), section.indexOf('agreement-items'));
    expect(oneFive).toContain('<dt>Högst 1 poäng ifrån varandra</dt><dd>100,0\u00a0%</dd>');
    // Within ±1 only per group: never once over both scales.
    expect(section.match(/Högst 1 poäng ifrån varandra/g)).toHaveLength(2);
    // The items table names each item's scale and its difference relative to the range.
    expect(section).toContain('<th scope="col">Skala</th>');
    expect(section).toMatch(
      /<span class="muted">C2\.1<\/span> [^<]*<\/th>\s*<td>0–2<\/td>\s*<td class="num">66,7\u00a0%<\/td>\s*<td class="num">1,33<\/td>/,
    );
  });

  it('when asked in English, then the groups are labelled in English', async () => {
    const w = await createMixedWorld();
    const agent = await w.login(await w.person(['reviewer']));
    const html = mainOf((await agent.get(`/reviews/${w.reviewId}/result?lang=en`)).text);
    expect(html).toContain('The indicators use different scales (0–2, 1–5).');
    expect(html).toContain('<h3 id="agreement-scale-0-2">Indicators on the 0–2 scale</h3>');
    expect(html).toContain('<caption class="visually-hidden">Intraclass correlation (ICC), 1–5 scale</caption>');
    expect(html).toContain('<th scope="col" class="num">Difference as a share of the scale range</th>');
  });

  it('when the research page covers mixed-scale reviews, then the figures and the reviews’ own ICCs come per scale', async () => {
    const w = await createMixedWorld();
    const agreement = await computeRubricAgreement(createResearchStore(w.db), {
      rubricId: 'mini-five',
      kind: undefined,
      year: undefined,
    });
    expect(agreement.reviews).toBe(2);
    expect(agreement.reviewsWithIcc).toBe(0);
    expect(agreement.medianIcc2).toBeNull();
    const groups = agreement.statistics.scaleGroups ?? [];
    expect(groups.map((group) => group.scale)).toEqual([ZERO_TWO, ONE_FIVE]);
    // One 0–2 indicator per review: no review has an ICC there. On 1–5 the raters agree: each review's ICC is 1.
    expect(groups[0]?.medianIcc).toEqual({ designs: 0, medianIcc2: null, medianIcc2k: null });
    expect(groups[1]?.medianIcc?.designs).toBe(2);
    expect(groups[1]?.medianIcc?.medianIcc2).toBeCloseTo(1, 12);
    expect(groups[0]?.pairwise).toMatchObject({ pairs: 6, meanAbsDiff: 4 / 3 });

    const agent = await w.login(await w.person(['researcher']));
    const html = mainOf((await agent.get('/research?rubric=mini-five')).text);
    const section = html.slice(html.indexOf('<section aria-labelledby="agreement"'));
    expect(section).toContain('<h3 id="agreement-scale-0-2">Indikatorer med skalan 0–2</h3>');
    const oneFive = section.slice(section.indexOf('agreement-scale-1-5'), section.indexOf('agreement-items'));
    expect(oneFive).toContain(
      'Granskning för granskning: medianen av granskningarnas egna värden är ICC(2,1) 1,000 och ICC(2,k) 1,000 (2 granskningar).',
    );
    expect(section.match(/Granskning för granskning/g)).toHaveLength(1);
  });

  it('when every indicator shares one scale, then the research figures are as before: no groups, the reviews’ ICC at the top', async () => {
    const w = await createResearchWorld();
    const picks: Pick[] = [() => 3, (_min, _max, index) => (index % 3 === 0 ? 4 : 3), (_min, _max, index) => (index % 2 === 0 ? 2 : 3)];
    w.addFinalReview(w.addProgram('0180', 'Stockholm', 'A'), { date: '2025-01-01', raters: picks });
    const agreement = await computeRubricAgreement(createResearchStore(w.db), {
      rubricId: 'bostad-forst',
      kind: undefined,
      year: undefined,
    });
    expect(agreement.statistics.scaleGroups).toBeUndefined();
    expect(agreement.reviewsWithIcc).toBe(1);
    const ids = w.raters.map((rater) => rater.id);
    const units: Unit[] = listIndicators(w.rubric).map(({ indicator }, index) => ({
      item: indicator.id,
      ratings: picks.map((pick, rater) => ({ rater: ids[rater] ?? 0, value: Number(pick(1, 4, index)) })),
    }));
    expect(agreement.statistics).toEqual(computeAgreement(units));
    const matrix = units.map((unit) => unit.ratings.map((rating) => rating.value));
    expect(agreement.medianIcc2).toBeCloseTo(computeIcc(matrix).ICC2 ?? Number.NaN, 12);
  });
});
