// Lays a ReportModel out as a tagged PDF: the only file that imports pdfkit. It decides no text and no
// number (the model has them all), only where things go on the page.
//
// Reproducible: the creation and modification dates come from the model, pdfkit derives the file ID from
// the info dictionary, and nothing here reads the clock or draws random numbers, so the same model gives
// the same bytes.
//
// Accessible: a tagged PDF (Document > Sect > H1/H2/H3, P, L/LI/Lbl/LBody, Table/TR/TH/TD, Figure with alt
// text, TOC/TOCI) in reading order, with the language and title set and the title shown by viewers.
// Running headers, footers, rules and cell backgrounds are marked as artifacts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { BarChart, ChartLabel, RadarChart } from '../report-charts.js';
import type { Block, HeadingBlock, Paragraph, ReportModel, TableBlock, TableCell, TextStyle } from '../report-model.js';
import { CONTENT_WIDTH, PAGE } from '../report-page.js';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

export type ReportFonts = { readonly regular: Uint8Array; readonly bold: Uint8Array };
export type RenderedPdf = { readonly pdf: Uint8Array; readonly pageCount: number };

/** DejaVu Sans from the dejavu-fonts-ttf package: free licence, covers å ä ö é, the en dash and ≥. */
export function loadReportFonts(): ReportFonts {
  const require = createRequire(import.meta.url);
  return {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
}

const COLOR = {
  text: '#1f2328',
  muted: '#4f5660',
  brand: '#0b4f8a',
  brandPale: '#edf3f9',
  coverAccent: '#c9dcef',
  rule: '#c5ccd5',
  grid: '#dfe3e8',
  zebra: '#f5f7fa',
  headerFill: '#e6edf5',
  previous: '#a9c0d9',
  white: '#ffffff',
} as const;

const FONT = { regular: 'body', bold: 'bold' } as const;

type TextSpec = { readonly font: string; readonly size: number; readonly color: string };

const FLOW_STYLE: Record<TextStyle, TextSpec> = {
  body: { font: FONT.regular, size: 9.5, color: COLOR.text },
  strong: { font: FONT.bold, size: 9.5, color: COLOR.text },
  muted: { font: FONT.regular, size: 9, color: COLOR.muted },
  small: { font: FONT.regular, size: 8, color: COLOR.muted },
};

const TABLE_STYLE: Record<TextStyle, TextSpec> = {
  body: { font: FONT.regular, size: 8.5, color: COLOR.text },
  strong: { font: FONT.bold, size: 8.5, color: COLOR.text },
  muted: { font: FONT.regular, size: 8, color: COLOR.muted },
  small: { font: FONT.regular, size: 7.5, color: COLOR.muted },
};

const HEADING_STYLE = {
  1: { spec: { font: FONT.bold, size: 19, color: COLOR.brand }, before: 0, after: 10 },
  2: { spec: { font: FONT.bold, size: 13, color: COLOR.text }, before: 14, after: 6 },
  3: { spec: { font: FONT.bold, size: 10, color: COLOR.text }, before: 8, after: 3 },
} as const;

const LINE_GAP = 1.6;
const PARAGRAPH_GAP = 5;
const BLOCK_GAP = 10;
const CELL_PAD_X = 5;
const CELL_PAD_Y = 4;
const CELL_PARAGRAPH_GAP = 2.5;
/** A heading is never the last thing on a page: it keeps this much of what follows with it. */
const KEEP_WITH_NEXT = 64;
const TOP = PAGE.marginTop;
const BOTTOM = PAGE.height - PAGE.marginBottom;
const LEFT = PAGE.marginLeft;

/** pdfkit options its typings lack: table scope on TH, and the outline destination. */
type ScopedStructOptions = PDFKit.Mixins.StructureElementOptions & { scope?: 'Row' | 'Column'; bbox?: number[]; placement?: string };
type OutlineItem = { addItem(title: string, options?: { expanded?: boolean; fit?: boolean }): OutlineItem };

function createDocument(model: ReportModel, fonts: ReportFonts): Doc {
  const date = new Date(model.meta.creationDate);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.marginTop, bottom: PAGE.marginBottom, left: PAGE.marginLeft, right: PAGE.marginRight },
    autoFirstPage: false,
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: model.locale === 'sv' ? 'sv-SE' : 'en-GB',
    displayTitle: true,
    // null keeps pdfkit from loading Helvetica, which the report never uses (its typings only allow a string).
    font: null as unknown as string,
    info: {
      Title: model.meta.title,
      Author: model.meta.author,
      Subject: model.meta.subject,
      Keywords: model.meta.keywords,
      Creator: 'hf-fidelity',
      Producer: 'hf-fidelity with PDFKit',
      CreationDate: date,
      ModDate: date,
    },
  });
  doc.registerFont(FONT.regular, fonts.regular as Buffer);
  doc.registerFont(FONT.bold, fonts.bold as Buffer);
  return doc;
}

