// The report's look: colours, type sizes and spacing, in one place for every part of the renderer.
import type { TextStyle } from '../report-model-types.js';
import { PAGE } from '../report-page.js';

export type Doc = PDFKit.PDFDocument;
export type Struct = PDFKit.PDFStructureElement;

export const COLOR = {
  text: '#1f2328',
  muted: '#4f5660',
  brand: '#0b4f8a',
  brandPale: '#edf3f9',
  coverAccent: '#c9dcef',
  rule: '#c5ccd5',
  grid: '#dfe3e8',
  zebra: '#f5f7fa',
  headerFill: '#e6edf5',
  // The previous round's bars and the level thresholds: 3.3:1 on white (WCAG 1.4.11 asks 3:1 of graphics).
  previous: '#6e90ba',
  white: '#ffffff',
} as const;

export const FONT = { regular: 'body', bold: 'bold' } as const;

export type TextSpec = { readonly font: string; readonly size: number; readonly color: string };

export const FLOW_STYLE: Record<TextStyle, TextSpec> = {
  body: { font: FONT.regular, size: 9.5, color: COLOR.text },
  strong: { font: FONT.bold, size: 9.5, color: COLOR.text },
  muted: { font: FONT.regular, size: 9, color: COLOR.muted },
  small: { font: FONT.regular, size: 8, color: COLOR.muted },
};

export const TABLE_STYLE: Record<TextStyle, TextSpec> = {
  body: { font: FONT.regular, size: 8.5, color: COLOR.text },
  strong: { font: FONT.bold, size: 8.5, color: COLOR.text },
  muted: { font: FONT.regular, size: 8, color: COLOR.muted },
  small: { font: FONT.regular, size: 7.5, color: COLOR.muted },
};

export const HEADING_STYLE = {
  1: { spec: { font: FONT.bold, size: 19, color: COLOR.brand }, before: 0, after: 10 },
  2: { spec: { font: FONT.bold, size: 13, color: COLOR.text }, before: 14, after: 6 },
  3: { spec: { font: FONT.bold, size: 10, color: COLOR.text }, before: 8, after: 3 },
} as const;

export const LINE_GAP = 1.6;
export const PARAGRAPH_GAP = 5;
export const BLOCK_GAP = 10;
export const CELL_PAD_X = 5;
export const CELL_PAD_Y = 4;
export const CELL_PARAGRAPH_GAP = 2.5;
/** The height of a page's body, between its top and bottom margins. */
export const BODY_HEIGHT = PAGE.height - PAGE.marginTop - PAGE.marginBottom;
/** A heading is never the last thing on a page: with nothing measured after it, it keeps this much room. */
export const KEEP_WITH_NEXT = 64;
/**
 * What a table needs at the foot of a page to start there: its header and first whole row, and its second too where
 * the two are no taller than this. Never its header alone, nor above part of a row (the action plan's rows are 130 pt).
 */
export const TABLE_OPENING_MAX = 110;
/**
 * A table of up to this many rows, and no taller than SHORT_TABLE_MAX, is kept whole on one page: split, its last row
 * or two would stand alone on the next page under a repeated header (the levels' table broke 3 + 1). A taller one that
 * fits on a page moves whole, or breaks a row earlier, rather than leave one row alone on either side of a break,
 * where that adds no page (the outcomes' table of three tall rows broke 2 + 1).
 */
export const SHORT_TABLE_ROWS = 5;
export const SHORT_TABLE_MAX = 220;
/**
 * A medium table, of up to MEDIUM_TABLE_ROWS rows and no taller (header included) than MEDIUM_TABLE_MAX, starts on the
 * next page, with its heading and intro, rather than leave fewer than MEDIUM_TABLE_FIRST_SHARE of its rows on this one:
 * the demo's trend table broke 5 + 10, its rounds compared across two pages. It moves only where every page after the
 * next stays as it is (what follows the table breaks at the same place either way, or the chapter ends on that page;
 * keepsLaterPages in block-layout.ts), so the move adds no page. Longer or taller tables split as before, their header
 * repeated. The cap is 0.6 of the body, not half: the Swedish trend table is 345 pt of the 350 that half would allow.
 * A third of the rows would not move the 5 + 10 split (5 is a third of 15); 40 % does.
 */
export const MEDIUM_TABLE_ROWS = 15;
export const MEDIUM_TABLE_MAX = BODY_HEIGHT * 0.6;
export const MEDIUM_TABLE_FIRST_SHARE = 0.4;
/** The first chapter shares the contents' last page only when at least this much of it is left. */
export const MIN_ROOM_AFTER_CONTENTS = 260;
export const TOP = PAGE.marginTop;
export const BOTTOM = PAGE.height - PAGE.marginBottom;
export const LEFT = PAGE.marginLeft;

/** Column headers: as the table's body, with smaller bold text. */
export const TABLE_HEADER_STYLE: Record<TextStyle, TextSpec> = { ...TABLE_STYLE, strong: { font: FONT.bold, size: 8, color: COLOR.text } };

export function applyText(doc: Doc, spec: TextSpec): void {
  doc.font(spec.font).fontSize(spec.size).fillColor(spec.color);
}

/** Strokes a straight line: a rule, a grid line, a spoke. */
export function strokeLine(doc: Doc, from: readonly [number, number], to: readonly [number, number], width: number, color: string): void {
  doc
    .moveTo(...from)
    .lineTo(...to)
    .lineWidth(width)
    .strokeColor(color)
    .stroke();
}
