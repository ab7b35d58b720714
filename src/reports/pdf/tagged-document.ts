// The tagged PDF (PDF/UA-1): the document's settings, its structure elements and its artifacts. A tagged PDF has
// Document > Sect > H1/H2/H3, P, L/LI/Lbl/LBody, Table/TR/TH/TD, Figure with alt text, TOC/TOCI with each line a Link
// to its heading's page, in reading order, with the language and title set and the title shown by viewers.
// Running headers, footers, rules and cell backgrounds are marked as artifacts. test/reports/pdf-ua.test.ts checks
// the rules that are ours.
//
// Reproducible: the creation and modification dates come from the model, pdfkit derives the file ID from the info
// dictionary, and nothing here reads the clock or draws random numbers, so the same model gives the same bytes.
import PDFDocument from 'pdfkit';
import { intlLocale } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import type { ReportModel } from '../report-model-types.js';
import { PAGE } from '../report-page.js';
import { type Doc, FONT, type Struct } from './pdf-style.js';
import { useFont } from './pdfkit-font-cache.js';
import { escapeXmpMetadata } from './pdfkit-metadata.js';
import type { ReportFonts } from './report-fonts.js';

export type RenderedPdf = { readonly pdf: Uint8Array; readonly pageCount: number };

/** pdfkit options its typings lack: table scope on TH, and the outline destination. */
export type ScopedStructOptions = PDFKit.Mixins.StructureElementOptions & {
  scope?: 'Row' | 'Column';
  bbox?: number[];
  placement?: string;
};

/** A page's margins in points, named as in report-page.ts. */
export type PageMargins = {
  readonly marginTop: number;
  readonly marginBottom: number;
  readonly marginLeft: number;
  readonly marginRight: number;
};

/** What a tagged document says of itself: its title and dates, and for the report its author, subject and keywords. */
export type DocumentInfo = {
  readonly title: string;
  readonly author?: string;
  readonly subject?: string;
  readonly keywords?: string;
  readonly date: Date;
};

/**
 * A new A4 PDF/UA-1 document in `locale` with `info` and the caller's margins, its title shown by viewers, and XMP metadata that
 * stays well-formed whatever the title holds. The report and the scoring sheet both start here.
 */
export function createTaggedDocument(
  locale: Locale,
  info: DocumentInfo,
  options: { readonly autoFirstPage: boolean; readonly margins: PageMargins },
): Doc {
  const { margins } = options;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margins.marginTop, bottom: margins.marginBottom, left: margins.marginLeft, right: margins.marginRight },
    autoFirstPage: options.autoFirstPage,
    bufferPages: true,
    // 1.7 rather than pdfkit's default 1.3, which writes no XMP metadata at all (and so no PDF/UA declaration).
    pdfVersion: '1.7',
    // PDF/UA-1: pdfkit writes pdfuaid:part 1 into the XMP; the tagging, artifacts, alt text, table scopes and
    // the contents' tagged links that the standard asks for are the callers' work (test/reports/pdf-ua.test.ts).
    // The typings know only the PDF/A subsets.
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    tagged: true,
    lang: intlLocale(locale),
    displayTitle: true,
    // null keeps pdfkit from loading Helvetica, which our documents never use (its typings only allow a string).
    font: null as unknown as string,
    info: {
      Title: info.title,
      ...(info.author === undefined ? {} : { Author: info.author }),
      ...(info.subject === undefined ? {} : { Subject: info.subject }),
      ...(info.keywords === undefined ? {} : { Keywords: info.keywords }),
      Creator: 'hf-fidelity',
      Producer: 'hf-fidelity with PDFKit',
      CreationDate: info.date,
      ModDate: info.date,
    },
  });
  escapeXmpMetadata(doc);
  return doc;
}

export function createDocument(model: ReportModel, fonts: ReportFonts): Doc {
  const { title, author, subject, keywords, creationDate } = model.meta;
  const doc = createTaggedDocument(
    model.locale,
    { title, author, subject, keywords, date: new Date(creationDate) },
    { autoFirstPage: false, margins: PAGE },
  );
  useFont(doc, FONT.regular, fonts.regular, fonts.shapes.regular);
  useFont(doc, FONT.bold, fonts.bold, fonts.shapes.bold);
  return doc;
}

export function collectOutput(doc: Doc, pageCount: () => number): Promise<RenderedPdf> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('error', reject);
    doc.on('end', () => {
      const joined = Buffer.concat(chunks);
      // A fresh ArrayBuffer of its own, so a worker can transfer it without touching Buffer's shared pool.
      const pdf = new Uint8Array(joined.length);
      pdf.set(joined);
      resolve({ pdf, pageCount: pageCount() });
    });
  });
}

/** A structure element whose content is what `draw` puts on the page, drawn as soon as it is added to the tree. */
export function tag(doc: Doc, type: string, draw: () => void, options: ScopedStructOptions = {}): Struct {
  return doc.struct(type, options, [draw]);
}

/** Draws decoration that carries no content, marked so assistive technology skips it. */
export function drawArtifact(doc: Doc, draw: () => void): void {
  doc.markContent('Artifact');
  doc.save();
  draw();
  doc.restore();
  doc.endMarkedContent();
}
