// Reads rubric files (YAML), validates them and gives each its content hash.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Document, isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import { findCrossReferenceProblems, type Rubric, RubricSchema } from './rubric-schema.js';

export type LoadedRubric = {
  readonly rubric: Rubric;
  /** sha256 of the canonical JSON of the parsed rubric: comments and formatting do not change it. */
  readonly contentHash: string;
  /** The canonical JSON that the hash covers; stored with every review as its snapshot. */
  readonly canonicalJson: string;
};

export type RubricProblem = { readonly path: string; readonly message: string };

export type RubricParseResult =
  | { readonly ok: true; readonly loaded: LoadedRubric }
  | { readonly ok: false; readonly problems: readonly RubricProblem[] };

// Rubric files come from authors, but a file is data that can be hostile: a few hundred bytes of YAML aliases (the
// "billion laughs") or merge keys (`<<: *a`, under %YAML 1.1) expand to billions of nodes for the schema check and
// the hash to walk, and the yaml package resolves each alias by a scan of the document. Such files are refused in one
// problem at the path '(file)', before anything walks the expanded document.

/** The largest rubric file read; the shipped rubric is about 110 KB. Checked before the file is read. */
export const MAX_RUBRIC_FILE_BYTES = 1024 * 1024;
/** Anchors and aliases in one file: a rubric needs few or none, and each alias costs yaml a scan of the document. */
const MAX_ANCHORS_AND_ALIASES = 1000;
/** Nodes of the document with every alias and merge key expanded (the shipped rubric has about 4,500). */
const MAX_EXPANDED_NODES = 200_000;
/** Characters of text in the expanded document (the shipped rubric has about 80,000). */
const MAX_EXPANDED_CHARACTERS = 4 * MAX_RUBRIC_FILE_BYTES;
/** Collections inside collections: a rubric needs about ten levels. */
const MAX_DEPTH = 100;

