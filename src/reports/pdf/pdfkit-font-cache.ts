// The one place that reaches into pdfkit's private API, written against pdfkit 0.20.2 (pinned exactly in
// package.json): a document's current font is `doc._font`, an embedded font whose `font` is the parsed font (with
// a `layout` method) and whose `layoutCache` holds the shapes of the words set in it. Sharing the parsed font and
// the shapes across documents makes a report several times faster and changes no byte of it. The parsed font is
// fontkit's, whose public getGlyph is wrapped once (keepGlyphCharacters) so that sharing it keeps every document's
// text layer whole (test/reports/shared-font-text.test.ts).
// test/reports/private-apis.test.ts fails if a pdfkit upgrade changes this shape; here, a changed shape only
// makes the reports slower (the bytes are used instead), never wrong.
import PDFDocument from 'pdfkit';

/** A font pdfkit parsed (pdfkit accepts one as a font source, as it does a file's bytes). */
type ParsedFont = { readonly layout: (...args: never[]) => unknown };
/** What pdfkit's registerFont takes: the parsed font, or the file's bytes. */
export type FontSource = Uint8Array | ParsedFont;
/** pdfkit's own cache of word shapes for one font, shared by every document; replaced when it grows too big. */
export type ShapeCache = { current: Record<string, unknown> };

/** What this file reads of a pdfkit document: its current font. */
type WithFont = { _font?: { font?: unknown; layoutCache?: unknown } };

/** Enough for every word of many reports; past it the cache starts afresh rather than grow without end. */
const MAX_SHAPES = 50_000;

/** fontkit's glyph lookup (public API): a glyph is made once per id, with the characters of its first request. */
type Glyph = { codePoints: number[] };
type GlyphLookup = { getGlyph: (id: number, characters?: number[]) => Glyph | null };

/** The font pdfkit parses from `bytes`, read from its internals; the bytes if they change (slower, never wrong). */
export function parseFont(bytes: Uint8Array): FontSource {
  const probe = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
  probe.font(bytes as Buffer);
  const parsed = (probe as unknown as WithFont)._font?.font as { layout?: unknown; getGlyph?: unknown } | undefined;
  if (typeof parsed?.layout !== 'function' || typeof parsed.getGlyph !== 'function') return bytes;
  keepGlyphCharacters(parsed as unknown as GlyphLookup);
  return parsed as ParsedFont;
}

/**
 * fontkit keeps each glyph it makes, with the characters of the request that made it. A finished document's subsetter
 * asks for the parts of its composite glyphs ("Ö" is "O" and a diaeresis) with no characters, so on a shared font a
 * later document would get an "O" that stands for nothing and its text layer would lose the letter (pdfkit writes a
 * glyph's characters into the document's ToUnicode map). A glyph made without characters takes those of the first
 * request that has some, as it would have on a fresh font.
 */
function keepGlyphCharacters(font: GlyphLookup): void {
  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = (id, characters = []) => {
    const glyph = getGlyph(id, characters);
    if (glyph && glyph.codePoints.length === 0 && characters.length > 0) glyph.codePoints = characters;
    return glyph;
  };
}

export function createShapeCache(): ShapeCache {
  return { current: Object.create(null) as Record<string, unknown> };
}

/** Registers the font under `name` and, when it is a parsed font, hands the document its shared word shapes. */
export function useFont(doc: PDFKit.PDFDocument, name: string, font: FontSource, shapes: ShapeCache): void {
  // registerFont's typings know only paths and bytes; pdfkit takes a parsed font as well.
  doc.registerFont(name, font as Buffer);
  if (font instanceof Uint8Array) return;
  if (Object.keys(shapes.current).length > MAX_SHAPES) shapes.current = Object.create(null) as Record<string, unknown>;
  doc.font(name);
  const embedded = (doc as unknown as WithFont)._font;
  if (embedded?.font === font && embedded.layoutCache !== undefined) embedded.layoutCache = shapes.current;
}
