import { describe, expect, it } from 'vitest';
import { buildBands, buildHeatMap, buildTrend, computeContrast, pickLatestPerProgram } from '../../src/research/comparison.js';
import type { FinalReview, ScoreRow } from '../../src/research/research-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { loadTestRubrics } from '../helpers/test-app.js';

const rubrics = loadTestRubrics();

function requireRubric(id: string) {
  const rubric = rubrics.get(id)?.rubric;
  if (!rubric) throw new Error(`test rubric ${id} missing`);
  return rubric;
}

const forst = requireRubric('bostad-forst');
const mini = requireRubric('mini-five');

function review(id: number, programId: number, reviewDate: string, version = '1.0'): FinalReview {
  return {
    id,
    programId,
    programName: `Program ${programId}`,
    municipalityCode: String(1000 + programId),
    municipalityName: `Kommun ${programId}`,
    kind: 'peer_review',
    reviewDate,
    snapshotId: 1,
    rubricId: 'bostad-forst',
    rubricVersion: version,
  };
}

function allScored(score: number): ScoreRow[] {
  return listIndicators(forst).map(({ indicator }) => ({ indicatorId: indicator.id, score, notApplicable: false }));
}

describe('buildBands', () => {
  it('gives every fidelity level a fill and a text colour with at least 4.5:1 contrast (WCAG AA), lightest first', () => {
    const sevenLevels = {
      ...forst,
      fidelity_levels: [0, 15, 30, 45, 60, 75, 90].map((min, index) => ({
        id: `level-${index}`,
        min_percent: min,
        label: { sv: `Nivå ${index}`, en: `Level ${index}` },
        definition: { sv: 'Test.', en: 'Test.' },
      })),
    };
    for (const rubric of [forst, mini, sevenLevels]) {
      const bands = buildBands(rubric, 'sv');
      expect(bands).toHaveLength(rubric.fidelity_levels.length);
      expect(bands.map((band) => band.minPercent)).toEqual([...rubric.fidelity_levels].map((l) => l.min_percent).sort((a, b) => a - b));
      for (const band of bands) expect(computeContrast(band.fill, band.textFill)).toBeGreaterThanOrEqual(4.5);
    }
    expect(buildBands(forst, 'sv').map((band) => band.minPercentLabel)).toEqual(['0\u00a0%', '50\u00a0%', '75\u00a0%', '87,5\u00a0%']);
  });
});

describe('pickLatestPerProgram', () => {
  it('keeps each program’s latest review by date, then id, sorted by municipality name', () => {
    const latest = pickLatestPerProgram([
      review(1, 2, '2024-01-01'),
      review(2, 1, '2023-05-05'),
      review(3, 2, '2025-01-01'),
      review(4, 2, '2025-01-01'),
    ]);
    expect(latest.map((r) => r.id)).toEqual([2, 4]);
  });
});

describe('buildHeatMap', () => {
  it('gives a cell per section and an overall cell with the value as text, coloured by level, and marks other versions', () => {
    const map = buildHeatMap(
      { rubric: forst, version: '1.0' },
      [review(1, 1, '2025-01-01'), review(2, 2, '2025-01-01', '0.9')],
      new Map([
        [1, allScored(4)],
        [2, []],
      ]),
      () => forst,
      'en',
    );
    expect(map.columns).toHaveLength(forst.sections.length);
    const [full, empty] = map.rows;
    expect(full?.cells.every((cell) => cell.text === '100' && cell.label === '100%' && cell.bandLabel !== '')).toBe(true);
    expect(full?.otherVersion).toBe(false);
    expect(empty?.cells.every((cell) => cell.text === '–' && cell.fill === '#ffffff')).toBe(true);
    expect(empty?.otherVersion).toBe(true);
    expect(map.hasOtherVersions).toBe(true);
    expect(map.svg.height).toBe(map.svg.headHeight + 2 * map.svg.cellHeight + 2);
  });
});

describe('buildHeatMap and the caps', () => {
  it('when a core element fails, then the overall cell shows the capped level, not the band of the average', () => {
    // Every indicator at 4 but the caseload (a core element) at 1: the average stays in the top band, the level is capped.
    const capped = allScored(4).map((row) => (row.indicatorId === 'b2-caseload' ? { ...row, score: 1 } : row));
    const map = buildHeatMap({ rubric: forst, version: '1.0' }, [review(1, 1, '2025-01-01')], new Map([[1, capped]]), () => forst, 'sv');
    const bands = buildBands(forst, 'sv');
    const partial = bands.find((band) => band.id === 'partial');
    const high = bands.find((band) => band.id === 'high');
    const overall = map.rows[0]?.overall;
    expect(overall?.text).toBe('100');
    expect(overall?.bandLabel).toBe('Delvis modelltrohet');
    expect(overall?.fill).toBe(partial?.fill);
    // A section's cell keeps the band of its own figure: the principles' sections are all at 100 %.
    expect(map.rows[0]?.cells[0]?.bandLabel).toBe(high?.label);
  });
});

