// The stacked phone tables (.stack-table in views/assets/app.css) are shown as blocks below 40rem. Some screen readers
// (Safari's VoiceOver in particular) then stop announcing them as tables: no row or column, no header read with a
// cell. Explicit ARIA roles on the table and each of its parts keep the semantics whatever the CSS display.
// And every table of the views either stacks or sits in a scroll box (.table-scroll): a table's cells keep their words
// whole, so one that does neither would widen the page on a phone (test/browser/no-sideways-scroll.test.ts measures it).
// The scroll boxes are written by one partial (views/partials/scroll-box.ejs): focusable, so the keyboard can scroll
// them, and so a region with a name; every focusable element of the views has a role and a name (WCAG 2.1.1, 4.1.2).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const VIEWS = join(import.meta.dirname, '..', '..', 'views');

function ejsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? ejsFiles(join(dir, entry.name)) : entry.name.endsWith('.ejs') ? [join(dir, entry.name)] : [],
  );
}

/** Every `<table … class="… stack-table …">…</table>` of a template, as written. */
function stackTables(source: string): string[] {
  return [...source.matchAll(/<table\b[^>]*class="[^"]*\bstack-table\b[^"]*"[^>]*>[\s\S]*?<\/table>/g)].map((match) => match[0]);
}

/** The role each table part must carry. A header cell's depends on its scope. */
function expectedRole(tag: string): string | undefined {
  const name = /^<(\w+)/.exec(tag)?.[1];
  if (name === 'table') return 'table';
  if (name === 'thead' || name === 'tbody' || name === 'tfoot') return 'rowgroup';
  if (name === 'tr') return 'row';
  if (name === 'td') return 'cell';
  if (name === 'th') return /scope="row"/.test(tag) ? 'rowheader' : 'columnheader';
  return undefined;
}

function partsWithoutTheirRole(table: string): string[] {
  return [...table.matchAll(/<(?:table|thead|tbody|tfoot|tr|th|td)\b[^>]*>/g)]
    .map((match) => match[0])
    .filter((tag) => !tag.includes(`role="${expectedRole(tag)}"`));
}

describe('stacked tables', () => {
  const templates = ejsFiles(VIEWS)
    .map((file) => ({ file: relative(VIEWS, file), tables: stackTables(readFileSync(file, 'utf8')) }))
    .filter(({ tables }) => tables.length > 0);

  it('are found in the views (the check below is not vacuous)', () => {
    expect(templates.map(({ file }) => file).sort()).toEqual(
      expect.arrayContaining([
        'home/index.ejs',
        'municipalities/index.ejs',
        'actions/plan.ejs',
        'audit/log.ejs',
        'self-assessment/gap.ejs',
        'reviews/overview.ejs',
      ]),
    );
  });

  it('give the table and every row group, row, header and cell its ARIA role', () => {
    const missing = templates.flatMap(({ file, tables }) => tables.flatMap(partsWithoutTheirRole).map((tag) => `${file}: ${tag}`));
    expect(missing).toEqual([]);
  });

  it('are told apart from a part without its role', () => {
    const table = '<table role="table" class="stack-table"><tr role="row"><th scope="row">A</th><td role="cell">1</td></tr></table>';
    expect(partsWithoutTheirRole(table)).toEqual(['<th scope="row">']);
  });
});

/** The one template that writes a scroll box's opening tag; the views include it, then write the table and `</div>`. */
const SCROLL_BOX_PARTIAL = join('partials', 'scroll-box.ejs');

/** An include of the scroll box partial, with its `labelledBy` expression as group 1. */
const SCROLL_BOX = /<%-\s*include\('(?:\.\.\/)*partials\/scroll-box', \{ labelledBy: ([^}]*?) \}\)\s*%>/;

/** The tables of a template that neither stack nor are the first thing inside a scroll box, each as its opening tag. */
function tablesThatNeitherStackNorScroll(source: string): string[] {
  return [...source.matchAll(/<table\b[^>]*>/g)]
    .filter((match) => !/class="[^"]*\bstack-table\b/.test(match[0]))
    .filter((match) => !new RegExp(`${SCROLL_BOX.source}\\s*$`).test(source.slice(0, match.index)))
    .map((match) => match[0]);
}

