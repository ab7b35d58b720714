import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRubricFile, loadRubricFile, loadRubrics, MAX_RUBRIC_FILE_BYTES, RubricLoadError } from '../../src/rubrics/load-rubrics.js';
import { makeServerEnv } from '../helpers/server-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const miniText = readFileSync(join(root, 'test', 'fixtures', 'rubrics', 'mini-five.yaml'), 'utf8');

// The files below are built so that, were they not refused, expanding them would take far more than 2 s or all the
// memory there is: the tests only check that they are refused, in one line, with exit code 1.

/** The billion laughs: 12 levels of 10 aliases each, 10^12 strings once expanded, in under 1 KB. */
function billionLaughs(): string {
  let text = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let level = 1; level <= 12; level++) {
    text += `a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]\n`;
  }
  return text;
}

/**
 * Merge keys (YAML 1.1): each level holds two mappings that merge the level below, and yaml converts a merge source
 * anew at every merge, so 40 levels cost 2^40 conversions.
 */
function mergeKeyBomb(): string {
  let text = '%YAML 1.1\n---\nm0: &m0 {a: lol, b: lol}\n';
  for (let level = 1; level <= 40; level++) {
    text += `m${level}: &m${level} {a: {<<: *m${level - 1}}, b: {<<: *m${level - 1}}}\n`;
  }
  return text;
}

/** A merge key that merges a sequence of the level below, in a rubric-shaped file. */
function mergeSequenceBomb(): string {
  let text = '%YAML 1.1\n---\nid: merges\nx0: &x0 {k0: lol, k1: lol, k2: lol}\n';
  for (let level = 1; level <= 40; level++) {
    text += `x${level}: &x${level} {<<: [*x${level - 1}, *x${level - 1}, *x${level - 1}], l${level}: [*x${level - 1}, *x${level - 1}]}\n`;
  }
  return text;
}

/**
 * 110,000 aliases of 300 anchors in under 1 MB: each anchor is used fewer times than yaml's own alias limit allows,
 * but yaml finds each alias's anchor by scanning the document, which is quadratic (minutes of CPU).
 */
