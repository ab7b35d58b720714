import { describe, it, expect } from 'vitest';
import { RubricSchema, type Rubric } from '../../src/rubrics/rubric-schema.js';
import {
  differenceAsShown,
  formatFigurePercent,
  formatFigureScore,
  levelBands,
  listSectionsShortOfLevel,
  meanBands,
  roundFigurePercent,
  scoreReview,
  type IndicatorScore,
} from '../../src/reviews/scoring.js';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';
import { formatPercent, formatScore } from '../../src/i18n/format.js';

const FIXTURES = new URL('../fixtures/rubrics/', import.meta.url);
const CAPPED_FILE = new URL('capped-mix.yaml', FIXTURES).pathname;
const FROZEN_1_1_FILE = new URL('bostad-forst-1.1/bostad-forst.yaml', FIXTURES).pathname;

// Small rubrics built here, not the shipped file, so the expected numbers can be worked out by hand.
// They go through RubricSchema.parse so they are valid rubrics, not just objects of the right type.

type ScaleSpec = { min: number; max: number; allowNa?: boolean };
type SectionSpec = { id: string; kind?: string; indicators: Record<string, ScaleSpec> };
type RubricSpec = {
  sections: SectionSpec[];
  parts?: string[];
  minRatedShare?: number | string;
  levels?: { id: string; min_percent: number }[];
};

const ONE_TO_FOUR: ScaleSpec = { min: 1, max: 4, allowNa: true };
const ONE_TO_FIVE: ScaleSpec = { min: 1, max: 5, allowNa: true };
const ZERO_TO_TWO: ScaleSpec = { min: 0, max: 2, allowNa: true };

function text(value: string): { sv: string; en: string } {
  return { sv: value, en: value };
}

function buildRubric(spec: RubricSpec): Rubric {
  const parts = spec.parts ?? ['principles'];
  return RubricSchema.parse({
    id: 'test',
    version: '1',
    title: text('Test rubric'),
    description: text('For tests'),
    evidence_sources: [{ code: 'I', label: text('Interview') }],
    parts: parts.map((id) => ({ id, title: text(id) })),
    min_rated_share: spec.minRatedShare ?? 0,
    fidelity_levels: (
      spec.levels ?? [
        { id: 'low', min_percent: 0 },
        { id: 'fair', min_percent: 50 },
        { id: 'high', min_percent: 75 },
      ]
    ).map((level) => ({ ...level, label: text(level.id), definition: text(level.id) })),
    sections: spec.sections.map((section, index) => ({
      id: section.id,
      code: `S${index + 1}`,
      kind: section.kind ?? parts[0],
      title: text(section.id),
      description: text(section.id),
      indicators: Object.entries(section.indicators).map(([id, scale]) => ({
        id,
        text: text(id),
        evidence: ['I'],
        scale: {
          min: scale.min,
          max: scale.max,
          allow_na: scale.allowNa ?? true,
          anchors: Object.fromEntries(
            Array.from({ length: scale.max - scale.min + 1 }, (_, i) => [String(scale.min + i), text(`level ${scale.min + i}`)]),
          ),
        },
      })),
    })),
  });
}

function rated(score: number): IndicatorScore {
  return { score, notApplicable: false };
}
const NA: IndicatorScore = { score: null, notApplicable: true };
const UNRATED: IndicatorScore = { score: null, notApplicable: false };

function scoresOf(entries: Record<string, IndicatorScore>): Map<string, IndicatorScore> {
  return new Map(Object.entries(entries));
}

function sectionOf(result: ReturnType<typeof scoreReview>, id: string) {
  const section = result.sections.find((s) => s.sectionId === id);
  if (section === undefined) throw new Error(`no section ${id}`);
  return section;
}

