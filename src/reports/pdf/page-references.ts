// Page 1's lines that give the page where a text further on stands whole ("Hela texten på sida 7"): page 1 is laid out
// before the chapters, so such a line, at full width or in a table's cell, is reserved where it stands (its height, its
// place in the structure tree) and written once the chapters have put every heading and row on its page, as the
// contents are.
import type { PageOf, Paragraph } from '../report-model-types.js';
import type { Doc, Struct } from './pdf-style.js';
import { type LaidText, lineContent } from './text-layout.js';

/** Where a paragraph's text holds its page or pages (PageOf). */
const PAGES = '{pages}';
/** What a page number is measured as before it is known: three digits, each as wide as any other in the report's font. */
const WIDEST_PAGE = '888';

/** One page as PageOf's `one` words it ("sida 7"), several as its `range` does ("sidorna 22–23"). */
const onePage = (pageOf: PageOf, page: string) => pageOf.one.replaceAll('{page}', page);
const pageRange = (pageOf: PageOf, from: string, to: string) => pageOf.range.replaceAll('{from}', from).replaceAll('{to}', to);

/**
 * The text a paragraph is measured and reserved as: its page, or its range of pages where it has several targets, at
 * their widest. Any other paragraph's is its own.
 */
export function reservedText(paragraph: Paragraph): string {
  const { pageOf, text } = paragraph;
  if (pageOf === undefined) return text;
  const one = text.replaceAll(PAGES, onePage(pageOf, WIDEST_PAGE));
  if (pageOf.targets.length < 2) return one;
  const range = text.replaceAll(PAGES, pageRange(pageOf, WIDEST_PAGE, WIDEST_PAGE));
  return range.length > one.length ? range : one;
}

/** The text of a paragraph with the pages (from 1) its targets landed on; a target the chapters did not print is left out. */
function writtenText({ text }: Paragraph, pageOf: PageOf, targetPages: ReadonlyMap<string, number>): string {
  const pages = pageOf.targets.flatMap((target) => {
    const page = targetPages.get(target);
    return page === undefined ? [] : [page + 1];
  });
  // No target printed would be a fault of the model; the line then names no page rather than a wrong one.
  if (pages.length === 0) return text.replaceAll(PAGES, onePage(pageOf, '–'));
  const first = Math.min(...pages);
  const last = Math.max(...pages);
  return text.replaceAll(PAGES, first === last ? onePage(pageOf, String(first)) : pageRange(pageOf, String(first), String(last)));
}

/** A reserved paragraph: its element, open until written; where its lines go; how they are broken. */
export type PageReference = {
  readonly paragraph: Paragraph;
  readonly pageOf: PageOf;
  readonly element: Struct;
  readonly page: number;
  readonly x: number;
  readonly top: number;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Breaks the written text into lines as the reserved one was broken (in a cell or at full width). */
  readonly lay: (text: string) => LaidText;
};

/** Writes each reserved paragraph with the pages its targets landed on, and closes its element. */
export function writePageReferences(doc: Doc, targetPages: ReadonlyMap<string, number>, references: readonly PageReference[]): void {
  for (const { paragraph, pageOf, element, page, x, top, width, align, lay } of references) {
    const laid = lay(writtenText(paragraph, pageOf, targetPages));
    doc.switchToPage(page);
    // Its lines as the element's content, a line-break hyphen as an artifact (lineContent), as every tagged text is.
    for (const content of lineContent(doc, laid, { x, top: () => top, width, align, flow: false })) element.add(content);
    element.end();
  }
}
