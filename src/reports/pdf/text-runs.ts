// A laid-out text whose parts are in different languages (the panel's Swedish inside the report's English words),
// drawn run by run so that each run in another language is a Span with its own Lang inside its paragraph or list
// body (PDF/UA-1 7.2: every change of language is tagged). The lines and their positions are those of lineContent.
import { intlLocale } from '../../i18n/format.js';
import type { Run } from '../report-model-types.js';
import { SOFT_HYPHEN } from './hyphenate.js';
import { applyText, type Doc, type Struct } from './pdf-style.js';
import { createLineCursor, drawHyphenArtifact, hyphenX, type LaidText, type LinePlace, shownLine } from './text-layout.js';

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
 * The content of the element that holds `laid` (a P, an LBody): drawings for each run in the element's language and
 * a Span with its Lang for each run in another, in reading order. Run in that order, the drawings put the lines where
 * lineContent would (from `top()`, read when the first draws), also over a page break with `flow`; the last leaves
 * doc.y below the text and tells `done`. As in lineContent, a hyphen at a line's end is an artifact that ends the
 * drawing it is in, and the run goes on in a drawing of its own.
 */
export function runContent(doc: Doc, laid: LaidText, runs: readonly Run[], place: LinePlace): (Struct | (() => void))[] {
  const lines = piecesByLine(laid.lines, runs);
  const cursor = createLineCursor(doc, laid, place);
  /** Whether line `index` ends in a hyphen after a piece of run `run`. */
  const hyphenatedIn = (index: number, run: number) => (laid.lines[index] ?? '').endsWith(SOFT_HYPHEN) && lines[index]?.at(-1)?.run === run;
  /** The lines with pieces of run `run`, in groups that each end at a hyphen of the run's (or at its last line). */
  const groupsOf = (run: number): number[][] => {
    const groups: number[][] = [[]];
    lines.forEach((pieces, index) => {
      if (!pieces.some((piece) => piece.run === run)) return;
      groups.at(-1)?.push(index);
      if (hyphenatedIn(index, run) && index < lines.length - 1) groups.push([]);
    });
    return groups.length > 1 && groups.at(-1)?.length === 0 ? groups.slice(0, -1) : groups;
  };
  const drawGroup = (run: number, group: readonly number[], last: boolean) => () => {
    applyText(doc, laid.spec);
    for (const lineIndex of group) {
      const y = cursor.moveTo(lineIndex);
      const line = laid.lines[lineIndex] ?? '';
      if (line.trim() === '') continue;
      let x = place.align === 'right' ? place.x + place.width - doc.widthOfString(shownLine(line)) : place.x;
      let lastX = x;
      for (const piece of lines[lineIndex] ?? []) {
        if (piece.run === run) doc.text(piece.text, x, y, { lineBreak: false });
        lastX = x;
        x += doc.widthOfString(piece.text);
      }
      const last = lines[lineIndex]?.at(-1);
      if (last && hyphenatedIn(lineIndex, run)) drawHyphenArtifact(doc, hyphenX(doc, lastX, last.text), y);
    }
    const end = group.at(-1);
    // The next line's page break, if any, comes with the hyphen's artifact still open (see lineContent).
    if (end !== undefined && hyphenatedIn(end, run) && end < lines.length - 1) cursor.moveTo(end + 1);
    if (last) cursor.finish();
  };
  return runs.flatMap((run, index): (Struct | (() => void))[] => {
    const groups = groupsOf(index);
    const draws = groups.map((group, groupIndex) => drawGroup(index, group, index === runs.length - 1 && groupIndex === groups.length - 1));
    return run.lang === undefined ? draws : [doc.struct('Span', { lang: intlLocale(run.lang) }, draws)];
  });
}
