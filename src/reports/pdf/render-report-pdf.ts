// Lays a ReportModel out as a tagged PDF: the only file that imports pdfkit. It decides no text and no
// number (the model has them all), only where things go on the page.
//
// Reproducible: the creation and modification dates come from the model, pdfkit derives the file ID from
// the info dictionary, and nothing here reads the clock or draws random numbers, so the same model gives
// the same bytes.
//
// Accessible: a tagged PDF (Document > Sect > H1/H2/H3, P, L/LI/Lbl/LBody, Table/TR/TH/TD, Figure with alt
// text, TOC/TOCI with each line a Link to its heading's page) in reading order, with the language and title set
// and the title shown by viewers, declared PDF/UA-1 (test/reports/pdf-ua.test.ts checks the rules that are ours).
// Running headers, footers, rules and cell backgrounds are marked as artifacts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { BarChart, ChartLabel, RadarChart } from '../report-charts.js';
import type { Block, HeadingBlock, Paragraph, ReportModel, TableBlock, TableCell, TextStyle } from '../report-model.js';
import { CONTENT_WIDTH, PAGE } from '../report-page.js';
import { type Hyphenator, type Hyphenators, loadHyphenators, SOFT_HYPHEN } from './hyphenate.js';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

/** A font pdfkit parsed (pdfkit accepts one as a font source, as it does a file's bytes). */
type ParsedFont = { readonly layout: (...args: never[]) => unknown };
/** What pdfkit's registerFont takes: the parsed font, or the file's bytes. */
type FontSource = Uint8Array | ParsedFont;
/** pdfkit's own cache of word shapes for one font, shared by every document; replaced when it grows too big. */
type ShapeCache = { current: Record<string, unknown> };

/**
 * The report's fonts: each parsed once, with the shapes of the words set in it so far. pdfkit would parse
 * the file and shape every word again for each document, which was most of a report's time; kept here, a
 * worker shapes a word once. A shape depends only on the word and the parsed font, and pdfkit never changes
 * one after making it, so sharing them changes no byte of the output.
 */
export type ReportFonts = {
  readonly regular: FontSource;
  readonly bold: FontSource;
  readonly files: { readonly regular: Uint8Array; readonly bold: Uint8Array };
  readonly shapes: { readonly regular: ShapeCache; readonly bold: ShapeCache };
  /** Loaded with the fonts, once per worker: where long words may be hyphenated, per report language. */
  readonly hyphenators: Hyphenators;
};
export type RenderedPdf = { readonly pdf: Uint8Array; readonly pageCount: number };

/** Enough for every word of many reports; past it the cache starts afresh rather than grow without end. */
const MAX_SHAPES = 50_000;

/** The font pdfkit parses from `bytes`, read from its internals; the bytes if they change (slower, never wrong). */
function parseFont(bytes: Uint8Array): FontSource {
  const probe = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
  probe.font(bytes as Buffer);
  const parsed = (probe as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
  return typeof parsed?.layout === 'function' ? (parsed as ParsedFont) : bytes;
}

function createShapeCache(): ShapeCache {
  return { current: Object.create(null) as Record<string, unknown> };
}

/** DejaVu Sans from the dejavu-fonts-ttf package: free licence, covers å ä ö é, the en dash and ≥. */
export function loadReportFonts(): ReportFonts {
  const require = createRequire(import.meta.url);
  const regular = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const bold = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));
  return {
    regular: parseFont(regular),
    bold: parseFont(bold),
    files: { regular, bold },
    shapes: { regular: createShapeCache(), bold: createShapeCache() },
    hyphenators: loadHyphenators(),
  };
}

