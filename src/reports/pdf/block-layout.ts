// Lays a chapter's blocks out in reading order: paragraphs, headings (with their bookmarks and the contents'
// destinations), lists, and through their own files tables, score boxes and figures. A heading is kept on one page
// with the start of what follows it.
import { intlLocale } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import type { Block, HeadingBlock, MixedText, Paragraph, Run } from '../report-model-types.js';
import { CONTENT_WIDTH } from '../report-page.js';
import { addFigure, measureFigure } from './draw-charts.js';
import type { Hyphenator } from './hyphenate.js';
import { createPageFlow, type PageFlow } from './page-flow.js';
import {
  applyText,
  COLOR,
  type Doc,
  FLOW_STYLE,
  HEADING_STYLE,
  KEEP_WITH_NEXT,
  LEFT,
  PARAGRAPH_GAP,
  type Struct,
  TOP,
  strokeLine,
} from './pdf-style.js';
import { addScoreBox, measureScoreBox } from './score-box.js';
import { addTable, measureTableOpening } from './tables.js';
import { drawArtifact, tag } from './tagged-document.js';
import { createTypesetter, drawLines, type LaidText } from './text-layout.js';
import { runContent } from './text-runs.js';

type OutlineItem = { addItem(title: string, options?: { expanded?: boolean; fit?: boolean }): OutlineItem };

/** The named destination of a heading the contents link to. */
export function destinationName(headingId: string): string {
  return `heading:${headingId}`;
}

export type Layout = PageFlow & {
  readonly doc: Doc;
  readonly root: Struct;
  /** The running title of every page so far, by page index. */
  readonly pageTitles: (string | undefined)[];
  /** The page each heading landed on, for the contents. */
  readonly headingPages: Map<string, number>;
  setRunningTitle(title: string | undefined): void;
  addHeading(parent: Struct, block: HeadingBlock, keep?: number): void;
  /** Adds the blocks in order, each heading kept on one page with the start of what follows it. */
  addBlocks(parent: Struct, blocks: readonly Block[]): void;
};

const LIST_INDENT = 12;

/** A structure element's own language, where its text is not in the document's (PDF/UA: changes of language are tagged). */
const langOf = (lang: Locale | undefined): { lang?: string } => (lang === undefined ? {} : { lang: intlLocale(lang) });

/**
 * A paragraph after a heading of up to this many lines is its intro, kept whole with what follows it. Longer ones
 * are text of their own and may break after their first lines.
 */
const INTRO_LINES = 5;