describe('scoreReview on a normal review', () => {
  const rubric = buildRubric({
    parts: ['principles', 'agreement'],
    sections: [
      { id: 'a', kind: 'principles', indicators: { a1: ONE_TO_FOUR, a2: ONE_TO_FOUR, a3: ONE_TO_FOUR, a4: ONE_TO_FOUR } },
      { id: 'b', kind: 'principles', indicators: { b1: ONE_TO_FOUR, b2: ONE_TO_FOUR } },
      { id: 'c', kind: 'agreement', indicators: { c1: ONE_TO_FOUR } },
    ],
  });
  const result = scoreReview(
    rubric,
    scoresOf({ a1: rated(4), a2: rated(3), a3: rated(2), a4: rated(2), b1: rated(4), b2: rated(4), c1: rated(1) }),
  );

  it('gives each section its mean, percent of maximum and counts', () => {
    // a: (4+3+2+2)/4 = 2.75; 11/16 = 68.75 %.
    expect(sectionOf(result, 'a')).toEqual({
      sectionId: 'a',
      partId: 'principles',
      rated: 4,
      notApplicable: 0,
      unrated: 0,
      total: 4,
      mean: 2.75,
      minScore: 1,
      maxScore: 4,
      percent: 68.75,
      sufficient: true,
    });
    expect(sectionOf(result, 'b')).toMatchObject({ mean: 4, percent: 100 });
    expect(sectionOf(result, 'c')).toMatchObject({ mean: 1, percent: 25 });
  });

  it('weighs every section the same within a part, not every indicator', () => {
    // principles: (68.75 + 100) / 2 = 84.375 (per indicator it would be 19/24 = 79.17).
    expect(result.parts).toEqual([
      { partId: 'principles', percent: 84.375, mean: 3.375, minScore: 1, maxScore: 4, sectionsScored: 2, sections: 2 },
      { partId: 'agreement', percent: 25, mean: 1, minScore: 1, maxScore: 4, sectionsScored: 1, sections: 1 },
    ]);
  });

  it('averages all sections for the overall score and finds its level', () => {
    // (68.75 + 100 + 25) / 3 = 64.5833…; mean (2.75 + 4 + 1) / 3 = 2.5833…
    expect(result.overall.percent).toBeCloseTo(64.583333, 5);
    expect(result.overall.mean).toBeCloseTo(2.583333, 5);
    expect(result.overall).toMatchObject({ sectionsScored: 3, sections: 3, minScore: 1, maxScore: 4 });
    expect(result.overall.level?.id).toBe('fair');
  });

  it('keeps the rubric order of sections and parts', () => {
    expect(result.sections.map((s) => s.sectionId)).toEqual(['a', 'b', 'c']);
    expect(result.parts.map((p) => p.partId)).toEqual(['principles', 'agreement']);
  });
});

describe('scoreReview with indicators left out', () => {
  const rubric = buildRubric({
    sections: [{ id: 'a', indicators: { a1: ONE_TO_FOUR, a2: ONE_TO_FOUR, a3: ONE_TO_FOUR } }],
  });

  it('gives null scores, no level and an insufficient section when everything is N/A', () => {
    const result = scoreReview(rubric, scoresOf({ a1: NA, a2: NA, a3: NA }));
    expect(sectionOf(result, 'a')).toMatchObject({
      rated: 0,
      notApplicable: 3,
      unrated: 0,
      total: 3,
      mean: null,
      percent: null,
      sufficient: false,
      // The scale is still known, so a view can show "– of 4".
      minScore: 1,
      maxScore: 4,
    });
    expect(result.parts[0]).toMatchObject({ percent: null, mean: null, sectionsScored: 0, sections: 1 });
    expect(result.overall).toMatchObject({ percent: null, mean: null, sectionsScored: 0, level: undefined });
  });

  it('treats an empty score map as nothing rated', () => {
    const result = scoreReview(rubric, new Map());
    expect(sectionOf(result, 'a')).toMatchObject({ rated: 0, notApplicable: 0, unrated: 3, mean: null, percent: null, sufficient: false });
    expect(result.overall.level).toBeUndefined();
  });

  it('leaves N/A and unrated indicators out of the denominators', () => {
    // Only a1 = 3 counts: mean 3, 3/4 = 75 %.
    const result = scoreReview(rubric, scoresOf({ a1: rated(3), a2: NA, a3: UNRATED }));
    expect(sectionOf(result, 'a')).toMatchObject({ rated: 1, notApplicable: 1, unrated: 1, total: 3, mean: 3, percent: 75 });
  });

  it('counts explicitly unrated entries and missing entries alike', () => {
    const explicit = scoreReview(rubric, scoresOf({ a1: rated(2), a2: UNRATED, a3: UNRATED }));
    const missing = scoreReview(rubric, scoresOf({ a1: rated(2) }));
    expect(explicit).toEqual(missing);
  });
});