function collectOutput(doc: Doc, pageCount: () => number): Promise<RenderedPdf> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('error', reject);
    doc.on('end', () => {
      const joined = Buffer.concat(chunks);
      // A fresh ArrayBuffer of its own, so a worker can transfer it without touching Buffer's shared pool.
      const pdf = new Uint8Array(joined.length);
      pdf.set(joined);
      resolve({ pdf, pageCount: pageCount() });
    });
  });
}

function applyText(doc: Doc, spec: TextSpec): void {
  doc.font(spec.font).fontSize(spec.size).fillColor(spec.color);
}

/** A structure element whose content is what `draw` puts on the page, drawn as soon as it is added to the tree. */
function tag(doc: Doc, type: string, draw: () => void, options: ScopedStructOptions = {}): Struct {
  return doc.struct(type, options, [draw]);
}

/** Draws decoration that carries no content, marked so assistive technology skips it. */
function drawArtifact(doc: Doc, draw: () => void): void {
  doc.markContent('Artifact');
  doc.save();
  draw();
  doc.restore();
  doc.endMarkedContent();
}

type Layout = {
  readonly doc: Doc;
  readonly root: Struct;
  /** The running title of every page so far, by page index. */
  readonly pageTitles: (string | undefined)[];
  /** The page each heading landed on, for the contents. */
  readonly headingPages: Map<string, number>;
  setRunningTitle(title: string | undefined): void;
  currentPage(): number;
  newPage(): void;
  ensureSpace(height: number): void;
  addHeading(parent: Struct, block: HeadingBlock): void;
  addBlock(parent: Struct, block: Block): void;
};