function aliasFlood(): string {
  let text = '';
  for (let i = 0; i < 300; i++) text += `a${i}: &a${i} lol\n`;
  text += 'list:\n';
  for (let i = 0; i < 110_000; i++) text += ` - *a${i % 300}\n`;
  return text;
}

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs `npm run rubric:check -- <files>` as an author would, without npm's own output. */
function runRubricCheck(...files: string[]): Run {
  const result = spawnSync(tsx, ['src/rubrics/rubric-check-cli.ts', ...files], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectOneLineRefusal(run: Run, file: string, reason: RegExp): void {
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${file}: refused: `);
  expect(lines[0]).toMatch(reason);
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-hostile-yaml-'));
  dirs.push(dir);
  return dir;
}

function writeTemp(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

// Each run starts a tsx process, which takes a second or so on a small machine.
describe('npm run rubric:check on hostile YAML', { timeout: 120_000 }, () => {
  it('refuses the billion laughs in one line, naming the file, with exit code 1', () => {
    const file = writeTemp('laughs.yaml', billionLaughs());
    expectOneLineRefusal(runRubricCheck(file), file, /nodes once aliases and merge keys are expanded/);
  });

  it('refuses merge-key bombs in one line', () => {
    const nested = writeTemp('merges.yaml', mergeKeyBomb());
    expectOneLineRefusal(runRubricCheck(nested), nested, /once aliases and merge keys are expanded/);
    const sequences = writeTemp('merges.yaml', mergeSequenceBomb());
    expectOneLineRefusal(runRubricCheck(sequences), sequences, /once aliases and merge keys are expanded/);
  });

  it('refuses a flood of aliases that stays under yaml’s own alias limit', () => {
    const text = aliasFlood();
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_RUBRIC_FILE_BYTES);
    const file = writeTemp('aliases.yaml', text);
    expectOneLineRefusal(runRubricCheck(file), file, /more than 1000 anchors and aliases/);
  });

  it('refuses an alias inside its own anchor', () => {
    const file = writeTemp('cycle.yaml', 'id: cycle\ntitle: &t {sv: a, en: b, again: [*t]}\n');
    expectOneLineRefusal(runRubricCheck(file), file, /the alias \*t is inside its own anchor/);
  });

  it('refuses a file over 1 MB by its size, without reading it', () => {
    // 4 GB, sparse: reading it whole would take minutes and more memory than a string may hold.
    const file = writeTemp('huge.yaml', 'id: huge\n');
    truncateSync(file, 4 * 1024 ** 3);
    expectOneLineRefusal(runRubricCheck(file), file, /the file has 4294967296 bytes; a rubric file may have at most 1048576 \(1 MB\)/);
  });

  it('still reads a file of exactly 1 MB, and reports the valid file beside a refused one', () => {
    const dir = tempDir();
    const padded = join(dir, 'mini-five.yaml');
    const padding = MAX_RUBRIC_FILE_BYTES - Buffer.byteLength(miniText) - 3;
    writeFileSync(padded, `${miniText}\n# ${'x'.repeat(padding)}`);
    expect(Buffer.byteLength(readFileSync(padded))).toBe(MAX_RUBRIC_FILE_BYTES);
    const bomb = join(dir, 'laughs.yaml');
    writeFileSync(bomb, billionLaughs());
    const run = runRubricCheck(padded, bomb);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${padded}: valid (mini-five 0.1-test`);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`${bomb}: refused: `)]);
  });
});

describe('the rubric loader the server uses', () => {
  function catchLoadError(load: () => unknown): RubricLoadError {
    try {
      load();
    } catch (error) {
      if (error instanceof RubricLoadError) return error;
      throw error;
    }
    throw new Error('expected a RubricLoadError, but loading succeeded');
  }

  it.each([
    ['the billion laughs', billionLaughs()],
    ['a merge-key bomb', mergeKeyBomb()],
    ['a flood of aliases', aliasFlood()],
  ])('stops with the file named when the rubrics folder holds %s', (_case, text) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hostile.yaml'), text);
    const error = catchLoadError(() => loadRubrics(dir));
    expect(error.file).toBe(join(dir, 'hostile.yaml'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.path).toBe('(file)');
    expect(error.problems[0]?.message).toMatch(/^refused: /);
  });

  it('stops with the file named when a rubric file is over 1 MB', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.yaml'), 'id: huge\n');
    truncateSync(join(dir, 'huge.yaml'), MAX_RUBRIC_FILE_BYTES + 1);
    const error = catchLoadError(() => loadRubrics(dir));
    expect(error.message).toContain(join(dir, 'huge.yaml'));
    expect(error.problems.map((p) => p.message)).toEqual([`refused: the file has ${MAX_RUBRIC_FILE_BYTES + 1} bytes; a rubric file may have at most ${MAX_RUBRIC_FILE_BYTES} (1 MB)`]);
  });

  it('refuses to start the real server on a rubrics folder with an alias bomb, naming the file', { timeout: 60_000 }, () => {
    const dir = tempDir();
    const bomb = join(dir, 'laughs.yaml');
    writeFileSync(bomb, billionLaughs());
    const result = spawnSync(tsx, ['src/server.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: makeServerEnv(join(dir, 'data'), { RUBRICS_DIR: dir, PORT: '0' }),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid rubric file ${bomb}`);
    expect(result.stderr).toContain('(file): refused: ');
    expect(result.stdout).not.toContain('is running at');
  });

  it('still loads a rubric that uses anchors, aliases and merge keys within reason', () => {
    const withAlias = miniText
      .replace('title: { sv: Liten testmall, en: Small test rubric }', 'title: &title { sv: Liten testmall, en: Small test rubric }')
      .replace(/description:\n {2}sv: Testmall med blandade skalor.\n {2}en: Test rubric with mixed scales.\n/, 'description: *title\n');
    expect(withAlias).toContain('description: *title');
    const aliasFile = writeTemp('mini-five.yaml', withAlias);
    expect(loadRubricFile(aliasFile).rubric.description).toEqual({ sv: 'Liten testmall', en: 'Small test rubric' });

    const withMerge = `%YAML 1.1\n---\n${withAlias.replace('description: *title', 'description: { <<: *title, en: Merged }')}`;
    const mergeFile = writeTemp('mini-five.yaml', withMerge);
    expect(loadRubricFile(mergeFile).rubric.description).toEqual({ sv: 'Liten testmall', en: 'Merged' });
  });

  it('still names a key written twice, with its line', () => {
    const file = writeTemp('mini-five.yaml', miniText.replace('min_rated_share: 0.5\n', 'min_rated_share: 0.5\nmin_rated_share: 0.6\n'));
    const result = checkRubricFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = miniText.split('\n').findIndex((text) => text.startsWith('min_rated_share')) + 2;
    expect(result.problems).toEqual([{ path: '(yaml)', message: `Map keys must be unique: "min_rated_share" at line ${line}, column 1` }]);
  });
});
