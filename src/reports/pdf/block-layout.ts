// Lays a chapter's blocks out in reading order: paragraphs, headings (with their bookmarks and the contents'
// destinations), lists, and through their own files tables, score boxes and figures. A heading is kept on one page
// with its intro and the start of what follows it (the keep-with-next chain), and a table that would split thinly
// moves whole, or breaks a row earlier, only where that leaves the later pages as they are.
import { intlLocale } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import type { Block, HeadingBlock, MixedText, Paragraph, Run, TableBlock } from '../report-model-types.js';
import { CONTENT_WIDTH } from '../report-page.js';
import { addFigure, measureFigure, placedFigureHeight } from './draw-charts.js';
import type { Hyphenator } from './hyphenate.js';
import { createPageFlow, type PageFlow } from './page-flow.js';
import {
  applyText,
  BLOCK_GAP,
  BODY_HEIGHT,
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
import { type PageReference, reservedText } from './page-references.js';
import { addScoreBox, measureScoreBox } from './score-box.js';
import { addTable, type LaidTable, layTable, planTableStart, type TableAnchors, tableHeight } from './tables.js';
import { drawArtifact, tag } from './tagged-document.js';
import { createTypesetter, type LaidText, tagLines } from './text-layout.js';
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
  /** The page each heading, and each table row with an id, landed on: for the contents and page 1's page references. */
  readonly targetPages: Map<string, number>;
  /**
   * Page 1's paragraphs that give a page further on, reserved where they stand (page-references.ts): the section that
   * holds them stays open until writePageReferences has written them.
   */
  readonly pageReferences: readonly PageReference[];
  setRunningTitle(title: string | undefined): void;
  addHeading(parent: Struct, block: HeadingBlock, keep?: number): void;
  /** Adds the blocks in order, each heading kept on one page with the start of what follows it. */
  addBlocks(parent: Struct, blocks: readonly Block[]): void;
};

const LIST_INDENT = 12;
const LIST_ITEM_GAP = 3;

/** A structure element's own language, where its text is not in the document's (PDF/UA: changes of language are tagged). */
const langOf = (lang: Locale | undefined): { lang?: string } => (lang === undefined ? {} : { lang: intlLocale(lang) });

/**
 * A heading's intro, kept whole with what it introduces: paragraphs of up to INTRO_LINES lines each and up to
 * INTRO_RUN_LINES together (a section's part label, description, line of figures and notes). Longer ones are text of
 * their own and may break after their first lines.
 */
const INTRO_LINES = 5;
const INTRO_RUN_LINES = 8;
/** The room a level-1 heading's rule takes below its text: 3 pt of space and the 1 pt rule. */
const RULE_ROOM = 4;

type HeadingLevel = HeadingBlock['level'];

