import { describe, expect, it } from 'vitest';
import {
  buildBands,
  buildHeatMap,
  buildTrend,
  computeContrast,
  describeOverallSections,
  listProgramsWithoutReview,
  pickLatestPerProgram,
  wrapWords,
} from '../../src/research/comparison.js';
import type { FinalReview, ScoreRow } from '../../src/research/research-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { FROZEN_1_1_RUBRIC_FILE, loadTestRubrics } from '../helpers/test-app.js';

const rubrics = loadTestRubrics();
const frozen11 = loadTestRubrics([FROZEN_1_1_RUBRIC_FILE]).get('bostad-forst')?.rubric;

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
    const [peer] = trend.overall.series;
    expect(trend.overall.series.map((series) => series.kind)).toEqual(['peer_review']);
    expect(peer?.points.map((point) => point.text)).toEqual(['50', '75']);
    expect(peer?.lines).toHaveLength(1);
    expect(peer?.lines[0]?.split(' ')).toHaveLength(2);
    expect(trend.sections).toHaveLength(forst.sections.length);
    // Higher percent, higher up: a smaller y.
    expect((peer?.points[1]?.y ?? 0) < (peer?.points[0]?.y ?? 0)).toBe(true);
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
    expect(single?.overall.series[0]?.lines).toEqual([]);
    expect(single?.overall.series[0]?.points).toHaveLength(1);
  });
});

describe('buildTrend with several kinds and versions', () => {
  it('when the rounds are of two kinds, then each kind is a series of its own, with its own marker and dash, never joined to the other', () => {
    const self: FinalReview = { ...review(2, 1, '2024-01-01'), kind: 'self_assessment' };
    const trend = buildTrend(
      { rubric: forst, version: '1.0' },
      [review(1, 1, '2023-01-01'), self, review(3, 1, '2025-01-01')],
      new Map([
        [1, allScored(2)],
        [2, allScored(4)],
        [3, allScored(3)],
      ]),
      () => forst,
      'sv',
      'Totalt',
    );
    if (!trend) throw new Error('no trend');
    expect(trend.kinds.map((kind) => [kind.kind, kind.marker, kind.dash])).toEqual([
      ['peer_review', 'circle', ''],
      ['self_assessment', 'square', '5 3'],
    ]);
    const [peer, selfSeries] = trend.overall.series;
    // The peer line joins rounds 1 and 3 only; the self-assessment of round 2 is a point of its own.
    expect(peer?.points.map((point) => point.text)).toEqual(['50', '75']);
    expect(peer?.lines).toEqual([`${trend.rounds[0]?.x},${peer?.points[0]?.y} ${trend.rounds[2]?.x},${peer?.points[1]?.y}`]);
    expect(selfSeries?.points.map((point) => [point.x, point.text])).toEqual([[trend.rounds[1]?.x, '100']]);
    expect(selfSeries?.lines).toEqual([]);
    expect(trend.versionBreaks).toEqual([]);
  });

  it('when the rubric version changes between rounds, then no line crosses the change, and the change is marked between them', () => {
    if (!frozen11) throw new Error('rubric 1.1 missing');
    const old: FinalReview = { ...review(1, 1, '2023-01-01', '1.1'), snapshotId: 2 };
    const trend = buildTrend(
      { rubric: forst, version: '2.0' },
      [old, review(2, 1, '2024-01-01', '2.0'), review(3, 1, '2025-01-01', '2.0')],
      new Map([
        [1, allScored(2)],
        [2, allScored(3)],
        [3, allScored(4)],
      ]),
      (snapshotId) => (snapshotId === 2 ? frozen11 : forst),
      'sv',
      'Totalt',
    );
    if (!trend) throw new Error('no trend');
    const [peer] = trend.overall.series;
    expect(peer?.points).toHaveLength(3);
    expect(peer?.lines).toHaveLength(1);
    expect(peer?.lines[0]?.startsWith(`${trend.rounds[1]?.x},`)).toBe(true);
    const [first, second] = trend.rounds;
    expect(trend.versionBreaks).toEqual([{ x: ((first?.x ?? 0) + (second?.x ?? 0)) / 2, from: '1.1', to: '2.0' }]);
    // Each round says over which sections its own overall figure is taken.
    expect(trend.rounds.map((round) => [round.rubricVersion, round.otherVersion, round.overallCodes])).toEqual([
      ['1.1', true, 'A1–B6'],
      ['2.0', false, 'A1–A8'],
      ['2.0', false, 'A1–A8'],
    ]);
  });
});

