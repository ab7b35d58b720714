// A page's layout on a phone or a tablet, measured in real Chromium: how far it scrolls sideways and why, the table
// cells squeezed below a readable width, the scroll boxes' captions cut off at their edge, the captions squeezed
// narrower than their table, the stacked cells that show a
// label over nothing, and the scroll boxes a keyboard or screen reader user cannot reach or tell apart. The page's HTML
// comes from the app (through supertest) and is shown with the app's own stylesheet
// (test/browser/no-sideways-scroll.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

const STYLESHEET = readFileSync(fileURLToPath(new URL('../../views/assets/app.css', import.meta.url)), 'utf8');

export type PageLayout = {
  readonly excess: number;
  readonly culprits: readonly string[];
  readonly squeezed: readonly string[];
  readonly cutCaptions: readonly string[];
  readonly narrowCaptions: readonly string[];
  readonly emptyLabels: readonly string[];
  readonly unnamedScrollBoxes: readonly string[];
};

/**
 * Measured in the page, as a string: the tests are compiled without the DOM's types.
 * - excess: the document's scroll width beyond the viewport. It counts everything, also what escapes a scroll box:
 *   an absolutely positioned element (a visually hidden text) is clipped by a `.table-scroll` only when that box is
 *   its containing block, otherwise it widens the page.
 * - culprits: the first elements reaching past the viewport that no scroll box holds (an SVG clips its own drawing).
 * - squeezed: visible table cells that break a word over two lines, or are under 3 em wide while holding more than
 *   three characters (a column of one or two letters a line). The header cells of a stacked table, moved off screen
 *   into a 1 px box for screen readers, are not shown and not measured. A word or address someone typed that is wider
 *   than its cell's line must break somewhere, and is not counted when the cell is at least 10 em wide (a stacked
 *   cell, a notes column); in a scroll box the table can always widen instead, so there every broken word counts.
 * - cutCaptions: the visible captions of scroll boxes that reach past what their box shows: cut off on the phone
 *   until the reader scrolls sideways.
 * - narrowCaptions: the visible captions narrower than the room their table gives them (the table's width, within a
 *   scroll box what the box shows): a stacked table's caption left a table-caption took the width of its longest word,
 *   a word a line.
 * - emptyLabels: stacked cells with nothing in them that still show their column's name.
 * - unnamedScrollBoxes: the elements that scroll sideways (overflow-x auto or scroll, form fields aside) that cannot be
 *   focused (tabindex 0: the keyboard's way to scroll them), are not a region, or have no name (aria-labelledby's
 *   texts, else aria-label).
 */
const MEASURE_LAYOUT = String.raw`(() => {
  const root = document.documentElement;
  const viewport = root.clientWidth;
  const excess = Math.max(0, root.scrollWidth - viewport);
  const heldByScrollBox = (element) => {
    const box = element.closest('.table-scroll');
    if (!box) return false;
    for (let node = element; node && node !== box; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === 'fixed') return false;
      if (position === 'absolute') {
        const container = node.offsetParent;
        return Boolean(container) && (container === box || box.contains(container));
      }
    }
    return true;
  };
  const describe = (element) => element.tagName.toLowerCase() + (element.getAttribute('class') ? '.' + element.getAttribute('class').trim().replace(/\s+/g, '.') : '') +
    ' in ' + (element.parentElement ? element.parentElement.tagName.toLowerCase() : '-') + ': ' + (element.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  const culprits = excess === 0 ? [] : [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > viewport + 1 && !element.parentElement.closest('svg') && !heldByScrollBox(element))
    .slice(0, 5)
    .map(describe);
  const visibleTextNodes = (cell) => {
    const nodes = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest('.visually-hidden')) nodes.push(node);
    }
    return nodes;
  };
  const squeezed = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    if (cell.getClientRects().length === 0) continue;
    const head = cell.closest('thead');
    if (head && getComputedStyle(head).position === 'absolute') continue;
    const nodes = visibleTextNodes(cell);
    const text = nodes.map((node) => node.data).join('').trim().replace(/\s+/g, ' ');
    if (text === '') continue;
    const style = getComputedStyle(cell);
    const lineWidth = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const em = parseFloat(style.fontSize);
    const mayBreakLongWords = !cell.closest('.table-scroll') && lineWidth >= 10 * em;
    const fragments = (node, start, end) => {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      return [...range.getClientRects()].filter((rect) => rect.width > 0);
    };
    const broken = [];
    for (const node of nodes) {
      for (const token of node.data.matchAll(/\S+/g)) {
        const tokenWidth = fragments(node, token.index, token.index + token[0].length).reduce((sum, rect) => sum + rect.width, 0);
        if (mayBreakLongWords && tokenWidth > lineWidth + 1) continue;
        for (const match of token[0].matchAll(/[\p{L}\p{N}]{2,}/gu)) {
          const lines = new Set(fragments(node, token.index + match.index, token.index + match.index + match[0].length).map((rect) => Math.round(rect.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
      }
    }
    const cellWidth = cell.getBoundingClientRect().width;
    const label = cell.tagName.toLowerCase() + ' ' + Math.round(cellWidth) + ' px "' + text.slice(0, 40) + '"';
    if (broken.length > 0) squeezed.push(label + ' breaks ' + broken.slice(0, 3).join(', '));
    else if (cellWidth < 3 * em && text.length > 3) squeezed.push(label + ' under 3 em');
  }
  const cutCaptions = [];
  for (const box of document.querySelectorAll('.table-scroll')) {
    const shownLeft = box.getBoundingClientRect().left + box.clientLeft;
    const shownRight = shownLeft + box.clientWidth;
    for (const caption of box.querySelectorAll('caption')) {
      const rect = caption.getBoundingClientRect();
      if (rect.width <= 1) continue;
      if (rect.left < shownLeft - 1 || rect.right > shownRight + 1) {
        cutCaptions.push(describe(caption) + ' reaches ' + Math.round(Math.max(rect.right - shownRight, shownLeft - rect.left)) + ' px past its box');
      }
    }
  }
  const narrowCaptions = [];
  for (const caption of document.querySelectorAll('main caption')) {
    const width = caption.getBoundingClientRect().width;
    if (width <= 1) continue;
    const box = caption.closest('.table-scroll');
    const room = Math.min(caption.closest('table').clientWidth, box ? box.clientWidth : Infinity);
    if (width < room - 2) narrowCaptions.push(describe(caption) + ' is ' + Math.round(width) + ' of ' + Math.round(room) + ' px wide');
  }
  const emptyLabels = [];
  for (const cell of document.querySelectorAll('main td[data-label], main th[data-label]')) {
    if (cell.getClientRects().length === 0 || cell.children.length > 0 || cell.textContent.trim() !== '') continue;
    const shown = getComputedStyle(cell, '::before').content;
    if (shown !== 'none' && shown !== 'normal') emptyLabels.push(cell.tagName.toLowerCase() + ' shows ' + shown + ' over nothing');
  }
  const nameOf = (element) => {
    const ids = (element.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (ids.length > 0) return ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    return (element.getAttribute('aria-label') || '').trim();
  };
  const unnamedScrollBoxes = [];
  for (const element of document.querySelectorAll('body *')) {
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName) || !['auto', 'scroll'].includes(getComputedStyle(element).overflowX)) continue;
    const faults = [
      element.getAttribute('tabindex') === '0' ? '' : 'not focusable',
      element.getAttribute('role') === 'region' ? '' : 'no region role',
      nameOf(element) === '' ? 'no name' : '',
    ].filter(Boolean);
    if (faults.length > 0) unnamedScrollBoxes.push(describe(element) + ' (' + faults.join(', ') + ')');
  }
  return { excess, culprits, squeezed, cutCaptions, narrowCaptions, emptyLabels, unnamedScrollBoxes };
})()`;