describe('scoreReview across different scales', () => {
  it('gives no section mean when rated indicators use different scales, but a correct percent', () => {
    const rubric = buildRubric({ sections: [{ id: 'a', indicators: { a1: ONE_TO_FIVE, a2: ZERO_TO_TWO } }] });
    // (4 + 1) / (5 + 2) = 5/7 = 71.43 %.
    const section = sectionOf(scoreReview(rubric, scoresOf({ a1: rated(4), a2: rated(1) })), 'a');
    expect(section.mean).toBeNull();
    expect(section.minScore).toBeNull();
    expect(section.maxScore).toBeNull();
    expect(section.percent).toBeCloseTo((5 / 7) * 100, 10);
  });

  it('gives a section mean when only indicators on one scale are rated', () => {
    const rubric = buildRubric({ sections: [{ id: 'a', indicators: { a1: ONE_TO_FIVE, a2: ZERO_TO_TWO } }] });
    const section = sectionOf(scoreReview(rubric, scoresOf({ a1: rated(4), a2: NA })), 'a');
    expect(section).toMatchObject({ mean: 4, minScore: 1, maxScore: 5, percent: 80 });
  });

  it('gives no scale when nothing is rated and the section mixes scales', () => {
    const rubric = buildRubric({ sections: [{ id: 'a', indicators: { a1: ONE_TO_FIVE, a2: ZERO_TO_TWO } }] });
    expect(sectionOf(scoreReview(rubric, new Map()), 'a')).toMatchObject({ minScore: null, maxScore: null });
  });

  it('gives no part or overall mean when sections use different scales, but a correct percent', () => {
    const rubric = buildRubric({
      sections: [
        { id: 'a', indicators: { a1: ONE_TO_FIVE } },
        { id: 'b', indicators: { b1: ZERO_TO_TWO } },
      ],
    });
    // a: 3/5 = 60 %, b: 2/2 = 100 %; (60 + 100) / 2 = 80 %.
    const result = scoreReview(rubric, scoresOf({ a1: rated(3), b1: rated(2) }));
    expect(sectionOf(result, 'a').mean).toBe(3);
    expect(sectionOf(result, 'b').mean).toBe(2);
    expect(result.parts[0]).toMatchObject({ percent: 80, mean: null, minScore: null, maxScore: null, sectionsScored: 2 });
    expect(result.overall).toMatchObject({ percent: 80, mean: null });
    expect(result.overall.level?.id).toBe('high');
  });

  it('gives no part mean when one of its sections has no mean of its own', () => {
    const rubric = buildRubric({
      sections: [
        { id: 'a', indicators: { a1: ONE_TO_FIVE, a2: ZERO_TO_TWO } },
        { id: 'b', indicators: { b1: ONE_TO_FIVE } },
      ],
    });
    const result = scoreReview(rubric, scoresOf({ a1: rated(5), a2: rated(2), b1: rated(5) }));
    expect(result.parts[0]).toMatchObject({ percent: 100, mean: null });
  });

  it('ignores unscored sections on another scale when taking the part mean', () => {
    const rubric = buildRubric({
      sections: [
        { id: 'a', indicators: { a1: ONE_TO_FIVE } },
        { id: 'b', indicators: { b1: ZERO_TO_TWO } },
      ],
    });
    const result = scoreReview(rubric, scoresOf({ a1: rated(4), b1: NA }));
    expect(result.parts[0]).toMatchObject({ percent: 80, mean: 4, minScore: 1, maxScore: 5, sectionsScored: 1, sections: 2 });
  });

  it('scores a 1–5 rubric on its own scale', () => {
    const rubric = buildRubric({
      sections: [
        { id: 'a', indicators: { a1: ONE_TO_FIVE, a2: ONE_TO_FIVE } },
        { id: 'b', indicators: { b1: ONE_TO_FIVE } },
      ],
    });
    // a: mean 4.5, 9/10 = 90 %; b: mean 2, 2/5 = 40 %; overall 65 %, mean 3.25.
    const result = scoreReview(rubric, scoresOf({ a1: rated(5), a2: rated(4), b1: rated(2) }));
    expect(sectionOf(result, 'a')).toMatchObject({ mean: 4.5, percent: 90, minScore: 1, maxScore: 5 });
    expect(sectionOf(result, 'b')).toMatchObject({ mean: 2, percent: 40 });
    expect(result.overall).toMatchObject({ percent: 65, mean: 3.25, minScore: 1, maxScore: 5 });
    expect(result.overall.level?.id).toBe('fair');
  });

  it('reports parts without sections as unscored', () => {
    const rubric = buildRubric({ parts: ['principles', 'empty'], sections: [{ id: 'a', indicators: { a1: ONE_TO_FOUR } }] });
    const result = scoreReview(rubric, scoresOf({ a1: rated(4) }));
    expect(result.parts[1]).toEqual({
      partId: 'empty',
      percent: null,
      mean: null,
      minScore: null,
      maxScore: null,
      sectionsScored: 0,
      sections: 0,
    });
  });
});