describe('the overall column', () => {
  it('names the sections the overall figure is the mean of from the rubric’s parts: A1–A8 in 2.0, every section in 1.1', () => {
    if (!frozen11) throw new Error('rubric 1.1 missing');
    expect(describeOverallSections(forst)).toBe('A1–A8');
    expect(describeOverallSections(frozen11)).toBe('A1–B6');
    const label = (codes: string | undefined) => (codes === undefined ? 'Sammanvägd modelltrohet' : `Sammanvägd modelltrohet (${codes})`);
    const map = buildHeatMap(
      { rubric: forst, version: '2.0' },
      [review(1, 1, '2025-01-01')],
      new Map([[1, allScored(3)]]),
      () => forst,
      'sv',
      {
        kindLabel: undefined,
        overallLabel: label,
      },
    );
    expect(map.overallCodes).toBe('A1–A8');
    expect(map.overallLabel).toBe('Sammanvägd modelltrohet (A1–A8)');
    // Its head is wrapped over lines inside the column, which is set apart from the last section and ends the chart.
    expect(map.svg.overallHeadLines.map((line) => line.text)).toEqual(['Sammanvägd', 'modelltrohet', '(A1–A8)']);
    const lastSectionEnd = map.svg.labelWidth + map.columns.length * map.svg.cellWidth;
    expect(map.svg.overallX).toBeGreaterThan(lastSectionEnd);
    expect(map.svg.overallX + map.svg.overallWidth).toBeLessThanOrEqual(map.svg.width);
    expect(map.svg.overallHeadLines.every((line) => line.y > 0 && line.y < map.svg.headHeight)).toBe(true);
    const old = buildHeatMap(
      { rubric: frozen11, version: '1.1' },
      [review(1, 1, '2025-01-01')],
      new Map([[1, allScored(3)]]),
      () => frozen11,
      'sv',
      {
        kindLabel: undefined,
        overallLabel: label,
      },
    );
    expect(old.overallCodes).toBeUndefined();
    expect(old.overallLabel).toBe('Sammanvägd modelltrohet');
  });

  it('when a core element caps the level, then the row carries the cap in words and the rubric’s reason; else none', () => {
    const capped = allScored(4).map((row) => (row.indicatorId === 'b2-caseload' ? { ...row, score: 1 } : row));
    const map = buildHeatMap(
      { rubric: forst, version: '1.0' },
      [review(1, 1, '2025-01-01'), review(2, 2, '2025-01-01')],
      new Map([
        [1, capped],
        [2, allScored(4)],
      ]),
      () => forst,
      'sv',
    );
    expect(map.hasCaps).toBe(true);
    const [cappedRow, plainRow] = map.rows;
    expect(cappedRow?.cap?.sentences).toEqual([expect.stringMatching(/^Nivån begränsas till Delvis modelltrohet: indikatorn B2\.1 /)]);
    expect(cappedRow?.cap?.reasons).toEqual([forst.caps?.[0]?.reason.sv]);
    expect(plainRow?.cap).toBeUndefined();
  });

  it('wraps words over lines of a given length, a longer word on a line of its own', () => {
    expect(wrapWords('Overall fidelity (A1–A8)', 14)).toEqual(['Overall', 'fidelity', '(A1–A8)']);
    expect(wrapWords('a b c Kärnkomponentsbegränsning', 5)).toEqual(['a b c', 'Kärnkomponentsbegränsning']);
  });
});

describe('listProgramsWithoutReview', () => {
  it('names the programs with no row, by municipality, with the program where the municipality has several', () => {
    const programs = [
      { programId: 1, programName: 'Program 1', municipalityCode: '1001', municipalityName: 'Kommun 1' },
      { programId: 2, programName: 'Program 2', municipalityCode: '1002', municipalityName: 'Kommun 2' },
      { programId: 3, programName: 'Norr', municipalityCode: '1003', municipalityName: 'Kommun 3' },
      { programId: 4, programName: 'Söder', municipalityCode: '1003', municipalityName: 'Kommun 3' },
    ];
    expect(listProgramsWithoutReview(programs, [review(1, 1, '2025-01-01'), { ...review(5, 3, '2025-01-01') }])).toEqual([
      'Kommun 2',
      'Kommun 3: Söder',
    ]);
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
    expect(section?.series[0]?.points[0]?.text).toBe('68,75');
    expect(section?.values[0]).toBe('68,75\u00a0%');
  });
});