/** An element's opening tag, whose attributes may hold EJS output tags (with their own `>`). */
const OPENING_TAG = /<[a-z][\w-]*\b(?:<%[\s\S]*?%>|[^>])*>/g;

/**
 * The opening tags of a template's focusable elements that are not a named landmark or widget: a scroll box (or
 * anything else) given tabindex="0" must say what it is (a role) and which one (a name that is not empty).
 */
function focusableWithoutRoleOrName(source: string): string[] {
  return [...source.matchAll(OPENING_TAG)]
    .map((match) => match[0])
    .filter((tag) => tag.includes('tabindex="0"'))
    .filter((tag) => !(/\srole="[a-z]+"/.test(tag) && /\saria-label(?:ledby)?="[^"\s]/.test(tag)));
}

/**
 * The scroll boxes of a template whose name would be empty: `labelledBy` an empty string, or a plain string naming an
 * id that the template does not write. (An id made at run time, such as 'agreement-icc' + idSuffix, is checked in
 * Chromium on the pages that show it: test/browser/no-sideways-scroll.test.ts.)
 */
function scrollBoxesWithoutAName(source: string): string[] {
  return [...source.matchAll(new RegExp(SCROLL_BOX, 'g'))]
    .filter((match) => {
      const labelledBy = (match[1] ?? '').trim();
      const literal = /^'([^'+]*)'$/.exec(labelledBy)?.[1];
      return labelledBy === '' || literal === '' || (literal !== undefined && !source.includes(`id="${literal}"`));
    })
    .map((match) => match[0]);
}

describe('tables on phones', () => {
  const templates = ejsFiles(VIEWS).map((file) => ({ file: relative(VIEWS, file), source: readFileSync(file, 'utf8') }));

  it('either stack or sit in a scroll box', () => {
    const loose = Object.fromEntries(
      templates
        .map(({ file, source }) => [file, tablesThatNeitherStackNorScroll(source)] as const)
        .filter(([, tables]) => tables.length > 0),
    );
    expect(loose).toEqual({});
  });

  it('have their scroll boxes written in one place: a focusable region named by its labelledBy', () => {
    const writers = templates.filter(({ source }) => source.includes('table-scroll')).map(({ file }) => file);
    expect(writers).toEqual([SCROLL_BOX_PARTIAL]);
    const partial = templates.find(({ file }) => file === SCROLL_BOX_PARTIAL)?.source ?? '';
    expect(partial).toContain('<div class="table-scroll" role="region" tabindex="0" aria-labelledby="<%= labelledBy %>">');
    // The check is not vacuous: the views' scroll boxes go through the partial.
    expect(templates.flatMap(({ source }) => source.match(new RegExp(SCROLL_BOX, 'g')) ?? []).length).toBeGreaterThanOrEqual(15);
  });

  it('give every focusable element a role and a name, and every scroll box a name on its page', () => {
    const faults = templates.flatMap(({ file, source }) =>
      [...focusableWithoutRoleOrName(source), ...scrollBoxesWithoutAName(source)].map((tag) => `${file}: ${tag}`),
    );
    expect(faults).toEqual([]);
  });

  it('are told apart from a table that does neither, and from a box without a role or a name', () => {
    const source = "<%- include('../partials/scroll-box', { labelledBy: 'x' }) %>\n<table>\n</table></div><p>…</p><table class=\"wide\">";
    expect(tablesThatNeitherStackNorScroll(source)).toEqual(['<table class="wide">']);
    expect(focusableWithoutRoleOrName('<div class="table-scroll" tabindex="0" aria-label="<%= t(\'x\') %>"><p tabindex="-1">')).toEqual([
      '<div class="table-scroll" tabindex="0" aria-label="<%= t(\'x\') %>">',
    ]);
    expect(focusableWithoutRoleOrName('<div role="region" tabindex="0" aria-labelledby="">')).toHaveLength(1);
    const unnamed = [
      "<%- include('../partials/scroll-box', { labelledBy: 'missing' }) %>",
      "<%- include('partials/scroll-box', { labelledBy: '' }) %>",
    ];
    expect(
      scrollBoxesWithoutAName(
        `<h2 id="present">P</h2>${unnamed.join('')}<%- include('../partials/scroll-box', { labelledBy: 'present' }) %>`,
      ),
    ).toEqual(unnamed);
  });
});
