// Geometry of the report's charts, decided here so it can be tested without a PDF. Pure: no I/O.
//
// Every chart plots percent of maximum (0–100), which stays comparable whatever the rubric's scales are,
// and has one spoke or row per rubric section whatever the number of sections. Coordinates are points
// from the chart box's top-left corner, y downwards as on the page. Every label is a box (x, y, width,
// lines × line height) inside the chart box; the renderer writes its text inside that box and never
// outside it (it clips with an ellipsis), so nothing a chart draws can leave the box.

export type Point = { readonly x: number; readonly y: number };

export type Rect = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

export type ChartLabel = Rect & {
  readonly text: string;
  readonly align: 'left' | 'center' | 'right';
  /** Font size in points; the box is `lines` lines of LABEL_LINE_HEIGHT × size high. */
  readonly size: number;
  readonly bold: boolean;
};

/** One section's value on a chart: percent of maximum, or null when the section has no score. */
export type ChartValue = {
  readonly sectionId: string;
  /** "A1". */
  readonly code: string;
  /** "A1 En egen bostad …": what a row chart prints beside its bar. */
  readonly title: string;
  readonly percent: number | null;
  /** Formatted percent for the label ("80 %", "–"). */
  readonly percentText: string;
  /** The section's name beside its code on a radar spoke ("A1 En egen bostad …"); only the code when left out. */
  readonly name?: string | undefined;
};

export type Gridline = { readonly percent: number; readonly label: ChartLabel };

export type RadarSpoke = {
  readonly sectionId: string;
  readonly end: Point;
  /** Where the section's value lies on the spoke; undefined when the section has no score. */
  readonly point: Point | undefined;
  readonly label: ChartLabel;
  readonly valueLabel: ChartLabel;
};

export type RadarChart = {
  readonly kind: 'radar';
  readonly width: number;
  readonly height: number;
  readonly centre: Point;
  readonly radius: number;
  /** Rings at 25, 50, 75 and 100 %, each labelled. */
  readonly rings: readonly { readonly radius: number; readonly label: ChartLabel }[];
  /** Dashed rings at the fidelity levels' thresholds. */
  readonly thresholds: readonly { readonly percent: number; readonly radius: number }[];
  readonly spokes: readonly RadarSpoke[];
  /** The scored sections' points in spoke order; the polygon the renderer fills. */
  readonly polygon: readonly Point[];
};

export type BarRow = {
  readonly sectionId: string;
  readonly label: ChartLabel;
  /** The current value's bar; width 0 when the section has no score. */
  readonly bar: Rect;
  /** The earlier review's bar on a trend chart. */
  readonly previousBar: Rect | undefined;
  readonly valueLabel: ChartLabel;
};

export type BarChart = {
  readonly kind: 'bars';
  readonly width: number;
  readonly height: number;
  /** The area the percent axis spans: x is 0 %, x + width is 100 %. */
  readonly plot: Rect;
  readonly gridlines: readonly Gridline[];
  /** Dashed vertical lines at the fidelity levels' thresholds. */
  readonly thresholds: readonly { readonly percent: number; readonly x: number }[];
  readonly rows: readonly BarRow[];
  /** A legend (earlier review, this review) on trend charts. */
  readonly legend: readonly { readonly swatch: Rect; readonly previous: boolean; readonly label: ChartLabel }[];
};

export type Chart = RadarChart | BarChart;

export const LABEL_LINE_HEIGHT = 1.25;
const GRID_PERCENTS = [0, 25, 50, 75, 100] as const;
const RING_PERCENTS = [25, 50, 75, 100] as const;
const RADAR_LABEL_WIDTH = 64;
const RADAR_LABEL_SIZE = 8;
/** Spokes labelled with their sections' names: a wider box of up to three lines in a smaller size. */
const RADAR_NAMED_LABEL_WIDTH = 96;
const RADAR_NAMED_LABEL_SIZE = 7;
const RADAR_NAMED_LABEL_LINES = 3;
const RADAR_LABEL_GAP = 8;
const AXIS_LABEL_SIZE = 6.5;
const ROW_LABEL_SIZE = 7.5;
const VALUE_LABEL_WIDTH = 64;
/** "81 % (+18 p.e.)" on a trend chart. */
const TREND_VALUE_LABEL_WIDTH = 96;
const EDGE = 2;

