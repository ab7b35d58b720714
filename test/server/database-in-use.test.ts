// The real server refuses to start on a database another process has open (a server already running on the same
// DATA_DIR, an older version still running beside a newer one), before it migrates anything, in one fatal line; the
// -wal and -shm files a crashed server left behind do not count.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { makeServerEnv, ROOT } from '../helpers/server-process.js';
import { findFreePort, makeDataDir, type SpawnedServer, spawnServer } from './spawn-server.js';

const EXIT_TIMEOUT_MS = 20_000;

/** A data folder removed when the test ends (after its servers). */
function dataDirFor(test: TestContext): string {
  const dataDir = makeDataDir('hf-fidelity-in-use-');
  test.onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

async function startServer(test: TestContext, dataDir: string, expectSetupLink = true): Promise<SpawnedServer> {
  const server = await spawnServer({ dataDir, expectSetupLink });
  test.onTestFinished(async () => {
    await server.stop('SIGKILL');
  });
  return server;
}

/** Runs `npm start`'s command on `dataDir` on a port of its own, expecting it to stop, and returns its exit code and output. */
async function runSecondServer(dataDir: string): Promise<{ code: number | null; output: string }> {
  const env = makeServerEnv(dataDir, { PORT: String(await findFreePort()), HOST: '127.0.0.1' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the second server did not stop within ${EXIT_TIMEOUT_MS} ms:\n${output}`));
    }, EXIT_TIMEOUT_MS);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output };
}

/** The one fatal line's message; fails the test unless there is exactly one. */
function fatalMessage(output: string): string {
  const fatal = output.split('\n').filter((line) => line.includes('"level":"fatal"'));
  expect(fatal).toHaveLength(1);
  return String((JSON.parse(fatal[0] ?? '{}') as { msg?: unknown }).msg);
}

const IN_USE =
  /^Could not start the server: the database (\S+) is in use by another process: most likely a server already running on this DATA_DIR, or a backup in progress\. Nothing was changed\./;

describe('npm start on a database another process has open', () => {
  it('when a server already runs on the DATA_DIR, then a second one refuses in one fatal line naming the database, and the first keeps serving', async (test) => {
    const dataDir = dataDirFor(test);
    const first = await startServer(test, dataDir);

    const second = await runSecondServer(dataDir);
    expect(second.code).toBe(1);
    expect(IN_USE.exec(fatalMessage(second.output))?.[1]).toBe(first.databaseFile);
    expect(second.output).not.toContain('is running at');
    expect(second.output).not.toContain('/setup?token=');
    expect(second.output).not.toMatch(/^\s+at /m);

    const ready = await fetch(`${first.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
  }, 60_000);

  it('when an older version holds the database open, then the newer one migrates nothing; once it is closed, the start migrates', async (test) => {
    const dataDir = dataDirFor(test);
    const file = join(dataDir, 'hf-fidelity.sqlite');
    // An older version's database, held open by its (idle) server: here a connection of this process.
    const older = openDatabase(file);
    test.onTestFinished(() => {
      if (older.open) older.close();
    });
    older.exec(MIGRATIONS[0] ?? '');
    older.pragma('user_version = 1');

    const refused = await runSecondServer(dataDir);
    expect(refused.code).toBe(1);
    expect(fatalMessage(refused.output)).toMatch(IN_USE);
    expect(refused.output).not.toContain('schema migrated');
    expect(older.pragma('user_version', { simple: true })).toBe(1);
    older.close();

    const started = await startServer(test, dataDir);
    expect(started.output()).toContain(`schema migrated from version 1 to ${SCHEMA_VERSION}`);
  }, 60_000);

  it('when a crashed server left its -wal and -shm files, then the next start is not refused and keeps what the -wal held', async (test) => {
    const dataDir = dataDirFor(test);
    const crashed = await startServer(test, dataDir);
    // The first start stored its setup token; killed outright, the -wal and -shm stay behind with it.
    expect(await crashed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(statSync(`${crashed.databaseFile}-wal`).size).toBeGreaterThan(0);
    expect(existsSync(`${crashed.databaseFile}-shm`)).toBe(true);

    const again = await startServer(test, dataDir);
    expect(again.output()).not.toContain('in use by another process');
    await again.stop('SIGTERM');
    const db = new Database(again.databaseFile, { readonly: true, fileMustExist: true });
    try {
      // Each start without an account issues a setup token: the crashed one's and this one's.
      expect(db.prepare('SELECT COUNT(*) FROM setup_tokens').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  }, 60_000);
});
