// Tables: a tagged Table with TH scopes, its header repeated as an artifact on every page it continues on, zebra
// rows, and rows taller than a page flowing on over pages. Where a table starts (planTableStart): a short one whole;
// one that fits on a page whole on the next page, or broken a row earlier, rather than split with a row alone on
// either side (a medium one: with few of its rows at the foot of this one), where that adds no page; any other with
// its header and at least its first whole row. A cell of page 1 may hold a paragraph that gives a page further on
// (page-references.ts), and a row may have an id whose page such a paragraph gives.
import { intlLocale } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import type { Paragraph, Run, TableBlock, TableCell, TextStyle } from '../report-model-types.js';
import { CONTENT_WIDTH } from '../report-page.js';
import type { PageFlow } from './page-flow.js';
import { type PageReference, reservedText } from './page-references.js';
import {
  BLOCK_GAP,
  BODY_HEIGHT,
  BOTTOM,
  CELL_PAD_X,
  CELL_PAD_Y,
  CELL_PARAGRAPH_GAP,
  COLOR,
  LEFT,
  MEDIUM_TABLE_FIRST_SHARE,
  MEDIUM_TABLE_MAX,
  MEDIUM_TABLE_ROWS,
  type Struct,
  TABLE_HEADER_STYLE,
  SHORT_TABLE_MAX,
  SHORT_TABLE_ROWS,
  TABLE_OPENING_MAX,
  TABLE_STYLE,
  type TextSpec,
  TOP,
  strokeLine,
} from './pdf-style.js';
import { drawArtifact, type ScopedStructOptions } from './tagged-document.js';
import { drawLines, type LaidText, lineContent, type Typesetter } from './text-layout.js';
import { runContent } from './text-runs.js';

/**
 * `lang`: the language every paragraph of the cell is marked with, when it is not the report's (free text). `langs`:
 * each paragraph's own, for a cell that mixes free text with the report's words (a judgement and where it continues).
 * `runs`: each paragraph's runs, where only a part of it is in another language.
 */
type LaidCell = {
  readonly paragraphs: readonly Paragraph[];
  readonly parts: readonly LaidText[];
  readonly langs: readonly (Locale | undefined)[];
  readonly runs: readonly (readonly Run[] | undefined)[];
  readonly height: number;
  readonly lang: Locale | undefined;
  /** Breaks a text as the cell's paragraphs were broken: for the text a reserved paragraph is written with. */
  readonly layText: (text: string, style: TextStyle) => LaidText;
};

/** A header cell of the first row: it heads its column. */
const COLUMN_HEADER: ScopedStructOptions = { scope: 'Column' };

const columnWidths = (block: TableBlock) => block.columns.map((column) => column.share * CONTENT_WIDTH);
const innerWidth = (widths: readonly number[], index: number) => (widths[index] ?? 0) - 2 * CELL_PAD_X;

function layCells(
  set: Typesetter,
  block: TableBlock,
  widths: readonly number[],
  cells: readonly TableCell[],
  styles: Record<TextStyle, TextSpec>,
): LaidCell[] {
  return cells.map((cellParagraphs, index) => {
    // A column of labels breaks between words only (as flowing text does); any other fills a narrow line.
    const lay = block.columns[index]?.wholeWords ? set.flow : set.cell;
    const layText = (text: string, style: TextStyle) => lay(text, styles[style], innerWidth(widths, index));
    const parts = cellParagraphs.map((paragraph) => layText(reservedText(paragraph), paragraph.style));
    const [first] = cellParagraphs;
    const lang = first?.lang !== undefined && cellParagraphs.every((paragraph) => paragraph.lang === first.lang) ? first.lang : undefined;
    return {
      paragraphs: cellParagraphs,
      parts,
      langs: cellParagraphs.map((paragraph) => paragraph.lang),
      runs: cellParagraphs.map((paragraph) => paragraph.runs),
      height: parts.reduce((sum, part, partIndex) => sum + part.height + (partIndex > 0 ? CELL_PARAGRAPH_GAP : 0), 0),
      lang,
      layText,
    };
  });
}

const heightOf = (cells: readonly LaidCell[]) => Math.max(0, ...cells.map((laid) => laid.height)) + 2 * CELL_PAD_Y;

