// Lays a ScoringSheetModel out as an A4 PDF to print: a box to tick for every level, N/A and evidence source, and
// ruled lines for a note. Uses the report's embedded DejaVu Sans (loadReportFonts), so å, ä, ö, – and ≥ print.
// An indicator is never split over two pages. Deterministic: the dates come from the model.
// Tagged, like the report: Document > H1, P, L/LI/LBody, Sect > H2 > Div (H3, P, L of levels) in reading order, with
// the language and title set and a bookmark per section; the boxes to tick, ruled lines and page footers are
// artifacts a screen reader skips. Declared PDF/UA-1, as the report is.
import type { ReportFonts } from '../reports/pdf/render-report-pdf.js';
import { createTaggedDocument } from '../reports/pdf/tagged-document.js';
import { useFont } from '../reports/pdf/pdfkit-font-cache.js';
import type { ScoringSheetModel, SheetIndicator } from './scoring-sheet-model.js';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

/** A structure element whose content is what `draw` puts on the page, drawn as it is added to its parent. */
function tag(doc: Doc, parent: Struct, type: string, draw: () => void): void {
  parent.add(doc.struct(type, {}, [draw]));
}

/** A list item whose body is what `draw` puts on the page: LI > LBody, as the standard structure types have it. */
function listItem(doc: Doc, list: Struct, draw: () => void): void {
  const item = doc.struct('LI');
  list.add(item);
  tag(doc, item, 'LBody', draw);
  item.end();
}

/** Draws what carries no content (boxes, rules), marked so assistive technology skips it. */
function artifact(doc: Doc, draw: () => void): void {
  doc.markContent('Artifact');
  doc.save();
  draw();
  doc.restore();
  doc.endMarkedContent();
}

const PAGE = { marginTop: 56, marginBottom: 60, marginLeft: 56, marginRight: 56 } as const;
const FONT = { regular: 'sheet-regular', bold: 'sheet-bold' } as const;
const COLOR = { text: '#1f2328', muted: '#4f5660', rule: '#8a939e' } as const;
const BOX = 9;
const INDENT = BOX + 8;

function contentWidth(doc: Doc): number {
  return doc.page.width - PAGE.marginLeft - PAGE.marginRight;
}

function bottom(doc: Doc): number {
  return doc.page.height - PAGE.marginBottom;
}

function textHeight(doc: Doc, font: string, size: number, text: string, width: number): number {
  doc.font(font).fontSize(size);
  return doc.heightOfString(text, { width, lineGap: 1 });
}

/** The height an indicator takes, so it can be moved whole to the next page. */
function measureIndicator(doc: Doc, item: SheetIndicator, width: number): number {
  let height = textHeight(doc, FONT.bold, 10, `${item.label} ${item.text}`, width) + 4;
  if (item.guidance) height += textHeight(doc, FONT.regular, 8, item.guidance, width) + 3;
  for (const level of item.levels)
    height += Math.max(BOX, textHeight(doc, FONT.regular, 9, `${level.level}  ${level.anchor}`, width - INDENT)) + 4;
  if (item.notApplicable) height += BOX + 4;
  return height + 14 + 14 + 2 * 16 + 12;
}

function drawBox(doc: Doc, x: number, y: number): void {
  artifact(doc, () => doc.lineWidth(0.8).strokeColor(COLOR.text).rect(x, y, BOX, BOX).stroke());
}

