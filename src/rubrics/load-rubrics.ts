// Reads rubric files (YAML), validates them and gives each its content hash.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
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
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({ path: '(yaml)', message: error.message.split('\n')[0] ?? error.message })),
    };
  }
  const raw: unknown = document.toJS({ maxAliasCount: 1000 });
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

export function loadRubricFile(file: string): LoadedRubric {
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RubricLoadError(file, [{ path: '(file)', message: (error as Error).message }]);
  }
  const result = parseRubricText(text, expectedId);
  if (!result.ok) throw new RubricLoadError(file, result.problems);
  return result.loaded;
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
  const path = issue.path.length === 0 ? '(root)' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
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
