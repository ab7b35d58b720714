// The real server (npm start's command) and its database file: a file deleted while the server runs makes /readyz
// answer 503, with one warning naming it; a start over what an installation left when its database went is refused
// rather than making a new, empty one; a file of another program is refused and left as it was; and an hf-fidelity
// database from before the application id starts and is given it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import { APPLICATION_ID, migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open-database.js';
import { makeServerEnv, ROOT } from '../helpers/server-process.js';
import { makeDataDir, type SpawnedServer, spawnServer } from './spawn-server.js';

const DB_NAME = 'hf-fidelity.sqlite';

/** A data folder of the test's own, removed when it ends. */
function makeTestDataDir(test: TestContext): string {
  const dataDir = makeDataDir('hf-fidelity-dbfile-');
  test.onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

/** Starts the server, and kills it when the test ends should the test not have stopped it. */
async function startServer(test: TestContext, options: Parameters<typeof spawnServer>[0]): Promise<SpawnedServer> {
  const server = await spawnServer(options);
  test.onTestFinished(async () => {
    await server.stop('SIGKILL');
  });
  return server;
}

/** Runs npm start's command on `dataDir`, expecting it to refuse: its exit code, every line printed, and the fatal one's message. */
function startExpectingRefusal(dataDir: string): { code: number | null; output: string; fatal: string[] } {
  // One process (no tsx wrapper), killed outright should it start after all, so a regression fails instead of hanging.
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: makeServerEnv(dataDir, { PORT: '0', HOST: '127.0.0.1' }),
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  if (run.error) throw run.error;
  const output = `${run.stdout}${run.stderr}`;
  const fatal = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .filter((line) => line.level === 'fatal')
    .map((line) => line.msg);
  return { code: run.status, output, fatal };
}

function readyz(server: SpawnedServer): Promise<number> {
  return fetch(`${server.baseUrl}/readyz`).then((response) => response.status);
}

describe('npm start: the database file deleted while the server runs', { timeout: 90_000 }, () => {
  it('when the file is deleted, then /readyz answers 503 and one warning names it; the next start is refused, naming what is left, until those files are moved away', async (test) => {
    const server = await startServer(test, { dataDir: makeTestDataDir(test), expectSetupLink: true });
    const file = server.databaseFile;
    const keyFile = join(server.dataDir, 'mfa.key');
    expect(await readyz(server)).toBe(200);

    rmSync(file);
    for (let i = 0; i < 3; i++) expect(await readyz(server)).toBe(503);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const warnings = server
      .stdout()
      .split('\n')
      .filter((line) => line.includes('readyz: not ready'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({
      level: 'warn',
      msg: expect.stringContaining(
        `readyz: not ready: the database file ${file} is missing: it was deleted or moved while the server runs`,
      ),
    });

    // The key file (and what SQLite left of the deleted database) say an installation ran here: no new, empty one.
    expect(existsSync(keyFile)).toBe(true);
    const refused = startExpectingRefusal(server.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.fatal).toHaveLength(1);
    expect(refused.fatal[0]).toMatch(new RegExp(`^Could not start the server: the database ${file} is missing, but ${keyFile}(, | and )`));
    expect(refused.fatal[0]).toContain('still there, from an earlier installation');
    expect(refused.fatal[0]).toContain('restore the latest backup (npm run restore -- <backup file>');
    expect(refused.fatal[0]).toContain('for a really new installation, move those files away first');
    expect(refused.output).not.toContain('is running at');
    expect(refused.output).not.toContain('/setup?token=');
    expect(refused.output).not.toMatch(/^\s+at /m);
    expect(existsSync(file)).toBe(false);

    // The second way on: those files moved away, it starts as a new installation.
    const aside = join(server.dataDir, 'old');
    mkdirSync(aside);
    for (const name of ['mfa.key', `${DB_NAME}-wal`, `${DB_NAME}-shm`]) {
      if (existsSync(join(server.dataDir, name))) renameSync(join(server.dataDir, name), join(aside, name));
    }
    const fresh = await startServer(test, { dataDir: server.dataDir, expectSetupLink: true });
    expect(fresh.setupUrl).toBeDefined();
    expect(await readyz(fresh)).toBe(200);
    await fresh.stop('SIGTERM');
  });

  it('when only the -wal of a missing database is left (no key file), then the start is refused and the -wal left as it was', (test) => {
    const dataDir = makeTestDataDir(test);
    const wal = join(dataDir, `${DB_NAME}-wal`);
    writeFileSync(wal, Buffer.alloc(4096, 7));
    const refused = startExpectingRefusal(dataDir);
    expect(refused.code).toBe(1);
    expect(refused.fatal).toEqual([
      expect.stringContaining(`the database ${join(dataDir, DB_NAME)} is missing, but ${wal} is still there`),
    ]);
    expect(readFileSync(wal)).toEqual(Buffer.alloc(4096, 7));
    expect(existsSync(join(dataDir, DB_NAME))).toBe(false);
    expect(existsSync(join(dataDir, 'mfa.key'))).toBe(false);
  });
});

describe('npm start on a database file of another program', { timeout: 90_000 }, () => {
  const cases: readonly (readonly [string, (db: Database.Database) => void, string])[] = [
    ['a table of its own (sqlite3 x.sqlite "create table foo(a)")', (db) => db.exec('CREATE TABLE foo (a)'), 'it holds tables (foo)'],
    [
      'a users table and schema version 0',
      (db) => db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)'),
      'it holds tables (users) but no hf-fidelity schema version',
    ],
    [
      'another application id',
      (db) => {
        db.exec(MIGRATIONS[0] ?? '');
        db.pragma('user_version = 1');
        db.pragma(`application_id = ${0x0f055112}`);
      },
      'its application id is 0x0f055112',
    ],
  ];
  for (const [label, setUp, why] of cases) {
    it(`when the file has ${label}, then the start is refused in one line naming it, and the file is left as it was`, (test) => {
      const dataDir = makeTestDataDir(test);
      const file = join(dataDir, DB_NAME);
      const other = new Database(file);
      setUp(other);
      other.close();
      const before = readFileSync(file);

      const refused = startExpectingRefusal(dataDir);
      expect(refused.code).toBe(1);
      expect(refused.fatal).toHaveLength(1);
      expect(refused.fatal[0]).toContain(
        `Could not start the server: Cannot open the database ${file}: it is not an hf-fidelity database (${why}`,
      );
      expect(refused.output).not.toContain('earlier hf-fidelity version');
      expect(refused.output).not.toContain('is running at');
      expect(refused.output).not.toMatch(/^\s+at /m);
      // No tables added, not switched to WAL, no key file made for it.
      expect(readFileSync(file)).toEqual(before);
      expect(existsSync(`${file}-wal`)).toBe(false);
      expect(existsSync(join(dataDir, 'mfa.key'))).toBe(false);
    });
  }

  it('when the file is an hf-fidelity database from before the application id, then it starts and the id is set', async (test) => {
    const dataDir = makeTestDataDir(test);
    const file = join(dataDir, DB_NAME);
    const db = openDatabase(file);
    migrate(db);
    db.pragma('application_id = 0');
    db.close();

    const server = await startServer(test, { dataDir, expectSetupLink: true });
    expect(await readyz(server)).toBe(200);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const after = new Database(file, { readonly: true });
    expect(after.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    after.close();
  });
});