/** A radar needs three spokes to enclose an area: fewer sections are drawn as bars instead. */
export const MIN_RADAR_SPOKES = 3;
/** Beyond this many spokes their labels no longer fit around the circle: more sections are drawn as bars. */
export const MAX_RADAR_SPOKES = 12;

function labelHeight(size: number, lines: number): number {
  return size * LABEL_LINE_HEIGHT * lines;
}

function round(value: number): number {
  // Two decimals are finer than any printer and keep the model (and so the PDF) free of float noise.
  return Math.round(value * 100) / 100;
}

function clampPercent(percent: number): number {
  return Math.min(100, Math.max(0, percent));
}

function makeLabel(fields: Omit<ChartLabel, 'x' | 'y' | 'width' | 'height'> & Rect): ChartLabel {
  return { ...fields, x: round(fields.x), y: round(fields.y), width: round(fields.width), height: round(fields.height) };
}

/**
 * A radar of the given sections: spokes clockwise from the top, rings at 25/50/75/100 %, the radius as
 * large as the box allows once every spoke's label (code above, percent below) fits inside it.
 */
export function buildRadarChart(
  values: readonly ChartValue[],
  box: { readonly width: number; readonly height: number },
  thresholdPercents: readonly number[],
  ringLabel: (percent: number) => string,
): RadarChart {
  if (values.length < MIN_RADAR_SPOKES || values.length > MAX_RADAR_SPOKES) {
    throw new Error(`a radar takes at least ${MIN_RADAR_SPOKES} and at most ${MAX_RADAR_SPOKES} sections`);
  }
  const named = values.some((value) => value.name !== undefined && value.name !== '');
  const labelWidth = named ? RADAR_NAMED_LABEL_WIDTH : RADAR_LABEL_WIDTH;
  const nameSize = named ? RADAR_NAMED_LABEL_SIZE : RADAR_LABEL_SIZE;
  // The name's lines, then one line for the value.
  const nameHeight = labelHeight(nameSize, named ? RADAR_NAMED_LABEL_LINES : 1);
  const valueHeight = labelHeight(named ? RADAR_NAMED_LABEL_SIZE : RADAR_LABEL_SIZE, 1);
  const labelBoxHeight = nameHeight + valueHeight;
  const radius = round(
    Math.max(10, Math.min(box.width / 2 - RADAR_LABEL_GAP - labelWidth - EDGE, box.height / 2 - RADAR_LABEL_GAP - labelBoxHeight - EDGE)),
  );
  const centre = { x: round(box.width / 2), y: round(box.height / 2) };
  const at = (index: number, distance: number): Point => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / values.length;
    return { x: round(centre.x + distance * Math.cos(angle)), y: round(centre.y + distance * Math.sin(angle)) };
  };

  const spokes = values.map((value, index): RadarSpoke => {
    const end = at(index, radius);
    const anchor = at(index, radius + RADAR_LABEL_GAP);
    const dx = anchor.x - centre.x;
    const dy = anchor.y - centre.y;
    // Labels sit outside the spoke's end: left of it on the left half, right of it on the right half,
    // centred at the top and bottom; above the end in the upper part, below it in the lower part.
    const horizontal = Math.abs(dx) < radius * 0.2 ? 'center' : dx > 0 ? 'left' : 'right';
    const x = horizontal === 'center' ? anchor.x - labelWidth / 2 : horizontal === 'left' ? anchor.x : anchor.x - labelWidth;
    const vertical = Math.abs(dy) < radius * 0.2 ? 'middle' : dy < 0 ? 'above' : 'below';
    const y = vertical === 'middle' ? anchor.y - labelBoxHeight / 2 : vertical === 'above' ? anchor.y - labelBoxHeight : anchor.y;
    const point = value.percent === null ? undefined : at(index, (radius * clampPercent(value.percent)) / 100);
    const text = value.name ? `${value.code} ${value.name}` : value.code;
    return {
      sectionId: value.sectionId,
      end,
      point,
      label: makeLabel({ x, y, width: labelWidth, height: nameHeight, text, align: horizontal, size: nameSize, bold: true }),
      valueLabel: makeLabel({
        x,
        y: y + nameHeight,
        width: labelWidth,
        height: valueHeight,
        text: value.percentText,
        align: horizontal,
        size: named ? RADAR_NAMED_LABEL_SIZE : RADAR_LABEL_SIZE,
        bold: false,
      }),
    };
  });

  const ringLabelHeight = labelHeight(AXIS_LABEL_SIZE, 1);
  return {
    kind: 'radar',
    width: box.width,
    height: box.height,
    centre,
    radius,
    rings: RING_PERCENTS.map((percent) => {
      const ringRadius = round((radius * percent) / 100);
      return {
        radius: ringRadius,
        // Just right of the upward spoke, under the ring line.
        label: makeLabel({
          x: centre.x + 2,
          y: centre.y - ringRadius + 1,
          width: 30,
          height: ringLabelHeight,
          text: ringLabel(percent),
          align: 'left',
          size: AXIS_LABEL_SIZE,
          bold: false,
        }),
      };
    }),
    thresholds: thresholdPercents
      .filter((percent) => percent > 0 && percent <= 100)
      .map((percent) => ({ percent, radius: round((radius * percent) / 100) })),
    spokes,
    polygon: spokes.flatMap((spoke) => (spoke.point ? [spoke.point] : [])),
  };
}

