// The stacked phone tables (.stack-table in views/assets/app.css) are shown as blocks below 40rem. Some screen readers
// (Safari's VoiceOver in particular) then stop announcing them as tables: no row or column, no header read with a
// cell. Explicit ARIA roles on the table and each of its parts keep the semantics whatever the CSS display.
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