/**
 * A Chromium page at `width` CSS px: one per width, opened at its first use and then given one page's HTML after
 * another. Opening a page takes longer than showing and measuring one (about 0.16 s against 0.05 s), and the pages
 * are measured at many widths.
 */
export type PageAtWidth = (width: number) => Promise<Page>;

/** One page per width in `browser`, closed with it. */
export function openPagePerWidth(browser: Browser): PageAtWidth {
  const pages = new Map<number, Promise<Page>>();
  return (width) => {
    const page = pages.get(width) ?? browser.newPage({ bypassCSP: true, viewport: { width, height: 800 } });
    pages.set(width, page);
    return page;
  };
}

/** Shows the page's HTML at `width` CSS px, with the app's stylesheet inline, and runs `script` in it. */
export async function evaluateIn<T>(pageAt: PageAtWidth, html: string, width: number, script: string): Promise<T> {
  const page = await pageAt(width);
  await page.setContent(html.replace('<link rel="stylesheet" href="/assets/app.css">', `<style>${STYLESHEET}</style>`));
  return (await page.evaluate(script)) as T;
}

/** The page's layout at `width` CSS px. */
export function layoutOf(pageAt: PageAtWidth, html: string, width: number): Promise<PageLayout> {
  return evaluateIn<PageLayout>(pageAt, html, width, MEASURE_LAYOUT);
}

/**
 * What is wrong with a page at a width (see MEASURE_LAYOUT), keyed by page, width and kind for the failure message;
 * its squeezed cells only with `squeezed`.
 */
export function layoutProblems(label: string, width: number, layout: PageLayout, options: { squeezed: boolean }): Record<string, unknown> {
  const where = `${label} at ${width}`;
  const problems: Record<string, unknown> = {};
  if (layout.excess > 0) problems[`${where}: ${layout.excess} px too wide`] = layout.culprits;
  if (options.squeezed && layout.squeezed.length > 0)
    problems[`${where}: ${layout.squeezed.length} squeezed cells`] = layout.squeezed.slice(0, 5);
  if (layout.cutCaptions.length > 0) problems[`${where}: captions cut off`] = layout.cutCaptions;
  if (layout.narrowCaptions.length > 0) problems[`${where}: captions narrower than their table`] = layout.narrowCaptions;
  if (layout.emptyLabels.length > 0) problems[`${where}: labels over empty cells`] = layout.emptyLabels.slice(0, 5);
  if (layout.unnamedScrollBoxes.length > 0) problems[`${where}: scroll boxes without a way in or a name`] = layout.unnamedScrollBoxes;
  return problems;
}
