// Figures: the radar and bar charts the model has placed, drawn as one tagged Figure with its alt text, and captions.
import type { BarChart, ChartLabel, RadarChart } from '../report-charts.js';
import type { Block } from '../report-model-types.js';
import { CONTENT_WIDTH } from '../report-page.js';
import type { PageFlow } from './page-flow.js';
import { applyText, BLOCK_GAP, COLOR, type Doc, FLOW_STYLE, FONT, LEFT, type Struct, strokeLine } from './pdf-style.js';
import { type ScopedStructOptions, tag } from './tagged-document.js';
import { type LaidText, type Typesetter, tagLines } from './text-layout.js';

type FigureBlock = Extract<Block, { type: 'figure' }>;

function layCaptions(set: Typesetter, block: FigureBlock): LaidText[] {
  return [block.caption, ...(block.note ? [block.note] : [])].map((text) => set.flow(text, FLOW_STYLE.small, CONTENT_WIDTH));
}

/** The space between a chart and its first caption, and below each caption. */
const CHART_GAP = 6;
const CAPTION_GAP = 2;

const captionsHeight = (captions: readonly LaidText[]) => captions.reduce((sum, laid) => sum + laid.height + CAPTION_GAP, 0);

/** The room a figure asks for where it starts (2 pt more than it takes). */
const heightWith = (block: FigureBlock, captions: readonly LaidText[]) => block.chart.height + 8 + captionsHeight(captions);

/** The room a figure takes: it is never split. */
export function measureFigure(set: Typesetter, block: FigureBlock): number {
  return heightWith(block, layCaptions(set, block));
}

/** How far down the page a figure moves what follows it, as addFigure draws it: chart, captions and the gap after. */
export function placedFigureHeight(set: Typesetter, block: FigureBlock): number {
  return block.chart.height + CHART_GAP + captionsHeight(layCaptions(set, block)) + BLOCK_GAP;
}

export function addFigure(set: Typesetter, pages: PageFlow, parent: Struct, block: FigureBlock): void {
  const { doc } = set;
  const chart = block.chart;
  const captions = layCaptions(set, block);
  pages.ensureSpace(heightWith(block, captions));
  const x0 = LEFT;
  const y0 = doc.y;
  const options: ScopedStructOptions = { alt: block.alt, bbox: [x0, y0, x0 + chart.width, y0 + chart.height], placement: 'Block' };
  parent.add(tag(doc, 'Figure', () => (chart.kind === 'radar' ? drawRadar(doc, chart, x0, y0) : drawBars(doc, chart, x0, y0)), options));
  doc.y = y0 + chart.height + CHART_GAP;
  for (const laid of captions) {
    const top = doc.y;
    parent.add(tagLines(doc, 'Caption', laid, { x: LEFT, top: () => top, width: CONTENT_WIDTH, align: 'left', flow: false }));
    doc.y += CAPTION_GAP;
  }
  doc.y += BLOCK_GAP;
}

function writeLabel(doc: Doc, label: ChartLabel, x0: number, y0: number, color: string = COLOR.text): void {
  applyText(doc, { font: label.bold ? FONT.bold : FONT.regular, size: label.size, color });
  const oneLine = label.height < label.size * 2;
  // A label shorter than its box sits in the box's middle, level with its bar.
  const used = oneLine ? label.height : Math.min(label.height, doc.heightOfString(label.text, { width: label.width, lineGap: 0 }));
  // The height and ellipsis keep the text inside the label's box, which the model keeps inside the chart.
  doc.text(label.text, x0 + label.x, y0 + label.y + (label.height - used) / 2, {
    width: label.width,
    height: used,
    align: label.align,
    ellipsis: true,
    lineBreak: !oneLine,
    lineGap: 0,
  });
}

function drawRadar(doc: Doc, chart: RadarChart, x0: number, y0: number): void {
  const cx = x0 + chart.centre.x;
  const cy = y0 + chart.centre.y;
  doc.save();
  for (const ring of chart.rings) doc.circle(cx, cy, ring.radius).lineWidth(0.6).strokeColor(COLOR.grid).stroke();
  for (const spoke of chart.spokes) strokeLine(doc, [cx, cy], [x0 + spoke.end.x, y0 + spoke.end.y], 0.6, COLOR.rule);
  doc.dash(3, { space: 2.5 });
  for (const threshold of chart.thresholds) doc.circle(cx, cy, threshold.radius).lineWidth(0.7).strokeColor(COLOR.previous).stroke();
  doc.undash();
  const points = chart.polygon.map((point): [number, number] => [x0 + point.x, y0 + point.y]);
  if (points.length >= 3) {
    doc
      .polygon(...points)
      .fillOpacity(0.18)
      .fill(COLOR.brand);
    doc.fillOpacity(1);
    doc
      .polygon(...points)
      .lineWidth(1.4)
      .strokeColor(COLOR.brand)
      .stroke();
  } else if (points.length === 2) {
    const [from, to] = points as [[number, number], [number, number]];
    strokeLine(doc, from, to, 1.4, COLOR.brand);
  }
  for (const [x, y] of points) doc.circle(x, y, 2.2).fill(COLOR.brand);
  doc.restore();
  for (const ring of chart.rings) writeLabel(doc, ring.label, x0, y0, COLOR.muted);
  for (const spoke of chart.spokes) {
    writeLabel(doc, spoke.label, x0, y0, COLOR.brand);
    writeLabel(doc, spoke.valueLabel, x0, y0);
  }
}

function drawBars(doc: Doc, chart: BarChart, x0: number, y0: number): void {
  const { plot } = chart;
  doc.save();
  for (const line of chart.gridlines) {
    const x = x0 + plot.x + (plot.width * line.percent) / 100;
    strokeLine(doc, [x, y0 + plot.y], [x, y0 + plot.y + plot.height], 0.5, COLOR.grid);
  }
  doc.dash(3, { space: 2.5 });
  for (const threshold of chart.thresholds) {
    strokeLine(doc, [x0 + threshold.x, y0 + plot.y], [x0 + threshold.x, y0 + plot.y + plot.height], 0.8, COLOR.previous);
  }
  doc.undash();
  for (const row of chart.rows) {
    if (row.previousBar && row.previousBar.width > 0) {
      doc.rect(x0 + row.previousBar.x, y0 + row.previousBar.y, row.previousBar.width, row.previousBar.height).fill(COLOR.previous);
    }
    if (row.bar.width > 0) doc.rect(x0 + row.bar.x, y0 + row.bar.y, row.bar.width, row.bar.height).fill(COLOR.brand);
  }
  strokeLine(doc, [x0 + plot.x, y0 + plot.y], [x0 + plot.x, y0 + plot.y + plot.height], 0.8, COLOR.muted);
  for (const entry of chart.legend) {
    doc
      .rect(x0 + entry.swatch.x, y0 + entry.swatch.y, entry.swatch.width, entry.swatch.height)
      .fill(entry.previous ? COLOR.previous : COLOR.brand);
  }
  doc.restore();
  for (const line of chart.gridlines) writeLabel(doc, line.label, x0, y0, COLOR.muted);
  for (const row of chart.rows) {
    writeLabel(doc, row.label, x0, y0);
    writeLabel(doc, row.valueLabel, x0, y0);
  }
  for (const entry of chart.legend) writeLabel(doc, entry.label, x0, y0);
}
