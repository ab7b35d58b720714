import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import { buildResultView } from '../../src/reviews/result-view.js';
import type { ConsensusRating, Finding, Rating, Review, ReviewStatus } from '../../src/reviews/review-types.js';
import { type Rubric, RubricSchema } from '../../src/rubrics/rubric-schema.js';

// A small rubric built here so every expected number can be worked out by hand.
// Part p1: A1 (three 1–4 indicators), A2 (two 1–4 indicators). Part p2: B1 (one 1–4 indicator).
// Part p3 has no sections. M1 (part p2 too) is only used by the mixed-scale test.

function text(sv: string, en: string = sv): { sv: string; en: string } {
  return { sv, en };
}

function scale(min: number, max: number, id: string) {
  const anchors: Record<string, { sv: string; en: string }> = {};
  for (let level = min; level <= max; level++) anchors[String(level)] = text(`${id} nivå ${level}`, `${id} level ${level}`);
  return { min, max, allow_na: true, anchors };
}

function indicator(id: string, min = 1, max = 4) {
  return { id, text: text(`Text ${id}`, `Text ${id} en`), evidence: ['I'], scale: scale(min, max, id) };
}

function buildRubric(withMixed = false): Rubric {
  return RubricSchema.parse({
    id: 'test',
    version: '2',
    title: text('Testmall', 'Test rubric'),
    description: text('För test', 'For tests'),
    evidence_sources: [{ code: 'I', label: text('Intervju', 'Interview') }],
    parts: [
      { id: 'p1', title: text('Del ett', 'Part one') },
      { id: 'p2', title: text('Del två', 'Part two') },
      { id: 'p3', title: text('Del tre', 'Part three') },
    ],
    min_rated_share: 0.6,
    fidelity_levels: [
      { id: 'low', min_percent: 0, label: text('Låg', 'Low'), definition: text('Under 50 %.', 'Below 50%.') },
      { id: 'mid', min_percent: 50, label: text('Mellan', 'Middle'), definition: text('50–74 %.', '50–74%.') },
      { id: 'high', min_percent: 75, label: text('Hög', 'High'), definition: text('Minst 75 %.', 'At least 75%.') },
    ],
    sections: [
      {
        id: 'a1',
        code: 'A1',
        kind: 'p1',
        title: text('Första', 'First'),
        description: text('Om det första.', 'About the first.'),
        indicators: [indicator('a1-x'), indicator('a1-y'), indicator('a1-z')],
      },
      {
        id: 'a2',
        code: 'A2',
        kind: 'p1',
        title: text('Andra', 'Second'),
        description: text('Om det andra.', 'About the second.'),
        indicators: [indicator('a2-x'), indicator('a2-y')],
      },
      {
        id: 'b1',
        code: 'B1',
        kind: 'p2',
        title: text('Tredje', 'Third'),
        description: text('Om det tredje.', 'About the third.'),
        indicators: [indicator('b1-x')],
      },
      ...(withMixed
        ? [
            {
              id: 'm1',
              code: 'M1',
              kind: 'p2',
              title: text('Blandad', 'Mixed'),
              description: text('Två skalor.', 'Two scales.'),
              indicators: [indicator('m1-five', 1, 5), indicator('m1-two', 0, 2)],
            },
          ]
        : []),
    ],
  });
}

function buildReview(rubric: Rubric, status: ReviewStatus = 'final'): Review {
  return {
    id: 7,
    programId: 3,
    programName: 'Bostad först Lund',
    municipalityCode: '1281',
    municipalityName: 'Lund',
    kind: 'peer_review',
    status,
    visitStart: '2026-03-02',
    visitEnd: '2026-03-03',
    rubricId: rubric.id,
    rubricVersion: rubric.version,
    rubricTitle: rubric.title,
    createdAt: '2026-02-01T10:00:00.000Z',
    finalisedAt: status === 'final' ? '2026-03-20T15:30:00.000Z' : undefined,
    createdBy: 1,
    ratingStartedAt: '2026-03-02T08:00:00.000Z',
    consensusStartedAt: '2026-03-10T08:00:00.000Z',
    rubric: { snapshotId: 1, rubricId: rubric.id, version: rubric.version, contentHash: 'abc', rubric },
  };
}

// Ids chosen so they cannot turn up by accident in the output.
const RATER_IDS = [90111, 90222, 90333] as const;
const DECIDER_ID = 90444;

function consensus(indicatorId: string, score: number | 'na', rationale = ''): ConsensusRating {
  return {
    indicatorId,
    score: score === 'na' ? null : score,
    notApplicable: score === 'na',
    rationale,
    decidedBy: DECIDER_ID,
    updatedAt: '2026-03-11T09:00:00.000Z',
    version: 1,
  };
}

function rating(raterId: number, indicatorId: string, score: number | 'na'): Rating {
  return {
    raterId,
    indicatorId,
    score: score === 'na' ? null : score,
    notApplicable: score === 'na',
    evidence: ['I'],
    note: `Anteckning från ${raterId}`,
    updatedAt: '2026-03-05T09:00:00.000Z',
    version: 1,
  };
}