describe('scoreReview sufficiency', () => {
  const indicators = { i1: ONE_TO_FOUR, i2: ONE_TO_FOUR, i3: ONE_TO_FOUR, i4: ONE_TO_FOUR, i5: ONE_TO_FOUR };

  it('is sufficient exactly at min_rated_share and not one indicator below', () => {
    // 0.6 × 5 = 3 ratings needed.
    const rubric = buildRubric({ minRatedShare: 0.6, sections: [{ id: 'a', indicators }] });
    const atEdge = scoreReview(rubric, scoresOf({ i1: rated(2), i2: rated(2), i3: rated(2) }));
    const below = scoreReview(rubric, scoresOf({ i1: rated(2), i2: rated(2) }));
    expect(sectionOf(atEdge, 'a').sufficient).toBe(true);
    expect(sectionOf(below, 'a').sufficient).toBe(false);
  });

  it('takes N/A indicators out of the count the share applies to', () => {
    // 0.6 × (5 − 2) = 1.8, so 2 ratings suffice; 1 does not.
    const rubric = buildRubric({ minRatedShare: 0.6, sections: [{ id: 'a', indicators }] });
    expect(sectionOf(scoreReview(rubric, scoresOf({ i1: rated(2), i2: rated(2), i3: NA, i4: NA })), 'a').sufficient).toBe(true);
    expect(sectionOf(scoreReview(rubric, scoresOf({ i1: rated(2), i3: NA, i4: NA })), 'a').sufficient).toBe(false);
  });

  it('is not thrown off by a share that is not exact in binary', () => {
    // 0.7 × 10 should be exactly 7: seven ratings reach it.
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`i${i}`, ONE_TO_FOUR]));
    const rubric = buildRubric({ minRatedShare: 0.7, sections: [{ id: 'a', indicators: ten }] });
    const seven = scoresOf(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`i${i}`, rated(3)])));
    expect(sectionOf(scoreReview(rubric, seven), 'a').sufficient).toBe(true);
  });

  it('gives a section with too few ratings no score, and leaves it out of its part, the overall score and the level', () => {
    // Section a: 1 of 5 rated (a 1) is below 0.6 × 5; section b: all 4s. Counted, a would drag the result down.
    const rubric = buildRubric({
      minRatedShare: 0.6,
      sections: [
        { id: 'a', indicators },
        { id: 'b', indicators: { j1: ONE_TO_FOUR, j2: ONE_TO_FOUR } },
      ],
    });
    const result = scoreReview(rubric, scoresOf({ i1: rated(1), j1: rated(4), j2: rated(4) }));
    expect(sectionOf(result, 'a')).toMatchObject({ rated: 1, sufficient: false, mean: null, percent: null, minScore: 1, maxScore: 4 });
    expect(sectionOf(result, 'b')).toMatchObject({ sufficient: true, mean: 4, percent: 100 });
    expect(result.overall).toMatchObject({ percent: 100, mean: 4, sectionsScored: 1, sections: 2 });
  });

  it('reaches two thirds exactly with 2 of 3 applicable indicators when the share is written as the fraction "2/3"', () => {
    const three = { i1: ONE_TO_FOUR, i2: ONE_TO_FOUR, i3: ONE_TO_FOUR, i4: ONE_TO_FOUR };
    const exact = buildRubric({ minRatedShare: '2/3', sections: [{ id: 'a', indicators: three }] });
    expect(exact.min_rated_share).toBe(2 / 3);
    // One of four is N/A: 2 of the 3 applicable ones rated is two thirds.
    expect(sectionOf(scoreReview(exact, scoresOf({ i1: rated(3), i2: rated(3), i3: NA })), 'a').sufficient).toBe(true);
    expect(sectionOf(scoreReview(exact, scoresOf({ i1: rated(3), i3: NA })), 'a').sufficient).toBe(false);
    // The decimal 0.67 would have refused it (2 < 2.01): why the shipped rubric writes "2/3".
    const decimal = buildRubric({ minRatedShare: 0.67, sections: [{ id: 'a', indicators: three }] });
    expect(sectionOf(scoreReview(decimal, scoresOf({ i1: rated(3), i2: rated(3), i3: NA })), 'a').sufficient).toBe(false);
  });

  it('needs at least one rating even with a share of 0', () => {
    const rubric = buildRubric({ minRatedShare: 0, sections: [{ id: 'a', indicators }] });
    expect(sectionOf(scoreReview(rubric, new Map()), 'a').sufficient).toBe(false);
    expect(sectionOf(scoreReview(rubric, scoresOf({ i1: rated(1) })), 'a').sufficient).toBe(true);
  });
});

