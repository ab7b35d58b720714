// A laid-out text whose parts are in different languages (the panel's Swedish inside the report's English words),
// drawn run by run so that each run in another language is a Span with its own Lang inside its paragraph or list
// body (PDF/UA-1 7.2: every change of language is tagged). The lines and their positions are those of drawLines.
import { intlLocale } from '../../i18n/format.js';
import type { Run } from '../report-model-types.js';
import { SOFT_HYPHEN } from './hyphenate.js';
import { applyText, BOTTOM, type Doc, LEFT, type Struct, TOP } from './pdf-style.js';
import { tag } from './tagged-document.js';
import type { LaidText } from './text-layout.js';

/** A piece of a laid-out line: its text and the run it belongs to. */
type Piece = { readonly text: string; readonly run: number };

/**
 * Each line's pieces by run. The lines hold the text's characters in order, less the spaces breaking dropped
 * (runs of spaces, leading spaces) and with a space for a line break; a hyphen at a line's end is drawn, not read.
 */
function piecesByLine(lines: readonly string[], runs: readonly Run[]): Piece[][] {
  const owners = runs.flatMap((run, index) => [...run.text].map(() => index));
  const text = [...runs.map((run) => run.text).join('')];
  let at = 0;
  let run = 0;
  return lines.map((line) => {
    const pieces: { text: string; run: number }[] = [];
    for (const char of line.endsWith(SOFT_HYPHEN) ? line.slice(0, -1) : line) {
      while (at < text.length && text[at] !== char && /\s/.test(text[at] ?? '')) at += 1;
      if (at < text.length && (text[at] === char || (char === ' ' && text[at] === '\n'))) {
        run = owners[at] ?? run;
        at += 1;
      }
      const last = pieces.at(-1);
      if (last?.run === run) last.text += char;
      else pieces.push({ text: char, run });
    }
    return pieces;
  });
}

/**
 * The content of the element that holds `laid` (a P, an LBody): a drawing for each run in the element's language and
 * a Span with its Lang for each run in another, in reading order. Run in that order, the drawings put the lines where
 * drawLines would (from `top()`, read when the first draws), also over a page break with `flow`; the last leaves
 * doc.y below the text and tells `done`.
 */
export function runContent(
  doc: Doc,
  laid: LaidText,
  runs: readonly Run[],
  place: {
    readonly x: number;
    readonly top: () => number;
    readonly width: number;
    readonly align: 'left' | 'right';
    readonly flow: boolean;
    /** Told the y below the text once the last run is drawn. */
    readonly done?: (bottom: number) => void;
  },
): (Struct | (() => void))[] {
  const lines = piecesByLine(laid.lines, runs);
  let y = 0;
  let started = -1;
  /** Moves to line `index`: down a line at a time from the last one drawn, to a new page where it would not fit. */
  const startLine = (index: number) => {
    while (started < index) {
      started += 1;
      if (started === 0) y = place.top();
      else y += laid.lineHeight;
      if (place.flow && y + laid.lineHeight > BOTTOM && y > TOP + 1) {
        doc.continueOnNewPage();
        applyText(doc, laid.spec);
        y = TOP;
      }
    }
  };
  const drawRun = (runIndex: number, last: boolean) => () => {
    applyText(doc, laid.spec);
    lines.forEach((pieces, lineIndex) => {
      if (!pieces.some((piece) => piece.run === runIndex)) return;
      startLine(lineIndex);
      const line = laid.lines[lineIndex] ?? '';
      if (line.trim() === '') return;
      const hyphenated = line.endsWith(SOFT_HYPHEN);
      const shown = hyphenated ? `${line.slice(0, -1)}-` : line.trimEnd();
      let x = place.align === 'right' ? place.x + place.width - doc.widthOfString(shown) : place.x;
      pieces.forEach((piece, pieceIndex) => {
        const text = hyphenated && pieceIndex === pieces.length - 1 ? `${piece.text}-` : piece.text;
        if (piece.run === runIndex) doc.text(text, x, y, { lineBreak: false });
        x += doc.widthOfString(text);
      });
    });
    if (last) {
      startLine(laid.lines.length - 1);
      doc.x = LEFT;
      doc.y = y + laid.lineHeight;
      place.done?.(doc.y);
    }
  };
  return runs.map((run, index) => {
    const draw = drawRun(index, index === runs.length - 1);
    return run.lang === undefined ? draw : tag(doc, 'Span', draw, { lang: intlLocale(run.lang) });
  });
}