/** Registers the font under `name` and, when it is a parsed font, hands the document its shared word shapes. */
function useFont(doc: Doc, name: string, font: FontSource, shapes: ShapeCache): void {
  // registerFont's typings know only paths and bytes; pdfkit takes a parsed font as well.
  doc.registerFont(name, font as Buffer);
  if (font instanceof Uint8Array) return;
  if (Object.keys(shapes.current).length > MAX_SHAPES) shapes.current = Object.create(null) as Record<string, unknown>;
  doc.font(name);
  const embedded = (doc as unknown as { _font?: { font?: unknown; layoutCache?: unknown } })._font;
  if (embedded?.font === font && embedded.layoutCache !== undefined) embedded.layoutCache = shapes.current;
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
/** A heading is never the last thing on a page: with nothing measured after it, it keeps this much room. */
const KEEP_WITH_NEXT = 64;
/** What a table needs at the foot of a page to start there: its header and up to two rows, at most this tall. */
const TABLE_OPENING_MAX = 110;
/** The first chapter shares the contents' last page only when at least this much of it is left. */
const MIN_ROOM_AFTER_CONTENTS = 260;
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
    // PDF/UA-1: pdfkit writes pdfuaid:part 1 into the XMP; the tagging, artifacts, alt text, table scopes and
    // the contents' tagged links that the standard asks for are this file's work (test/reports/pdf-ua.test.ts).
    // The typings know only the PDF/A subsets.
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
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
  useFont(doc, FONT.regular, fonts.regular, fonts.shapes.regular);
  useFont(doc, FONT.bold, fonts.bold, fonts.shapes.bold);
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

/** A text broken into the lines it will be drawn in: measured once, drawn from the same lines. */
type LaidText = { readonly spec: TextSpec; readonly lines: readonly string[]; readonly lineHeight: number; readonly height: number };

const BREAK_AFTER = /[-–/]/;

/** The longest head of `word` (broken after a hyphen, dash or slash if possible) that fits `width`. */
function splitWord(doc: Doc, word: string, width: number): [string, string] {
  let fit = 1;
  while (fit < word.length && doc.widthOfString(word.slice(0, fit + 1)) <= width) fit += 1;
  const head = word.slice(0, fit);
  const breakAt = Math.max(...[...head].map((char, index) => (BREAK_AFTER.test(char) && index < head.length - 1 ? index + 1 : -1)));
  const cut = breakAt > 0 ? breakAt : fit;
  return [word.slice(0, cut), word.slice(cut)];
}

/** How a text may hyphenate: `fill` also breaks a long word to fill the rest of a line (narrow columns). */
type Hyphenation = { readonly hyphenate: Hyphenator; readonly fill: boolean };

/** Words at least this long are hyphenated to fill a narrow column's line; shorter ones move to the next line. */
const FILL_MIN_LENGTH = 8;
/** A line is filled with the head of a hyphenated word only when it is less full than this: fewer, better hyphens. */
const FILL_BELOW_SHARE = 0.6;

/**
 * The longest head of `word` up to one of its hyphenation points that fits `room` with its hyphen, and the rest;
 * undefined when none fits.
 */
function splitAtHyphenation(
  word: string,
  room: number,
  hyphenate: Hyphenator,
  widthOf: (word: string) => number,
): [string, string] | undefined {
  const points = hyphenate(word);
  for (let index = points.length - 1; index >= 0; index--) {
    const at = points[index] ?? 0;
    if (widthOf(`${word.slice(0, at)}-`) <= room) return [word.slice(0, at), word.slice(at)];
  }
  return undefined;
}

/**
 * Greedy line breaking at spaces (no-break spaces hold). A word wider than the line is broken at a
 * hyphenation point (the line then ends in SOFT_HYPHEN, which drawLines draws as a hyphen), else after a
 * hyphen, dash or slash, or else where it must; with `fill`, a long word that does not fit the rest of a
 * line is hyphenated into it. Our own instead of pdfkit's: a text is then measured and drawn from one
 * breaking, which halves the cost of the report's many measured table cells.
 * A line that ends at a space keeps it (invisible at the line's end), so that text read from the tagged
 * structure, which joins the lines, keeps its words apart.
 */
function breakLines(
  doc: Doc,
  text: string,
  width: number,
  widthOf: (word: string) => number,
  hyphenation: Hyphenation | undefined,
): string[] {
  const lines: string[] = [];
  const space = widthOf(' ');
  const paragraphs = text.split('\n');
  paragraphs.forEach((paragraph, paragraphIndex) => {
    let line = '';
    let lineWidth = 0;
    for (let word of paragraph.split(/ +/)) {
      if (word === '') continue;
      let wordWidth = widthOf(word);
      if (line !== '' && lineWidth + space + wordWidth <= width) {
        line += ` ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line !== '' && hyphenation?.fill && word.length >= FILL_MIN_LENGTH && lineWidth < width * FILL_BELOW_SHARE) {
        const split = splitAtHyphenation(word, width - lineWidth - space, hyphenation.hyphenate, widthOf);
        if (split) {
          lines.push(`${line} ${split[0]}${SOFT_HYPHEN}`);
          line = '';
          word = split[1];
          wordWidth = widthOf(word);
        }
      }
      if (line !== '') lines.push(`${line} `);
      while (wordWidth > width && word.length > 1) {
        const split = hyphenation ? splitAtHyphenation(word, width, hyphenation.hyphenate, widthOf) : undefined;
        const [head, rest] = split ?? splitWord(doc, word, width);
        lines.push(split ? `${head}${SOFT_HYPHEN}` : head);
        word = rest;
        wordWidth = widthOf(word);
      }
      line = word;
      lineWidth = wordWidth;
    }
    lines.push(paragraphIndex < paragraphs.length - 1 ? `${line} ` : line);
  });
  return lines;
}

/** Word widths by font and size: a report repeats its words a great deal, and pdfkit measures slowly. */
type WidthCache = Map<string, number>;

function layOut(doc: Doc, text: string, spec: TextSpec, width: number, cache: WidthCache, hyphenation?: Hyphenation): LaidText {
  // Only the font and size matter for measuring; drawLines sets the colour.
  doc.font(spec.font).fontSize(spec.size);
  const prefix = `${spec.font}\u0000${spec.size}\u0000`;
  const widthOf = (word: string) => {
    const key = prefix + word;
    let found = cache.get(key);
    if (found === undefined) {
      found = doc.widthOfString(word);
      cache.set(key, found);
    }
    return found;
  };
  const lines = breakLines(doc, text, width, widthOf, hyphenation);
  const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
  return { spec, lines, lineHeight, height: lines.length * lineHeight };
}

/**
 * Draws laid-out lines from `top`; returns the y below the last line. With `flow`, lines that would cross
 * the bottom margin continue on a new page (pdfkit carries the open tag over), as a long paragraph must.
 */
function drawLines(doc: Doc, laid: LaidText, x: number, top: number, width: number, align: 'left' | 'right', flow: boolean): number {
  applyText(doc, laid.spec);
  let y = top;
  for (const line of laid.lines) {
    if (flow && y + laid.lineHeight > BOTTOM && y > TOP + 1) {
      doc.continueOnNewPage();
      applyText(doc, laid.spec);
      y = TOP;
    }
    if (line.endsWith(SOFT_HYPHEN)) {
      drawHyphenated(doc, line.slice(0, -1), align === 'right' ? x + width - doc.widthOfString(`${line.slice(0, -1)}-`) : x, y);
    } else if (line.trim() !== '') {
      doc.text(line, align === 'right' ? x + width - doc.widthOfString(line.trimEnd()) : x, y, { lineBreak: false });
    }
    y += laid.lineHeight;
  }
  doc.x = LEFT;
  doc.y = y;
  return y;
}

/**
 * A line that ends in a hyphenated word, drawn with a plain hyphen. Text extraction (pdftotext, copy and paste) joins
 * a word across a line that ends in '-'; a soft hyphen as the hyphen's ActualText would be more exact, but poppler
 * then drops the hyphen and keeps the line break, which reads as two words.
 */
function drawHyphenated(doc: Doc, head: string, x: number, y: number): void {
  doc.text(`${head}-`, x, y, { lineBreak: false });
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
  addHeading(parent: Struct, block: HeadingBlock, keep?: number): void;
  addBlock(parent: Struct, block: Block): void;
  /** Adds the blocks in order, each heading kept on one page with the start of what follows it. */
  addBlocks(parent: Struct, blocks: readonly Block[]): void;
};

function createLayout(doc: Doc, hyphenate: Hyphenator): Layout {
  const wordWidths: WidthCache = new Map();
  // Flowing text at full width breaks only words wider than a line; narrow table cells also fill their lines.
  const flowHyphenation: Hyphenation = { hyphenate, fill: false };
  const cellHyphenation: Hyphenation = { hyphenate, fill: true };
  const root = doc.struct('Document');
  doc.addStructure(root);
  const pageTitles: (string | undefined)[] = [];
  const headingPages = new Map<string, number>();
  let runningTitle: string | undefined;
  let chapterOutline: OutlineItem | undefined;
  const outlineRoot = doc.outline as unknown as OutlineItem;
  // Pages come both from newPage and from a long text that runs over the bottom margin.
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

  const addParagraph = (parent: Struct, paragraph: Paragraph, gapAfter = PARAGRAPH_GAP) => {
    const laid = layOut(doc, paragraph.text, FLOW_STYLE[paragraph.style], CONTENT_WIDTH, wordWidths, flowHyphenation);
    // Never leave a lone first line at the foot of a page.
    ensureSpace(Math.min(laid.height, laid.lineHeight * 2));
    parent.add(tag(doc, 'P', () => drawLines(doc, laid, LEFT, doc.y, CONTENT_WIDTH, 'left', true)));
    doc.y += gapAfter;
  };

  const addHeading = (parent: Struct, block: HeadingBlock, keep = KEEP_WITH_NEXT) => {
    const style = HEADING_STYLE[block.level];
    const laid = layOut(doc, block.text, style.spec, CONTENT_WIDTH, wordWidths, flowHyphenation);
    if (doc.y > TOP + 1) doc.y += style.before;
    ensureSpace(laid.height + style.after + keep);
    headingPages.set(block.id, currentPage());
    if (block.outline) {
      // Where the contents' line for this heading links to (writeContents).
      doc.addNamedDestination(destinationName(block.id), 'XYZ', null, doc.y, null);
      // fit: pdfkit's own default; passing options without it would point the bookmark off the page's left edge.
      if (block.level === 1) chapterOutline = outlineRoot.addItem(block.text, { expanded: true, fit: true });
      else (chapterOutline ?? outlineRoot).addItem(block.text, { fit: true });
    }
    parent.add(tag(doc, `H${block.level}`, () => drawLines(doc, laid, LEFT, doc.y, CONTENT_WIDTH, 'left', false)));
    if (block.level === 1) {
      const ruleY = doc.y + 3;
      drawArtifact(doc, () => {
        doc
          .moveTo(LEFT, ruleY)
          .lineTo(LEFT + CONTENT_WIDTH, ruleY)
          .lineWidth(1.2)
          .strokeColor(COLOR.brand)
          .stroke();
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
      const laid = layOut(doc, item, FLOW_STYLE.body, CONTENT_WIDTH - indent, wordWidths, flowHyphenation);
      ensureSpace(Math.min(laid.height, laid.lineHeight * 2));
      const top = doc.y;
      const entry = doc.struct('LI');
      list.add(entry);
      entry.add(
        tag(doc, 'Lbl', () => {
          applyText(doc, { ...FLOW_STYLE.body, color: COLOR.brand });
          doc.text('•', LEFT + 2, top, { lineBreak: false });
        }),
      );
      entry.add(tag(doc, 'LBody', () => drawLines(doc, laid, LEFT + indent, top, CONTENT_WIDTH - indent, 'left', true)));
      entry.end();
      doc.y += 3;
    }
    list.end();
    doc.y += PARAGRAPH_GAP;
  };

  type LaidCell = { readonly parts: readonly LaidText[]; readonly height: number };

  const addTable = (parent: Struct, block: TableBlock) => {
    const widths = block.columns.map((column) => column.share * CONTENT_WIDTH);
    const xs = widths.map((_, index) => LEFT + widths.slice(0, index).reduce((sum, width) => sum + width, 0));
    const innerWidth = (index: number) => (widths[index] ?? 0) - 2 * CELL_PAD_X;
    const alignOf = (index: number) => block.columns[index]?.align ?? 'left';
    const headerStyles: Record<TextStyle, TextSpec> = { ...TABLE_STYLE, strong: { font: FONT.bold, size: 8, color: COLOR.text } };
    const layCells = (cells: readonly TableCell[], styles: Record<TextStyle, TextSpec>): LaidCell[] =>
      cells.map((cellParagraphs, index) => {
        const parts = cellParagraphs.map((paragraph) =>
          layOut(doc, paragraph.text, styles[paragraph.style], innerWidth(index), wordWidths, cellHyphenation),
        );
        return { parts, height: parts.reduce((sum, part, partIndex) => sum + part.height + (partIndex > 0 ? CELL_PARAGRAPH_GAP : 0), 0) };
      });
    const heightOf = (cells: readonly LaidCell[]) => Math.max(0, ...cells.map((laid) => laid.height)) + 2 * CELL_PAD_Y;
    const header = block.columnHeaders
      ? layCells(
          block.columns.map((column) => [{ text: column.header, style: 'strong' }]),
          headerStyles,
        )
      : [];
    const headerHeight = block.columnHeaders ? heightOf(header) : 0;
    const rows = block.rows.map((cells) => layCells(cells, TABLE_STYLE));
    const table = doc.struct('Table', { title: block.caption });
    parent.add(table);

    /** Writes a cell's paragraphs from the row's top; a cell taller than the page flows on over pages. */
    const writeCell = (laid: LaidCell, index: number, top: number, flow: boolean) => {
      let y = top + CELL_PAD_Y;
      laid.parts.forEach((part, partIndex) => {
        y = drawLines(
          doc,
          part,
          (xs[index] ?? LEFT) + CELL_PAD_X,
          y + (partIndex > 0 ? CELL_PARAGRAPH_GAP : 0),
          innerWidth(index),
          alignOf(index),
          flow,
        );
      });
      return y;
    };

    /** The header row: tagged the first time, an artifact when repeated on a later page. */
    const drawHeader = (tagged: boolean) => {
      if (!block.columnHeaders) return;
      const top = doc.y;
      drawArtifact(doc, () => {
        doc.rect(LEFT, top, CONTENT_WIDTH, headerHeight).fill(COLOR.headerFill);
        doc
          .moveTo(LEFT, top + headerHeight)
          .lineTo(LEFT + CONTENT_WIDTH, top + headerHeight)
          .lineWidth(0.8)
          .strokeColor(COLOR.brand)
          .stroke();
      });
      if (tagged) {
        const row = doc.struct('TR');
        table.add(row);
        header.forEach((laid, index) => {
          row.add(tag(doc, 'TH', () => writeCell(laid, index, top, false), { scope: 'Column' }));
        });
        row.end();
      } else {
        drawArtifact(doc, () => header.forEach((laid, index) => writeCell(laid, index, top, false)));
      }
      doc.y = top + headerHeight;
    };

    // The header never stands alone at the foot of a page: it keeps up to two rows with it.
    const opening = rows.slice(0, 2).reduce((sum, cells) => sum + heightOf(cells), 0);
    ensureSpace(headerHeight + Math.min(opening, TABLE_OPENING_MAX));
    drawHeader(true);
    const usable = BOTTOM - TOP - headerHeight;
    rows.forEach((cells, rowIndex) => {
      const height = heightOf(cells);
      if (doc.y + height > BOTTOM) {
        newPage();
        drawHeader(false);
      }
      const top = doc.y;
      // Taller than a page (a very long rationale): the first cell flows on over the next pages, the
      // other cells stay at the row's top, and the table continues below the end of the first cell.
      const oversize = height > usable;
      drawArtifact(doc, () => {
        if (rowIndex % 2 === 1 && !oversize) doc.rect(LEFT, top, CONTENT_WIDTH, height).fill(COLOR.zebra);
      });
      const row = doc.struct('TR');
      table.add(row);
      const rowTopPage = currentPage();
      let endPage = rowTopPage;
      let endY = top + height;
      cells.forEach((laid, index) => {
        const type = block.rowHeaders && index === 0 ? 'TH' : 'TD';
        if (oversize && index > 0) doc.switchToPage(rowTopPage);
        row.add(tag(doc, type, () => writeCell(laid, index, top, oversize), type === 'TH' ? { scope: 'Row' } : {}));
        if (oversize && index === 0) {
          endPage = currentPage();
          endY = doc.y + CELL_PAD_Y;
        }
      });
      if (oversize) doc.switchToPage(endPage);
      row.end();
      doc.y = endY;
      drawArtifact(doc, () => {
        doc
          .moveTo(LEFT, endY)
          .lineTo(LEFT + CONTENT_WIDTH, endY)
          .lineWidth(0.5)
          .strokeColor(COLOR.rule)
          .stroke();
      });
    });
    table.end();
    doc.y += BLOCK_GAP;
  };

  const addScore = (parent: Struct, block: Extract<Block, { type: 'score' }>) => {
    const pad = 12;
    const width = CONTENT_WIDTH - 2 * pad - 6;
    const specs = {
      label: { font: FONT.bold, size: 8.5, color: COLOR.muted },
      figures: { font: FONT.bold, size: 14, color: COLOR.text },
      level: { font: FONT.bold, size: 11, color: COLOR.brand },
      definition: { font: FONT.regular, size: 8.5, color: COLOR.text },
    } satisfies Record<string, TextSpec>;
    const parts = [
      layOut(doc, block.label, specs.label, width, wordWidths, flowHyphenation),
      layOut(doc, block.figures, specs.figures, width, wordWidths, flowHyphenation),
      ...(block.level ? [layOut(doc, block.level, specs.level, width, wordWidths, flowHyphenation)] : []),
      ...(block.definition ? [layOut(doc, block.definition, specs.definition, width, wordWidths, flowHyphenation)] : []),
    ];
    const barHeight = 8;
    const total = pad * 2 + parts.reduce((sum, part) => sum + part.height + 4, 0) + barHeight + 8;
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
      box.add(tag(doc, 'P', () => drawLines(doc, part, x, at, width, 'left', false)));
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
    const captions = [block.caption, ...(block.note ? [block.note] : [])].map((text) =>
      layOut(doc, text, FLOW_STYLE.small, CONTENT_WIDTH, wordWidths, flowHyphenation),
    );
    ensureSpace(chart.height + 8 + captions.reduce((sum, laid) => sum + laid.height + 2, 0));
    const x0 = LEFT;
    const y0 = doc.y;
    const options: ScopedStructOptions = { alt: block.alt, bbox: [x0, y0, x0 + chart.width, y0 + chart.height], placement: 'Block' };
    parent.add(tag(doc, 'Figure', () => (chart.kind === 'radar' ? drawRadar(doc, chart, x0, y0) : drawBars(doc, chart, x0, y0)), options));
    doc.y = y0 + chart.height + 6;
    for (const laid of captions) {
      parent.add(tag(doc, 'Caption', () => drawLines(doc, laid, LEFT, doc.y, CONTENT_WIDTH, 'left', false)));
      doc.y += 2;
    }
    doc.y += BLOCK_GAP;
  };

  /** The room a score box takes: it is never split. */
  const scoreHeight = (block: Extract<Block, { type: 'score' }>): number => {
    const width = CONTENT_WIDTH - 2 * 12 - 6;
    const texts: [string | undefined, TextSpec][] = [
      [block.label, { font: FONT.bold, size: 8.5, color: COLOR.muted }],
      [block.figures, { font: FONT.bold, size: 14, color: COLOR.text }],
      [block.level, { font: FONT.bold, size: 11, color: COLOR.brand }],
      [block.definition, { font: FONT.regular, size: 8.5, color: COLOR.text }],
    ];
    const parts = texts.flatMap(([text, spec]) => (text ? [layOut(doc, text, spec, width, wordWidths, flowHyphenation)] : []));
    return 12 * 2 + parts.reduce((sum, part) => sum + part.height + 4, 0) + 8 + 8;
  };

  /**
   * The room the start of `blocks[index]` needs on a page, as the block itself asks for it before it draws: two
   * lines of a paragraph or list item, a table's header and first rows, a whole figure or score box, a heading
   * together with the start of what follows it.
   */
  const openingHeight = (blocks: readonly Block[], index: number): number => {
    const block = blocks[index];
    if (!block) return 0;
    switch (block.type) {
      case 'heading': {
        const style = HEADING_STYLE[block.level];
        const laid = layOut(doc, block.text, style.spec, CONTENT_WIDTH, wordWidths, flowHyphenation);
        return style.before + laid.height + style.after + openingHeight(blocks, index + 1);
      }
      case 'paragraph': {
        const laid = layOut(doc, block.paragraph.text, FLOW_STYLE[block.paragraph.style], CONTENT_WIDTH, wordWidths, flowHyphenation);
        return Math.min(laid.height, laid.lineHeight * 2);
      }
      case 'list': {
        const first = block.items[0];
        if (first === undefined) return 0;
        const laid = layOut(doc, first, FLOW_STYLE.body, CONTENT_WIDTH - 12, wordWidths, flowHyphenation);
        return Math.min(laid.height, laid.lineHeight * 2);
      }
      case 'table': {
        const widths = block.columns.map((column) => column.share * CONTENT_WIDTH - 2 * CELL_PAD_X);
        const headerStyles: Record<TextStyle, TextSpec> = { ...TABLE_STYLE, strong: { font: FONT.bold, size: 8, color: COLOR.text } };
        const rowHeight = (cells: readonly TableCell[], styles: Record<TextStyle, TextSpec>) =>
          Math.max(
            0,
            ...cells.map((paragraphs, column) =>
              paragraphs.reduce(
                (sum, paragraph, i) =>
                  sum +
                  layOut(doc, paragraph.text, styles[paragraph.style], widths[column] ?? 0, wordWidths, cellHyphenation).height +
                  (i > 0 ? CELL_PARAGRAPH_GAP : 0),
                0,
              ),
            ),
          ) +
          2 * CELL_PAD_Y;
        const header = block.columnHeaders
          ? rowHeight(
              block.columns.map((column) => [{ text: column.header, style: 'strong' as const }]),
              headerStyles,
            )
          : 0;
        const rows = block.rows.slice(0, 2).reduce((sum, cells) => sum + rowHeight(cells, TABLE_STYLE), 0);
        return header + Math.min(rows, TABLE_OPENING_MAX);
      }
      case 'score':
        return scoreHeight(block);
      case 'figure': {
        const captions = [block.caption, ...(block.note ? [block.note] : [])].map((text) =>
          layOut(doc, text, FLOW_STYLE.small, CONTENT_WIDTH, wordWidths, flowHyphenation),
        );
        return block.chart.height + 8 + captions.reduce((sum, laid) => sum + laid.height + 2, 0);
      }
    }
  };

  const addBlocks = (parent: Struct, blocks: readonly Block[]) => {
    blocks.forEach((block, index) => {
      if (block.type === 'heading') addHeading(parent, block, index + 1 < blocks.length ? openingHeight(blocks, index + 1) : 0);
      else addBlock(parent, block);
    });
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
    addBlocks,
  };
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
  for (const spoke of chart.spokes)
    doc
      .moveTo(cx, cy)
      .lineTo(x0 + spoke.end.x, y0 + spoke.end.y)
      .lineWidth(0.6)
      .strokeColor(COLOR.rule)
      .stroke();
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
    doc
      .moveTo(...from)
      .lineTo(...to)
      .lineWidth(1.4)
      .strokeColor(COLOR.brand)
      .stroke();
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
    doc
      .moveTo(x, y0 + plot.y)
      .lineTo(x, y0 + plot.y + plot.height)
      .lineWidth(0.5)
      .strokeColor(COLOR.grid)
      .stroke();
  }
  doc.dash(3, { space: 2.5 });
  for (const threshold of chart.thresholds) {
    doc
      .moveTo(x0 + threshold.x, y0 + plot.y)
      .lineTo(x0 + threshold.x, y0 + plot.y + plot.height)
      .lineWidth(0.8)
      .strokeColor(COLOR.previous)
      .stroke();
  }
  doc.undash();
  for (const row of chart.rows) {
    if (row.previousBar && row.previousBar.width > 0) {
      doc.rect(x0 + row.previousBar.x, y0 + row.previousBar.y, row.previousBar.width, row.previousBar.height).fill(COLOR.previous);
    }
    if (row.bar.width > 0) doc.rect(x0 + row.bar.x, y0 + row.bar.y, row.bar.width, row.bar.height).fill(COLOR.brand);
  }
  doc
    .moveTo(x0 + plot.x, y0 + plot.y)
    .lineTo(x0 + plot.x, y0 + plot.y + plot.height)
    .lineWidth(0.8)
    .strokeColor(COLOR.muted)
    .stroke();
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
  layout.addBlocks(cover, model.cover.blocks);
  cover.end();
}

type ContentsPlan = {
  readonly firstPage: number;
  readonly section: Struct;
  /** Where each entry's line goes: pages after the first, and the line's top. */
  readonly lines: readonly { readonly pageOffset: number; readonly top: number }[];
};

const CONTENTS_LINE = {
  1: { height: 19, lead: 5, indent: 0, size: 10, font: FONT.bold },
  2: { height: 14.5, lead: 0, indent: 14, size: 9, font: FONT.regular },
} as const;

/**
 * Reserves the contents' pages before the chapters, so their page numbers are known when it is written at
 * the end. The lines are planned here once and written to the same places; the chapter after the contents
 * may continue below its last line.
 */
function reserveContents(layout: Layout, model: ReportModel): ContentsPlan {
  const { doc } = layout;
  const heading = HEADING_STYLE[1];
  applyText(doc, heading.spec);
  // As addHeading lays out a level-1 heading at the top of a page: the text, its rule, the space after.
  let top = TOP + doc.heightOfString(model.contents.heading, { width: CONTENT_WIDTH }) + 4 + heading.after;
  let pageOffset = 0;
  const lines = model.contents.entries.map((entry) => {
    const line = CONTENTS_LINE[entry.level];
    if (top + line.height > BOTTOM) {
      pageOffset += 1;
      top = TOP;
    }
    const planned = { pageOffset, top: top + line.lead };
    top += line.height;
    return planned;
  });
  layout.setRunningTitle(model.contents.heading);
  layout.newPage();
  const firstPage = layout.currentPage();
  for (let page = 0; page < pageOffset; page++) layout.newPage();
  doc.y = top + 2 * BLOCK_GAP;
  const section = doc.struct('Sect');
  layout.root.add(section);
  return { firstPage, section, lines };
}

/** The named destination of a heading the contents link to. */
function destinationName(headingId: string): string {
  return `heading:${headingId}`;
}

function writeContents(layout: Layout, model: ReportModel, plan: ContentsPlan): void {
  const { doc } = layout;
  doc.switchToPage(plan.firstPage);
  doc.y = TOP;
  layout.addHeading(plan.section, { type: 'heading', level: 1, text: model.contents.heading, id: 'contents', outline: false });
  const toc = doc.struct('TOC');
  plan.section.add(toc);
  const numberWidth = 40;
  model.contents.entries.forEach((entry, index) => {
    const line = CONTENTS_LINE[entry.level];
    const place = plan.lines[index];
    if (!place) return;
    doc.switchToPage(plan.firstPage + place.pageOffset);
    const targetPage = layout.headingPages.get(entry.target);
    const pageNumber = String((targetPage ?? 0) + 1);
    // TOCI > Reference > Link (as Acrobat tags a contents line): the line's text and the Link annotation over
    // it (its OBJR), as PDF/UA asks of a link.
    const item = doc.struct('TOCI');
    toc.add(item);
    const reference = doc.struct('Reference');
    item.add(reference);
    const link = doc.struct('Link');
    reference.add(link);
    link.add(() => {
      applyText(doc, { font: line.font, size: line.size, color: COLOR.text });
      doc.text(entry.text, LEFT + line.indent, place.top, {
        width: CONTENT_WIDTH - line.indent - numberWidth,
        lineBreak: false,
        ellipsis: true,
      });
      doc.text(pageNumber, LEFT + CONTENT_WIDTH - numberWidth, place.top, { width: numberWidth, align: 'right', lineBreak: false });
    });
    if (targetPage !== undefined) {
      // The typings lack structParent, and Contents must be a PDF string object (a plain string is written as a name).
      const options = { structParent: link, Contents: new String(entry.text) } as unknown as PDFKit.Mixins.AnnotationOption;
      doc.goTo(
        LEFT + line.indent,
        place.top,
        CONTENT_WIDTH - line.indent,
        doc.currentLineHeight(true),
        destinationName(entry.target),
        options,
      );
    }
    link.end();
    reference.end();
    item.end();
  });
  toc.end();
  plan.section.end();
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
      if (title)
        doc.text(title, LEFT + CONTENT_WIDTH / 2 + 6, headerY, {
          width: CONTENT_WIDTH / 2 - 6,
          align: 'right',
          lineBreak: false,
          ellipsis: true,
        });
      doc
        .moveTo(LEFT, headerY + 13)
        .lineTo(LEFT + CONTENT_WIDTH, headerY + 13)
        .lineWidth(0.5)
        .strokeColor(COLOR.rule)
        .stroke();
    }
    const footerY = PAGE.height - PAGE.marginBottom + 26;
    doc
      .moveTo(LEFT, footerY - 8)
      .lineTo(LEFT + CONTENT_WIDTH, footerY - 8)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
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
  const layout = createLayout(doc, fonts.hyphenators[model.locale]);
  layout.setRunningTitle(undefined);
  layout.newPage();
  drawCover(layout, model);
  const contents = reserveContents(layout, model);
  model.chapters.forEach((chapter, index) => {
    layout.setRunningTitle(chapter.runningTitle);
    // Chapters start on a new page; the first may share the contents' last page when there is room.
    if (index > 0 || doc.y > BOTTOM - MIN_ROOM_AFTER_CONTENTS) layout.newPage();
    const section = doc.struct('Sect');
    layout.root.add(section);
    layout.addBlocks(section, chapter.blocks);
    section.end();
  });
  writeContents(layout, model, contents);
  layout.root.end();
  pageCount = drawPageFurniture(layout, model);
  doc.end();
  return output;
}

const FILLER =
  'Bostad först bygger på att en egen bostad är en mänsklig rättighet. Stödet är flexibelt, frivilligt och så långt personen vill och behöver – även efter en avhysning. Modelltrohet mäts med en gemensam mall, där varje indikator har en skala med beskrivna nivåer. ';

/**
 * The benchmark's yardstick: a plain text document of `pageCount` A4 pages in the same embedded font,
 * with no tagging, tables or charts, written the way pdfkit is commonly used (the font from its bytes).
 */
export function renderPlainTextPdf(pageCount: number, fonts: ReportFonts): Promise<RenderedPdf> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.marginTop, bottom: PAGE.marginBottom, left: PAGE.marginLeft, right: PAGE.marginRight },
    autoFirstPage: false,
    font: null as unknown as string,
    info: { Title: 'Plain text', CreationDate: new Date(0), ModDate: new Date(0) },
  });
  doc.registerFont(FONT.regular, fonts.files.regular as Buffer);
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
