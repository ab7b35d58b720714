// Page 1 (the cover band, then the cover's blocks) and the contents: reserved before the chapters, written after
// them, when the page of every heading is known; each line is a tagged link to its heading. Page 1's lines that give a
// page are written after the chapters too (page-references.ts).
import type { ReportModel } from '../report-model-types.js';
import { CONTENT_WIDTH, PAGE } from '../report-page.js';
import { destinationName, type Layout } from './block-layout.js';
import { applyText, BLOCK_GAP, BOTTOM, COLOR, FONT, HEADING_STYLE, LEFT, type Struct, TOP } from './pdf-style.js';
import { writePageReferences } from './page-references.js';
import { drawArtifact, tag } from './tagged-document.js';

/**
 * Draws page 1. Its lines that give a page further on are only reserved: `finish` writes them once the chapters are laid
 * out, and closes page 1's part of the structure tree.
 */
export function drawCover(layout: Layout, model: ReportModel): { readonly finish: () => void } {
  const { doc, root } = layout;
  // The band is kept low so that page 1 holds the verdict below it: the board reads page 1.
  const bandHeight = 114;
  drawArtifact(doc, () => {
    doc.rect(0, 0, PAGE.width, bandHeight).fill(COLOR.brand);
    doc.rect(0, bandHeight, PAGE.width, 5).fill(COLOR.coverAccent);
  });
  const cover = doc.struct('Sect');
  root.add(cover);
  cover.add(
    tag(doc, 'P', () => {
      applyText(doc, { font: FONT.bold, size: 11, color: COLOR.coverAccent });
      doc.text(model.cover.kicker.toLocaleUpperCase(model.locale), LEFT, 26, { width: CONTENT_WIDTH, characterSpacing: 1 });
    }),
  );
  cover.add(
    tag(doc, 'H1', () => {
      applyText(doc, { font: FONT.bold, size: 30, color: COLOR.white });
      doc.text(model.cover.title, LEFT, doc.y + 6, { width: CONTENT_WIDTH });
    }),
  );
  cover.add(
    tag(doc, 'P', () => {
      applyText(doc, { font: FONT.regular, size: 13, color: COLOR.white });
      doc.text(model.cover.subtitle, LEFT, doc.y + 5, { width: CONTENT_WIDTH });
    }),
  );
  doc.y = bandHeight + 12;
  layout.addBlocks(cover, model.cover.blocks);
  return {
    finish: () => {
      writePageReferences(doc, layout.targetPages, layout.pageReferences);
      cover.end();
    },
  };
}

export type ContentsPlan = {
  readonly firstPage: number;
  readonly section: Struct;
  /** Where each entry's line goes: pages after the first, and the line's top. */
  readonly lines: readonly { readonly pageOffset: number; readonly top: number }[];
};

const CONTENTS_LINE = {
  1: { height: 19, lead: 5, indent: 0, size: 10, font: FONT.bold },
  2: { height: 14.5, lead: 0, indent: 14, size: 9, font: FONT.regular },
} as const;

/**
 * Reserves the contents' pages before the chapters, so their page numbers are known when it is written at
 * the end. The lines are planned here once and written to the same places; the chapter after the contents
 * may continue below its last line.
 */
export function reserveContents(layout: Layout, model: ReportModel): ContentsPlan {
  const { doc } = layout;
  const heading = HEADING_STYLE[1];
  applyText(doc, heading.spec);
  // As addHeading lays out a level-1 heading at the top of a page: the text, its rule, the space after.
  let top = TOP + doc.heightOfString(model.contents.heading, { width: CONTENT_WIDTH }) + 4 + heading.after;
  let pageOffset = 0;
  const lines = model.contents.entries.map((entry) => {
    const line = CONTENTS_LINE[entry.level];
    if (top + line.height > BOTTOM) {
      pageOffset += 1;
      top = TOP;
    }
    const planned = { pageOffset, top: top + line.lead };
    top += line.height;
    return planned;
  });
  layout.setRunningTitle(model.contents.heading);
  layout.newPage();
  const firstPage = layout.currentPage();
  for (let page = 0; page < pageOffset; page++) layout.newPage();
  doc.y = top + 2 * BLOCK_GAP;
  const section = doc.struct('Sect');
  layout.root.add(section);
  return { firstPage, section, lines };
}

export function writeContents(layout: Layout, model: ReportModel, plan: ContentsPlan): void {
  const { doc } = layout;
  doc.switchToPage(plan.firstPage);
  doc.y = TOP;
  layout.addHeading(plan.section, { type: 'heading', level: 1, text: model.contents.heading, id: 'contents', outline: false });
  const toc = doc.struct('TOC');
  plan.section.add(toc);
  const numberWidth = 40;
  model.contents.entries.forEach((entry, index) => {
    const line = CONTENTS_LINE[entry.level];
    const place = plan.lines[index];
    if (!place) return;
    doc.switchToPage(plan.firstPage + place.pageOffset);
    const targetPage = layout.targetPages.get(entry.target);
    const pageNumber = String((targetPage ?? 0) + 1);
    // TOCI > Reference > Link (as Acrobat tags a contents line): the line's text and the Link annotation over
    // it (its OBJR), as PDF/UA asks of a link.
    const item = doc.struct('TOCI');
    toc.add(item);
    const reference = doc.struct('Reference');
    item.add(reference);
    const link = doc.struct('Link');
    reference.add(link);
    link.add(() => {
      applyText(doc, { font: line.font, size: line.size, color: COLOR.text });
      doc.text(entry.text, LEFT + line.indent, place.top, {
        width: CONTENT_WIDTH - line.indent - numberWidth,
        lineBreak: false,
        ellipsis: true,
      });
      // The space keeps the title and the number apart as text ("Översikt 3", not "Översikt3") for a screen reader
      // and a copy; right-aligned, it does not move the number.
      doc.text(` ${pageNumber}`, LEFT + CONTENT_WIDTH - numberWidth, place.top, { width: numberWidth, align: 'right', lineBreak: false });
    });
    if (targetPage !== undefined) {
      // The typings lack structParent, and Contents must be a PDF string object (a plain string is written as a name).
      const options = { structParent: link, Contents: new String(entry.text) } as unknown as PDFKit.Mixins.AnnotationOption;
      doc.goTo(
        LEFT + line.indent,
        place.top,
        CONTENT_WIDTH - line.indent,
        doc.currentLineHeight(true),
        destinationName(entry.target),
        options,
      );
    }
    link.end();
    reference.end();
    item.end();
  });
  toc.end();
  plan.section.end();
}