describe('listSectionsShortOfLevel', () => {
  it('lists, in rubric order, the sections of the deciding parts that are not sufficient, and none of a part beside the level', () => {
    const built = buildRubric({
      parts: ['principles', 'areas'],
      minRatedShare: 0.5,
      sections: [
        { id: 'p1', indicators: { p1x: ONE_TO_FOUR, p1y: ONE_TO_FOUR } },
        { id: 'p2', indicators: { p2x: ONE_TO_FOUR, p2y: ONE_TO_FOUR } },
        { id: 'p3', indicators: { p3x: ONE_TO_FOUR, p3y: ONE_TO_FOUR } },
        { id: 'b1', kind: 'areas', indicators: { b1x: ONE_TO_FOUR, b1y: ONE_TO_FOUR } },
      ],
    });
    const rubric: Rubric = { ...built, parts: built.parts.map((part) => (part.id === 'areas' ? { ...part, decides_level: false } : part)) };
    const ids = (entries: Record<string, IndicatorScore>) =>
      listSectionsShortOfLevel(scoreReview(rubric, scoresOf(entries))).map((section) => section.sectionId);
    // p2 has half of its indicators rated (the share): it counts. p1 has none, p3 only N/A; b1 does not decide.
    expect(ids({ p2x: rated(3), p3x: NA, p3y: NA })).toEqual(['p1', 'p3']);
    expect(ids({ p1x: rated(2), p2y: rated(3), p3x: rated(1) })).toEqual([]);
  });
});

