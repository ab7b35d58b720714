// pdfkit 0.20.2 (pinned exactly in package.json) copies the document's title, author, subject and keywords into the
// XMP metadata stream as they are, without XML escaping: a municipality or program name with "&" or "<" would make
// the XMP malformed, and a PDF/UA checker reads the title from there. This wraps the document's private
// `endMetadata` (called by `end()` after the Info dictionary, whose strings pdfkit escapes itself, has been written)
// so the XMP gets escaped copies. test/reports/private-apis.test.ts fails if a pdfkit upgrade changes that order.

/** What this file reads of a pdfkit document: its info and the private step that writes the XMP from it. */
type WithMetadata = { info: Record<string, unknown>; endMetadata?: (this: unknown) => void };

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXmlText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

/** Makes `doc` write its XMP metadata with its info strings XML-escaped; the Info dictionary keeps them as they are. */
export function escapeXmpMetadata(doc: PDFKit.PDFDocument): void {
  const internals = doc as unknown as WithMetadata;
  const endMetadata = internals.endMetadata;
  if (typeof endMetadata !== 'function') return;
  internals.endMetadata = function escapedEndMetadata(this: unknown) {
    const info = internals.info;
    internals.info = Object.fromEntries(
      Object.entries(info).map(([key, value]) => [key, typeof value === 'string' ? escapeXmlText(value) : value]),
    );
    try {
      endMetadata.call(this);
    } finally {
      internals.info = info;
    }
  };
}