function layHeader(set: Typesetter, block: TableBlock, widths: readonly number[]): LaidCell[] {
  return block.columnHeaders
    ? layCells(
        set,
        block,
        widths,
        block.columns.map((column) => [{ text: column.header, style: 'strong' }]),
        TABLE_HEADER_STYLE,
      )
    : [];
}

const sumOf = (heights: readonly number[]) => heights.reduce((sum, height) => sum + height, 0);

/** A table broken into lines: measured once for where it may start, drawn from the same lines. */
export type LaidTable = {
  readonly header: readonly LaidCell[];
  /** 0 for a table without column headers. */
  readonly headerHeight: number;
  readonly rows: readonly (readonly LaidCell[])[];
  readonly rowHeights: readonly number[];
};

export function layTable(set: Typesetter, block: TableBlock): LaidTable {
  const widths = columnWidths(block);
  const header = layHeader(set, block, widths);
  const rows = block.rows.map((cells) => layCells(set, block, widths, cells, TABLE_STYLE));
  return { header, headerHeight: block.columnHeaders ? heightOf(header) : 0, rows, rowHeights: rows.map(heightOf) };
}

/** The height a whole table takes, its header included (not the gap after it). */
export const tableHeight = (laid: LaidTable): number => laid.headerHeight + sumOf(laid.rowHeights);

/**
 * Whether a table's next page may start with `instead` (the height of what of the table stands there: the whole table
 * when `movesWhole`, else its rows after an earlier break, with the header) rather than `naive` (its rows after the
 * break where the page is full) and still leave every later page as it is: the discipline that keeps a page from
 * being added.
 */
export type KeepsLaterPages = (instead: number, naive: number, movesWhole: boolean) => boolean;

/** Where a table starts: in the room left on this page or on the next, and how many rows stand before its first break. */
export type TableStart = { readonly here: boolean; readonly rowsBeforeBreak: number };

/** How many rows, from the first, fit `room` below the header, as addTable places them. */
function rowsFitting(laid: LaidTable, room: number): number {
  let used = laid.headerHeight;
  let count = 0;
  for (const height of laid.rowHeights) {
    if (used + height > room) break;
    used += height;
    count += 1;
  }
  return count;
}

/**
 * Where a table starts, given the `room` left on the page. Whole where it fits. Else a short table
 * (SHORT_TABLE_ROWS, SHORT_TABLE_MAX) never splits; any other needs at least its header and first whole row, and its
 * second where both are no taller than TABLE_OPENING_MAX (a first row taller than a page flows on from wherever it
 * starts, so for it only that). A table that fits on one page would rather not split with fewer than two rows on
 * either side of the break (a medium one: with fewer than MEDIUM_TABLE_FIRST_SHARE of its rows on this page): it moves
 * whole to the next page, or else, where its last row alone would go on, breaks a row earlier; each only where
 * `keepsLaterPages` says it adds no page. Where neither does, it splits as the page falls.
 */
export function planTableStart(laid: LaidTable, room: number, keepsLaterPages: KeepsLaterPages): TableStart {
  const { headerHeight, rowHeights } = laid;
  const count = rowHeights.length;
  const whole = tableHeight(laid);
  const asFalls = { here: true, rowsBeforeBreak: count };
  if (whole <= room) return asFalls;
  const next = { here: false, rowsBeforeBreak: count };
  if (count <= SHORT_TABLE_ROWS && whole - headerHeight <= SHORT_TABLE_MAX) return next;
  const [first = 0, second = 0] = rowHeights;
  const two = Math.min(first + second, TABLE_OPENING_MAX);
  const oversize = first > BODY_HEIGHT - headerHeight;
  if (headerHeight + (oversize ? two : Math.max(first, two)) > room) return next;
  if (whole > BODY_HEIGHT) return asFalls;
  const here = rowsFitting(laid, room);
  const medium = count <= MEDIUM_TABLE_ROWS && whole <= MEDIUM_TABLE_MAX;
  const least = medium ? Math.max(2, Math.ceil(count * MEDIUM_TABLE_FIRST_SHARE)) : 2;
  if (here >= least && count - here >= 2) return asFalls;
  const restFrom = (row: number) => headerHeight + sumOf(rowHeights.slice(row));
  if (keepsLaterPages(whole, restFrom(here), true)) return next;
  const earlier = count - 2;
  if (here > earlier && earlier >= least && keepsLaterPages(restFrom(earlier), restFrom(here), false)) {
    return { here: true, rowsBeforeBreak: earlier };
  }
  return asFalls;
}