describe('scoreReview fidelity level', () => {
  // One 0–4 indicator per section makes percents of 0, 25, 50, 75 and 100 easy to hit.
  const ZERO_TO_FOUR: ScaleSpec = { min: 0, max: 4 };

  it('reaches a level exactly at its threshold and stays below it one step under', () => {
    const rubric = buildRubric({ sections: [{ id: 'a', indicators: { a1: ZERO_TO_FOUR } }] });
    const levelAt = (score: number) => scoreReview(rubric, scoresOf({ a1: rated(score) })).overall.level?.id;
    expect(levelAt(0)).toBe('low');
    expect(levelAt(1)).toBe('low');
    expect(levelAt(2)).toBe('fair'); // exactly 50 %
    expect(levelAt(3)).toBe('high'); // exactly 75 %
    expect(levelAt(4)).toBe('high');
  });

  it('reaches a threshold that an average of section percents hits exactly on paper', () => {
    // 1/2 = 50 %, 5/6 = 83.33 % and 1/6 = 16.67 % average to exactly 50 % on paper, but to
    // 49.99999999999999 in floating point.
    const rubric = buildRubric({
      sections: [
        { id: 'a', indicators: { a1: { min: 0, max: 2 } } },
        { id: 'b', indicators: { b1: { min: 0, max: 6 } } },
        { id: 'c', indicators: { c1: { min: 0, max: 6 } } },
      ],
    });
    const result = scoreReview(rubric, scoresOf({ a1: rated(1), b1: rated(5), c1: rated(1) }));
    expect(result.overall.percent).toBeCloseTo(50, 10);
    expect(result.overall.level?.id).toBe('fair');
  });

  it('finds levels listed in any order', () => {
    const rubric = buildRubric({
      levels: [
        { id: 'top', min_percent: 90 },
        { id: 'none', min_percent: 0 },
        { id: 'mid', min_percent: 60 },
      ],
      sections: [{ id: 'a', indicators: { a1: { min: 0, max: 10 } } }],
    });
    const levelAt = (score: number) => scoreReview(rubric, scoresOf({ a1: rated(score) })).overall.level?.id;
    expect(levelAt(5)).toBe('none');
    expect(levelAt(6)).toBe('mid');
    expect(levelAt(9)).toBe('top');
  });
});

describe('scoreReview guards against bad input', () => {
  const rubric = buildRubric({
    sections: [{ id: 'a', indicators: { a1: ONE_TO_FOUR, a2: { min: 1, max: 4, allowNa: false } } }],
  });

  it('throws on a score above or below the indicator scale', () => {
    expect(() => scoreReview(rubric, scoresOf({ a1: rated(5) }))).toThrow(/a1/);
    expect(() => scoreReview(rubric, scoresOf({ a1: rated(0) }))).toThrow(/a1/);
  });

  it('accepts the scale ends themselves', () => {
    expect(() => scoreReview(rubric, scoresOf({ a1: rated(1), a2: rated(4) }))).not.toThrow();
  });

  it('throws on a score between levels or not a number', () => {
    expect(() => scoreReview(rubric, scoresOf({ a1: rated(2.5) }))).toThrow(/a1/);
    expect(() => scoreReview(rubric, scoresOf({ a1: rated(Number.NaN) }))).toThrow(/a1/);
  });

  it('throws on a score for an indicator the rubric does not have', () => {
    expect(() => scoreReview(rubric, scoresOf({ a1: rated(2), zz: rated(2) }))).toThrow(/zz/);
  });

  it('throws on an unknown indicator even when it carries no score', () => {
    expect(() => scoreReview(rubric, scoresOf({ zz: UNRATED }))).toThrow(/zz/);
  });

  it('throws on N/A for an indicator whose scale does not allow it', () => {
    expect(() => scoreReview(rubric, scoresOf({ a2: NA }))).toThrow(/a2/);
  });

  it('throws on an entry that is both scored and N/A', () => {
    expect(() => scoreReview(rubric, scoresOf({ a1: { score: 2, notApplicable: true } }))).toThrow(/a1/);
  });
});