function createLayout(doc: Doc): Layout {
  const root = doc.struct('Document');
  doc.addStructure(root);
  const pageTitles: (string | undefined)[] = [];
  const headingPages = new Map<string, number>();
  let runningTitle: string | undefined;
  let chapterOutline: OutlineItem | undefined;
  const outlineRoot = doc.outline as unknown as OutlineItem;
  // Pages come both from newPage and from pdfkit when a long text runs over the bottom margin.
  doc.on('pageAdded', () => {
    pageTitles.push(runningTitle);
  });

  const currentPage = () => doc.bufferedPageRange().count - 1;
  const newPage = () => {
    doc.addPage();
    doc.x = LEFT;
    doc.y = TOP;
  };
  const ensureSpace = (height: number) => {
    if (doc.y + height > BOTTOM && doc.y > TOP + 1) newPage();
  };

  const measure = (paragraphs: readonly Paragraph[], width: number, styles: Record<TextStyle, TextSpec>): number =>
    paragraphs.reduce((total, paragraph, index) => {
      applyText(doc, styles[paragraph.style]);
      return total + (index > 0 ? CELL_PARAGRAPH_GAP : 0) + doc.heightOfString(paragraph.text, { width, lineGap: LINE_GAP });
    }, 0);

  const addParagraph = (parent: Struct, paragraph: Paragraph, gapAfter = PARAGRAPH_GAP) => {
    const spec = FLOW_STYLE[paragraph.style];
    applyText(doc, spec);
    const height = doc.heightOfString(paragraph.text, { width: CONTENT_WIDTH, lineGap: LINE_GAP });
    // Never leave a lone first line at the foot of a page.
    ensureSpace(Math.min(height, (spec.size + LINE_GAP) * 2.6));
    parent.add(
      tag(doc, 'P', () => {
        applyText(doc, spec);
        doc.text(paragraph.text, LEFT, doc.y, { width: CONTENT_WIDTH, lineGap: LINE_GAP });
      }),
    );
    doc.y += gapAfter;
  };

  const addHeading = (parent: Struct, block: HeadingBlock) => {
    const style = HEADING_STYLE[block.level];
    applyText(doc, style.spec);
    const height = doc.heightOfString(block.text, { width: CONTENT_WIDTH });
    if (doc.y > TOP + 1) doc.y += style.before;
    ensureSpace(height + KEEP_WITH_NEXT);
    headingPages.set(block.id, currentPage());
    if (block.outline) {
      // fit: pdfkit's own default; passing options without it would point the bookmark off the page's left edge.
      if (block.level === 1) chapterOutline = outlineRoot.addItem(block.text, { expanded: true, fit: true });
      else (chapterOutline ?? outlineRoot).addItem(block.text, { fit: true });
    }
    parent.add(
      tag(doc, `H${block.level}`, () => {
        applyText(doc, style.spec);
        doc.text(block.text, LEFT, doc.y, { width: CONTENT_WIDTH });
      }),
    );
    if (block.level === 1) {
      const ruleY = doc.y + 3;
      drawArtifact(doc, () => {
        doc.moveTo(LEFT, ruleY).lineTo(LEFT + CONTENT_WIDTH, ruleY).lineWidth(1.2).strokeColor(COLOR.brand).stroke();
      });
      doc.y = ruleY + 1;
    }
    doc.y += style.after;
  };

  const addList = (parent: Struct, items: readonly string[]) => {
    const list = doc.struct('L');
    parent.add(list);
    const indent = 12;
    for (const item of items) {
      applyText(doc, FLOW_STYLE.body);
      const height = doc.heightOfString(item, { width: CONTENT_WIDTH - indent, lineGap: LINE_GAP });
      ensureSpace(Math.min(height, 30));
      const top = doc.y;
      const entry = doc.struct('LI');
      list.add(entry);
      entry.add(
        tag(doc, 'Lbl', () => {
          applyText(doc, { ...FLOW_STYLE.body, color: COLOR.brand });
          doc.text('•', LEFT + 2, top, { width: indent - 2, lineBreak: false });
        }),
      );
      entry.add(
        tag(doc, 'LBody', () => {
          applyText(doc, FLOW_STYLE.body);
          doc.text(item, LEFT + indent, top, { width: CONTENT_WIDTH - indent, lineGap: LINE_GAP });
        }),
      );
      entry.end();
      doc.y += 3;
    }
    list.end();
    doc.y += PARAGRAPH_GAP;
  };

  const addTable = (parent: Struct, block: TableBlock) => {
    const widths = block.columns.map((column) => column.share * CONTENT_WIDTH);
    const xs = widths.map((_, index) => LEFT + widths.slice(0, index).reduce((sum, width) => sum + width, 0));
    const innerWidth = (index: number) => (widths[index] ?? 0) - 2 * CELL_PAD_X;
    const headerCells: TableCell[] = block.columns.map((column) => [{ text: column.header, style: 'strong' }]);
    const rowHeight = (cells: readonly TableCell[], styles: Record<TextStyle, TextSpec>) =>
      Math.max(...cells.map((cellParagraphs, index) => measure(cellParagraphs, innerWidth(index), styles))) + 2 * CELL_PAD_Y;
    const headerStyles: Record<TextStyle, TextSpec> = { ...TABLE_STYLE, strong: { font: FONT.bold, size: 8, color: COLOR.text } };
    const headerHeight = block.columnHeaders ? rowHeight(headerCells, headerStyles) : 0;
    const table = doc.struct('Table', { title: block.caption });
    parent.add(table);

    const alignOf = (index: number) => block.columns[index]?.align ?? 'left';
    const writeCell = (cellParagraphs: TableCell, index: number, top: number, styles: Record<TextStyle, TextSpec>) => {
      let y = top + CELL_PAD_Y;
      cellParagraphs.forEach((paragraph, paragraphIndex) => {
        applyText(doc, styles[paragraph.style]);
        doc.text(paragraph.text, (xs[index] ?? LEFT) + CELL_PAD_X, y + (paragraphIndex > 0 ? CELL_PARAGRAPH_GAP : 0), {
          width: innerWidth(index),
          lineGap: LINE_GAP,
          align: alignOf(index),
        });
        y = doc.y;
      });
    };

    /** The header row: tagged the first time, an artifact when repeated on a later page. */
    const drawHeader = (tagged: boolean) => {
      if (!block.columnHeaders) return;
      const top = doc.y;
      drawArtifact(doc, () => {
        doc.rect(LEFT, top, CONTENT_WIDTH, headerHeight).fill(COLOR.headerFill);
        doc.moveTo(LEFT, top + headerHeight).lineTo(LEFT + CONTENT_WIDTH, top + headerHeight).lineWidth(0.8).strokeColor(COLOR.brand).stroke();
      });
      if (tagged) {
        const row = doc.struct('TR');
        table.add(row);
        headerCells.forEach((cellParagraphs, index) => {
          row.add(doc.struct('TH', { scope: 'Column' } as ScopedStructOptions, [() => writeCell(cellParagraphs, index, top, headerStyles)]));
        });
        row.end();
      } else {
        drawArtifact(doc, () => headerCells.forEach((cellParagraphs, index) => writeCell(cellParagraphs, index, top, headerStyles)));
      }
      doc.y = top + headerHeight;
    };

    const firstRow = block.rows[0];
    ensureSpace(headerHeight + (firstRow ? Math.min(rowHeight(firstRow, TABLE_STYLE), 80) : 0));
    drawHeader(true);
    block.rows.forEach((cells, rowIndex) => {
      const height = rowHeight(cells, TABLE_STYLE);
      const usable = BOTTOM - TOP - headerHeight;
      if (doc.y + height > BOTTOM) {
        newPage();
        drawHeader(false);
      }
      const top = doc.y;
      const oversize = height > usable;
      drawArtifact(doc, () => {
        if (rowIndex % 2 === 1 && !oversize) doc.rect(LEFT, top, CONTENT_WIDTH, height).fill(COLOR.zebra);
      });
      const row = doc.struct('TR');
      table.add(row);
      const rowTopPage = currentPage();
      let endPage = rowTopPage;
      let endY = top + height;
      cells.forEach((cellParagraphs, index) => {
        const type = block.rowHeaders && index === 0 ? 'TH' : 'TD';
        const options: ScopedStructOptions = type === 'TH' ? { scope: 'Row' } : {};
        if (oversize && index > 0) doc.switchToPage(rowTopPage);
        row.add(doc.struct(type, options, [() => writeCell(cellParagraphs, index, top, TABLE_STYLE)]));
        if (oversize && index === 0) {
          // Taller than a page (a very long rationale): the first cell runs on over the next pages and the
          // other cells stay at the row's top; the layout continues below the end of the first cell.
          endPage = currentPage();
          endY = doc.y + CELL_PAD_Y;
        }
      });
      if (oversize) doc.switchToPage(endPage);
      row.end();
      doc.y = endY;
      drawArtifact(doc, () => {
        doc.moveTo(LEFT, endY).lineTo(LEFT + CONTENT_WIDTH, endY).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      });
    });
    table.end();
    doc.y += BLOCK_GAP;
  };

  const addScore = (parent: Struct, block: Extract<Block, { type: 'score' }>) => {
    const pad = 12;
    const width = CONTENT_WIDTH - 2 * pad - 6;
    const label: TextSpec = { font: FONT.bold, size: 8.5, color: COLOR.muted };
    const figures: TextSpec = { font: FONT.bold, size: 14, color: COLOR.text };
    const level: TextSpec = { font: FONT.bold, size: 11, color: COLOR.brand };
    const definition: TextSpec = { font: FONT.regular, size: 8.5, color: COLOR.text };
    const parts: { spec: TextSpec; text: string }[] = [
      { spec: label, text: block.label },
      { spec: figures, text: block.figures },
      ...(block.level ? [{ spec: level, text: block.level }] : []),
      ...(block.definition ? [{ spec: definition, text: block.definition }] : []),
    ];
    const barHeight = 8;
    const heights = parts.map((part) => {
      applyText(doc, part.spec);
      return doc.heightOfString(part.text, { width, lineGap: LINE_GAP });
    });
    const total = pad * 2 + heights.reduce((sum, h) => sum + h + 4, 0) + barHeight + 8;
    ensureSpace(total);
    const top = doc.y;
    const x = LEFT + pad + 6;
    drawArtifact(doc, () => {
      doc.rect(LEFT, top, CONTENT_WIDTH, total).fill(COLOR.brandPale);
      doc.rect(LEFT, top, 4, total).fill(COLOR.brand);
    });
    const box = doc.struct('Div');
    parent.add(box);
    let y = top + pad;
    parts.forEach((part, index) => {
      const at = y;
      box.add(
        tag(doc, 'P', () => {
          applyText(doc, part.spec);
          doc.text(part.text, x, at, { width, lineGap: LINE_GAP });
        }),
      );
      y = doc.y + 4;
      if (index === 1) {
        // The bar repeats the percent in the line above, so it is decoration.
        const barY = y + 1;
        drawArtifact(doc, () => {
          doc.rect(x, barY, width, barHeight).fill(COLOR.white);
          if (block.percent !== null) doc.rect(x, barY, (width * block.percent) / 100, barHeight).fill(COLOR.brand);
          doc.rect(x, barY, width, barHeight).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
        });
        y = barY + barHeight + 7;
      }
    });
    box.end();
    doc.y = top + total + BLOCK_GAP;
  };

  const addFigure = (parent: Struct, block: Extract<Block, { type: 'figure' }>) => {
    const chart = block.chart;
    const captions = [block.caption, ...(block.note ? [block.note] : [])];
    applyText(doc, FLOW_STYLE.small);
    const captionHeight = captions.reduce((sum, text) => sum + doc.heightOfString(text, { width: CONTENT_WIDTH, lineGap: LINE_GAP }) + 2, 0);
    ensureSpace(chart.height + 8 + captionHeight);
    const x0 = LEFT;
    const y0 = doc.y;
    const options: ScopedStructOptions = { alt: block.alt, bbox: [x0, y0, x0 + chart.width, y0 + chart.height], placement: 'Block' };
    parent.add(doc.struct('Figure', options, [() => (chart.kind === 'radar' ? drawRadar(doc, chart, x0, y0) : drawBars(doc, chart, x0, y0))]));
    doc.y = y0 + chart.height + 6;
    for (const text of captions) {
      parent.add(
        tag(doc, 'Caption', () => {
          applyText(doc, FLOW_STYLE.small);
          doc.text(text, LEFT, doc.y, { width: CONTENT_WIDTH, lineGap: LINE_GAP });
        }),
      );
      doc.y += 2;
    }
    doc.y += BLOCK_GAP;
  };

  const addBlock = (parent: Struct, block: Block) => {
    switch (block.type) {
      case 'heading':
        return addHeading(parent, block);
      case 'paragraph':
        return addParagraph(parent, block.paragraph);
      case 'list':
        return addList(parent, block.items);
      case 'table':
        return addTable(parent, block);
      case 'score':
        return addScore(parent, block);
      case 'figure':
        return addFigure(parent, block);
    }
  };

  return {
    doc,
    root,
    pageTitles,
    headingPages,
    setRunningTitle: (title) => {
      runningTitle = title;
    },
    currentPage,
    newPage,
    ensureSpace,
    addHeading,
    addBlock,
  };
}