function drawIndicator(doc: Doc, parent: Struct, model: ScoringSheetModel, item: SheetIndicator, width: number): void {
  const left = PAGE.marginLeft;
  const block = doc.struct('Div');
  parent.add(block);
  tag(doc, block, 'H3', () =>
    doc.font(FONT.bold).fontSize(10).fillColor(COLOR.text).text(`${item.label} ${item.text}`, left, doc.y, { width, lineGap: 1 }),
  );
  doc.moveDown(0.2);
  if (item.guidance) {
    tag(doc, block, 'P', () =>
      doc
        .font(FONT.regular)
        .fontSize(8)
        .fillColor(COLOR.muted)
        .text(item.guidance ?? '', left, doc.y, { width, lineGap: 1 }),
    );
    doc.moveDown(0.2);
  }
  // The levels (and N/A) as a list: the box to tick is decoration, the level and its anchor are the content.
  const levels = doc.struct('L');
  block.add(levels);
  const addChoice = (text: string) => {
    const y = doc.y + 2;
    drawBox(doc, left, y);
    listItem(doc, levels, () =>
      doc
        .font(FONT.regular)
        .fontSize(9)
        .fillColor(COLOR.text)
        .text(text, left + INDENT, y, { width: width - INDENT, lineGap: 1 }),
    );
    doc.y += 2;
  };
  for (const level of item.levels) addChoice(`${level.level}  ${level.anchor}`);
  if (item.notApplicable) addChoice(item.notApplicable);
  levels.end();
  // Evidence sources used: a box per code, the rubric's suggestion beside them.
  const sourcesY = doc.y + 6;
  doc.font(FONT.regular).fontSize(8.5);
  const boxes: number[] = [];
  tag(doc, block, 'P', () => {
    doc.fillColor(COLOR.text).text(`${model.labels.sources}:`, left, sourcesY, { lineBreak: false });
    let x = left + doc.widthOfString(`${model.labels.sources}:`) + 8;
    for (const code of model.evidenceCodes) {
      boxes.push(x);
      doc.text(code, x + BOX + 3, sourcesY, { lineBreak: false });
      x += BOX + 3 + doc.widthOfString(code) + 10;
    }
    doc.fillColor(COLOR.muted).text(`(${model.labels.suggested}: ${item.suggestedEvidence})`, x + 4, sourcesY, { lineBreak: false });
  });
  for (const x of boxes) drawBox(doc, x, sourcesY);
  // A note: two ruled lines.
  const noteY = sourcesY + 16;
  tag(doc, block, 'P', () => doc.fillColor(COLOR.text).text(`${model.labels.note}:`, left, noteY, { lineBreak: false }));
  artifact(doc, () => {
    doc.lineWidth(0.5).strokeColor(COLOR.rule);
    doc
      .moveTo(left + 40, noteY + 10)
      .lineTo(left + width, noteY + 10)
      .stroke();
    doc
      .moveTo(left, noteY + 26)
      .lineTo(left + width, noteY + 26)
      .stroke();
  });
  block.end();
  doc.x = left;
  doc.y = noteY + 38;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('error', reject);
    doc.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export function renderScoringSheetPdf(model: ScoringSheetModel, fonts: ReportFonts): Promise<Buffer> {
  const doc = createTaggedDocument(
    model.locale,
    { title: model.title, date: new Date(model.createdAt) },
    { autoFirstPage: true, margins: PAGE },
  );
  useFont(doc, FONT.regular, fonts.regular, fonts.shapes.regular);
  useFont(doc, FONT.bold, fonts.bold, fonts.shapes.bold);
  const output = collect(doc);
  const width = contentWidth(doc);
  const left = PAGE.marginLeft;
  const root = doc.struct('Document');
  doc.addStructure(root);

  tag(doc, root, 'H1', () => doc.font(FONT.bold).fontSize(16).fillColor(COLOR.text).text(model.title, left, PAGE.marginTop, { width }));
  doc.moveDown(0.5);
  for (const fact of model.facts) {
    const y = doc.y;
    if (fact.value === '') {
      // A line to write on: the label is the content, the line decoration.
      tag(doc, root, 'P', () => doc.font(FONT.bold).fontSize(9).text(`${fact.label}:`, left, y, { width: 110 }));
      artifact(doc, () =>
        doc
          .lineWidth(0.5)
          .strokeColor(COLOR.rule)
          .moveTo(left + 115, y + 10)
          .lineTo(left + width, y + 10)
          .stroke(),
      );
      doc.y = y + 16;
    } else {
      tag(doc, root, 'P', () => {
        // The space after the colon is invisible, but keeps label and value apart in the text read from the tags.
        doc.font(FONT.bold).fontSize(9).text(`${fact.label}: `, left, y, { width: 110 });
        doc
          .font(FONT.regular)
          .fontSize(9)
          .text(fact.value, left + 115, y, { width: width - 115 });
      });
      doc.moveDown(0.2);
    }
  }
  doc.moveDown(0.6);
  const instructions = doc.struct('L');
  root.add(instructions);
  for (const line of model.instructions) {
    listItem(doc, instructions, () =>
      doc.font(FONT.regular).fontSize(8.5).fillColor(COLOR.text).text(`• ${line}`, left, doc.y, { width, lineGap: 1 }),
    );
  }
  instructions.end();
  doc.moveDown(0.3);
  tag(doc, root, 'P', () => doc.font(FONT.regular).fontSize(8).fillColor(COLOR.muted).text(model.evidenceLegend, left, doc.y, { width }));
  doc.moveDown(0.8);

  for (const section of model.sections) {
    const first = section.indicators[0];
    // A section heading always has its first indicator below it.
    const need = textHeight(doc, FONT.bold, 12.5, section.heading, width) + 8 + (first ? measureIndicator(doc, first, width) : 0);
    if (doc.y + need > bottom(doc)) doc.addPage();
    const sect = doc.struct('Sect');
    root.add(sect);
    // A bookmark per section, pointing at the page its heading starts.
    doc.outline.addItem(section.heading);
    tag(doc, sect, 'H2', () => doc.font(FONT.bold).fontSize(12.5).fillColor(COLOR.text).text(section.heading, left, doc.y, { width }));
    const ruleY = doc.y + 2;
    artifact(doc, () =>
      doc
        .lineWidth(1)
        .strokeColor(COLOR.text)
        .moveTo(left, ruleY)
        .lineTo(left + width, ruleY)
        .stroke(),
    );
    doc.y += 8;
    for (const item of section.indicators) {
      if (doc.y + measureIndicator(doc, item, width) > bottom(doc)) doc.addPage();
      drawIndicator(doc, sect, model, item, width);
    }
    sect.end();
    doc.moveDown(0.4);
  }
  root.end();

  // Footers last, when the page count is known. Written inside the bottom margin, so pdfkit adds no page.
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    const pageText = model.labels.page.replace('{page}', String(index + 1)).replace('{pages}', String(range.count));
    const y = doc.page.height - PAGE.marginBottom + 18;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLOR.muted);
    doc.text(model.footer, left, y, { width: width - 80, lineBreak: false });
    doc.text(pageText, left + width - 80, y, { width: 80, align: 'right', lineBreak: false });
    doc.endMarkedContent();
    doc.page.margins.bottom = PAGE.marginBottom;
  }
  doc.end();
  return output;
}
