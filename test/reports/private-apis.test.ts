// The private and underscore-named APIs of pdfkit and EJS that we rely on, pinned exactly in package.json. These
// tests fail when an upgrade changes them: pdfkit's font internals (src/reports/pdf/pdfkit-font-cache.ts) and EJS's
// compile options for templates without `with` (src/http/view-renderer.ts), and pdfkit's metadata step
// (src/reports/pdf/pdfkit-metadata.ts). Upgrade the pin only with these passing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { createShapeCache, parseFont, useFont } from '../../src/reports/pdf/pdfkit-font-cache.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const requireFile = createRequire(import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** What pdfkit-font-cache.ts reads of a document: its current embedded font. */
type PdfkitInternals = { _font?: { font?: { layout?: unknown }; layoutCache?: Record<string, unknown> } };
const internalsOf = (doc: PDFKit.PDFDocument) => (doc as unknown as PdfkitInternals)._font;

const fontBytes = () => readFileSync(requireFile.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
const newDocument = () => new PDFDocument({ autoFirstPage: false, font: null as unknown as string });

describe('package.json pins the libraries whose private APIs we use', () => {
  it.each(['pdfkit', 'ejs'])('when package.json is read, then %s is pinned to one exact version, the one installed and locked', (name) => {
    const pin = (readJson(join(root, 'package.json')).dependencies as Record<string, string>)[name];
    expect(pin).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readJson(join(root, 'node_modules', name, 'package.json')).version).toBe(pin);
    const locked = (readJson(join(root, 'package-lock.json')).packages as Record<string, { version?: string }>)[`node_modules/${name}`];
    expect(locked?.version).toBe(pin);
  });
});

describe("pdfkit's font internals (pdfkit-font-cache.ts)", () => {
  it('when a font is set from its bytes, then doc._font.font is the parsed font, with a layout method', () => {
    const doc = newDocument();
    doc.font(fontBytes());
    expect(typeof internalsOf(doc)?.font?.layout).toBe('function');
    const parsed = parseFont(fontBytes());
    expect(parsed).not.toBeInstanceOf(Uint8Array);
    expect(typeof (parsed as { layout?: unknown }).layout).toBe('function');
  });

  it('when a parsed font is registered and set, then doc._font wraps that very font and has a layoutCache object', () => {
    const parsed = parseFont(fontBytes());
    const doc = newDocument();
    doc.registerFont('body', parsed as Buffer);
    doc.font('body');
    expect(internalsOf(doc)?.font).toBe(parsed);
    expect(typeof internalsOf(doc)?.layoutCache).toBe('object');
  });

  it('when useFont hands documents one shape cache, then pdfkit fills it with the shapes of the words set, and a second document reuses them', () => {
    const parsed = parseFont(fontBytes());
    const shapes = createShapeCache();
    const write = () => {
      const doc = newDocument();
      useFont(doc, 'body', parsed, shapes);
      expect(internalsOf(doc)?.layoutCache).toBe(shapes.current);
      doc.addPage();
      doc.font('body').text('Bostad först: en egen bostad', 60, 60, { lineBreak: false });
      doc.end();
    };
    write();
    const shaped = Object.keys(shapes.current).length;
    expect(shaped).toBeGreaterThan(0);
    write();
    expect(Object.keys(shapes.current)).toHaveLength(shaped);
  });
});

describe("pdfkit's metadata step (pdfkit-metadata.ts)", () => {
  type MetadataInternals = { endMetadata?: () => void; _info?: unknown; info: Record<string, unknown> };

  it('when a document ends, then endMetadata runs after the Info dictionary was written, reading the info strings as they are then', () => {
    const doc = newDocument() as unknown as PDFKit.PDFDocument & MetadataInternals;
    doc.info.Title = 'A & B';
    const original = doc.endMetadata;
    expect(typeof original).toBe('function');
    const seen: { infoWritten: boolean; title: unknown }[] = [];
    doc.endMetadata = function (this: unknown) {
      seen.push({ infoWritten: doc._info !== undefined, title: doc.info.Title });
      original?.call(this);
    };
    doc.addPage();
    doc.end();
    expect(seen).toEqual([{ infoWritten: true, title: 'A & B' }]);
  });
});

describe("EJS's compile options for templates without `with` (view-renderer.ts)", () => {
  type Client = (
    locals: Record<string, unknown>,
    escapeHtml: (value: unknown) => string,
    include: (path: string, data?: unknown) => string,
  ) => string;
  const compileBare = (source: string, names: string[]) =>
    ejs.compile(source, { client: true, compileDebug: true, strict: false, _with: false, destructuredLocals: names }) as unknown as Client;
  const mark = (value: unknown) => `[${String(value)}]`;

  it('when compiled with _with: false and destructuredLocals, then the function has no with-block and reads each named local as a variable', () => {
    const fn = compileBare('<h1><%= title %></h1><%- body %><%- include("part", { n: 1 }) %>', ['title', 'body']);
    expect(fn.toString()).not.toMatch(/\bwith\s*\(/);
    const html = fn({ title: 'Rubrik', body: '<p>x</p>' }, mark, (path, data) => `{${path} ${JSON.stringify(data)}}`);
    // The escape and include functions are the ones passed in, in that order.
    expect(html).toBe('<h1>[Rubrik]</h1><p>x</p>{part {"n":1}}');
  });

  it('when a template names a local that is not destructured, then it throws a ReferenceError (no with to find it), while the default with-form finds it', () => {
    const bare = compileBare('<%= other %>', ['title']);
    expect(() => bare({ other: 'x' }, mark, () => '')).toThrow(ReferenceError);
    const withForm = ejs.compile('<%= other %>', { client: true, strict: false }) as unknown as Client;
    expect(withForm.toString()).toMatch(/\bwith\s*\(/);
    expect(withForm({ other: 'x' }, mark, () => '')).toBe('[x]');
  });

  it('when a template declares a variable named like a destructured local, then compiling throws a SyntaxError (the renderer falls back on it)', () => {
    expect(() => compileBare('<% let title = "a" %><%= title %>', ['title'])).toThrow(SyntaxError);
  });
});
