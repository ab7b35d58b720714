import { describe, expect, it } from 'vitest';
import type { ConsensusRating } from '../../src/reviews/review-types.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { findAgreedRatings } from '../../src/self-assessment/agreed-ratings.js';
import { analyseGaps, summariseGaps } from '../../src/self-assessment/gap.js';
import { describeVerdict } from '../../src/reviews/level-explanation.js';
import { loadTestRubrics, ROOT } from '../helpers/test-app.js';

const mini = loadTestRubrics().get('mini-five')?.rubric;
if (!mini) throw new Error('mini-five missing');

function decided(entries: Record<string, number | 'na'>): ConsensusRating[] {
  return Object.entries(entries).map(([indicatorId, value]) => ({
    indicatorId,
    score: value === 'na' ? null : value,
    notApplicable: value === 'na',
    rationale: '',
    decidedBy: 1,
    updatedAt: '2026-01-01T00:00:00Z',
    version: 1,
  }));
}

describe('analyseGaps', () => {
  // mini-five: c1-alpha, c1-beta on 1–5; c2-gamma on 0–2 (N/A allowed); c2-delta and e1-epsilon (see the fixture).
  const ids = listIndicators(mini).map(({ indicator }) => indicator.id);

  it('when the program rated itself higher, then the gap is positive and the largest relative gap comes first', () => {
    const gaps = analyseGaps(
      { rubric: mini, consensus: decided({ 'c1-alpha': 5, 'c1-beta': 3, 'c2-gamma': 2 }) },
      { rubric: mini, consensus: decided({ 'c1-alpha': 3, 'c1-beta': 3, 'c2-gamma': 0 }) },
    );
    // c2-gamma: 2 of a 0–2 range (relative 1) beats c1-alpha: 2 of a 1–5 range (relative 0.5).
    expect(gaps.indicators.map((g) => [g.indicatorId, g.gap])).toEqual([
      ['c2-gamma', 2],
      ['c1-alpha', 2],
      ['c1-beta', 0],
    ]);
    expect(gaps.indicators[0]?.relativeGap).toBe(1);
    expect(gaps.indicators[0]?.label).toBe('C2.1');
  });

  it('shows the anchor of the level above the panel’s score, and nothing when the panel gave the top score', () => {
    const gaps = analyseGaps(
      { rubric: mini, consensus: decided({ 'c1-alpha': 2, 'c1-beta': 5 }) },
      { rubric: mini, consensus: decided({ 'c1-alpha': 4, 'c1-beta': 5 }) },
    );
    const alpha = gaps.indicators.find((g) => g.indicatorId === 'c1-alpha');
    expect(alpha?.gap).toBe(-2);
    expect(alpha?.nextLevel).toEqual({ level: 5, anchor: { sv: 'Helt.', en: 'Fully.' } });
    expect(gaps.indicators.find((g) => g.indicatorId === 'c1-beta')?.nextLevel).toBeUndefined();
  });

  it('leaves out N/A, undecided and missing indicators, saying why', () => {
    const gaps = analyseGaps(
      { rubric: mini, consensus: decided({ 'c1-alpha': 'na', 'c2-gamma': 1 }) },
      { rubric: mini, consensus: decided({ 'c1-alpha': 3, 'c1-beta': 2 }) },
    );
    expect(gaps.indicators).toEqual([]);
    const reasons = Object.fromEntries(gaps.uncompared.map((u) => [u.label, u.reason]));
    expect(reasons['C1.1']).toBe('not-applicable');
    expect(reasons['C1.2']).toBe('self-missing');
    expect(reasons['C2.1']).toBe('peer-missing');
    expect(gaps.uncompared).toHaveLength(ids.length);
  });

  it('compares sections over the indicators both scored, as percent of maximum, largest difference first', () => {
    const gaps = analyseGaps(
      { rubric: mini, consensus: decided({ 'c1-alpha': 5, 'c1-beta': 5, 'c2-gamma': 1 }) },
      { rubric: mini, consensus: decided({ 'c1-alpha': 4, 'c2-gamma': 1 }) },
    );
    const first = gaps.sections[0];
    // Section C1 compares c1-alpha only (the panel did not score c1-beta): 100 % against 80 %.
    expect(first).toMatchObject({ code: 'C1', compared: 1, total: 2, selfPercent: 100, peerPercent: 80, gapPoints: 20 });
    // C2 compares c2-gamma only, one of its three: below mini-five's min_rated_share of a half, so no figures
    // (as the result page shows no score for a section with too few rated), and it sorts with the empty ones.
    expect(gaps.sections.find((section) => section.code === 'C2')).toMatchObject({
      compared: 1,
      total: 3,
      sufficient: false,
      selfPercent: null,
      gapPoints: null,
    });
    expect(first).toMatchObject({ sufficient: true });
    // Sections without anything compared come last, with no figures.
    expect(gaps.sections.at(-1)).toMatchObject({ compared: 0, selfPercent: null, gapPoints: null });
  });

  it('does not compare an indicator whose scale changed between the rubric versions', () => {
    const changed = structuredClone(mini);
    const alpha = changed.sections[0]?.indicators[0];
    if (!alpha) throw new Error('no indicator');
    alpha.scale = { ...alpha.scale, min: 0, max: 5, anchors: { ...alpha.scale.anchors, 0: { sv: 'Noll.', en: 'Zero.' } } };
    const gaps = analyseGaps(
      { rubric: changed, consensus: decided({ 'c1-alpha': 3 }) },
      { rubric: mini, consensus: decided({ 'c1-alpha': 3 }) },
    );
    expect(gaps.uncompared.find((u) => u.label === 'C1.1')?.reason).toBe('other-scale');
  });
});

