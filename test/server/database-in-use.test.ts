// The real server refuses to start on a database another process has open or locked (a server already running on the
// same DATA_DIR, one starting at the same moment, an older version still running beside a newer one), before it
// migrates anything, in one fatal line; the -wal and -shm files and the lock file a crashed server left behind do not
// count.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { makeServerEnv, ROOT } from '../helpers/server-process.js';
import { spawnHeldServer } from './held-server.js';
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
  /^Could not start the server: the database (\S+) is in use by another process: most likely a server already running on this DATA_DIR, or a backup or restore in progress\. Nothing was changed\./;

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
    // The lock the first one holds, beside the database: its owner's alone, as the database is.
    expect(statSync(`${first.databaseFile}.lock`).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('when two servers start at the same moment on one DATA_DIR, then exactly one runs and the other stops with the in-use line, having changed nothing; after a kill -9 of the one running, the next start runs at once', async (test) => {
    const dataDir = dataDirFor(test);
    const servers = await Promise.all([spawnHeldServer(dataDir), spawnHeldServer(dataDir)]);
    for (const server of servers) test.onTestFinished(async () => void (await server.stop('SIGKILL')));
    // Both get as far as they can: past the start's checks of the database, to just before they open it, where a
    // probe of the database alone let both through; or they stop before that. Then both go on at the same moment.
    await Promise.all(servers.map((server) => server.held()));
    for (const server of servers) server.release();
    const running = await Promise.all(servers.map((server) => server.printed(/is running at /)));
    expect(running.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = running[0] ? servers : [...servers].reverse();
    if (winner === undefined || loser === undefined) throw new Error('two servers were started');

    expect(await loser.exited).toEqual({ code: 1, signal: null });
    expect(IN_USE.exec(fatalMessage(loser.output()))?.[1]).toBe(join(dataDir, 'hf-fidelity.sqlite'));
    expect(loser.output()).not.toContain('schema migrated');
    expect(loser.output()).not.toContain('/setup?token=');
    expect(winner.output()).toContain(`schema migrated from version 0 to ${SCHEMA_VERSION}`);
    await winner.printed(/\/setup\?token=[^\n]*\n/);
    const db = new Database(join(dataDir, 'hf-fidelity.sqlite'), { readonly: true, fileMustExist: true });
    try {
      // The one that runs issued its setup token; the other wrote nothing.
      expect(db.prepare('SELECT COUNT(*) FROM setup_tokens').pluck().get()).toBe(1);
    } finally {
      db.close();
    }

    // Killed outright, the server leaves its lock file; the lock itself died with the process.
    expect(await winner.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(join(dataDir, 'hf-fidelity.sqlite.lock'))).toBe(true);
    const next = await startServer(test, dataDir);
    expect(next.output()).not.toContain('in use by another process');
    expect((await fetch(`${next.baseUrl}/readyz`)).status).toBe(200);
  }, 90_000);

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