export function createLayout(doc: Doc, hyphenate: Hyphenator): Layout {
  const set = createTypesetter(doc, hyphenate);
  const pages = createPageFlow(doc);
  const { currentPage, ensureSpace } = pages;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const pageTitles: (string | undefined)[] = [];
  const targetPages = new Map<string, number>();
  const pageReferences: PageReference[] = [];
  const anchors: TableAnchors = { targetPages, reserved: pageReferences };
  let runningTitle: string | undefined;
  let chapterOutline: OutlineItem | undefined;
  const outlineRoot = doc.outline as unknown as OutlineItem;
  // Pages come both from newPage and from a long text that runs over the bottom margin.
  doc.on('pageAdded', () => {
    pageTitles.push(runningTitle);
  });

  // Each block is laid out once: where a block starts is measured ahead, often more than once, before it is drawn.
  const laidTexts = new WeakMap<Paragraph | HeadingBlock, LaidText>();
  const laidTables = new WeakMap<TableBlock, LaidTable>();
  // Answers asked again for each room that depend only on a block's place in its list: whether a heading's chain fits
  // on a page at all, and for a table whether each other way to break it keeps the later pages.
  const answers = new WeakMap<readonly Block[], Map<string, boolean>>();
  const remember = (blocks: readonly Block[], key: string, answer: () => boolean): boolean => {
    let known = answers.get(blocks);
    if (known === undefined) {
      known = new Map();
      answers.set(blocks, known);
    }
    let found = known.get(key);
    if (found === undefined) {
      found = answer();
      known.set(key, found);
    }
    return found;
  };
  const layParagraph = (paragraph: Paragraph) => {
    let laid = laidTexts.get(paragraph);
    if (laid === undefined) {
      laid = set.flow(reservedText(paragraph), FLOW_STYLE[paragraph.style], CONTENT_WIDTH);
      laidTexts.set(paragraph, laid);
    }
    return laid;
  };
  const layHeading = (block: HeadingBlock) => {
    let laid = laidTexts.get(block);
    if (laid === undefined) {
      laid = set.flow(block.text, HEADING_STYLE[block.level].spec, CONTENT_WIDTH);
      laidTexts.set(block, laid);
    }
    return laid;
  };
  const tableOf = (block: TableBlock) => {
    let laid = laidTables.get(block);
    if (laid === undefined) {
      laid = layTable(set, block);
      laidTables.set(block, laid);
    }
    return laid;
  };
  const layListItem = (item: string | MixedText) =>
    set.flow(typeof item === 'string' ? item : item.text, FLOW_STYLE.body, CONTENT_WIDTH - LIST_INDENT);
  /**
   * A structure element of flowing text from `x`: its text as its content, or, where runs of it are in another
   * language, each such run a Span of its own with its language.
   */
  const flowing = (type: string, laid: LaidText, x: number, runs: readonly Run[] | undefined, options: { lang?: string } = {}) => {
    const width = CONTENT_WIDTH - (x - LEFT);
    const top = doc.y;
    const place = { x, top: () => top, width, align: 'left', flow: true } as const;
    return runs === undefined ? tagLines(doc, type, laid, place, options) : doc.struct(type, options, runContent(doc, laid, runs, place));
  };
  /** Never a lone first line at the foot of a page. */
  const firstLines = (laid: { readonly height: number; readonly lineHeight: number }) => Math.min(laid.height, laid.lineHeight * 2);

  const addParagraph = (parent: Struct, paragraph: Paragraph, gapAfter = PARAGRAPH_GAP) => {
    const laid = layParagraph(paragraph);
    if (paragraph.pageOf !== undefined) {
      // Reserved whole where it stands, its element open until page-references.ts writes it: it cannot flow on.
      ensureSpace(laid.height);
      const element = doc.struct('P', langOf(paragraph.lang));
      parent.add(element);
      const { style } = paragraph;
      pageReferences.push({
        paragraph,
        pageOf: paragraph.pageOf,
        element,
        page: currentPage(),
        x: LEFT,
        top: doc.y,
        width: CONTENT_WIDTH,
        align: 'left',
        lay: (text) => set.flow(text, FLOW_STYLE[style], CONTENT_WIDTH),
      });
      doc.y += laid.height + gapAfter;
      return;
    }
    ensureSpace(firstLines(laid));
    parent.add(flowing('P', laid, LEFT, paragraph.runs, langOf(paragraph.lang)));
    doc.y += gapAfter;
  };

  /** Draws a heading where `fits` (given the room left below the space above it) says it starts; else on the next page. */
  const drawHeading = (parent: Struct, block: HeadingBlock, fits: (room: number) => boolean) => {
    const style = HEADING_STYLE[block.level];
    const laid = layHeading(block);
    if (doc.y > TOP + 1) doc.y += style.before;
    pages.ensureRoom(fits);
    targetPages.set(block.id, currentPage());
    if (block.outline) {
      // Where the contents' line for this heading links to (writeContents).
      doc.addNamedDestination(destinationName(block.id), 'XYZ', null, doc.y, null);
      // fit: pdfkit's own default; passing options without it would point the bookmark off the page's left edge.
      if (block.level === 1) chapterOutline = outlineRoot.addItem(block.text, { expanded: true, fit: true });
      else (chapterOutline ?? outlineRoot).addItem(block.text, { fit: true });
    }
    const top = doc.y;
    parent.add(tagLines(doc, `H${block.level}`, laid, { x: LEFT, top: () => top, width: CONTENT_WIDTH, align: 'left', flow: false }));
    if (block.level === 1) {
      const ruleY = doc.y + RULE_ROOM - 1;
      drawArtifact(doc, () => {
        strokeLine(doc, [LEFT, ruleY], [LEFT + CONTENT_WIDTH, ruleY], 1.2, COLOR.brand);
      });
      doc.y = ruleY + 1;
    }
    doc.y += style.after;
  };

  /** The height a heading takes: the space above it (none at the top of a page), its text, its rule, the space after. */
  const headingHeight = (block: HeadingBlock, atTop: boolean) => {
    const style = HEADING_STYLE[block.level];
    return (atTop ? 0 : style.before) + layHeading(block).height + (block.level === 1 ? RULE_ROOM : 0) + style.after;
  };

  const addHeading = (parent: Struct, block: HeadingBlock, keep = KEEP_WITH_NEXT) =>
    drawHeading(parent, block, (room) => headingHeight(block, true) + keep <= room);

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
      doc.y += LIST_ITEM_GAP;
    }
    list.end();
    doc.y += PARAGRAPH_GAP;
  };

  /**
   * Whether the paragraph at `index` belongs to an intro kept whole with what it introduces: a run of paragraphs
   * within INTRO_LINES and INTRO_RUN_LINES that ends at a table, list, figure or score box, or at a heading below
   * `owner` (the level of the heading the run follows), which is kept with what follows it in turn. A run that goes on
   * in longer text, or ends at the next heading of its level ("Inga angivna." before the next section), is not
   * chained: else a heading would be pushed on by text, or a section's last lines by the next section.
   */
  const isIntro = (blocks: readonly Block[], index: number, owner: HeadingLevel | undefined): boolean => {
    let lines = 0;
    for (let at = index; at < blocks.length; at++) {
      const block = blocks[at];
      if (block === undefined) break;
      if (block.type === 'heading') return owner !== undefined && block.level > owner;
      if (block.type !== 'paragraph') return true;
      const count = layParagraph(block.paragraph).lines.length;
      lines += count;
      if (count > INTRO_LINES || lines > INTRO_RUN_LINES) return false;
    }
    return false;
  };

  /**
   * Whether the start of `blocks[index]` fits `room`, with what is kept with it: a heading (after the space above it,
   * unless `atTop`) with the start of what follows it; an intro with what it introduces (`owner` as for isIntro);
   * else as placesIn: two lines of a paragraph or list item, a table's start, a whole figure or score box. This is the
   * keep-with-next chain: heading, part label, intro and short lines, and a table's header with its first whole row.
   */
  const startsIn = (blocks: readonly Block[], index: number, room: number, owner: HeadingLevel | undefined, atTop = false): boolean => {
    const block = blocks[index];
    if (block === undefined) return true;
    switch (block.type) {
      case 'heading': {
        const height = headingHeight(block, atTop);
        return height <= room && startsIn(blocks, index + 1, room - height, block.level);
      }
      case 'paragraph': {
        const laid = layParagraph(block.paragraph);
        if (!isIntro(blocks, index, owner)) return firstLines(laid) <= room;
        const height = laid.height + PARAGRAPH_GAP;
        return height <= room && startsIn(blocks, index + 1, room - height, owner);
      }
      default:
        return placesIn(blocks, index, room);
    }
  };

  /**
   * Whether a heading at `index` starts in `room` (left below the space above it): with its whole chain where that
   * fits on a page at all; a chain taller than a page breaks as any text does, the heading kept with the start of
   * the next block alone.
   */
  const headingFits = (blocks: readonly Block[], index: number, room: number): boolean => {
    const block = blocks[index];
    if (block?.type !== 'heading') return true;
    if (remember(blocks, `chain ${index}`, () => startsIn(blocks, index, BODY_HEIGHT, undefined, true))) {
      return startsIn(blocks, index, room, undefined, true);
    }
    const height = headingHeight(block, true);
    return height <= room && placesIn(blocks, index + 1, room - height);
  };

  /** Whether `blocks[index]` starts in `room` as addBlocks places it: each block asks for its own start alone. */
  const placesIn = (blocks: readonly Block[], index: number, room: number): boolean => {
    const block = blocks[index];
    if (block === undefined) return true;
    switch (block.type) {
      case 'heading':
        return headingFits(blocks, index, room - HEADING_STYLE[block.level].before);
      case 'paragraph':
        return firstLines(layParagraph(block.paragraph)) <= room;
      case 'list': {
        const first = block.items[0];
        return first === undefined || firstLines(layListItem(first)) <= room;
      }
      case 'table':
        return startTable(block, blocks, index, room).here;
      case 'score':
        return measureScoreBox(set, block) <= room;
      case 'figure':
        return measureFigure(set, block) <= room;
    }
  };

  /** The room a block needs to stand whole where it starts (`fits`), and how far down it moves what follows (`takes`). */
  const wholeHeight = (block: Block): { readonly fits: number; readonly takes: number } => {
    switch (block.type) {
      case 'heading': {
        const height = headingHeight(block, false);
        return { fits: height, takes: height };
      }
      case 'paragraph': {
        const { height } = layParagraph(block.paragraph);
        return { fits: height, takes: height + PARAGRAPH_GAP };
      }
      case 'list': {
        const items = block.items.reduce((sum, item) => sum + layListItem(item).height + LIST_ITEM_GAP, 0);
        return { fits: items - LIST_ITEM_GAP, takes: items + PARAGRAPH_GAP };
      }
      case 'table': {
        const height = tableHeight(tableOf(block));
        return { fits: height, takes: height + BLOCK_GAP };
      }
      case 'score': {
        const height = measureScoreBox(set, block);
        return { fits: height, takes: height + BLOCK_GAP };
      }
      case 'figure':
        return { fits: measureFigure(set, block), takes: placedFigureHeight(set, block) };
    }
  };

  /**
   * Whether the chain of a heading reaches `to` from the heading at `from`: every block between them is a heading or
   * part of an intro.
   */
  const chainReaches = (blocks: readonly Block[], from: number, to: number): boolean => {
    let owner: HeadingLevel | undefined;
    for (let at = from; at < to; at++) {
      const block = blocks[at];
      if (block?.type === 'heading') owner = block.level;
      else if (block?.type !== 'paragraph' || owner === undefined || !isIntro(blocks, at, owner)) return false;
    }
    return true;
  };

  /**
   * The height of what a heading's chain keeps above the block at `index` (its headings and intro), as it stands at
   * the top of a page: what goes on to the next page with that block. 0 where no heading's chain reaches it. Where
   * that chain is taller than a page and breaks instead (headingFits), nothing goes along, and the height overstates
   * what moves: that only makes a move rarer.
   */
  const keptAbove = (blocks: readonly Block[], index: number): number => {
    let from = index;
    for (let at = index - 1; at >= 0; at--) {
      const block = blocks[at];
      if (block?.type === 'heading') {
        if (chainReaches(blocks, at, index)) from = at;
      } else if (block?.type !== 'paragraph' || layParagraph(block.paragraph).lines.length > INTRO_LINES) break;
    }
    let height = 0;
    for (let at = from; at < index; at++) {
      const block = blocks[at];
      if (block?.type === 'heading') height += headingHeight(block, at === from);
      else if (block?.type === 'paragraph') height += layParagraph(block.paragraph).height + PARAGRAPH_GAP;
    }
    return height;
  };

  /**
   * Whether the next page after the table at `index` may start with `instead` of the table rather than with `naive`
   * (see KeepsLaterPages) and leave every page after it as it is; moving whole, the table takes what is kept above it
   * along. It follows that page both ways, block by block: where the next block starts neither way, the page ends
   * before it both ways and all that follows is the same; where it starts one way only, or would break over the page,
   * the two differ. Where the blocks end first (a chapter ends its page), the pages after are the same.
   */
  const keepsLaterPages = (blocks: readonly Block[], index: number, instead: number, naive: number, movesWhole: boolean): boolean => {
    let changed = (movesWhole ? keptAbove(blocks, index) : 0) + instead;
    if (changed > BODY_HEIGHT) return false;
    changed += BLOCK_GAP;
    let kept = naive + BLOCK_GAP;
    for (let at = index + 1; at < blocks.length; at++) {
      const block = blocks[at];
      if (block === undefined) break;
      const startsChanged = placesIn(blocks, at, BODY_HEIGHT - changed);
      const startsKept = placesIn(blocks, at, BODY_HEIGHT - kept);
      if (!startsChanged && !startsKept) return true;
      if (startsChanged !== startsKept) return false;
      const whole = wholeHeight(block);
      if (whole.fits > BODY_HEIGHT - changed) return false;
      changed += whole.takes;
      kept += whole.takes;
    }
    return true;
  };

  /**
   * Where the table at `index` starts in `room` (planTableStart). What keepsLaterPages answers depends only on how many
   * rows fit the room, so it is asked once for each.
   */
  const startTable = (block: TableBlock, blocks: readonly Block[], index: number, room: number) =>
    planTableStart(tableOf(block), room, (instead, naive, movesWhole) =>
      remember(blocks, `table ${index} ${instead} ${naive} ${movesWhole}`, () =>
        keepsLaterPages(blocks, index, instead, naive, movesWhole),
      ),
    );

  const addBlock = (parent: Struct, blocks: readonly Block[], index: number) => {
    const block = blocks[index];
    if (!block) return;
    switch (block.type) {
      case 'heading':
        return drawHeading(parent, block, (room) => headingFits(blocks, index, room));
      case 'paragraph':
        return addParagraph(parent, block.paragraph);
      case 'list':
        return addList(parent, block.items, block.lang);
      case 'table':
        return addTable(set, pages, parent, block, tableOf(block), (room) => startTable(block, blocks, index, room), anchors);
      case 'score':
        return addScoreBox(set, pages, parent, block);
      case 'figure':
        return addFigure(set, pages, parent, block);
    }
  };

  const addBlocks = (parent: Struct, blocks: readonly Block[]) => {
    blocks.forEach((_, index) => {
      addBlock(parent, blocks, index);
    });
  };

  return {
    ...pages,
    doc,
    root,
    pageTitles,
    targetPages,
    pageReferences,
    setRunningTitle: (title) => {
      runningTitle = title;
    },
    addHeading,
    addBlocks,
  };
}