describe('findAgreedRatings', () => {
  const rating = (raterId: number, indicatorId: string, value: number | 'na' | null) => ({
    raterId,
    indicatorId,
    score: value === 'na' || value === null ? null : value,
    notApplicable: value === 'na',
    evidence: [],
    note: '',
    updatedAt: '',
    version: 1,
  });

  it('with one rater, then every rated indicator is agreed; unrated ones are left', () => {
    const result = findAgreedRatings(mini, [rating(1, 'c1-alpha', 3), rating(1, 'c2-gamma', 'na'), rating(1, 'c1-beta', null)], []);
    expect(result.agreed).toEqual([
      { indicatorId: 'c1-alpha', score: 3, notApplicable: false },
      { indicatorId: 'c2-gamma', score: null, notApplicable: true },
    ]);
    expect(result.undecided).toBe(listIndicators(mini).length - 2);
  });

  it('leaves indicators where raters differ, and those that already have a consensus', () => {
    const result = findAgreedRatings(
      mini,
      [
        rating(1, 'c1-alpha', 3),
        rating(2, 'c1-alpha', 4),
        rating(1, 'c1-beta', 2),
        rating(2, 'c1-beta', 2),
        rating(1, 'c2-gamma', 1),
        rating(2, 'c2-gamma', 'na'),
      ],
      decided({ 'c1-beta': 5 }),
    );
    expect(result.agreed).toEqual([]);
  });
});

describe('analyseGaps: the level of each side', () => {
  const capped = loadTestRubrics([`${ROOT}test/fixtures/rubrics/capped-mix.yaml`]).get('capped-mix')?.rubric;
  if (!capped) throw new Error('capped-mix missing');

  it('when the panel found a critical item at its minimum, then the panel side is capped and the view explains it', () => {
    const gaps = analyseGaps(
      { rubric: capped, consensus: decided({ 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 5, 'm1-plan': 5, 'q1-contact': 5 }) },
      { rubric: capped, consensus: decided({ 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 1, 'm1-plan': 5, 'q1-contact': 5 }) },
    );
    expect(gaps.levels.self.scores.overall.level?.id).toBe('good');
    expect(gaps.levels.peer.scores.overall.explanation.bandLevel?.id).toBe('good');
    expect(gaps.levels.peer.scores.overall.level?.id).toBe('fair');
    const verdict = describeVerdict(gaps.levels.peer.rubric, gaps.levels.peer.scores, 'sv');
    expect(verdict.caps).toEqual(['Nivån begränsas till Godkänd: indikatorn M1.1 ”Rimlig ärendemängd” fick 1 av 5 (över 20).']);
    expect(verdict.capped).toBe(true);
  });
});

