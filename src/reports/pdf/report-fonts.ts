// The report's fonts and hyphenation patterns, loaded once per worker (or CLI run) and reused by every report.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Hyphenators, loadHyphenators } from './hyphenate.js';
import { createShapeCache, type FontSource, parseFont, type ShapeCache } from './pdfkit-font-cache.js';

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
