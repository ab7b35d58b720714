// The real server refuses to start on a database it cannot write, naming the file and the fix, and leaves the
// file as it was. Root writes through any chmod, so as root (CI) the file or its folder is made read-only by a
// read-only bind mount inside a user namespace of its own (unshare), where the server then runs.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { makeServerEnv, ROOT } from '../helpers/server-process.js';
import { findFreePort, makeDataDir } from './spawn-server.js';

const EXIT_TIMEOUT_MS = 20_000;
const isRoot = process.getuid?.() === 0;
/** As root, a bind mount in a user namespace is the one way to make a file read-only for the server. */
const canUnshare =
  isRoot &&
  spawnSync('unshare', ['-Urm', 'sh', '-c', 'mount --bind / / 2>/dev/null || mount --bind /tmp /tmp'], { stdio: 'ignore' }).status === 0;

/**
 * file, folder: made read-only; owner: the file left to another user with mode 0600, as a restore run as root leaves
 * it; lock: the same for the database's lock file (src/db/database-lock.ts), where root could not give it away.
 */
type Target = 'file' | 'folder' | 'owner' | 'lock';
/** A user id no account on the machine has, and that a user namespace of ours does not map. */
const STRANGER_UID = 12345;

/** A data folder holding a migrated database, removed (and made writable again) when the test ends. */
function prepareDataDir(test: TestContext): { dataDir: string; file: string } {
  const dataDir = makeDataDir('hf-fidelity-readonly-');
  const file = join(dataDir, 'hf-fidelity.sqlite');
  const db = openDatabase(file);
  migrate(db);
  db.close();
  test.onTestFinished(() => {
    chmodSync(dataDir, 0o700);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, file };
}

function hashOf(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Starts `npm start`'s command with the target read-only and resolves with its exit code and output. */
async function startOnReadOnly(target: Target, dataDir: string, file: string): Promise<{ code: number | null; output: string }> {
  const port = await findFreePort();
  const env = makeServerEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1' });
  const server = [process.execPath, '--import', 'tsx', 'src/server.ts'];
  let child: ChildProcess;
  const owned = target === 'lock' ? `${file}.lock` : file;
  if (target === 'lock') writeFileSync(owned, '');
  if (isRoot && (target === 'owner' || target === 'lock')) {
    // In a user namespace that maps only root, root may not override the permissions of a file of an unmapped user.
    chownSync(owned, STRANGER_UID, STRANGER_UID);
    chmodSync(owned, 0o600);
    child = spawn('unshare', ['-Ur', 'sh', '-c', 'exec "$@"', 'sh', ...server], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  } else if (isRoot) {
    const path = target === 'file' ? file : dataDir;
    const script = 'mount --bind "$RO_PATH" "$RO_PATH" && mount -o remount,bind,ro "$RO_PATH" && exec "$@"';
    child = spawn('unshare', ['-Urm', 'sh', '-c', script, 'sh', ...server], {
      cwd: ROOT,
      env: { ...env, RO_PATH: path },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } else {
    if (target === 'file') chmodSync(file, 0o444);
    else if (target === 'owner' || target === 'lock') chmodSync(owned, 0o000);
    else chmodSync(dataDir, 0o555);
    const [command = process.execPath, ...args] = server;
    child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit within ${EXIT_TIMEOUT_MS} ms:\n${output}`));
    }, EXIT_TIMEOUT_MS);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output };
}

const NO_WAY_AS_ROOT = 'running as root without user namespaces (unshare -Urm): nothing can make a file read-only for root here';

describe('npm start on a database it cannot write', () => {
  it('when the database file is read-only, refuses to start, naming the file and how to fix it', async (test) => {
    test.skip(isRoot && !canUnshare, NO_WAY_AS_ROOT);
    const { dataDir, file } = prepareDataDir(test);
    const before = hashOf(file);
    const { code, output } = await startOnReadOnly('file', dataDir, file);
    expect(code).toBe(1);
    expect(output).toContain(`Cannot write to the database ${file}:`);
    expect(output).toMatch(/Fix: give that user write access .*chown .*chmod/);
    expect(output).not.toContain('is running at');
    expect(output).not.toMatch(/^\s+at /m);
    chmodSync(file, 0o644);
    expect(hashOf(file)).toBe(before);
  }, 30_000);

  it('when the database folder is read-only, refuses to start, naming the folder and how to fix it', async (test) => {
    test.skip(isRoot && !canUnshare, NO_WAY_AS_ROOT);
    const { dataDir, file } = prepareDataDir(test);
    const before = hashOf(file);
    const { code, output } = await startOnReadOnly('folder', dataDir, file);
    expect(code).toBe(1);
    expect(output).toContain(`Cannot write to the database ${file}: the folder ${dataDir} is not writable`);
    expect(output).toMatch(/Fix: .*chmod u\+rwx/);
    expect(output).not.toContain('is running at');
    expect(output).not.toMatch(/^\s+at /m);
    chmodSync(dataDir, 0o700);
    expect(hashOf(file)).toBe(before);
  }, 30_000);

  it('when the database file may not be opened by the server’s user (a restore run as root), refuses to start, naming the file, not the folder', async (test) => {
    test.skip(isRoot && !canUnshare, NO_WAY_AS_ROOT);
    const { dataDir, file } = prepareDataDir(test);
    const before = hashOf(file);
    const { code, output } = await startOnReadOnly('owner', dataDir, file);
    expect(code).toBe(1);
    expect(output).toContain(`Cannot open the database ${file}: the file ${file} (owner uid`);
    expect(output).toMatch(/Fix: give that user the database's files \(e\.g\. chown .*\)/);
    expect(output).not.toContain('folder');
    expect(output).not.toContain('is running at');
    if (isRoot) chownSync(file, 0, 0);
    chmodSync(file, 0o600);
    expect(hashOf(file)).toBe(before);
  }, 30_000);

  it('when the lock file beside the database may not be opened by the server’s user, refuses to start, naming that file', async (test) => {
    test.skip(isRoot && !canUnshare, NO_WAY_AS_ROOT);
    const { dataDir, file } = prepareDataDir(test);
    const before = hashOf(file);
    const { code, output } = await startOnReadOnly('lock', dataDir, file);
    expect(code).toBe(1);
    expect(output).toContain(`Cannot open the database ${file}: the file ${file}.lock (owner uid`);
    expect(output).toMatch(/Fix: give that user the database's files \(e\.g\. chown .*\)/);
    expect(output).not.toContain('folder');
    expect(output).not.toContain('is running at');
    expect(output).not.toMatch(/^\s+at /m);
    expect(hashOf(file)).toBe(before);
  }, 30_000);

  it('when the database path is a folder, refuses to open it, saying so', (test) => {
    const dataDir = makeDataDir('hf-fidelity-folder-db-');
    test.onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const file = join(dataDir, 'hf-fidelity.sqlite');
    mkdirSync(file);
    expect(() => openDatabase(file)).toThrow(`Cannot open the database ${file}: ${file} is a folder, not a file (SQLITE_CANTOPEN)`);
  });
});