/**
 * What a table tells the layout: the page each row with an id lands on (with the headings' pages), and the paragraphs
 * it reserves, to be written by page-references.ts.
 */
export type TableAnchors = { readonly targetPages: Map<string, number>; readonly reserved: PageReference[] };

/** Adds a table, laid out by layTable; `startIn` plans its start in the room left on the page (see planTableStart). */
export function addTable(
  set: Typesetter,
  pages: PageFlow,
  parent: Struct,
  block: TableBlock,
  laid: LaidTable,
  startIn: (room: number) => TableStart,
  anchors: TableAnchors,
): void {
  const { doc } = set;
  const widths = columnWidths(block);
  const xs = widths.map((_, index) => LEFT + widths.slice(0, index).reduce((sum, width) => sum + width, 0));
  const alignOf = (index: number) => block.columns[index]?.align ?? 'left';
  const { header, headerHeight, rows } = laid;
  const table = doc.struct('Table', { title: block.caption });
  parent.add(table);

  /**
   * The content of a cell's paragraphs in turn from the row's top, each a drawing or, where runs of it are in another
   * language, its runs (see runContent); a cell taller than the page flows on over pages.
   */
  const paragraphContents = (laid: LaidCell, index: number, top: number, flow: boolean) => {
    let y = top + CELL_PAD_Y;
    const x = (xs[index] ?? LEFT) + CELL_PAD_X;
    const width = innerWidth(widths, index);
    return laid.parts.map((part, partIndex) => {
      const from = () => y + (partIndex > 0 ? CELL_PARAGRAPH_GAP : 0);
      const runs = laid.runs[partIndex];
      const done = (bottom: number) => {
        y = bottom;
      };
      const place = { x, top: from, width, align: alignOf(index), flow, done };
      return runs === undefined ? lineContent(doc, part, place) : runContent(doc, part, runs, place);
    });
  };
  /** Draws a cell as an artifact (a header repeated on a later page): its paragraphs in turn, hyphens as they are. */
  const writeArtifactCell = (laid: LaidCell, index: number, top: number) => {
    let y = top + CELL_PAD_Y;
    const x = (xs[index] ?? LEFT) + CELL_PAD_X;
    laid.parts.forEach((part, partIndex) => {
      y = drawLines(doc, part, x, y + (partIndex > 0 ? CELL_PARAGRAPH_GAP : 0), innerWidth(widths, index), alignOf(index));
    });
  };
  /**
   * A body cell: a single paragraph as its content; several each as a P of its own, so that a screen reader keeps
   * them apart (as one content they read "Delvis modelltrohetNivån begränsas …"), each with its language where some
   * are in another language than the rest (PDF/UA: every change of language is tagged). Within a paragraph, a run in
   * another language is a Span with its own.
   */
  const tagCell = (laid: LaidCell, index: number, top: number, flow: boolean, type: 'TH' | 'TD', options: ScopedStructOptions) => {
    const mixed = laid.langs.some((lang) => lang !== laid.lang);
    const single = laid.parts.length === 1;
    const contents = paragraphContents(laid, index, top, flow);
    if (single) return doc.struct(type, options, contents.flat());
    return doc.struct(
      type,
      options,
      contents.map((content, partIndex) => {
        const lang = laid.langs[partIndex];
        return doc.struct('P', !mixed || lang === undefined ? {} : { lang: intlLocale(lang) }, content);
      }),
    );
  };

  /**
   * A body cell with a paragraph that gives a page (page 1's, in a row that never runs over a page): each paragraph a P
   * of its own, that one reserved, left open for page-references.ts to write; the cell, its row and its table stay
   * open with it, and the section that holds the table ends them all once it is written.
   */
  const addCellWithReferences = (
    row: Struct,
    laid: LaidCell,
    index: number,
    top: number,
    type: 'TH' | 'TD',
    options: ScopedStructOptions,
  ) => {
    const mixed = laid.langs.some((lang) => lang !== laid.lang);
    const element = doc.struct(type, options);
    row.add(element);
    const x = (xs[index] ?? LEFT) + CELL_PAD_X;
    const width = innerWidth(widths, index);
    const align = alignOf(index);
    let y = top + CELL_PAD_Y;
    laid.parts.forEach((part, partIndex) => {
      const paragraph = laid.paragraphs[partIndex];
      const lang = laid.langs[partIndex];
      const at = y + (partIndex > 0 ? CELL_PARAGRAPH_GAP : 0);
      const paragraphOptions = !mixed || lang === undefined ? {} : { lang: intlLocale(lang) };
      if (paragraph?.pageOf !== undefined) {
        const reserved = doc.struct('P', paragraphOptions);
        element.add(reserved);
        const { style } = paragraph;
        anchors.reserved.push({
          paragraph,
          pageOf: paragraph.pageOf,
          element: reserved,
          page: pages.currentPage(),
          x,
          top: at,
          width,
          align,
          lay: (text) => laid.layText(text, style),
        });
      } else {
        const runs = laid.runs[partIndex];
        const place = { x, top: () => at, width, align, flow: false };
        element.add(
          doc.struct('P', paragraphOptions, runs === undefined ? lineContent(doc, part, place) : runContent(doc, part, runs, place)),
        );
      }
      y = at + part.height;
    });
  };
  const reserves = (laid: LaidCell) => laid.paragraphs.some((paragraph) => paragraph.pageOf !== undefined);

  /** The header row: tagged the first time, an artifact when repeated on a later page. */
  const drawHeader = (tagged: boolean) => {
    if (!block.columnHeaders) return;
    const top = doc.y;
    drawArtifact(doc, () => {
      doc.rect(LEFT, top, CONTENT_WIDTH, headerHeight).fill(COLOR.headerFill);
      strokeLine(doc, [LEFT, top + headerHeight], [LEFT + CONTENT_WIDTH, top + headerHeight], 0.8, COLOR.brand);
    });
    if (tagged) {
      const row = doc.struct('TR');
      table.add(row);
      header.forEach((laid, index) => {
        row.add(doc.struct('TH', COLUMN_HEADER, paragraphContents(laid, index, top, false).flat()));
      });
      row.end();
    } else {
      drawArtifact(doc, () => header.forEach((laid, index) => writeArtifactCell(laid, index, top)));
    }
    doc.y = top + headerHeight;
  };

  pages.ensureRoom((room) => startIn(room).here);
  const { rowsBeforeBreak } = startIn(BOTTOM - doc.y);
  let anyReserved = false;
  drawHeader(true);
  const usable = BOTTOM - TOP - headerHeight;
  rows.forEach((cells, rowIndex) => {
    const height = heightOf(cells);
    if (doc.y + height > BOTTOM || rowIndex === rowsBeforeBreak) {
      pages.newPage();
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
    const rowTopPage = pages.currentPage();
    const rowId = block.rowIds?.[rowIndex];
    if (rowId !== undefined) anchors.targetPages.set(rowId, rowTopPage);
    let endPage = rowTopPage;
    let endY = top + height;
    let rowReserved = false;
    cells.forEach((laid, index) => {
      const type = block.rowHeaders && index === 0 ? 'TH' : 'TD';
      if (oversize && index > 0) doc.switchToPage(rowTopPage);
      const lang = laid.lang === undefined ? {} : { lang: intlLocale(laid.lang) };
      const options: ScopedStructOptions = type === 'TH' ? { scope: 'Row', ...lang } : lang;
      if (reserves(laid)) {
        // Its lines flowing on over pages, a reserved paragraph would have no one place to be written at.
        if (oversize) throw new Error(`a row taller than a page cannot give a page: ${block.caption}`);
        addCellWithReferences(row, laid, index, top, type, options);
        rowReserved = true;
      } else {
        row.add(tagCell(laid, index, top, oversize, type, options));
      }
      if (oversize && index === 0) {
        endPage = pages.currentPage();
        endY = doc.y + CELL_PAD_Y;
      }
    });
    if (oversize) doc.switchToPage(endPage);
    if (rowReserved) anyReserved = true;
    else row.end();
    doc.y = endY;
    drawArtifact(doc, () => {
      strokeLine(doc, [LEFT, endY], [LEFT + CONTENT_WIDTH, endY], 0.5, COLOR.rule);
    });
  });
  if (!anyReserved) table.end();
  doc.y += BLOCK_GAP;
}