export type BarChartOptions = {
  readonly width: number;
  readonly thresholdPercents: readonly number[];
  readonly gridLabel: (percent: number) => string;
  /** The earlier review's percent per section id, for a trend chart. */
  readonly previous?: ReadonlyMap<string, number | null>;
  /** Legend texts for a trend chart: [earlier review, this review]. */
  readonly legend?: readonly [string, string];
};

const ROW_HEIGHT = 24;
const TREND_ROW_HEIGHT = 28;
const LABEL_COLUMN_SHARE = 0.38;

/**
 * Horizontal bars, one row per section, on a 0–100 % axis with the gridline labels above the plot.
 * Its height follows from the number of rows, so any number of sections fits without overlap.
 */
export function buildBarChart(values: readonly ChartValue[], options: BarChartOptions): BarChart {
  const { width, previous, legend } = options;
  const trend = previous !== undefined;
  const rowHeight = trend ? TREND_ROW_HEIGHT : ROW_HEIGHT;
  const legendHeight = trend && legend ? 16 : 0;
  const axisLabelHeight = labelHeight(AXIS_LABEL_SIZE, 1);
  const top = legendHeight + axisLabelHeight + 4;
  const labelWidth = round(width * LABEL_COLUMN_SHARE);
  const plotX = labelWidth + 8;
  const valueWidth = trend ? TREND_VALUE_LABEL_WIDTH : VALUE_LABEL_WIDTH;
  // Room at both ends for a centred gridline label, and on the right for the value label.
  const plotWidth = round(width - plotX - valueWidth - 6);
  const plot = { x: plotX, y: top, width: plotWidth, height: rowHeight * values.length };
  const xOf = (percent: number) => round(plotX + (plotWidth * clampPercent(percent)) / 100);
  const height = round(top + plot.height + 4);

  const rows = values.map((value, index): BarRow => {
    const rowTop = top + index * rowHeight;
    const labelBox = labelHeight(ROW_LABEL_SIZE, 2);
    const previousPercent = previous?.get(value.sectionId);
    const barHeight = trend ? 9 : 12;
    const barY = trend ? rowTop + rowHeight / 2 + 0.5 : rowTop + (rowHeight - barHeight) / 2;
    return {
      sectionId: value.sectionId,
      label: makeLabel({
        x: 0,
        y: rowTop + (rowHeight - labelBox) / 2,
        width: labelWidth,
        height: labelBox,
        text: value.title,
        align: 'left',
        size: ROW_LABEL_SIZE,
        bold: false,
      }),
      bar: {
        x: plotX,
        y: round(barY),
        width: value.percent === null ? 0 : round(xOf(value.percent) - plotX),
        height: barHeight,
      },
      previousBar: trend
        ? {
            x: plotX,
            y: round(rowTop + rowHeight / 2 - 7.5),
            width: previousPercent == null ? 0 : round(xOf(previousPercent) - plotX),
            height: 7,
          }
        : undefined,
      valueLabel: makeLabel({
        x: plotX + plotWidth + 6,
        y: rowTop + (rowHeight - labelHeight(ROW_LABEL_SIZE, 1)) / 2,
        width: valueWidth,
        height: labelHeight(ROW_LABEL_SIZE, 1),
        text: value.percentText,
        align: 'left',
        size: ROW_LABEL_SIZE,
        bold: true,
      }),
    };
  });

  const gridLabelWidth = 28;
  return {
    kind: 'bars',
    width,
    height,
    plot,
    gridlines: GRID_PERCENTS.map((percent) => ({
      percent,
      label: makeLabel({
        x: xOf(percent) - gridLabelWidth / 2,
        y: legendHeight,
        width: gridLabelWidth,
        height: axisLabelHeight,
        text: options.gridLabel(percent),
        align: 'center',
        size: AXIS_LABEL_SIZE,
        bold: false,
      }),
    })),
    thresholds: options.thresholdPercents
      .filter((percent) => percent > 0 && percent < 100)
      .map((percent) => ({ percent, x: xOf(percent) })),
    rows,
    legend:
      trend && legend
        ? legend.map((text, index) => {
            const x = plotX + index * 120;
            return {
              swatch: { x, y: 3, width: 14, height: index === 0 ? 7 : 9 },
              previous: index === 0,
              label: makeLabel({
                x: x + 18,
                y: 1,
                width: 100,
                height: labelHeight(ROW_LABEL_SIZE, 1),
                text,
                align: 'left',
                size: ROW_LABEL_SIZE,
                bold: false,
              }),
            };
          })
        : [],
  };
}