// A1: 3, 4, N/A → mean 3.5 of 4, 7/8 = 87.5 %. A2: 2 and undecided → 1 of 2 rated < 0.6 × 2: insufficient, so no score,
// and it does not count. B1: 1 → 25 %. Part p1: A1 only, 87.5 %, mean 3.5. Overall: (87.5 + 25) / 2 = 56.25 %, mean 4.5 / 2 = 2.25
// (percents are shown to the nearest tenth, with one more decimal for an exact half like 56.25 %: 56,25 %).
const CONSENSUS: ConsensusRating[] = [
  consensus('a1-x', 3, 'Tre av fyra akter\nsaknade plan.'),
  consensus('a1-y', 4),
  consensus('a1-z', 'na'),
  consensus('a2-x', 2),
  consensus('b1-x', 1),
];

const RATINGS: Rating[] = [
  rating(RATER_IDS[0], 'a1-x', 2),
  rating(RATER_IDS[1], 'a1-x', 4),
  rating(RATER_IDS[2], 'a1-x', 3),
  rating(RATER_IDS[0], 'a1-z', 'na'),
  rating(RATER_IDS[1], 'a1-z', 'na'),
  rating(RATER_IDS[2], 'a1-z', 2),
  rating(RATER_IDS[0], 'b1-x', 1),
  rating(RATER_IDS[1], 'b1-x', 1),
];

const FINDINGS: Finding[] = [
  { sectionId: 'a1', kind: 'strength', position: 2, text: 'Andra styrkan' },
  { sectionId: 'a1', kind: 'strength', position: 1, text: 'Första styrkan' },
  { sectionId: 'a1', kind: 'recommendation', position: 1, text: 'Skriv planer' },
  { sectionId: 'b1', kind: 'recommendation', position: 1, text: 'Öka kontakten' },
];

function build(locale: Locale, status: ReviewStatus = 'final') {
  const rubric = buildRubric();
  return buildResultView(buildReview(rubric, status), CONSENSUS, RATINGS, FINDINGS, locale);
}

