// Renders the EJS views. Each template is read and compiled once (when caching is on) and its includes are
// resolved once, so a page costs only the template code itself: no disk lookups and no express view
// machinery per request. Templates run without EJS's `with (locals)` block: each compiled function declares
// the locals it is called with as plain variables, which V8 reads far faster than names looked up through
// `with`. A template that cannot be compiled that way (one that declares a variable named like a local)
// falls back to EJS's usual `with` form, so the rendered HTML never depends on the compile mode.
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import ejs from 'ejs';
import type { Application } from 'express';

type Locals = Readonly<Record<string, unknown>>;
type Include = (path: string, data?: Locals) => string;
/** The function EJS compiles a template into when asked for the bare ("client") form. */
type TemplateFunction = (locals: Locals, escapeHtml: (value: unknown) => string, include: Include) => string;

export type ViewRenderer = {
  /** Renders views/<view>.ejs with the given locals and returns the HTML. Throws on template errors. */
  render(view: string, locals: Locals): string;
  /** Templates that had to be compiled in EJS's slower with-form (they declare a variable named like a local). */
  slowTemplates(): readonly string[];
};

/**
 * The names of the locals a template is called with, interned: one object per distinct list, so compiled
 * functions are found by identity. An include's set is its parent's plus the names of the data handed to it.
 */
type NameSet = { readonly names: readonly string[]; readonly children: Map<string, NameSet> };

const SPECIAL_HTML = /[&<>"']/;
const SPECIAL_HTML_ALL = /[&<>"']/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** The same escaping as EJS's `<%= %>` (null and undefined become ''), with a fast path for text that needs none. */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return SPECIAL_HTML.test(text) ? text.replace(SPECIAL_HTML_ALL, (char) => HTML_ENTITIES[char] ?? char) : text;
}

const IDENTIFIER = /^[a-zA-Z_$][0-9a-zA-Z_$]*$/;
/** Words that cannot name a variable: a local called so stays reachable as locals.<word> only. */
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield arguments eval'.split(
    ' ',
  ),
);

export function createViewRenderer({ viewsDir, cache }: { viewsDir: string; cache: boolean }): ViewRenderer {
  const compiled = new Map<string, Map<NameSet, TemplateFunction>>();
  const sources = new Map<string, string>();
  /** Resolved include paths per including file and written path. */
  const includePaths = new Map<string, string>();
  const topNameSets = new Map<string, NameSet>();
  const slow = new Set<string>();

  const sourceOf = (file: string): string => {
    const cached = cache ? sources.get(file) : undefined;
    if (cached !== undefined) return cached;
    const source = readFileSync(file, 'utf8');
    if (cache) sources.set(file, source);
    return source;
  };

  const compile = (file: string, nameSet: NameSet): TemplateFunction => {
    // rmWhitespace: the templates' indentation and blank lines are left out of the page (a line break stays where
    // there was one, so words never run together). It was an eighth of a page's bytes, each rendered and sent.
    const options = { filename: file, client: true, compileDebug: true, strict: false, rmWhitespace: true };
    const source = sourceOf(file);
    // Declare only the locals the template can name: any word of its text (a generous superset of its identifiers).
    const words = new Set(source.match(/[A-Za-z_$][\w$]*/g));
    const names = nameSet.names.filter((name) => words.has(name) && IDENTIFIER.test(name) && !RESERVED.has(name));
    try {
      // The cast: ejs's typings describe the client function's include and escape parameters loosely.
      return ejs.compile(source, { ...options, _with: false, destructuredLocals: names }) as unknown as TemplateFunction;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      slow.add(file);
      return ejs.compile(source, options) as unknown as TemplateFunction;
    }
  };

  const templateFor = (file: string, nameSet: NameSet): TemplateFunction => {
    let byNames = compiled.get(file);
    const cached = cache ? byNames?.get(nameSet) : undefined;
    if (cached) return cached;
    const fn = compile(file, nameSet);
    if (cache) {
      if (!byNames) {
        byNames = new Map();
        compiled.set(file, byNames);
      }
      byNames.set(nameSet, fn);
    }
    return fn;
  };

  const internTop = (locals: Locals): NameSet => {
    const key = Object.keys(locals).join(',');
    let nameSet = topNameSets.get(key);
    if (!nameSet) {
      nameSet = { names: Object.keys(locals), children: new Map() };
      topNameSets.set(key, nameSet);
    }
    return nameSet;
  };

  const internChild = (parent: NameSet, data: Locals): NameSet => {
    const key = Object.keys(data).join(',');
    let nameSet = parent.children.get(key);
    if (!nameSet) {
      nameSet = { names: [...new Set([...parent.names, ...Object.keys(data)])], children: new Map() };
      parent.children.set(key, nameSet);
    }
    return nameSet;
  };

  const includeTarget = (from: string, path: string): string => {
    const key = `${from}\0${path}`;
    let target = includePaths.get(key);
    if (target === undefined) {
      target = fileOf(dirname(from), path);
      includePaths.set(key, target);
    }
    return target;
  };

  const renderFile = (file: string, locals: Locals, nameSet: NameSet): string =>
    templateFor(file, nameSet)(locals, escapeHtml, includeFrom(file, locals, nameSet));

  // A plain function returning an unnamed one: the include function is made once per rendered template.
  function includeFrom(file: string, locals: Locals, nameSet: NameSet): Include {
    return (path, data) => {
      const target = includeTarget(file, path);
      if (data === undefined) return renderFile(target, locals, nameSet);
      // As in EJS, an include sees its parent's locals plus the data handed to it: here the data on top of
      // the parent's locals (its prototype), which spares copying every local for every include.
      const merged: Locals = Object.assign(Object.create(locals) as Record<string, unknown>, data);
      return renderFile(target, merged, internChild(nameSet, data));
    };
  }

  return {
    render: (view, locals) => renderFile(fileOf(viewsDir, view), locals, internTop(locals)),
    slowTemplates: () => [...slow],
  };
}

function fileOf(base: string, path: string): string {
  const file = resolve(base, path);
  return extname(file) === '' ? `${file}.ejs` : file;
}

// The renderer lives in the app's own settings, so every app built by createApp has its own.
const RENDERER_SETTING = 'hf view renderer';

export function useViewRenderer(app: Application, renderer: ViewRenderer): void {
  app.set(RENDERER_SETTING, renderer);
}

export function viewRendererOf(app: Application): ViewRenderer {
  const renderer: unknown = app.get(RENDERER_SETTING);
  if (typeof renderer !== 'object' || renderer === null || !('render' in renderer)) throw new Error('the app has no view renderer');
  return renderer as ViewRenderer;
}