describe('formatScore', () => {
  it('uses a decimal comma in Swedish and a point in English', () => {
    expect(formatScore(2.75, 'sv')).toBe('2,75');
    expect(formatScore(2.75, 'en')).toBe('2.75');
  });

  it('shows an en dash for a missing value', () => {
    expect(formatScore(null, 'sv')).toBe('–');
    expect(formatScore(null, 'en')).toBe('–');
  });

  it('rounds to the requested number of decimals and pads', () => {
    expect(formatScore(2.583333, 'sv')).toBe('2,58');
    expect(formatScore(3, 'sv')).toBe('3,00');
    expect(formatScore(3.456, 'en', 1)).toBe('3.5');
    expect(formatScore(4, 'en', 0)).toBe('4');
  });

  it('rounds halves up as written, not by their binary value', () => {
    expect(formatScore(1.005, 'en')).toBe('1.01');
  });

  it('does not show a minus sign on a value that rounds to zero', () => {
    expect(formatScore(-0.001, 'en')).toBe('0.00');
  });

  it('throws on a value that is not finite', () => {
    expect(() => formatScore(Number.NaN, 'sv')).toThrow();
  });
});

describe('formatPercent', () => {
  it('puts a no-break space before % in Swedish and none in English', () => {
    expect(formatPercent(68.75, 'sv')).toBe('69\u00a0%');
    expect(formatPercent(68.75, 'en')).toBe('69%');
  });

  it('shows decimals when asked, with the locale decimal mark', () => {
    expect(formatPercent(68.75, 'sv', 1)).toBe('68,8\u00a0%');
    expect(formatPercent(68.75, 'en', 2)).toBe('68.75%');
  });

  it('shows an en dash for a missing value', () => {
    expect(formatPercent(null, 'sv')).toBe('–');
    expect(formatPercent(null, 'en')).toBe('–');
  });
});

describe('scoreReview: what decides the level', () => {
  const capped = loadRubricFile(CAPPED_FILE).rubric;
  const strong = { 'k1-lease': rated(2), 'k1-choice': rated(2), 'm1-caseload': rated(5), 'm1-plan': rated(5), 'q1-contact': rated(5) };

  it('when every deciding item is strong, then the band decides and no cap holds', () => {
    const result = scoreReview(capped, scoresOf(strong));
    expect(result.overall.level?.id).toBe('good');
    expect(result.overall.explanation).toMatchObject({ decidingPartIds: ['core', 'method'], bandFrom: 80, bandTo: null, caps: [] });
  });

  it('when a critical item is at the scale minimum, then the level is capped however high the average', () => {
    const onlyCaseload = scoreReview(capped, scoresOf({ ...strong, 'm1-caseload': rated(1) }));
    // K1 100 %, M1 (1 + 5) / 10 = 60 %: mean 80 %, the band of good, capped at fair by the caseload at its minimum.
    expect(onlyCaseload.overall.percent).toBeCloseTo(80, 9);
    expect(onlyCaseload.overall.explanation.bandLevel?.id).toBe('good');
    expect(onlyCaseload.overall.level?.id).toBe('fair');
    expect(onlyCaseload.overall.explanation.caps).toEqual([
      expect.objectContaining({
        cap: expect.objectContaining({ id: 'core-missing' }),
        maxLevel: expect.objectContaining({ id: 'fair' }),
        lowered: true,
        triggers: [{ indicatorId: 'm1-caseload', number: 'M1.1', score: 1, scaleMax: 5 }],
      }),
    ]);
  });

  it('when two critical items are weak, then the lowest ceiling of the caps that hold sets the level', () => {
    const result = scoreReview(capped, scoresOf({ ...strong, 'k1-lease': rated(1), 'm1-caseload': rated(1) }));
    expect(result.overall.level?.id).toBe('poor');
    expect(result.overall.explanation.caps.map((c) => c.cap.id)).toEqual(['core-weak', 'core-missing']);
    expect(result.overall.explanation.caps[0]?.triggers.map((t) => t.number)).toEqual(['K1.1', 'M1.1']);
  });

  it('when a cap holds but the band is already at or below it, then it is listed and does not lower the level', () => {
    const result = scoreReview(
      capped,
      scoresOf({ 'k1-lease': rated(0), 'k1-choice': rated(0), 'm1-caseload': rated(3), 'm1-plan': rated(1) }),
    );
    expect(result.overall.level?.id).toBe('poor');
    expect(result.overall.explanation.caps).toEqual([expect.objectContaining({ lowered: false })]);
  });

  it('when a part does not decide the level, then it is scored beside it and leaves the overall figure alone', () => {
    const low = scoreReview(capped, scoresOf({ ...strong, 'q1-contact': rated(1) }));
    const high = scoreReview(capped, scoresOf(strong));
    expect(low.overall.percent).toBe(high.overall.percent);
    expect(low.overall.sections).toBe(2);
    expect(low.parts.find((p) => p.partId === 'quality')?.percent).toBe(20);
  });

  it('counts the deciding items in the top two levels of their own scale', () => {
    const result = scoreReview(capped, scoresOf({ ...strong, 'k1-choice': rated(0), 'm1-plan': rated(4), 'q1-contact': rated(1) }));
    expect(result.overall.topTwo).toEqual({ count: 3, rated: 4 });
  });

  it('when a review is pinned to rubric 1.1, then all parts decide, nothing caps, and the level is the band as before', () => {
    const old = loadRubricFile(FROZEN_1_1_FILE).rubric;
    expect(old.version).toBe('1.1');
    const scores = new Map<string, IndicatorScore>();
    old.sections.forEach((section, s) => section.indicators.forEach((indicator, i) => scores.set(indicator.id, rated(((s + i) % 4) + 1))));
    scores.set('a1-ordinary-housing', rated(1));
    const result = scoreReview(old, scores);
    const sectionPercents = result.sections.map((section) => section.percent ?? Number.NaN);
    expect(result.overall.percent).toBeCloseTo(sectionPercents.reduce((a, b) => a + b, 0) / sectionPercents.length, 12);
    expect(result.overall.sections).toBe(14);
    expect(result.overall.explanation.caps).toEqual([]);
    expect(result.overall.level?.id).toBe(result.overall.explanation.bandLevel?.id);
  });
});