export class RubricLoadError extends Error {
  readonly file: string;
  readonly problems: readonly RubricProblem[];
  constructor(file: string, problems: readonly RubricProblem[]) {
    super(`Invalid rubric file ${file}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'RubricLoadError';
    this.file = file;
    this.problems = problems;
  }
}

/** Parses the text of one rubric file. `expectedId` is the file's base name, which must equal the rubric id. */
export function parseRubricText(text: string, expectedId?: string): RubricParseResult {
  if (text.length > MAX_RUBRIC_FILE_BYTES)
    return refuse(`${text.length} characters is more than a rubric may have (${MAX_RUBRIC_FILE_BYTES})`);
  const lineCounter = new LineCounter();
  // Duplicate keys are found by measureDocument: yaml's own check compares every key with every other (quadratic).
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({ path: '(yaml)', message: error.message.split('\n')[0] ?? error.message })),
    };
  }
  const measured = measureDocument(document, lineCounter);
  if (measured.kind === 'refused') return refuse(measured.reason);
  if (measured.kind === 'duplicate') return { ok: false, problems: [{ path: '(yaml)', message: measured.message }] };
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_ANCHORS_AND_ALIASES });
  } catch (error) {
    // yaml's own limit (Excessive alias count …) or an alias it cannot resolve.
    return refuse((error as Error).message);
  }
  const parsed = RubricSchema.safeParse(raw);
  if (!parsed.success) {
    // zod skips the whole-rubric checks while the shape is wrong; run them anyway so every problem is listed at once.
    const problems = parsed.error.issues.map(toProblem);
    for (const extra of findCrossReferenceProblems(raw).map(toProblem)) {
      if (!problems.some((p) => p.path === extra.path && p.message === extra.message)) problems.push(extra);
    }
    return { ok: false, problems };
  }
  if (expectedId !== undefined && parsed.data.id !== expectedId) {
    return {
      ok: false,
      problems: [{ path: 'id', message: `the id "${parsed.data.id}" must equal the file name "${expectedId}"` }],
    };
  }
  return { ok: true, loaded: toLoadedRubric(parsed.data) };
}

export function toLoadedRubric(rubric: Rubric): LoadedRubric {
  const canonicalJson = canonicalStringify(rubric);
  const contentHash = createHash('sha256').update(canonicalJson).digest('hex');
  return { rubric, contentHash, canonicalJson };
}

/** Parses a rubric snapshot stored in the database (an edge like any other). */
export function parseRubricSnapshot(json: string): Rubric {
  return RubricSchema.parse(JSON.parse(json));
}

/**
 * Reads and parses one rubric file; the server, the tests and `rubric:check` all come through here. A file that cannot
 * be read, or that is refused as too large or as an alias or merge-key bomb, gives one problem at the path '(file)'.
 */
export function checkRubricFile(file: string): RubricParseResult {
  const read = readRubricText(file);
  if (!read.ok) return read;
  return parseRubricText(read.text, basename(file).replace(/\.ya?ml$/, ''));
}

export function loadRubricFile(file: string): LoadedRubric {
  const result = checkRubricFile(file);
  if (!result.ok) throw new RubricLoadError(file, result.problems);
  return result.loaded;
}

/** The file's text, read only when its size is within the limit; at most one byte more is ever read (a file may grow, or be a device). */
function readRubricText(
  file: string,
): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problems: readonly RubricProblem[] } {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return refuse('not a regular file');
    if (stats.size > MAX_RUBRIC_FILE_BYTES)
      return refuse(`the file has ${stats.size} bytes; a rubric file may have at most ${MAX_RUBRIC_FILE_BYTES} (1 MB)`);
    const buffer = Buffer.alloc(MAX_RUBRIC_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (length > MAX_RUBRIC_FILE_BYTES)
      return refuse(`the file has more than ${MAX_RUBRIC_FILE_BYTES} bytes (1 MB), the most a rubric file may have`);
    return { ok: true, text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { ok: false, problems: [{ path: '(file)', message: `cannot read: ${(error as Error).message}` }] };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function refuse(reason: string): { readonly ok: false; readonly problems: readonly RubricProblem[] } {
  return { ok: false, problems: [{ path: '(file)', message: `refused: ${reason}` }] };
}

type Measured =
  | { readonly kind: 'ok' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'duplicate'; readonly message: string };

/** Thrown inside measureDocument only, to stop the walk at the first limit passed. */
class MeasureStop extends Error {
  readonly measured: Measured;
  constructor(measured: Measured) {
    super('stop');
    this.measured = measured;
  }
}

/**
 * Walks the parsed document once, as it will be once its aliases and merge keys are expanded: an alias weighs what its
 * anchored node weighs (computed once, when the anchor is defined, since an alias may only follow its anchor). Stops
 * at the first limit passed, at an alias inside its own anchor (a cycle), and at a key written twice in one mapping.
 */
function measureDocument(document: Document.Parsed, lineCounter: LineCounter): Measured {
  type Weight = { readonly nodes: number; readonly characters: number };
  const weights = new Map<unknown, Weight>();
  const anchors = new Map<string, unknown>();
  const inProgress = new Set<unknown>();
  let anchorsAndAliases = 0;
  const mergeKeysOn = document.schema.tags.some((tag) => tag.tag === 'tag:yaml.org,2002:merge');

  const stop = (reason: string): never => {
    throw new MeasureStop({ kind: 'refused', reason });
  };
  const countAnchorOrAlias = () => {
    anchorsAndAliases++;
    if (anchorsAndAliases > MAX_ANCHORS_AND_ALIASES) stop(`more than ${MAX_ANCHORS_AND_ALIASES} anchors and aliases`);
  };
  const checkTotals = (weight: Weight) => {
    if (weight.nodes > MAX_EXPANDED_NODES) stop(`more than ${MAX_EXPANDED_NODES} nodes once aliases and merge keys are expanded`);
    if (weight.characters > MAX_EXPANDED_CHARACTERS)
      stop(`more than ${MAX_EXPANDED_CHARACTERS} characters of text once aliases and merge keys are expanded`);
  };

  const weigh = (node: unknown, depth: number): Weight => {
    if (depth > MAX_DEPTH) stop(`collections nested more than ${MAX_DEPTH} levels deep`);
    if (isAlias(node)) {
      countAnchorOrAlias();
      const target = anchors.get(node.source);
      if (target === undefined) return { nodes: 1, characters: 0 }; // yaml reports the unresolved alias itself.
      if (inProgress.has(target)) stop(`the alias *${node.source} is inside its own anchor`);
      return weights.get(target) ?? { nodes: 1, characters: 0 };
    }
    const anchor = (node as { anchor?: unknown } | null)?.anchor;
    if (typeof anchor === 'string') {
      countAnchorOrAlias();
      anchors.set(anchor, node);
    }
    let weight: Weight;
    if (isScalar(node)) {
      weight = { nodes: 1, characters: String(node.value).length };
    } else if (isCollection(node)) {
      inProgress.add(node);
      let nodes = 1;
      let characters = 0;
      const keys = new Set<string>();
      for (const item of node.items) {
        const parts = isPair(item) ? [item.key, item.value] : [item];
        if (isMap(node) && isPair(item) && isScalar(item.key)) {
          const key = String(item.key.value);
          if (keys.has(key) && !(mergeKeysOn && key === '<<')) {
            const position = lineCounter.linePos(item.key.range?.[0] ?? 0);
            throw new MeasureStop({
              kind: 'duplicate',
              message: `Map keys must be unique: "${key}" at line ${position.line}, column ${position.col}`,
            });
          }
          keys.add(key);
        }
        for (const part of parts) {
          if (part === null || part === undefined) continue;
          const inner = weigh(part, depth + 1);
          nodes += inner.nodes;
          characters += inner.characters;
          checkTotals({ nodes, characters });
        }
      }
      inProgress.delete(node);
      weight = { nodes, characters };
    } else {
      weight = { nodes: 1, characters: 0 };
    }
    if (typeof anchor === 'string') weights.set(node, weight);
    return weight;
  };

  try {
    checkTotals(weigh(document.contents, 0));
    return { kind: 'ok' };
  } catch (error) {
    if (error instanceof MeasureStop) return error.measured;
    throw error;
  }
}

/** Loads every rubrics/*.yaml file. Throws RubricLoadError naming the first bad file and all its problems. */
export function loadRubrics(dir: string): ReadonlyMap<string, LoadedRubric> {
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  const rubrics = new Map<string, LoadedRubric>();
  for (const name of files) {
    const loaded = loadRubricFile(join(dir, name));
    rubrics.set(loaded.rubric.id, loaded);
  }
  if (rubrics.size === 0) {
    throw new RubricLoadError(dir, [{ path: '(directory)', message: 'no rubric files (*.yaml) found' }]);
  }
  return rubrics;
}

function toProblem(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): RubricProblem {
  const path =
    issue.path.length === 0
      ? '(root)'
      : issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
          .join('.')
          .replace(/\.\[/g, '[');
  return { path, message: issue.message };
}

/** JSON with object keys sorted, so equal content always gives the same text and hash. */
export function canonicalStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
