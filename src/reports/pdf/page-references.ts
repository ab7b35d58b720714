// Page 1's lines that give the page of a heading further on ("Hela texten på sida 7"): page 1 is laid out before the
// chapters, so such a line is reserved where it stands (its height, its place in the structure tree) and written once
// the chapters have put every heading on its page, as the contents are.
import type { Block, Paragraph } from '../report-model-types.js';
import { CONTENT_WIDTH } from '../report-page.js';
import type { Layout } from './block-layout.js';
import { FLOW_STYLE, LEFT, PARAGRAPH_GAP, type Struct } from './pdf-style.js';
import { lineContent, type Typesetter } from './text-layout.js';

/** The placeholder a line's text holds for the page number. */
const PAGE = '{page}';
/** What a page number is measured as before it is known: three digits, each as wide as any other in the report's font. */
const WIDEST_PAGE = '888';

export type PageReference = {
  readonly paragraph: Paragraph;
  readonly target: string;
  readonly element: Struct;
  readonly page: number;
  readonly top: number;
};

type Run = { readonly blocks: Block[] } | { readonly reference: { readonly paragraph: Paragraph; readonly target: string } };

/** The blocks in order, the runs of ordinary blocks apart from the lines that give a page. */
function splitAtReferences(blocks: readonly Block[]): Run[] {
  const runs: Run[] = [];
  let current: Block[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph' && block.pageOf !== undefined) {
      if (current.length > 0) runs.push({ blocks: current });
      current = [];
      runs.push({ reference: { paragraph: block.paragraph, target: block.pageOf } });
    } else {
      current.push(block);
    }
  }
  if (current.length > 0) runs.push({ blocks: current });
  return runs;
}

/**
 * Adds `blocks` to `parent` as the layout does, except that each line giving a page gets its room and its element in
 * the tree, empty: writePageReferences fills them. `parent` must stay open until then.
 */
export function addBlocksWithReferences(layout: Layout, set: Typesetter, parent: Struct, blocks: readonly Block[]): PageReference[] {
  const references: PageReference[] = [];
  for (const run of splitAtReferences(blocks)) {
    if ('blocks' in run) {
      layout.addBlocks(parent, run.blocks);
      continue;
    }
    const { paragraph, target } = run.reference;
    const laid = set.flow(paragraph.text.replaceAll(PAGE, WIDEST_PAGE), FLOW_STYLE[paragraph.style], CONTENT_WIDTH);
    layout.ensureSpace(laid.height);
    const element = layout.doc.struct('P');
    parent.add(element);
    references.push({ paragraph, target, element, page: layout.currentPage(), top: layout.doc.y });
    layout.doc.y += laid.height + PARAGRAPH_GAP;
  }
  return references;
}

/** Writes each reserved line with the page its heading landed on, and closes its element. */
export function writePageReferences(layout: Layout, set: Typesetter, references: readonly PageReference[]): void {
  const { doc } = layout;
  for (const { paragraph, target, element, page, top } of references) {
    const landed = layout.headingPages.get(target);
    // A heading the chapters did not print would be a fault of the model; the line then names no page rather than a wrong one.
    const text = paragraph.text.replaceAll(PAGE, landed === undefined ? '–' : String(landed + 1));
    const laid = set.flow(text, FLOW_STYLE[paragraph.style], CONTENT_WIDTH);
    doc.switchToPage(page);
    // Its lines as the element's content, a line-break hyphen as an artifact (lineContent), as every tagged text is.
    for (const content of lineContent(doc, laid, { x: LEFT, top: () => top, width: CONTENT_WIDTH, align: 'left', flow: false })) {
      element.add(content);
    }
    element.end();
  }
}
