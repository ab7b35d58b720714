// The view renderer must render exactly what EJS renders (escaping, includes and their data, templates that
// declare names of their own), while compiling each template once when caching is on.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { createViewRenderer, escapeHtml } from '../../src/http/view-renderer.js';

function viewsWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-views-'));
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

describe('the view renderer', () => {
  it('escapes like EJS <%= %>, and leaves <%- %> raw', () => {
    const samples = ['plain', `<script>alert("x")</script> & 'q'`, 0, 12.5, null, undefined, false, { toString: () => '<b>' }];
    for (const value of samples) expect(escapeHtml(value)).toBe(ejs.escapeXML(value as string));
    const dir = viewsWith({ 'page.ejs': '<p><%= text %></p><%- raw %>' });
    const html = createViewRenderer({ viewsDir: dir, cache: true }).render('page', { text: '<i>"x"</i>', raw: '<em>ok</em>' });
    expect(html).toBe('<p>&lt;i&gt;&#34;x&#34;&lt;/i&gt;</p><em>ok</em>');
  });

  it('renders the same HTML as EJS for loops, includes with data, typeof checks and absent locals', () => {
    const files = {
      'pages/list.ejs':
        '<h1><%= title %></h1><% for (const item of items) { %><%- include("../partials/item", { item, shown: true }) %><% } %>' +
        '<% if (typeof notice !== "undefined" && notice) { %><p><%= notice %></p><% } %><%= locals.title.length %>',
      'partials/item.ejs': '<li data-shown="<%= shown %>"><%= item.name %> (<%= title %>)</li>',
    };
    const dir = viewsWith(files);
    const locals = { title: 'Lista & mer', items: [{ name: 'a<b' }, { name: 'c' }] };
    const expected = ejs.render(files['pages/list.ejs'], locals, { filename: join(dir, 'pages/list.ejs') });
    const renderer = createViewRenderer({ viewsDir: dir, cache: true });
    expect(renderer.render('pages/list', locals)).toBe(expected);
    // The same template with other locals (a notice): compiled for those names, still the same output as EJS.
    const withNotice = { ...locals, notice: 'Sparat' };
    expect(renderer.render('pages/list', withNotice)).toBe(
      ejs.render(files['pages/list.ejs'], withNotice, { filename: join(dir, 'pages/list.ejs') }),
    );
  });

  it("falls back to EJS's with-form for a template that declares a variable named like one of its locals", () => {
    const dir = viewsWith({ 'shadow.ejs': '<% const rows = [1, 2, 3]; %><%= rows.length %>/<%= title %>', 'plain.ejs': '<%= title %>' });
    const renderer = createViewRenderer({ viewsDir: dir, cache: true });
    expect(renderer.render('shadow', { rows: ['x'], title: 't' })).toBe('3/t');
    expect(renderer.render('plain', { rows: ['x'], title: 't' })).toBe('t');
    expect(renderer.slowTemplates()).toEqual([join(dir, 'shadow.ejs')]);
  });

  it('keeps a template fast when a local is named like a reserved word (reachable as locals.<name>)', () => {
    const dir = viewsWith({ 'page.ejs': '<%= title %>/<%= locals.default %>/<%= locals.class %>' });
    const renderer = createViewRenderer({ viewsDir: dir, cache: true });
    expect(renderer.render('page', { title: 't', default: 'd', class: 'c' })).toBe('t/d/c');
    expect(renderer.slowTemplates()).toEqual([]);
  });

  it('reads templates again on every render when caching is off (development), and once when it is on', () => {
    const dir = viewsWith({ 'page.ejs': 'one' });
    const fresh = createViewRenderer({ viewsDir: dir, cache: false });
    const cached = createViewRenderer({ viewsDir: dir, cache: true });
    expect(fresh.render('page', {})).toBe('one');
    expect(cached.render('page', {})).toBe('one');
    writeFileSync(join(dir, 'page.ejs'), 'two');
    expect(fresh.render('page', {})).toBe('two');
    expect(cached.render('page', {})).toBe('one');
  });

  it("reports a template error with the template's file and line", () => {
    const dir = viewsWith({ 'broken.ejs': 'line one\n<%= missing.name %>' });
    expect(() => createViewRenderer({ viewsDir: dir, cache: true }).render('broken', {})).toThrow(/broken\.ejs:2/);
  });
});
