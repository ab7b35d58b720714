import { describe, expect, it } from 'vitest';
import { buildBarChart, buildRadarChart, type Chart, type ChartValue, listChartShapes } from '../../src/reports/report-charts.js';

function makeValues(count: number, percentOf: (index: number) => number | null = (index) => (index * 37) % 101): ChartValue[] {
  return Array.from({ length: count }, (_, index) => {
    const percent = percentOf(index);
    return {
      sectionId: `s${index + 1}`,
      code: `S${index + 1}`,
      title: `S${index + 1} Ett avsnitt med en lång titel – åäö é`,
      percent,
      percentText: percent === null ? '–' : `${Math.round(percent)} %`,
    };
  });
}

function expectInsideBox(chart: Chart): void {
  const { rects, points } = listChartShapes(chart);
  for (const rect of rects) {
    expect(rect.x).toBeGreaterThanOrEqual(0);
    expect(rect.y).toBeGreaterThanOrEqual(0);
    expect(rect.x + rect.width).toBeLessThanOrEqual(chart.width + 1e-9);
    expect(rect.y + rect.height).toBeLessThanOrEqual(chart.height + 1e-9);
  }
  for (const point of points) {
    expect(point.x).toBeGreaterThanOrEqual(0);
    expect(point.y).toBeGreaterThanOrEqual(0);
    expect(point.x).toBeLessThanOrEqual(chart.width + 1e-9);
    expect(point.y).toBeLessThanOrEqual(chart.height + 1e-9);
  }
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const percentLabel = (percent: number) => `${percent} %`;

describe('buildRadarChart', () => {
  it.each([3, 5, 8, 12])('when there are %i sections, then there is one spoke each and everything stays in the box', (count) => {
    const chart = buildRadarChart(makeValues(count), { width: 471, height: 300 }, [50, 75, 87.5], percentLabel);
    expect(chart.spokes).toHaveLength(count);
    expect(chart.spokes.map((spoke) => spoke.sectionId)).toEqual(makeValues(count).map((value) => value.sectionId));
    expect(chart.polygon).toHaveLength(count);
    expectInsideBox(chart);
  });

  it('when a value is a percent, then its point lies on its spoke at that share of the radius', () => {
    const chart = buildRadarChart(
      makeValues(4, (index) => [100, 50, 0, 25][index] ?? 0),
      { width: 400, height: 300 },
      [],
      percentLabel,
    );
    const [top, right, bottom, left] = chart.spokes;
    expect(top?.point).toEqual({ x: chart.centre.x, y: chart.centre.y - chart.radius });
    expect(right?.point?.x).toBeCloseTo(chart.centre.x + chart.radius / 2, 1);
    expect(right?.point?.y).toBeCloseTo(chart.centre.y, 1);
    expect(bottom?.point).toEqual(chart.centre);
    expect(left?.point?.x).toBeCloseTo(chart.centre.x - chart.radius / 4, 1);
  });

  it('when a section has no score, then its spoke has no point and the polygon skips it', () => {
    const chart = buildRadarChart(
      makeValues(5, (index) => (index === 2 ? null : 60)),
      { width: 471, height: 300 },
      [],
      percentLabel,
    );
    expect(chart.spokes[2]?.point).toBeUndefined();
    expect(chart.polygon).toHaveLength(4);
  });

  it('when the labels of the spokes are laid out, then no two overlap', () => {
    for (const count of [3, 6, 8, 12]) {
      const chart = buildRadarChart(makeValues(count), { width: 471, height: 300 }, [], percentLabel);
      const labels = chart.spokes.map((spoke) => ({ ...spoke.label, height: spoke.label.height + spoke.valueLabel.height }));
      for (let a = 0; a < labels.length; a++) {
        for (let b = a + 1; b < labels.length; b++) {
          expect(
            overlaps(labels[a] as (typeof labels)[number], labels[b] as (typeof labels)[number]),
            `${count} spokes: ${a} and ${b}`,
          ).toBe(false);
        }
      }
    }
  });

  it('when there are fewer than three or more than twelve sections, then it refuses (they are drawn as bars)', () => {
    expect(() => buildRadarChart(makeValues(2), { width: 471, height: 300 }, [], percentLabel)).toThrow(/at least 3/);
    expect(() => buildRadarChart(makeValues(13), { width: 471, height: 300 }, [], percentLabel)).toThrow(/at most 12/);
  });

  it('when a percent lies outside 0–100, then its point is clamped to the chart', () => {
    const chart = buildRadarChart(
      makeValues(3, () => 140),
      { width: 471, height: 300 },
      [],
      percentLabel,
    );
    expectInsideBox(chart);
  });
});

describe('buildBarChart', () => {
  it.each([1, 2, 6, 14, 30])(
    'when there are %i sections, then there is one bar each, no rows overlap and everything stays in the box',
    (count) => {
      const chart = buildBarChart(makeValues(count), { width: 471, thresholdPercents: [50, 75, 87.5], gridLabel: percentLabel });
      expect(chart.rows).toHaveLength(count);
      expectInsideBox(chart);
      chart.rows.forEach((row, index) => {
        const next = chart.rows[index + 1];
        if (next) {
          expect(row.bar.y + row.bar.height).toBeLessThanOrEqual(next.bar.y);
          expect(overlaps(row.label, next.label)).toBe(false);
        }
        expect(overlaps(row.label, row.bar)).toBe(false);
        expect(overlaps(row.bar, row.valueLabel)).toBe(false);
      });
    },
  );

  it('when the values differ, then the bars are proportional to the percent on a 0–100 axis', () => {
    const chart = buildBarChart(
      makeValues(3, (index) => [100, 50, null][index] ?? null),
      { width: 471, thresholdPercents: [], gridLabel: percentLabel },
    );
    expect(chart.rows[0]?.bar.width).toBeCloseTo(chart.plot.width, 1);
    expect(chart.rows[1]?.bar.width).toBeCloseTo(chart.plot.width / 2, 1);
    expect(chart.rows[2]?.bar.width).toBe(0);
    expect(chart.gridlines.map((line) => line.percent)).toEqual([0, 25, 50, 75, 100]);
  });

  it('when it is a trend chart, then each row also has the earlier value and there is a legend', () => {
    const values = makeValues(4, () => 80);
    const previous = new Map(values.map((value, index) => [value.sectionId, index === 3 ? null : 40]));
    const chart = buildBarChart(values, { width: 471, thresholdPercents: [], gridLabel: percentLabel, previous, legend: ['Förra', 'Nu'] });
    expect(chart.rows.map((row) => row.previousBar?.width)).toEqual(
      [chart.plot.width * 0.4, chart.plot.width * 0.4, chart.plot.width * 0.4, 0].map((w) => Math.round(w * 100) / 100),
    );
    expect(chart.legend).toHaveLength(2);
    expectInsideBox(chart);
    for (const row of chart.rows) if (row.previousBar) expect(overlaps(row.previousBar, row.bar)).toBe(false);
  });

  it('when thresholds are given, then each one inside the axis gets a line', () => {
    const chart = buildBarChart(makeValues(2), { width: 471, thresholdPercents: [0, 60, 80, 100], gridLabel: percentLabel });
    expect(chart.thresholds.map((threshold) => threshold.percent)).toEqual([60, 80]);
  });
});
