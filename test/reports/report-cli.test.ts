import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { loginAgent, makeTestApp, ROOT } from '../helpers/test-app.js';
import { binaryParser } from './pdf-text.js';
import { expectedCode, expectReportContent } from './report-assertions.js';
import { createReportScenario, type ReportScenario } from './report-fixtures.js';

type Run = { status: number | null; stdout: string; stderr: string };

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** `fileSizeLimitKiB` runs the CLI under `ulimit -f`: a write past it fails (EFBIG) as on a full disk; Node ignores SIGXFSZ. */
function runReport(dataDir: string, args: readonly string[], viaNpm = false, fileSizeLimitKiB?: number): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_FILE;
  const [command, prefix] = viaNpm
    ? ['npm', ['run', '--silent', 'report', '--']]
    : fileSizeLimitKiB !== undefined
      ? ['/bin/sh', ['-c', `ulimit -f ${fileSizeLimitKiB} && exec "$0" "$@"`, TSX, 'src/reports/report-cli.ts']]
      : [TSX, ['src/reports/report-cli.ts']];
  const result = spawnSync(command, [...prefix, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each run starts a tsx process; the set-up hashes passwords and writes a file database.
describe('npm run report', { timeout: 90_000 }, () => {
  let dataDir = '';
  let scenario: ReportScenario;
  let code = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hf-report-cli-'));
    const db = openDatabase(join(dataDir, 'hf-fidelity.sqlite'));
    const app = makeTestApp({ db });
    scenario = await createReportScenario({ app, programs: 2, reviewsPerProgram: 2 });
    createMunicipalityStore(db).insertMunicipality({ code: '0126', name: 'Huddinge' });
    // A second factor sealed with a key this data folder does not hold, as in a copy of a production database.
    const reader = scenario.panel[0];
    if (!reader) throw new Error('no panel');
    app.services.mfa.enableTotp(reader.id, 'JBSWY3DPEHPK3PXP', [], 0);
    code = expectedCode(scenario);
    db.close();
  }, 60_000);

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the municipality has final reviews, then it writes the Swedish report and names its pages and code', () => {
    const out = join(dataDir, 'stockholm-sv.pdf');
    const run = runReport(dataDir, ['--municipality', '0180', '--out', out], true);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Wrote .*stockholm-sv\\.pdf: \\d+ pages, verification code ${code}\\.`));
    expectReportContent(scenario, readFileSync(out), 'sv', code);
    // A report holds no second factor: the tool needs no MFA key, and makes none, beside a database with sealed secrets.
    expect(existsSync(join(dataDir, 'mfa.key'))).toBe(false);
  });

  it('when --lang en, then it writes the English report, byte for byte what the route sends', async () => {
    const out = join(dataDir, 'stockholm-en.pdf');
    const run = runReport(dataDir, ['--municipality', '0180', '--out', out, '--lang', 'en']);
    expect(run.status).toBe(0);
    const pdf = readFileSync(out);
    expectReportContent(scenario, pdf, 'en', code);
    const db = openDatabase(join(dataDir, 'hf-fidelity.sqlite'));
    try {
      // The scenario's app holds the closed connection: fetch through a fresh app on the same file.
      const agent = await loginAgent(makeTestApp({ db }).app, scenario.reader.email);
      const response = await agent.get('/municipalities/0180/report.pdf?lang=en').buffer(true).parse(binaryParser);
      expect(response.status).toBe(200);
      expect(Buffer.compare(response.body as Buffer, pdf)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('when the municipality has no final review, then it exits 1 with a clear message and writes nothing', () => {
    const out = join(dataDir, 'huddinge.pdf');
    const run = runReport(dataDir, ['--municipality', '0126', '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Huddinge (0126) has no final review yet');
    expect(existsSync(out)).toBe(false);
  });

  it('when the municipality is unknown, then it exits 1 with a clear message', () => {
    const run = runReport(dataDir, ['--municipality', '9999', '--out', join(dataDir, 'none.pdf')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('there is no municipality with code 9999');
  });

  it('when the arguments are wrong, then it exits 1 and shows the usage', () => {
    for (const args of [
      [],
      ['--municipality', '180', '--out', 'x.pdf'],
      ['--municipality', '0180', '--out', 'x.pdf', '--lang', 'de'],
      ['--bogus'],
    ]) {
      const run = runReport(dataDir, args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toContain('Usage: npx tsx src/reports/report-cli.ts --municipality <code> --out <file.pdf>');
    }
  });

  it('when --help, then it prints the usage and exits 0', () => {
    const run = runReport(dataDir, ['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: npx tsx src/reports/report-cli.ts --municipality <code> --out <file.pdf>');
    expect(run.stderr).toBe('');
  });

  it('when --out cannot be written (a missing folder, a folder, a path through a file), then it says so in one line and writes nothing', () => {
    const outDir = mkdtempSync(join(dataDir, 'out-'));
    writeFileSync(join(outDir, 'a-file'), 'not a folder');
    mkdirSync(join(outDir, 'a-folder'));
    const cases: [string, RegExp][] = [
      [join(outDir, 'missing', 'r.pdf'), /^report: cannot write .*r\.pdf: the folder .*missing does not exist\.$/],
      [join(outDir, 'a-folder'), /^report: --out .*a-folder is a folder; give the file name of the PDF/],
      [join(outDir, 'a-file', 'r.pdf'), /^report: cannot write .*r\.pdf: .*a-file is a file, not a folder\.$/],
    ];
    for (const [out, message] of cases) {
      const run = runReport(dataDir, ['--municipality', '0180', '--out', out]);
      expect(run.status, out).toBe(1);
      expect(run.stderr.trim()).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
    expect(readdirSync(outDir).sort()).toEqual(['a-file', 'a-folder']);
    expect(readdirSync(join(outDir, 'a-folder'))).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')(
    'when writing fails part-way (a full disk), then the earlier file at --out is untouched and no partial file is left',
    () => {
      const outDir = mkdtempSync(join(dataDir, 'full-'));
      const out = join(outDir, 'report.pdf');
      const first = runReport(dataDir, ['--municipality', '0180', '--out', out]);
      expect(first.status, first.stderr).toBe(0);
      const good = readFileSync(out);
      const limitKiB = 64;
      // The PDF must not fit under the limit, or nothing would fail; the -shm of the database (32 KiB) must.
      expect(good.length).toBeGreaterThan(2 * limitKiB * 1024);

      const run = runReport(dataDir, ['--municipality', '0180', '--out', out, '--lang', 'en'], false, limitKiB);
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toMatch(
        /^report failed: could not write .*report\.pdf: EFBIG: .*Nothing was written; the file already there is unchanged\.$/,
      );
      expect(run.stdout).toBe('');
      expect(Buffer.compare(readFileSync(out), good)).toBe(0);
      expect(readdirSync(outDir)).toEqual(['report.pdf']);
    },
  );

  // Root may write anywhere: this one needs an ordinary user.
  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')(
    'when the folder of --out is not writable, then it exits 1 in one line and leaves the earlier file untouched',
    () => {
      const outDir = mkdtempSync(join(dataDir, 'readonly-'));
      const out = join(outDir, 'report.pdf');
      writeFileSync(out, 'an earlier report');
      chmodSync(outDir, 0o555);
      try {
        const run = runReport(dataDir, ['--municipality', '0180', '--out', out]);
        expect(run.status).toBe(1);
        expect(run.stderr.trim()).toMatch(
          /^report failed: could not write .*report\.pdf: EACCES: .*the file already there is unchanged\.$/,
        );
        expect(readFileSync(out, 'utf8')).toBe('an earlier report');
        expect(readdirSync(outDir)).toEqual(['report.pdf']);
      } finally {
        chmodSync(outDir, 0o755);
      }
    },
  );
});