describe('buildHeatMap with several kinds', () => {
  it('when told how to name kinds, then every row carries its kind and the SVG makes room for it; else rows carry none', () => {
    const self: FinalReview = { ...review(2, 2, '2025-01-01'), kind: 'self_assessment' };
    const reviews = [review(1, 1, '2025-01-01'), self];
    const consensus = new Map([
      [1, allScored(4)],
      [2, allScored(3)],
    ]);
    const plain = buildHeatMap({ rubric: forst, version: '1.0' }, reviews, consensus, () => forst, 'en');
    expect(plain.showKind).toBe(false);
    expect(plain.rows.map((row) => [row.kind, row.kindLabel])).toEqual([
      ['peer_review', ''],
      ['self_assessment', ''],
    ]);
    const named = buildHeatMap({ rubric: forst, version: '1.0' }, reviews, consensus, () => forst, 'en', {
      kindLabel: (kind) => (kind === 'peer_review' ? 'Peer review' : 'Self-assessment'),
    });
    expect(named.showKind).toBe(true);
    expect(named.rows.map((row) => row.kindLabel)).toEqual(['Peer review', 'Self-assessment']);
    expect(named.svg.labelWidth).toBe(plain.svg.labelWidth + named.svg.kindWidth);
    expect(named.svg.width).toBe(plain.svg.width + named.svg.kindWidth);
  });
});

describe('buildTrend', () => {
  it('places rounds left to right and draws a line only where two or more rounds have a value', () => {
    const trend = buildTrend(
      { rubric: forst, version: '1.0' },
      [review(1, 1, '2023-01-01'), review(2, 1, '2024-01-01')],
      new Map([
        [1, allScored(2)],
        [2, allScored(3)],
      ]),
      () => forst,
      'sv',
      'Totalt',
    );
    if (!trend) throw new Error('no trend');
    expect(trend.rounds.map((round) => round.reviewDate)).toEqual(['2023-01-01', '2024-01-01']);
    expect((trend.rounds[0]?.x ?? 0) < (trend.rounds[1]?.x ?? 0)).toBe(true);
    expect(trend.overall.values).toEqual(['50\u00a0%', '75\u00a0%']);
    expect(trend.overall.points.map((point) => point.text)).toEqual(['50', '75']);
    expect(trend.overall.polyline.split(' ')).toHaveLength(2);
    expect(trend.sections).toHaveLength(forst.sections.length);
    // Higher percent, higher up: a smaller y.
    expect((trend.overall.points[1]?.y ?? 0) < (trend.overall.points[0]?.y ?? 0)).toBe(true);
  });

  it('gives no trend when there are no rounds, and no line for a single round', () => {
    expect(buildTrend({ rubric: forst, version: '1.0' }, [], new Map(), () => forst, 'sv', 'Totalt')).toBeUndefined();
    const single = buildTrend(
      { rubric: forst, version: '1.0' },
      [review(1, 1, '2023-01-01')],
      new Map([[1, allScored(3)]]),
      () => forst,
      'sv',
      'Totalt',
    );
    expect(single?.overall.polyline).toBe('');
    expect(single?.overall.points).toHaveLength(1);
  });
});

describe('figures next to a level band', () => {
  // Section 2 of bostad-forst (four indicators scored 3, 3, 3 and 2 of 1–4) is at 68.75 %.
  const scores = listIndicators(forst).map(({ indicator }, index) => ({
    indicatorId: indicator.id,
    score: index < 9 ? 3 : 2,
    notApplicable: false,
  }));
  const justAbove = {
    id: 'just-above',
    min_percent: 68.8,
    label: { sv: 'Strax över', en: 'Just above' },
    definition: { sv: 'Test.', en: 'Test.' },
  };
  const banded = { ...forst, fidelity_levels: [...forst.fidelity_levels, justAbove] };
  const consensus = new Map([[1, scores]]);

  it('when a value sits just below a band, then its heat-map cell shows the extra decimal, as its label does, in the lower band', () => {
    const map = buildHeatMap({ rubric: banded, version: '1.0' }, [review(1, 1, '2025-01-01')], consensus, () => forst, 'sv');
    const cell = map.rows[0]?.cells[1];
    expect(cell?.percent).toBe(68.75);
    expect(cell?.text).toBe('68,75');
    expect(cell?.label).toBe('68,75\u00a0%');
    expect(cell?.bandLabel).toBe(forst.fidelity_levels.find((level) => level.min_percent === 50)?.label.sv);
  });

  it('when a value is a tie at one decimal, then the cell shows the digits its label shows ("68,75", not "68,8")', () => {
    const map = buildHeatMap({ rubric: forst, version: '1.0' }, [review(1, 1, '2025-01-01')], consensus, () => forst, 'sv');
    expect(map.rows[0]?.cells[1]?.text).toBe('68,75');
    expect(map.rows[0]?.cells[1]?.label).toBe('68,75\u00a0%');
  });

  it('when a value sits just below a band, then the trend’s point and value show it below the band too', () => {
    const trend = buildTrend({ rubric: banded, version: '1.0' }, [review(1, 1, '2025-01-01')], consensus, () => forst, 'sv', 'Totalt');
    const section = trend?.sections[1];
    expect(section?.points[0]?.text).toBe('68,75');
    expect(section?.values[0]).toBe('68,75\u00a0%');
  });
});
