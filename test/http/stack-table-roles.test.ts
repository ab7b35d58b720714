// The stacked phone tables (.stack-table in views/assets/app.css) are shown as blocks below 40rem. Some screen readers
// (Safari's VoiceOver in particular) then stop announcing them as tables: no row or column, no header read with a
// cell. Explicit ARIA roles on the table and each of its parts keep the semantics whatever the CSS display.
// And every table of the views either stacks or sits in a scroll box (.table-scroll): a table's cells keep their words
// whole, so one that does neither would widen the page on a phone (test/browser/no-sideways-scroll.test.ts measures it).
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

/** A scroll box's opening tag, whose attributes may hold EJS output tags (with their own `>`). */
const SCROLL_BOX = /<div class="table-scroll"(?:<%[\s\S]*?%>|[^>])*>/;

/**
 * The tables of a template that neither stack nor are the first thing inside a `.table-scroll` box, each as its opening
 * tag. A scroll box that a keyboard user must scroll is focusable, a named region.
 */
function tablesThatNeitherStackNorScroll(source: string): string[] {
  return [...source.matchAll(/<table\b[^>]*>/g)]
    .filter((match) => !/class="[^"]*\bstack-table\b/.test(match[0]))
    .filter((match) => !new RegExp(`${SCROLL_BOX.source}\\s*$`).test(source.slice(0, match.index)))
    .map((match) => match[0]);
}

function scrollBoxesWithoutAName(source: string): string[] {
  return [...source.matchAll(new RegExp(SCROLL_BOX, 'g'))]
    .map((match) => match[0])
    .filter((tag) => tag.includes('role="region"') && !(tag.includes('tabindex="0"') && /aria-label(?:ledby)?="/.test(tag)));
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

  it('give a scroll region a name and the keyboard a way in', () => {
    const unnamed = templates.flatMap(({ file, source }) => scrollBoxesWithoutAName(source).map((tag) => `${file}: ${tag}`));
    expect(unnamed).toEqual([]);
  });

  it('are told apart from a table that does neither', () => {
    const source =
      '<div class="table-scroll" role="region" tabindex="0" aria-label="X">\n<table>\n</table></div><p>…</p><table class="wide">';
    expect(tablesThatNeitherStackNorScroll(source)).toEqual(['<table class="wide">']);
    expect(scrollBoxesWithoutAName('<div class="table-scroll" role="region">')).toEqual(['<div class="table-scroll" role="region">']);
  });
});