function section(view: ReturnType<typeof build>, id: string) {
  const found = view.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

describe('buildResultView', () => {
  it('when built in Swedish, then scores use a decimal comma and percents a no-break space', () => {
    const view = build('sv');
    expect(view.overall).toMatchObject({ mean: '2,25', scaleMax: '4', percent: '56,25\u00a0%', sectionsScored: 2, sections: 3 });
    expect(view.overall.level).toEqual({ id: 'mid', label: 'Mellan', definition: '50–74 %.' });
    expect(section(view, 'a1')).toMatchObject({ mean: '3,50', scaleMax: '4', percent: '87,5\u00a0%', barPercent: 87.5 });
    expect(view.parts[0]).toMatchObject({
      id: 'p1',
      title: 'Del ett',
      mean: '3,50',
      percent: '87,5\u00a0%',
      sectionsScored: 1,
      sections: 2,
    });
  });

  it('when built in English, then scores use a decimal point and no space before %', () => {
    const view = build('en');
    expect(view.overall).toMatchObject({ mean: '2.25', percent: '56.25%' });
    expect(view.overall.level?.label).toBe('Middle');
    expect(section(view, 'a1')).toMatchObject({ mean: '3.50', percent: '87.5%', title: 'First', partTitle: 'Part one' });
    expect(view.parts[0]).toMatchObject({ title: 'Part one', mean: '3.50', percent: '87.5%' });
    expect(view.rubricTitle).toBe('Test rubric');
  });

  it('when a part has no sections, then it is listed with no figures', () => {
    const part = build('sv').parts.find((p) => p.id === 'p3');
    expect(part).toEqual({
      id: 'p3',
      decidesLevel: true,
      title: 'Del tre',
      mean: undefined,
      scaleMax: undefined,
      percent: '–',
      barPercent: undefined,
      sectionsScored: 0,
      sections: 0,
    });
  });

  it('when an indicator is N/A or has no consensus, then it is marked so and left out of the counts', () => {
    const view = build('sv');
    const a1 = section(view, 'a1');
    expect(a1).toMatchObject({ rated: 2, notApplicable: 1, unrated: 0, total: 3, sufficient: true });
    expect(a1.indicators.map((i) => i.consensus.state)).toEqual(['scored', 'scored', 'notApplicable']);
    const a2 = section(view, 'a2');
    // Too few rated: no score is shown for the section (a mean of one item out of two would stand for it).
    expect(a2).toMatchObject({ rated: 1, notApplicable: 0, unrated: 1, total: 2, sufficient: false, mean: undefined, percent: '–' });
    expect(a2.indicators[1]?.consensus).toEqual({ state: 'undecided' });
    expect(a2.indicators[1]?.rationale).toBe('');
  });

  it('when an indicator has a consensus score, then it comes with the anchor text of that level and the rationale', () => {
    const x = section(build('en'), 'a1').indicators[0];
    expect(x).toMatchObject({
      id: 'a1-x',
      number: 1,
      text: 'Text a1-x en',
      consensus: { state: 'scored', score: '3', scaleMax: '4', anchor: 'a1-x level 3' },
      rationale: 'Tre av fyra akter\nsaknade plan.',
    });
  });

  it('when raters disagree, then the spread gives the lowest and highest score and how many scored, also in words', () => {
    const a1 = section(build('sv'), 'a1');
    expect(a1.indicators[0]?.spread).toEqual({ raters: 3, min: '2', max: '4', notApplicable: 0, text: '2–4 (3 bedömare)' });
    expect(a1.indicators[2]?.spread).toEqual({ raters: 1, min: '2', max: '2', notApplicable: 2, text: '2 (1 bedömare)' });
    expect(a1.indicators[1]?.spread).toEqual({
      raters: 0,
      min: undefined,
      max: undefined,
      notApplicable: 0,
      text: 'Ingen bedömare gav poäng',
    });
    expect(section(build('en'), 'a1').indicators[0]?.spread.text).toBe('2–4 (3 raters)');
  });

  it('never carries rater or decider ids, names or notes', () => {
    const json = JSON.stringify(build('sv'));
    for (const id of [...RATER_IDS, DECIDER_ID]) expect(json).not.toContain(String(id));
    expect(json).not.toMatch(/raterId|decidedBy|Anteckning/);
  });

  it('when findings are given, then each section lists its strengths and recommendations in position order', () => {
    const view = build('sv');
    expect(section(view, 'a1')).toMatchObject({ strengths: ['Första styrkan', 'Andra styrkan'], recommendations: ['Skriv planer'] });
    expect(section(view, 'a2')).toMatchObject({ strengths: [], recommendations: [] });
    expect(section(view, 'b1')).toMatchObject({ strengths: [], recommendations: ['Öka kontakten'] });
  });

  it('when the review is final, then it is no preview and carries the day it was finalised', () => {
    const view = build('sv');
    expect(view).toMatchObject({ preview: false, status: 'final', finalisedOn: '2026-03-20', programName: 'Bostad först Lund' });
  });

  it('when the review is in consensus, then it is a preview', () => {
    expect(build('sv', 'consensus')).toMatchObject({ preview: true, finalisedOn: undefined });
  });

  it('when the page asks for a level only once every deciding section counts, then a preview with A2 short has none, names none, and says it waits for A2', () => {
    const rubric = buildRubric();
    const page = buildResultView(buildReview(rubric, 'consensus'), CONSENSUS, RATINGS, [], 'sv', [], { levelWhenComplete: true });
    expect(page.overall).toMatchObject({ level: undefined, percent: '56,25\u00a0%', sectionsScored: 2, sections: 3 });
    expect(page.overall.verdict).toMatchObject({ level: undefined, basis: undefined, caps: [], capped: false });
    expect(page.overall.levelPending).toBe(
      'Nivån visas när alla 3 avsnitt i Del ett och Del två och Del tre är tillräckligt bedömda: 1 kvar (A2).',
    );
    // A final review keeps its level, and so does a preview built without asking (the draft report).
    for (const view of [
      buildResultView(buildReview(rubric, 'final'), CONSENSUS, RATINGS, [], 'sv', [], { levelWhenComplete: true }),
      buildResultView(buildReview(rubric, 'consensus'), CONSENSUS, RATINGS, [], 'sv'),
    ]) {
      expect(view.overall.level?.label).toBe('Mellan');
      expect(view.overall.levelPending).toBeUndefined();
    }
    // With A2's second indicator decided every deciding section counts: the preview has its level.
    const complete = buildResultView(buildReview(rubric, 'consensus'), [...CONSENSUS, consensus('a2-y', 2)], RATINGS, [], 'en', [], {
      levelWhenComplete: true,
    });
    expect(complete.overall.levelPending).toBeUndefined();
    expect(complete.overall.level?.label).toBe('Middle');
  });

  it('when nothing has a consensus yet, then every figure is missing and there is no level', () => {
    const rubric = buildRubric();
    const view = buildResultView(buildReview(rubric, 'consensus'), [], [], [], 'sv');
    expect(view.overall).toMatchObject({ mean: undefined, percent: '–', barPercent: undefined, level: undefined, sectionsScored: 0 });
    expect(view.sections.every((s) => s.unrated === s.total && !s.sufficient && s.percent === '–')).toBe(true);
  });

  it('when a section mixes scales, then it has a percent but no mean, and neither do its part or the overall', () => {
    const rubric = buildRubric(true);
    // M1: 4 of 5 and 1 of 2 → (4 + 1) / (5 + 2) = 71.43 %.
    const view = buildResultView(buildReview(rubric), [...CONSENSUS, consensus('m1-five', 4), consensus('m1-two', 1)], [], [], 'sv');
    expect(section(view, 'm1')).toMatchObject({ mean: undefined, scaleMax: undefined, percent: '71,4\u00a0%', barPercent: 71.4 });
    expect(view.parts[1]).toMatchObject({ id: 'p2', mean: undefined, percent: '48,2\u00a0%' });
    expect(view.overall.mean).toBeUndefined();
  });
});