export function createLayout(doc: Doc, hyphenate: Hyphenator): Layout {
  const set = createTypesetter(doc, hyphenate);
  const pages = createPageFlow(doc);
  const { currentPage, ensureSpace } = pages;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const pageTitles: (string | undefined)[] = [];
  const headingPages = new Map<string, number>();
  let runningTitle: string | undefined;
  let chapterOutline: OutlineItem | undefined;
  const outlineRoot = doc.outline as unknown as OutlineItem;
  // Pages come both from newPage and from a long text that runs over the bottom margin.
  doc.on('pageAdded', () => {
    pageTitles.push(runningTitle);
  });

  const layParagraph = (paragraph: Paragraph) => set.flow(paragraph.text, FLOW_STYLE[paragraph.style], CONTENT_WIDTH);
  const layListItem = (item: string | MixedText) =>
    set.flow(typeof item === 'string' ? item : item.text, FLOW_STYLE.body, CONTENT_WIDTH - LIST_INDENT);
  /**
   * A structure element of flowing text from `x`: its text as its content, or, where runs of it are in another
   * language, each such run a Span of its own with its language.
   */
  const flowing = (type: string, laid: LaidText, x: number, runs: readonly Run[] | undefined, options: { lang?: string } = {}) => {
    const width = CONTENT_WIDTH - (x - LEFT);
    if (runs === undefined) return tag(doc, type, () => drawLines(doc, laid, x, doc.y, width, 'left', true), options);
    const top = doc.y;
    return doc.struct(type, options, runContent(doc, laid, runs, { x, top: () => top, width, align: 'left', flow: true }));
  };
  /** Never a lone first line at the foot of a page. */
  const firstLines = (laid: { readonly height: number; readonly lineHeight: number }) => Math.min(laid.height, laid.lineHeight * 2);

  const addParagraph = (parent: Struct, paragraph: Paragraph, gapAfter = PARAGRAPH_GAP) => {
    const laid = layParagraph(paragraph);
    ensureSpace(firstLines(laid));
    parent.add(flowing('P', laid, LEFT, paragraph.runs, langOf(paragraph.lang)));
    doc.y += gapAfter;
  };

  const addHeading = (parent: Struct, block: HeadingBlock, keep = KEEP_WITH_NEXT) => {
    const style = HEADING_STYLE[block.level];
    const laid = set.flow(block.text, style.spec, CONTENT_WIDTH);
    if (doc.y > TOP + 1) doc.y += style.before;
    ensureSpace(laid.height + style.after + keep);
    headingPages.set(block.id, currentPage());
    if (block.outline) {
      // Where the contents' line for this heading links to (writeContents).
      doc.addNamedDestination(destinationName(block.id), 'XYZ', null, doc.y, null);
      // fit: pdfkit's own default; passing options without it would point the bookmark off the page's left edge.
      if (block.level === 1) chapterOutline = outlineRoot.addItem(block.text, { expanded: true, fit: true });
      else (chapterOutline ?? outlineRoot).addItem(block.text, { fit: true });
    }
    parent.add(tag(doc, `H${block.level}`, () => drawLines(doc, laid, LEFT, doc.y, CONTENT_WIDTH, 'left', false)));
    if (block.level === 1) {
      const ruleY = doc.y + 3;
      drawArtifact(doc, () => {
        strokeLine(doc, [LEFT, ruleY], [LEFT + CONTENT_WIDTH, ruleY], 1.2, COLOR.brand);
      });
      doc.y = ruleY + 1;
    }
    doc.y += style.after;
  };

  const addList = (parent: Struct, items: readonly (string | MixedText)[], lang?: Locale) => {
    const list = doc.struct('L', langOf(lang));
    parent.add(list);
    for (const item of items) {
      const laid = layListItem(item);
      ensureSpace(firstLines(laid));
      const top = doc.y;
      const entry = doc.struct('LI');
      list.add(entry);
      entry.add(
        tag(doc, 'Lbl', () => {
          applyText(doc, { ...FLOW_STYLE.body, color: COLOR.brand });
          doc.text('•', LEFT + 2, top, { lineBreak: false });
        }),
      );
      doc.y = top;
      entry.add(flowing('LBody', laid, LEFT + LIST_INDENT, typeof item === 'string' ? undefined : item.runs));
      entry.end();
      doc.y += 3;
    }
    list.end();
    doc.y += PARAGRAPH_GAP;
  };

  /**
   * The room the start of `blocks[index]` needs on a page, as the block itself asks for it before it draws: two
   * lines of a paragraph or list item, a table's header and first rows, a whole figure or score box, a heading
   * together with the start of what follows it.
   */
  const openingHeight = (blocks: readonly Block[], index: number): number => {
    const block = blocks[index];
    if (!block) return 0;
    switch (block.type) {
      case 'heading': {
        const style = HEADING_STYLE[block.level];
        const laid = set.flow(block.text, style.spec, CONTENT_WIDTH);
        return style.before + laid.height + style.after + openingHeight(blocks, index + 1);
      }
      case 'paragraph': {
        const laid = layParagraph(block.paragraph);
        // A heading's short intro or label (up to INTRO_LINES) is kept whole, and with the start of the table, list,
        // figure or score box it introduces: else heading and intro can end a page whose table starts the next. Text
        // that goes on in paragraphs is not chained, so a heading is not pushed on by a run of short paragraphs.
        const next = blocks[index + 1];
        const introduces = next !== undefined && next.type !== 'heading' && next.type !== 'paragraph';
        return laid.height <= laid.lineHeight * INTRO_LINES && introduces
          ? laid.height + PARAGRAPH_GAP + openingHeight(blocks, index + 1)
          : firstLines(laid);
      }
      case 'list': {
        const first = block.items[0];
        return first === undefined ? 0 : firstLines(layListItem(first));
      }
      case 'table':
        return measureTableOpening(set, block, () => roomAfter(blocks, index));
      case 'score':
        return measureScoreBox(set, block);
      case 'figure':
        return measureFigure(set, block);
    }
  };

  /**
   * The room what follows `blocks[index]` asks for on the page it ends on. Each list of blocks (the cover's, a
   * chapter's) ends its page, so nothing shares the page after the last.
   */
  const roomAfter = (blocks: readonly Block[], index: number): number =>
    index + 1 < blocks.length ? openingHeight(blocks, index + 1) : Number.POSITIVE_INFINITY;

  const addBlock = (parent: Struct, blocks: readonly Block[], index: number) => {
    const block = blocks[index];
    if (!block) return;
    switch (block.type) {
      case 'heading':
        return addHeading(parent, block);
      case 'paragraph':
        return addParagraph(parent, block.paragraph);
      case 'list':
        return addList(parent, block.items, block.lang);
      case 'table':
        return addTable(set, pages, parent, block, () => roomAfter(blocks, index));
      case 'score':
        return addScoreBox(set, pages, parent, block);
      case 'figure':
        return addFigure(set, pages, parent, block);
    }
  };

  const addBlocks = (parent: Struct, blocks: readonly Block[]) => {
    blocks.forEach((block, index) => {
      if (block.type === 'heading') addHeading(parent, block, index + 1 < blocks.length ? openingHeight(blocks, index + 1) : 0);
      else addBlock(parent, blocks, index);
    });
  };

  return {
    ...pages,
    doc,
    root,
    pageTitles,
    headingPages,
    setRunningTitle: (title) => {
      runningTitle = title;
    },
    addHeading,
    addBlocks,
  };
}
