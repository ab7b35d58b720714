// Lays a ReportModel out as a tagged PDF (PDF/UA-1). It decides no text and no number (the model has them all),
// only where things go on the page. Deterministic: the same model and fonts give the same bytes. Its parts, each in
// a file of its own: the fonts (report-fonts.ts; pdfkit's private font cache only in pdfkit-font-cache.ts), the
// tagged document (tagged-document.ts), line breaking (text-layout.ts), the flow of blocks (block-layout.ts) with
// tables, score boxes and charts, the cover and contents, and the page furniture. These files alone import pdfkit.
import PDFDocument from 'pdfkit';
import type { ReportModel } from '../report-model-types.js';
import { CONTENT_WIDTH, PAGE } from '../report-page.js';
import { createLayout } from './block-layout.js';
import { drawCover, reserveContents, writeContents } from './cover-and-contents.js';
import { drawPageFurniture } from './page-furniture.js';
import { applyText, BOTTOM, FLOW_STYLE, FONT, LEFT, LINE_GAP, MIN_ROOM_AFTER_CONTENTS, TOP } from './pdf-style.js';
import type { ReportFonts } from './report-fonts.js';
import { collectOutput, createDocument, type RenderedPdf } from './tagged-document.js';

export { loadReportFonts, type ReportFonts } from './report-fonts.js';
export type { RenderedPdf } from './tagged-document.js';

/** Renders the report. Deterministic: the same model and fonts give the same bytes. */
export function renderReportPdf(model: ReportModel, fonts: ReportFonts): Promise<RenderedPdf> {
  const doc = createDocument(model, fonts);
  let pageCount = 0;
  const output = collectOutput(doc, () => pageCount);
  const layout = createLayout(doc, fonts.hyphenators[model.locale]);
  layout.setRunningTitle(undefined);
  layout.newPage();
  const cover = drawCover(layout, model);
  const contents = reserveContents(layout, model);
  model.chapters.forEach((chapter, index) => {
    layout.setRunningTitle(chapter.runningTitle);
    // Chapters start on a new page; the first may share the contents' last page when there is room.
    if (index > 0 || doc.y > BOTTOM - MIN_ROOM_AFTER_CONTENTS) layout.newPage();
    const section = doc.struct('Sect');
    layout.root.add(section);
    layout.addBlocks(section, chapter.blocks);
    section.end();
  });
  writeContents(layout, model, contents);
  cover.finish();
  layout.root.end();
  pageCount = drawPageFurniture(layout, model);
  doc.end();
  return output;
}

const FILLER =
  'Bostad först bygger på att en egen bostad är en mänsklig rättighet. Stödet är flexibelt, frivilligt och så långt personen vill och behöver – även efter en avhysning. Modelltrohet mäts med en gemensam mall, där varje indikator har en skala med beskrivna nivåer. ';

/**
 * The benchmark's yardstick: a plain text document of `pageCount` A4 pages in the same embedded font,
 * with no tagging, tables or charts, written the way pdfkit is commonly used (the font from its bytes).
 */
export function renderPlainTextPdf(pageCount: number, fonts: ReportFonts): Promise<RenderedPdf> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.marginTop, bottom: PAGE.marginBottom, left: PAGE.marginLeft, right: PAGE.marginRight },
    autoFirstPage: false,
    font: null as unknown as string,
    info: { Title: 'Plain text', CreationDate: new Date(0), ModDate: new Date(0) },
  });
  doc.registerFont(FONT.regular, fonts.files.regular as Buffer);
  const output = collectOutput(doc, () => pageCount);
  const text = FILLER.repeat(24);
  for (let page = 0; page < pageCount; page++) {
    doc.addPage();
    applyText(doc, FLOW_STYLE.body);
    doc.text(text, LEFT, TOP, { width: CONTENT_WIDTH, height: BOTTOM - TOP, lineGap: LINE_GAP, ellipsis: true });
  }
  doc.end();
  return output;
}
