// Reading a PDF back in tests: its text through poppler's pdftotext, and supertest's way to get the bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';

/** The text of a PDF as pdftotext extracts it; `layout` keeps each printed line on one line; `page` (from 1) only that page. */
export function extractPdfText(pdf: Uint8Array, options: { layout?: boolean; page?: number } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-report-text-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const result = spawnSync(
      'pdftotext',
      [
        '-enc',
        'UTF-8',
        ...(options.layout ? ['-layout'] : []),
        ...(options.page ? ['-f', String(options.page), '-l', String(options.page)] : []),
        file,
        '-',
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr || result.error?.message}`);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The text of each page, from one run of pdftotext: it ends every page with a form feed, and a page's text is the same
 * as extractPdfText gives for that page alone (with `layout`, each page is laid out on its own). One run for a document
 * of 27 pages instead of 27 saves a third of a second.
 */
export function extractPdfPages(pdf: Uint8Array, options: { layout?: boolean } = {}): string[] {
  return extractPdfText(pdf, options).split('\f').slice(0, -1);
}

/** Runs of white space (including no-break and thin spaces, and line breaks) become one space. */
export function normalizeSpace(text: string): string {
  return text.replace(/[\s\u00a0\u2009\u202f]+/g, ' ');
}

/** A supertest parser that keeps the body as bytes: `.buffer(true).parse(binaryParser)`. */
export function binaryParser(response: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
  response.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}

const PDF_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };

/** A PDF literal string's text: its escapes undone, UTF-16BE (with its byte order mark) decoded. */
function decodePdfString(literal: string): string {
  const bytes = literal.replace(/\\(.)/gs, (_match, char: string) => PDF_ESCAPES[char] ?? char);
  if (bytes.startsWith('\xfe\xff')) {
    const buffer = Buffer.from(bytes.slice(2), 'latin1');
    buffer.swap16();
    return buffer.toString('utf16le');
  }
  return bytes;
}

/**
 * The titles of the PDF's bookmarks (outline items), in file order. pdfkit writes outline items as plain
 * dictionaries (never in a compressed stream), each with its /Parent and then its /Title.
 */
export function listOutlineTitles(pdf: Uint8Array): string[] {
  const text = Buffer.from(pdf).toString('latin1');
  return [...text.matchAll(/\/Parent \d+ 0 R\n\/Title \(((?:\\.|[^\\)])*)\)/gs)].map((match) => decodePdfString(match[1] ?? ''));
}
