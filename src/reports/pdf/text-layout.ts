// Line breaking and drawing of laid-out text: our own instead of pdfkit's, so that a text is measured and drawn
// from one breaking, with hyphenation where a long word must break or a narrow column's line is left half empty.
import { type Hyphenator, SOFT_HYPHEN } from './hyphenate.js';
import { applyText, BOTTOM, type Doc, LEFT, LINE_GAP, type Struct, type TextSpec, TOP } from './pdf-style.js';
import type { ScopedStructOptions } from './tagged-document.js';

/** A text broken into the lines it will be drawn in: measured once, drawn from the same lines. */
export type LaidText = { readonly spec: TextSpec; readonly lines: readonly string[]; readonly lineHeight: number; readonly height: number };

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
/** A capitalised word with no other capital: a name, or the first word of a sentence. */
const NAME = /^\p{Lu}\p{Ll}+[.,:;)]?$/u;

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
 * hyphenation point (the line then ends in SOFT_HYPHEN, which lineContent draws as a hyphen outside the
 * tagged text), else after a hyphen, dash or slash, or else where it must; with `fill`, a long word that does
 * not fit the rest of a line is hyphenated into it. Our own instead of pdfkit's: a text is then measured and drawn from one
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
      // A name ("Stockholm", "Göteborg") moves to the next line whole rather than filling this one: broken, it reads
      // badly. Only a name wider than the whole line is broken (below).
      if (line !== '' && hyphenation?.fill && word.length >= FILL_MIN_LENGTH && lineWidth < width * FILL_BELOW_SHARE && !NAME.test(word)) {
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

/** Where laid-out lines go: from `top()` (read when the first line is drawn), over page breaks with `flow`. */
export type LinePlace = {
  readonly x: number;
  readonly top: () => number;
  readonly width: number;
  readonly align: 'left' | 'right';
  readonly flow: boolean;
  /** Told the y below the text once its last line is drawn. */
  readonly done?: (bottom: number) => void;
};

/** The y of each line in turn, moving to a new page where a line would not fit (with `flow`). */
export type LineCursor = {
  /** Moves down to line `index` (never back up) and returns its y. */
  moveTo(index: number): number;
  /** Leaves doc.x and doc.y below the last line, and tells `done`. */
  finish(): void;
};

export function createLineCursor(doc: Doc, laid: LaidText, place: LinePlace): LineCursor {
  let y = 0;
  let at = -1;
  const moveTo = (index: number) => {
    while (at < index) {
      at += 1;
      y = at === 0 ? place.top() : y + laid.lineHeight;
      if (place.flow && y + laid.lineHeight > BOTTOM && y > TOP + 1) {
        doc.continueOnNewPage();
        applyText(doc, laid.spec);
        y = TOP;
      }
    }
    return y;
  };
  return {
    moveTo,
    finish: () => {
      moveTo(laid.lines.length - 1);
      doc.x = LEFT;
      doc.y = y + laid.lineHeight;
      place.done?.(doc.y);
    },
  };
}

/** A line as drawn: a hyphenated word's head gets its hyphen back. */
export function shownLine(line: string): string {
  return line.endsWith(SOFT_HYPHEN) ? `${line.slice(0, -1)}-` : line.trimEnd();
}

/** Where a line starts: at `x`, or so that it ends at the right edge. */
function lineX(doc: Doc, line: string, place: LinePlace): number {
  return place.align === 'right' ? place.x + place.width - doc.widthOfString(shownLine(line)) : place.x;
}

/**
 * Draws the hyphen of a hyphenated line as an artifact: it belongs to the line break, not to the text, so a screen
 * reader and the tagged text read the word whole ("återhämtning", not "återhämt-ning"), as PDF/UA asks of content
 * that is only layout. Text extraction that ignores the tags (pdftotext, copy and paste in most viewers) still sees a
 * line ending in '-' and joins the word. An ActualText would not do: a soft hyphen (or nothing) as the hyphen's
 * ActualText makes poppler drop the hyphen and keep the line break, which reads as two words.
 * Marking an artifact ends the structure element's marked content (pdfkit: the two never nest, as PDF/UA asks); the
 * artifact is left open for pdfkit to close where the closure's content ends, and the element's next closure goes
 * on with its text in marked content of its own (pdfkit's documented equivalence of a closure and
 * markStructureContent … endMarkedContent). So a hyphen is only ever the last thing a closure draws.
 */
export function drawHyphenArtifact(doc: Doc, x: number, y: number): void {
  doc.markContent('Artifact', { type: 'Layout' });
  doc.text('-', x, y, { lineBreak: false });
}

/** Where the hyphen after `head` drawn at `x` goes: where it would in `${head}-` drawn whole, kerned to the letter. */
export function hyphenX(doc: Doc, x: number, head: string): number {
  return x + doc.widthOfString(`${head}-`) - doc.widthOfString('-');
}

/** Lines [from, to) of `laid` at the cursor, the last one's hyphen as an artifact that the closure leaves open. */
function drawLineRange(doc: Doc, laid: LaidText, place: LinePlace, cursor: LineCursor, from: number, to: number): void {
  applyText(doc, laid.spec);
  for (let index = from; index < to; index++) {
    const line = laid.lines[index] ?? '';
    const y = cursor.moveTo(index);
    const x = lineX(doc, line, place);
    if (line.endsWith(SOFT_HYPHEN)) {
      const head = line.slice(0, -1);
      doc.text(head, x, y, { lineBreak: false });
      drawHyphenArtifact(doc, hyphenX(doc, x, head), y);
    } else if (line.trim() !== '') {
      doc.text(line, x, y, { lineBreak: false });
    }
  }
}

/**
 * The content of the structure element that holds `laid`, as closures for pdfkit's `struct`: one for the lines up to
 * each hyphenated line, whose hyphen ends it as an artifact (drawHyphenArtifact), and one for the rest. Run in order,
 * they put the lines where drawLines would; the last leaves doc.y below the text.
 */
export function lineContent(doc: Doc, laid: LaidText, place: LinePlace): (() => void)[] {
  const cursor = createLineCursor(doc, laid, place);
  const ends = laid.lines.flatMap((line, index) => (line.endsWith(SOFT_HYPHEN) && index < laid.lines.length - 1 ? [index + 1] : []));
  const starts = [0, ...ends];
  return starts.map((from, part) => () => {
    const to = ends[part] ?? laid.lines.length;
    drawLineRange(doc, laid, place, cursor, from, to);
    // The next line's page break, if any, comes here, with the hyphen's artifact still open rather than the next
    // closure's marked content, which would leave an empty one at the foot of this page.
    if (to < laid.lines.length) cursor.moveTo(to);
    else cursor.finish();
  });
}

/** A structure element of type `type` whose content is the lines of `laid` (see lineContent). */
export function tagLines(doc: Doc, type: string, laid: LaidText, place: LinePlace, options: ScopedStructOptions = {}): Struct {
  return doc.struct(type, options, lineContent(doc, laid, place));
}

/**
 * Draws laid-out lines from `top` as they are, a hyphen at a line's end included; returns the y below the last line.
 * Only for text that is itself an artifact (a table header repeated on a later page): tagged text is drawn by
 * lineContent, which marks the hyphens as artifacts.
 */
export function drawLines(doc: Doc, laid: LaidText, x: number, top: number, width: number, align: 'left' | 'right'): number {
  const place: LinePlace = { x, top: () => top, width, align, flow: false };
  const cursor = createLineCursor(doc, laid, place);
  applyText(doc, laid.spec);
  laid.lines.forEach((line, index) => {
    const y = cursor.moveTo(index);
    if (line.trim() !== '') doc.text(shownLine(line), lineX(doc, line, place), y, { lineBreak: false });
  });
  cursor.finish();
  return doc.y;
}

/** Lays out texts in one document with its word widths: flowing text at full width, or text in a narrow table cell. */
export type Typesetter = {
  readonly doc: Doc;
  /** Breaks only words wider than a line. */
  flow(text: string, spec: TextSpec, width: number): LaidText;
  /** Also fills a line with the head of a long hyphenated word. */
  cell(text: string, spec: TextSpec, width: number): LaidText;
};

export function createTypesetter(doc: Doc, hyphenate: Hyphenator): Typesetter {
  const wordWidths: WidthCache = new Map();
  const flowHyphenation: Hyphenation = { hyphenate, fill: false };
  const cellHyphenation: Hyphenation = { hyphenate, fill: true };
  return {
    doc,
    flow: (text, spec, width) => layOut(doc, text, spec, width, wordWidths, flowHyphenation),
    cell: (text, spec, width) => layOut(doc, text, spec, width, wordWidths, cellHyphenation),
  };
}
