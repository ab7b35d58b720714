// The one place that reaches into pdfkit's private API, written against pdfkit 0.20.2 (pinned exactly in
// package.json): a document's current font is `doc._font`, an embedded font whose `font` is the parsed font (with
// a `layout` method) and whose `layoutCache` holds the shapes of the words set in it. Sharing the parsed font and
// the shapes across documents makes a report several times faster and changes no byte of it.
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

/** The font pdfkit parses from `bytes`, read from its internals; the bytes if they change (slower, never wrong). */
export function parseFont(bytes: Uint8Array): FontSource {
  const probe = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
  probe.font(bytes as Buffer);
  const parsed = (probe as unknown as WithFont)._font?.font as { layout?: unknown } | undefined;
  return typeof parsed?.layout === 'function' ? (parsed as ParsedFont) : bytes;
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