describe('fidelity figures as shown', () => {
  it('shows one more decimal for a value exactly halfway: 2.75 of 4 is 68,75 %', () => {
    expect(formatFigurePercent(68.75, 'sv', [50, 75, 87.5])).toBe('68,75\u00a0%');
    expect(formatFigurePercent(68.75, 'en')).toBe('68.75%');
  });

  it('rounds to the nearest like a hand calculation where no band is crossed', () => {
    expect(formatFigurePercent(70.94, 'sv', [50, 75])).toBe('70,9\u00a0%');
    expect(formatFigurePercent(70.96, 'sv', [50, 75])).toBe('71\u00a0%');
    expect(formatFigurePercent(200 / 3, 'sv', [50, 75])).toBe('66,7\u00a0%');
    expect(formatFigurePercent(87.5, 'sv', [87.5])).toBe('87,5\u00a0%');
    expect(formatFigureScore(2.8333, 'sv', 2, [2, 3, 3.5])).toBe('2,83');
  });

  it('shows more decimals instead of carrying a figure into the next band', () => {
    expect(formatFigurePercent(74.96, 'sv', [50, 75, 87.5])).toBe('74,96\u00a0%');
    expect(formatFigurePercent(74.9996, 'sv', [75])).toBe('74,999\u00a0%');
    expect(formatFigureScore(3.4964, 'sv', 2, [3.5])).toBe('3,496');
    expect(roundFigurePercent(87.46, [87.5])).toBe(87.46);
  });

  it('gives the difference of two figures as shown', () => {
    expect(differenceAsShown(87.5, 80)).toBe(7.5);
    expect(differenceAsShown(74.96, 70.94, [75])).toBe(4.06);
  });

  it('takes the bands from a rubric, on the percent and on a mean scale', () => {
    const capped = loadRubricFile(CAPPED_FILE).rubric;
    expect(levelBands(capped)).toEqual([80, 60]);
    expect(meanBands(capped, 5)).toEqual([4, 3]);
  });
});