describe('summariseGaps', () => {
  const capped = loadTestRubrics([`${ROOT}test/fixtures/rubrics/capped-mix.yaml`]).get('capped-mix')?.rubric;
  if (!capped) throw new Error('capped-mix missing');
  // capped-mix: K1 k1-lease (critical) and k1-choice on 0–2; M1 m1-caseload (critical) and m1-plan, Q1 q1-contact on 1–5.

  it('when some indicators have the top score in both, then only the others count as below the top, in the summary and per section', () => {
    const gaps = analyseGaps(
      { rubric: capped, consensus: decided({ 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 5, 'm1-plan': 4, 'q1-contact': 5 }) },
      { rubric: capped, consensus: decided({ 'k1-lease': 2, 'k1-choice': 1, 'm1-caseload': 5, 'm1-plan': 4, 'q1-contact': 3 }) },
    );
    expect(gaps.indicators.filter((gap) => gap.bothAtTop).map((gap) => gap.indicatorId)).toEqual(['k1-lease', 'm1-caseload']);
    // m1-plan is 4 in both: no difference, but below the top, so it is a gap to close.
    expect(summariseGaps(gaps)).toMatchObject({ compared: 5, belowTop: 3, coreCompared: 2, coreBelowTop: [] });
    expect(Object.fromEntries(gaps.sections.map((section) => [section.code, section.belowTop]))).toEqual({ K1: 1, M1: 1, Q1: 1 });
  });

  it('lists the core elements below the top, the panel’s lowest (relative to its scale) first, each flagged critical', () => {
    const gaps = analyseGaps(
      { rubric: capped, consensus: decided({ 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 4, 'm1-plan': 5, 'q1-contact': 5 }) },
      // The panel: the lease at 1 of 0–2 (half-way), the caseload at 2 of 1–5 (a quarter of the way): the caseload first.
      { rubric: capped, consensus: decided({ 'k1-lease': 1, 'k1-choice': 2, 'm1-caseload': 2, 'm1-plan': 5, 'q1-contact': 5 }) },
    );
    const summary = summariseGaps(gaps);
    expect(summary.coreBelowTop.map((gap) => [gap.label, gap.critical, gap.selfScore, gap.peerScore])).toEqual([
      ['M1.1', true, 4, 2],
      ['K1.1', true, 2, 1],
    ]);
    expect(gaps.indicators.find((gap) => gap.indicatorId === 'k1-choice')?.critical).toBe(false);
  });

  it('leads with the largest differences, never one where both sides agree, and at most as many as asked', () => {
    const gaps = analyseGaps(
      { rubric: capped, consensus: decided({ 'k1-lease': 2, 'k1-choice': 1, 'm1-caseload': 5, 'm1-plan': 3, 'q1-contact': 1 }) },
      { rubric: capped, consensus: decided({ 'k1-lease': 0, 'k1-choice': 1, 'm1-caseload': 4, 'm1-plan': 3, 'q1-contact': 5 }) },
    );
    // Q1.1 and K1.1 both span their whole scale; the larger raw difference comes first (the analysis's order).
    expect(summariseGaps(gaps).largest.map((gap) => [gap.label, gap.gap])).toEqual([
      ['Q1.1', -4],
      ['K1.1', 2],
      ['M1.1', 1],
    ]);
    expect(summariseGaps(gaps, 2).largest.map((gap) => gap.label)).toEqual(['Q1.1', 'K1.1']);
  });
});