/** Every rectangle and point a chart draws, for checks that nothing leaves the chart box. */
export function listChartShapes(chart: Chart): { rects: Rect[]; points: Point[] } {
  if (chart.kind === 'radar') {
    return {
      rects: [...chart.rings.map((ring) => ring.label), ...chart.spokes.flatMap((spoke) => [spoke.label, spoke.valueLabel])],
      points: [
        ...chart.spokes.flatMap((spoke) => (spoke.point ? [spoke.end, spoke.point] : [spoke.end])),
        ...chart.rings.flatMap((ring) => [
          { x: chart.centre.x - ring.radius, y: chart.centre.y - ring.radius },
          { x: chart.centre.x + ring.radius, y: chart.centre.y + ring.radius },
        ]),
      ],
    };
  }
  return {
    rects: [
      chart.plot,
      ...chart.gridlines.map((line) => line.label),
      ...chart.rows.flatMap((row) => [row.label, row.bar, row.valueLabel, ...(row.previousBar ? [row.previousBar] : [])]),
      ...chart.legend.flatMap((entry) => [entry.swatch, entry.label]),
    ],
    points: chart.thresholds.flatMap((threshold) => [
      { x: threshold.x, y: chart.plot.y },
      { x: threshold.x, y: chart.plot.y + chart.plot.height },
    ]),
  };
}
