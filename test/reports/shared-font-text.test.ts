// Documents that share a parsed font (pdfkit-font-cache.ts) must each get the text layer a fresh font would give. The
// subsetter of a finished document reads the parts of composite glyphs ("Ö" is drawn from "O" and a diaeresis) without
// their characters, and fontkit keeps the glyph it makes then: a later document that sets a plain "O" once lost it from
// its text ("verall fidelity", "verdue: not done") to a screen reader and to copying, though it printed the letter.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { createShapeCache, parseFont, useFont } from '../../src/reports/pdf/pdfkit-font-cache.js';
import { extractPdfText, normalizeSpace } from './pdf-text.js';

const requireFile = createRequire(import.meta.url);
const fontBytes = () => readFileSync(requireFile.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));

/** A one-page document of `text` set in `font`, as its bytes. */
function writeDocument(font: ReturnType<typeof parseFont>, shapes: ReturnType<typeof createShapeCache>, text: string): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, font: null as unknown as string, info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  useFont(doc, 'body', font, shapes);
  doc.addPage();
  doc.font('body').text(text, 60, 60);
  doc.end();
  return ended;
}

describe('text of documents that share a parsed font', () => {
  it('when an earlier document set only "Ö", "Å" and "Ä", then a later one keeps its "O", "A" and every other letter in its text', async () => {
    const font = parseFont(fontBytes());
    const shapes = createShapeCache();
    await writeDocument(font, shapes, 'Överallt är Åsa och Ängelholm');
    const english = 'Overall fidelity: Of Oslo, Anna and Aalborg are overdue';
    const later = await writeDocument(font, shapes, english);
    expect(normalizeSpace(extractPdfText(later)).trim()).toBe(english);
    const fresh = await writeDocument(parseFont(fontBytes()), createShapeCache(), english);
    expect(later.equals(fresh)).toBe(true);
  });
});
