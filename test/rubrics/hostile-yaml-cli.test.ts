// Hostile YAML through the processes an author and an operator run: npm run rubric:check and the server. Apart from
// hostile-yaml.test.ts (the loader in process) because each case starts a tsx process (left out of npm run test:fast).
import { spawnSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_RUBRIC_FILE_BYTES } from '../../src/rubrics/load-rubrics.js';
import { makeServerEnv } from '../helpers/server-process.js';
import { useTempFiles } from '../helpers/temp-files.js';
import { aliasFlood, billionLaughs, mergeKeyBomb, mergeSequenceBomb } from './hostile-yaml-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const miniText = readFileSync(join(root, 'test', 'fixtures', 'rubrics', 'mini-five.yaml'), 'utf8');

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

const { tempDir, writeTemp } = useTempFiles('hf-hostile-yaml-');

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

describe('the real server', () => {
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
    // The reason is the server's fatal log line (JSON on stdout, where log collectors read).
    const fatal = result.stdout.split('\n').find((line) => line.includes('"level":"fatal"')) ?? '';
    const message = String((JSON.parse(fatal || '{}') as { msg?: unknown }).msg);
    expect(message).toContain(`Invalid rubric file ${bomb}`);
    expect(message).toContain('(file): refused: ');
    expect(result.stdout).not.toContain('is running at');
  });
});