function writeLabel(doc: Doc, label: ChartLabel, x0: number, y0: number, color: string = COLOR.text): void {
  applyText(doc, { font: label.bold ? FONT.bold : FONT.regular, size: label.size, color });
  const oneLine = label.height < label.size * 2;
  // The height and ellipsis keep the text inside the label's box, which the model keeps inside the chart.
  doc.text(label.text, x0 + label.x, y0 + label.y, {
    width: label.width,
    height: label.height,
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
  for (const spoke of chart.spokes) doc.moveTo(cx, cy).lineTo(x0 + spoke.end.x, y0 + spoke.end.y).lineWidth(0.6).strokeColor(COLOR.rule).stroke();
  doc.dash(3, { space: 2.5 });
  for (const threshold of chart.thresholds) doc.circle(cx, cy, threshold.radius).lineWidth(0.7).strokeColor(COLOR.previous).stroke();
  doc.undash();
  const points = chart.polygon.map((point): [number, number] => [x0 + point.x, y0 + point.y]);
  if (points.length >= 3) {
    doc.polygon(...points).fillOpacity(0.18).fill(COLOR.brand);
    doc.fillOpacity(1);
    doc.polygon(...points).lineWidth(1.4).strokeColor(COLOR.brand).stroke();
  } else if (points.length === 2) {
    const [from, to] = points as [[number, number], [number, number]];
    doc.moveTo(...from).lineTo(...to).lineWidth(1.4).strokeColor(COLOR.brand).stroke();
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
    doc.moveTo(x, y0 + plot.y).lineTo(x, y0 + plot.y + plot.height).lineWidth(0.5).strokeColor(COLOR.grid).stroke();
  }
  doc.dash(3, { space: 2.5 });
  for (const threshold of chart.thresholds) {
    doc.moveTo(x0 + threshold.x, y0 + plot.y).lineTo(x0 + threshold.x, y0 + plot.y + plot.height).lineWidth(0.8).strokeColor(COLOR.previous).stroke();
  }
  doc.undash();
  for (const row of chart.rows) {
    if (row.previousBar && row.previousBar.width > 0) {
      doc.rect(x0 + row.previousBar.x, y0 + row.previousBar.y, row.previousBar.width, row.previousBar.height).fill(COLOR.previous);
    }
    if (row.bar.width > 0) doc.rect(x0 + row.bar.x, y0 + row.bar.y, row.bar.width, row.bar.height).fill(COLOR.brand);
  }
  doc.moveTo(x0 + plot.x, y0 + plot.y).lineTo(x0 + plot.x, y0 + plot.y + plot.height).lineWidth(0.8).strokeColor(COLOR.muted).stroke();
  for (const entry of chart.legend) {
    doc.rect(x0 + entry.swatch.x, y0 + entry.swatch.y, entry.swatch.width, entry.swatch.height).fill(entry.previous ? COLOR.previous : COLOR.brand);
  }
  doc.restore();
  for (const line of chart.gridlines) writeLabel(doc, line.label, x0, y0, COLOR.muted);
  for (const row of chart.rows) {
    writeLabel(doc, row.label, x0, y0);
    writeLabel(doc, row.valueLabel, x0, y0);
  }
  for (const entry of chart.legend) writeLabel(doc, entry.label, x0, y0);
}

function drawCover(layout: Layout, model: ReportModel): void {
  const { doc, root } = layout;
  const bandHeight = 236;
  drawArtifact(doc, () => {
    doc.rect(0, 0, PAGE.width, bandHeight).fill(COLOR.brand);
    doc.rect(0, bandHeight, PAGE.width, 5).fill(COLOR.coverAccent);
  });
  const cover = doc.struct('Sect');
  root.add(cover);
  cover.add(
    tag(doc, 'P', () => {
      applyText(doc, { font: FONT.bold, size: 11, color: COLOR.coverAccent });
      doc.text(model.cover.kicker.toLocaleUpperCase(model.locale), LEFT, 86, { width: CONTENT_WIDTH, characterSpacing: 1 });
    }),
  );
  cover.add(
    tag(doc, 'H1', () => {
      applyText(doc, { font: FONT.bold, size: 34, color: COLOR.white });
      doc.text(model.cover.title, LEFT, doc.y + 8, { width: CONTENT_WIDTH });
    }),
  );
  cover.add(
    tag(doc, 'P', () => {
      applyText(doc, { font: FONT.regular, size: 13, color: COLOR.white });
      doc.text(model.cover.subtitle, LEFT, doc.y + 6, { width: CONTENT_WIDTH });
    }),
  );
  doc.y = bandHeight + 32;
  for (const block of model.cover.blocks) layout.addBlock(cover, block);
  cover.end();
}

/** Pages for the contents, reserved before the chapters so that their page numbers are known when it is written. */
function reserveContents(layout: Layout, model: ReportModel): { firstPage: number; section: Struct } {
  const { doc } = layout;
  const lineHeight = 15;
  const needed = 60 + model.contents.entries.length * lineHeight;
  const pages = Math.max(1, Math.ceil(needed / (BOTTOM - TOP)));
  layout.setRunningTitle(model.contents.heading);
  layout.newPage();
  const firstPage = layout.currentPage();
  for (let page = 1; page < pages; page++) layout.newPage();
  const section = doc.struct('Sect');
  layout.root.add(section);
  return { firstPage, section };
}

function writeContents(layout: Layout, model: ReportModel, reserved: { firstPage: number; section: Struct }): void {
  const { doc } = layout;
  let page = reserved.firstPage;
  doc.switchToPage(page);
  doc.y = TOP;
  layout.addHeading(reserved.section, { type: 'heading', level: 1, text: model.contents.heading, id: 'contents', outline: false });
  const toc = doc.struct('TOC');
  reserved.section.add(toc);
  const numberWidth = 40;
  for (const entry of model.contents.entries) {
    const spec: TextSpec = entry.level === 1 ? { font: FONT.bold, size: 10, color: COLOR.text } : { font: FONT.regular, size: 9, color: COLOR.text };
    const lineHeight = entry.level === 1 ? 19 : 14.5;
    if (doc.y + lineHeight > BOTTOM) {
      page += 1;
      doc.switchToPage(page);
      doc.y = TOP;
    }
    const top = doc.y + (entry.level === 1 ? 5 : 0);
    const indent = entry.level === 1 ? 0 : 14;
    const pageNumber = String((layout.headingPages.get(entry.target) ?? 0) + 1);
    toc.add(
      tag(doc, 'TOCI', () => {
        applyText(doc, spec);
        doc.text(entry.text, LEFT + indent, top, { width: CONTENT_WIDTH - indent - numberWidth, lineBreak: false, ellipsis: true });
        doc.text(pageNumber, LEFT + CONTENT_WIDTH - numberWidth, top, { width: numberWidth, align: 'right', lineBreak: false });
      }),
    );
    doc.y = top + lineHeight - (entry.level === 1 ? 5 : 0);
  }
  toc.end();
  reserved.section.end();
}

function drawPageFurniture(layout: Layout, model: ReportModel): number {
  const { doc } = layout;
  const count = doc.bufferedPageRange().count;
  for (let index = 0; index < count; index++) {
    doc.switchToPage(index);
    // Text in the margins must not make pdfkit start a new page.
    const margins = doc.page.margins;
    const savedBottom = margins.bottom;
    margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    const title = layout.pageTitles[index];
    if (index > 0) {
      const headerY = PAGE.marginTop - 34;
      applyText(doc, { font: FONT.regular, size: 7.5, color: COLOR.muted });
      doc.text(model.runningHeader, LEFT, headerY, { width: CONTENT_WIDTH / 2 - 6, lineBreak: false, ellipsis: true });
      if (title) doc.text(title, LEFT + CONTENT_WIDTH / 2 + 6, headerY, { width: CONTENT_WIDTH / 2 - 6, align: 'right', lineBreak: false, ellipsis: true });
      doc.moveTo(LEFT, headerY + 13).lineTo(LEFT + CONTENT_WIDTH, headerY + 13).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
    }
    const footerY = PAGE.height - PAGE.marginBottom + 26;
    doc.moveTo(LEFT, footerY - 8).lineTo(LEFT + CONTENT_WIDTH, footerY - 8).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
    applyText(doc, { font: FONT.regular, size: 7.5, color: COLOR.muted });
    doc.text(model.footerCode, LEFT, footerY, { width: CONTENT_WIDTH / 2, lineBreak: false });
    const pageText = model.footerPage.replace('{page}', String(index + 1)).replace('{pages}', String(count));
    doc.text(pageText, LEFT + CONTENT_WIDTH / 2, footerY, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
    doc.endMarkedContent();
    margins.bottom = savedBottom;
  }
  return count;
}

/** Renders the report. Deterministic: the same model and fonts give the same bytes. */
export function renderReportPdf(model: ReportModel, fonts: ReportFonts): Promise<RenderedPdf> {
  const doc = createDocument(model, fonts);
  let pageCount = 0;
  const output = collectOutput(doc, () => pageCount);
  const layout = createLayout(doc);
  layout.setRunningTitle(undefined);
  layout.newPage();
  drawCover(layout, model);
  const contents = reserveContents(layout, model);
  for (const chapter of model.chapters) {
    layout.setRunningTitle(chapter.runningTitle);
    layout.newPage();
    const section = doc.struct('Sect');
    layout.root.add(section);
    for (const block of chapter.blocks) layout.addBlock(section, block);
    section.end();
  }
  writeContents(layout, model, contents);
  layout.root.end();
  pageCount = drawPageFurniture(layout, model);
  doc.end();
  return output;
}

const FILLER =
  'Bostad först bygger på att en egen bostad är en mänsklig rättighet. Stödet är flexibelt, frivilligt och så långt personen vill och behöver – även efter en avhysning. Modelltrogenhet mäts med en gemensam mall, där varje indikator har en skala med beskrivna nivåer. ';

/**
 * The benchmark's yardstick: a plain text document of `pageCount` A4 pages in the same embedded font,
 * with no tagging, tables or charts.
 */
export function renderPlainTextPdf(pageCount: number, fonts: ReportFonts): Promise<RenderedPdf> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.marginTop, bottom: PAGE.marginBottom, left: PAGE.marginLeft, right: PAGE.marginRight },
    autoFirstPage: false,
    font: null as unknown as string,
    info: { Title: 'Plain text', CreationDate: new Date(0), ModDate: new Date(0) },
  });
  doc.registerFont(FONT.regular, fonts.regular as Buffer);
  const output = collectOutput(doc, () => pageCount);
  const text = FILLER.repeat(24);
  for (let page = 0; page < pageCount; page++) {
    doc.addPage();
    applyText(doc, FLOW_STYLE.body);
    doc.text(text, LEFT, TOP, { width: CONTENT_WIDTH, height: BOTTOM - TOP, lineGap: LINE_GAP, ellipsis: true });
  }
  doc.end();
  return output;
}
