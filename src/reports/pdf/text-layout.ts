// Line breaking and drawing of laid-out text: our own instead of pdfkit's, so that a text is measured and drawn
// from one breaking, with hyphenation where a long word must break or a narrow column's line is left half empty.
import { type Hyphenator, SOFT_HYPHEN } from './hyphenate.js';
import { applyText, BOTTOM, type Doc, LEFT, LINE_GAP, type TextSpec, TOP } from './pdf-style.js';

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

/**
 * Draws laid-out lines from `top`; returns the y below the last line. With `flow`, lines that would cross
 * the bottom margin continue on a new page (pdfkit carries the open tag over), as a long paragraph must.
 */
export function drawLines(doc: Doc, laid: LaidText, x: number, top: number, width: number, align: 'left' | 'right', flow: boolean): number {
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
