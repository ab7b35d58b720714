// Backup and restore: a consistent copy of a database that is being written, the round trip into a fresh
// installation, the refusals (not a database, unknown schema, damage, server running), and both CLIs for real.
import { type ChildProcess, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertDatabaseNotInUse,
  BackupError,
  backupDatabase,
  DatabaseInUseError,
  inspectDatabaseFile,
  restoreDatabase,
} from '../../src/db/backup.js';
import { lockDatabase } from '../../src/db/database-lock.js';
import { readAppVersion } from '../../src/app-version.js';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { isServerProcessAlive, makeServerEnv, ROOT, startServerProcess, stopServerProcess, TSX } from '../helpers/server-process.js';
import { createTestUser, makeTestApp } from '../helpers/test-app.js';
import { generateMfaKey } from '../../src/accounts/mfa-key.js';
import { createTotpSecret } from '../../src/accounts/mfa.js';
import { spawnHeldServer } from '../server/held-server.js';

const DB_NAME = 'hf-fidelity.sqlite';
const dirs: string[] = [];
const openDbs: Db[] = [];
const servers: ChildProcess[] = [];

afterEach(async () => {
  for (const child of servers.splice(0)) if (isServerProcessAlive(child)) await stopServerProcess(child, 'SIGKILL');
  for (const db of openDbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-backup-'));
  dirs.push(dir);
  return dir;
}

function track(db: Db): Db {
  openDbs.push(db);
  return db;
}

/** A database with users, a municipality and program, a review with a panel, submitted ratings and consensus. */
async function fillDatabase(file: string): Promise<Db> {
  const db = track(openDatabase(file));
  const s = await createReviewScenario({ app: makeTestApp({ db }), rubricId: 'mini-five' });
  startRating(s);
  rateAndSubmit(s, s.lead.id, (min) => min, 'lead note');
  rateAndSubmit(s, s.reviewerA.id, (_min, max) => max, 'reviewer A – åäö');
  rateAndSubmit(s, s.reviewerB.id, (min, max, index) => (index === 0 ? 'na' : Math.min(max, min + 1)));
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus', s.coordinator.id)) throw new Error('could not start consensus');
  const first = s.rubric.sections[0]?.indicators[0];
  if (!first) throw new Error('rubric without indicators');
  s.reviews.saveConsensus(
    s.reviewId,
    { indicatorId: first.id, score: first.scale.min, notApplicable: false, rationale: 'agreed' },
    s.lead.id,
  );
  return db;
}

/** Every row of every table, in a stable order: what "the same data" means for a round trip. */
function dumpTables(db: Db): Record<string, unknown[]> {
  const tables = (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
  ).map((row) => row.name);
  return Object.fromEntries(
    tables.map((table) => {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all();
      return [table, rows.map((row) => JSON.stringify(row)).sort()];
    }),
  );
}

/** Leaves committed data only in the -wal of `file`, as a crash (SIGKILL) would: a child process writes and kills itself. */
function crashWhileWriting(file: string, settingKey: string): void {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('INSERT INTO app_settings (key, value) VALUES (?, ?)').run(process.argv[2], 'only in the wal');
    process.kill(process.pid, 'SIGKILL');`;
  const result = spawnSync(process.execPath, ['-e', script, file, settingKey], { cwd: ROOT, encoding: 'utf8' });
  expect(result.signal, result.stderr).toBe('SIGKILL');
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
}

function readSetting(file: string, key: string): string | undefined {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT value FROM app_settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  } finally {
    db.close();
  }
}

/** Makes an index disagree with its table, behind SQLite's back: PRAGMA integrity_check then fails. Closes `db`. */
function damageIndex(db: Db): void {
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.prepare(
    "UPDATE sqlite_schema SET sql = 'CREATE INDEX programs_municipality ON programs (name)' WHERE name = 'programs_municipality'",
  ).run();
  db.close();
}

function expectRefusal(action: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(BackupError);
  expect((caught as Error).message).toMatch(message);
}

// Real argon2 hashing and real files: slow on a busy machine, so more room than vitest's default 5 s.
describe('backupDatabase and restoreDatabase', { timeout: 30_000 }, () => {
  it('copies a consistent snapshot while another connection keeps writing, and restores it into a fresh installation with the same data', async () => {
    const dir = makeDir();
    const source = join(dir, DB_NAME);
    const db = await fillDatabase(source);
    // Like the server: committed data still in the -wal, not yet checkpointed into the main file.
    db.pragma('wal_autocheckpoint = 0');
    const insertPair = db.transaction((n: number) => {
      db.prepare('INSERT INTO app_settings (key, value) VALUES (?, ?)').run(`writer-${n}-a`, String(n));
      db.prepare('INSERT INTO app_settings (key, value) VALUES (?, ?)').run(`writer-${n}-b`, String(n));
    });
    let written = 0;
    insertPair(written++);
    expect(statSync(`${source}-wal`).size).toBeGreaterThan(0);

    // Writes between the backup's steps (both run on setImmediate), each transaction two rows.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        insertPair(written++);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const before = written;
    mkdirSync(join(dir, 'backups'));
    const info = await backupDatabase(source, join(dir, 'backups', 'copy.sqlite'));
    writing = false;
    await writer;

    expect(info).toMatchObject({ file: join(dir, 'backups', 'copy.sqlite'), schemaVersion: SCHEMA_VERSION });
    expect(info.sizeBytes).toBe(statSync(info.file).size);
    expect(readdirSync(join(dir, 'backups'))).toEqual(['copy.sqlite']);
    const copy = track(new Database(info.file, { readonly: true }));
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    // A snapshot: the writer's transactions up to some point, whole, and none after it.
    const keys = (copy.prepare("SELECT key FROM app_settings WHERE key LIKE 'writer-%'").all() as { key: string }[]).map((r) => r.key);
    const copied = keys.length / 2;
    expect(copied).toBeGreaterThanOrEqual(before);
    expect(keys.sort()).toEqual(
      Array.from({ length: copied }, (_, n) => [`writer-${n}-a`, `writer-${n}-b`])
        .flat()
        .sort(),
    );
    copy.close();

    const target = join(makeDir(), DB_NAME);
    const result = restoreDatabase(info.file, target);
    expect(result).toEqual({
      databaseFile: target,
      previousFile: undefined,
      backupSchemaVersion: SCHEMA_VERSION,
      schemaVersion: SCHEMA_VERSION,
      warnings: [],
    });
    const restored = track(openDatabase(target));
    const expected = dumpTables(db);
    // The source has moved on since the snapshot: leave out what the writer added later.
    expected.app_settings = (expected.app_settings ?? []).filter((row) => {
      const n = /"writer-(\d+)-[ab]"/.exec(String(row))?.[1];
      return n === undefined || Number(n) < copied;
    });
    const actual = dumpTables(restored);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
    expect(actual.ratings?.length).toBeGreaterThan(0);
    expect(actual.users?.length).toBeGreaterThan(0);
  });

  it('keeps the replaced database, with what only its stale -wal held, and does not let that -wal touch the restored one', async () => {
    const dir = makeDir();
    const backupSource = join(dir, 'source.sqlite');
    (await fillDatabase(backupSource)).close();
    const backup = await backupDatabase(backupSource, join(dir, 'backup.sqlite'));

    mkdirSync(join(dir, 'live'));
    const target = join(dir, 'live', DB_NAME);
    const live = openDatabase(target);
    migrate(live);
    live.close();
    crashWhileWriting(target, 'crashed-server');

    const now = new Date('2026-05-04T03:02:01.000Z');
    const result = restoreDatabase(backup.file, target, now);
    expect(result.previousFile).toBe(`${target}.before-restore-2026-05-04T03-02-01-000Z`);
    // And the lock file the restore held meanwhile (empty, kept: src/db/database-lock.ts).
    expect(readdirSync(join(dir, 'live')).sort()).toEqual([
      DB_NAME,
      `${DB_NAME}.before-restore-2026-05-04T03-02-01-000Z`,
      `${DB_NAME}.lock`,
    ]);
    expect(readSetting(result.previousFile ?? '', 'crashed-server')).toBe('only in the wal');
    expect(readSetting(target, 'crashed-server')).toBeUndefined();
    expect(dumpTables(track(new Database(target, { readonly: true })))).toEqual(
      dumpTables(track(new Database(backup.file, { readonly: true }))),
    );
    expect(inspectDatabaseFile(target).schemaVersion).toBe(SCHEMA_VERSION);
    expect(readdirSync(join(dir, 'live')).filter((name) => name.includes('restoring'))).toEqual([]);
  });

  it('replaces a current database that is not readable as one at all, keeping it aside unchanged', async () => {
    const dir = makeDir();
    (await fillDatabase(join(dir, 'source.sqlite'))).close();
    const backup = await backupDatabase(join(dir, 'source.sqlite'), join(dir, 'backup.sqlite'));
    mkdirSync(join(dir, 'data'));
    const target = join(dir, 'data', DB_NAME);
    writeFileSync(target, 'overwritten by accident');
    const result = restoreDatabase(backup.file, target);
    expect(readFileSync(result.previousFile ?? '', 'utf8')).toBe('overwritten by accident');
    expect(inspectDatabaseFile(target).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('migrates a backup of an older schema version to the current one, and gives it the application id it was made without', () => {
    const dir = makeDir();
    const old = new Database(join(dir, 'old.sqlite'));
    old.exec(MIGRATIONS[0] ?? '');
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO municipalities (code, name, created_at) VALUES ('0180', 'Stockholm', '2020-01-01')").run();
    old.close();
    mkdirSync(join(dir, 'data'));
    const result = restoreDatabase(join(dir, 'old.sqlite'), join(dir, 'data', DB_NAME));
    expect(result).toMatchObject({ backupSchemaVersion: 1, schemaVersion: SCHEMA_VERSION });
    const restored = track(openDatabase(join(dir, 'data', DB_NAME)));
    expect(restored.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(restored.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(restored.prepare('SELECT name FROM municipalities').all()).toEqual([{ name: 'Stockholm' }]);
  });

  describe('refusals', () => {
    it('refuses a file that is not an SQLite database, and leaves the installation as it was', async () => {
      const dir = makeDir();
      const target = join(dir, DB_NAME);
      (await fillDatabase(target)).close();
      const before = dumpTables(track(new Database(target, { readonly: true })));
      writeFileSync(join(dir, 'notes.sqlite'), 'these are meeting notes, not a database\n'.repeat(200));
      expectRefusal(() => restoreDatabase(join(dir, 'notes.sqlite'), target), /is not an SQLite database/);
      expect(dumpTables(track(new Database(target, { readonly: true })))).toEqual(before);
      // (-wal and -shm come from the read-only connections of this test)
      expect(
        readdirSync(dir)
          .filter((name) => !/-(wal|shm)$/.test(name))
          .sort(),
      ).toEqual([DB_NAME, 'notes.sqlite']);
    });

    it('refuses a missing file', () => {
      const dir = makeDir();
      expectRefusal(() => restoreDatabase(join(dir, 'nope.sqlite'), join(dir, DB_NAME)), /does not exist/);
    });

    it('refuses an SQLite database that is not ours (schema version 0)', () => {
      const dir = makeDir();
      const other = new Database(join(dir, 'other.sqlite'));
      other.exec('CREATE TABLE recipes (name TEXT)');
      other.close();
      expectRefusal(
        () => restoreDatabase(join(dir, 'other.sqlite'), join(dir, DB_NAME)),
        /not an hf-fidelity database \(its schema version is 0\)/,
      );
      expect(existsSync(join(dir, DB_NAME))).toBe(false);
    });

    it('refuses an SQLite database that carries another program’s application id, as the server does', () => {
      const dir = makeDir();
      const other = new Database(join(dir, 'other.sqlite'));
      other.exec(MIGRATIONS[0] ?? '');
      other.pragma('user_version = 1');
      other.pragma(`application_id = ${0x0f055112}`);
      other.close();
      expectRefusal(
        () => restoreDatabase(join(dir, 'other.sqlite'), join(dir, DB_NAME)),
        /other\.sqlite is not an hf-fidelity database \(its application id is 0x0f055112\)/,
      );
      expect(existsSync(join(dir, DB_NAME))).toBe(false);
    });

    it('refuses a database from a newer version of the program', () => {
      const dir = makeDir();
      const newer = openDatabase(join(dir, 'newer.sqlite'));
      migrate(newer);
      newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      newer.close();
      expectRefusal(() => restoreDatabase(join(dir, 'newer.sqlite'), join(dir, DB_NAME)), /newer than this program knows/);
    });

    it('refuses a database whose version number does not match its tables', () => {
      const dir = makeDir();
      const fake = new Database(join(dir, 'fake.sqlite'));
      fake.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
      fake.pragma('user_version = 1');
      fake.close();
      expectRefusal(() => restoreDatabase(join(dir, 'fake.sqlite'), join(dir, DB_NAME)), /lacks .*not an hf-fidelity database/);
    });

    it('refuses a damaged database (PRAGMA integrity_check fails)', async () => {
      const dir = makeDir();
      const file = join(dir, 'damaged.sqlite');
      damageIndex(await fillDatabase(file));
      expectRefusal(() => inspectDatabaseFile(file), /is damaged \(PRAGMA integrity_check: .*missing from index programs_municipality/);
      expectRefusal(() => restoreDatabase(file, join(dir, DB_NAME)), /is damaged/);
    });

    it('refuses while another process or connection has the installation’s database open, and accepts once it is closed', async () => {
      const dir = makeDir();
      const backup = join(dir, 'backup.sqlite');
      (await fillDatabase(join(dir, 'source.sqlite'))).close();
      await backupDatabase(join(dir, 'source.sqlite'), backup);
      mkdirSync(join(dir, 'data'));
      const target = join(dir, 'data', DB_NAME);
      const live = openDatabase(target);
      migrate(live);
      // Idle, between requests: no transaction open, as the server is most of the time.
      expect(() => assertDatabaseNotInUse(target)).toThrow(DatabaseInUseError);
      expect(() => restoreDatabase(backup, target)).toThrow(/open in another process, most likely the running server/);
      expect(readdirSync(join(dir, 'data')).filter((name) => /before-restore|restoring/.test(name))).toEqual([]);
      live.close();
      expect(() => assertDatabaseNotInUse(target)).not.toThrow();
      expect(restoreDatabase(backup, target).previousFile).toMatch(/before-restore/);
    });

    it('refuses while another process holds the database’s lock, even with the database itself closed, and accepts once it is released', async () => {
      const dir = makeDir();
      const backup = join(dir, 'backup.sqlite');
      (await fillDatabase(join(dir, 'source.sqlite'))).close();
      await backupDatabase(join(dir, 'source.sqlite'), backup);
      const target = join(dir, DB_NAME);
      const live = openDatabase(target);
      migrate(live);
      live.close();
      // A server that has taken the lock but not yet opened the database: the probe alone would let the restore in.
      const lock = lockDatabase(target);
      try {
        expect(() => assertDatabaseNotInUse(target)).not.toThrow();
        expect(() => restoreDatabase(backup, target)).toThrow(DatabaseInUseError);
        expect(() => restoreDatabase(backup, target)).toThrow(
          `${target} is open in another process, most likely the running server. Stop the server first, then run the restore again.`,
        );
        expect(readdirSync(dir).filter((name) => /before-restore|restoring/.test(name))).toEqual([]);
      } finally {
        lock.release();
      }
      expect(restoreDatabase(backup, target).previousFile).toMatch(/before-restore/);
    });

    it('does not count a crashed server (stale -wal and -shm, no process) as running', async () => {
      const dir = makeDir();
      const target = join(dir, DB_NAME);
      const db = openDatabase(target);
      migrate(db);
      db.close();
      crashWhileWriting(target, 'x');
      expect(existsSync(`${target}-shm`)).toBe(true);
      expect(() => assertDatabaseNotInUse(target)).not.toThrow();
    });

    it('backup refuses to overwrite an existing file without force, and to invent a missing database', async () => {
      const dir = makeDir();
      const source = join(dir, DB_NAME);
      (await fillDatabase(source)).close();
      writeFileSync(join(dir, 'existing.sqlite'), 'keep me');
      await expect(backupDatabase(source, join(dir, 'existing.sqlite'))).rejects.toThrow(/already exists.*--force/);
      await backupDatabase(source, join(dir, 'existing.sqlite'), { force: true });
      expect(inspectDatabaseFile(join(dir, 'existing.sqlite')).schemaVersion).toBe(SCHEMA_VERSION);
      await expect(backupDatabase(join(dir, 'missing.sqlite'), join(dir, 'b.sqlite'))).rejects.toThrow(/There is no database at/);
      expect(existsSync(join(dir, 'missing.sqlite'))).toBe(false);
      await expect(backupDatabase(source, source, { force: true })).rejects.toThrow(/cannot be the database itself/);
    });
  });
});

const isRoot = process.getuid?.() === 0;
/** The conventional uid and gid of nobody/nogroup: someone other than root, as the service user would be. */
const SERVICE_UID = 65534;

function fileMode(file: string): number {
  return statSync(file).mode & 0o777;
}

// The restored database holds the password hashes, and the server runs as its own user: the restore must
// not leave it world-readable or owned by whoever ran the restore (root, typically).
describe('file modes and owners', { timeout: 30_000 }, () => {
  async function makeBackup(dir: string): Promise<string> {
    (await fillDatabase(join(dir, 'source.sqlite'))).close();
    mkdirSync(join(dir, 'backups'));
    return (await backupDatabase(join(dir, 'source.sqlite'), join(dir, 'backups', 'backup.sqlite'))).file;
  }

  it('writes backups readable by their owner only, also when --force replaces a readable file', async () => {
    const dir = makeDir();
    const backup = await makeBackup(dir);
    expect(fileMode(backup)).toBe(0o600);
    writeFileSync(join(dir, 'old.sqlite'), 'an old backup');
    chmodSync(join(dir, 'old.sqlite'), 0o644);
    await backupDatabase(join(dir, 'source.sqlite'), join(dir, 'old.sqlite'), { force: true });
    expect(fileMode(join(dir, 'old.sqlite'))).toBe(0o600);
  });

  it('gives the restored database the mode of the one it replaces, and 0600 where there was none', async () => {
    const dir = makeDir();
    const backup = await makeBackup(dir);
    chmodSync(backup, 0o644);

    mkdirSync(join(dir, 'fresh'));
    const fresh = join(dir, 'fresh', DB_NAME);
    expect(restoreDatabase(backup, fresh).previousFile).toBeUndefined();
    expect(fileMode(fresh)).toBe(0o600);

    mkdirSync(join(dir, 'live'));
    for (const mode of [0o600, 0o640]) {
      const target = join(dir, 'live', `${mode.toString(8)}.sqlite`);
      restoreDatabase(backup, target);
      chmodSync(target, mode);
      const result = restoreDatabase(backup, target);
      expect(result.previousFile).toBeDefined();
      expect(fileMode(target), mode.toString(8)).toBe(mode);
      expect(result.warnings).toEqual([]);
    }
  });

  it.skipIf(!isRoot)('when run as root, gives the restored database the owner of the one it replaces, or of its folder', async () => {
    const dir = makeDir();
    const backup = await makeBackup(dir);

    mkdirSync(join(dir, 'live'));
    const target = join(dir, 'live', DB_NAME);
    restoreDatabase(backup, target);
    chownSync(target, SERVICE_UID, SERVICE_UID);
    const result = restoreDatabase(backup, target);
    expect(result.warnings).toEqual([]);
    expect(statSync(target)).toMatchObject({ uid: SERVICE_UID, gid: SERVICE_UID });
    expect(fileMode(target)).toBe(0o600);
    // The one kept aside is left as it was.
    expect(statSync(result.previousFile ?? '')).toMatchObject({ uid: SERVICE_UID, gid: SERVICE_UID });

    mkdirSync(join(dir, 'empty'));
    chownSync(join(dir, 'empty'), SERVICE_UID, SERVICE_UID);
    restoreDatabase(backup, join(dir, 'empty', DB_NAME));
    expect(statSync(join(dir, 'empty', DB_NAME))).toMatchObject({ uid: SERVICE_UID, gid: SERVICE_UID });
    expect(fileMode(join(dir, 'empty', DB_NAME))).toBe(0o600);
    // So is the lock file the restore made there: the server, as the service user, must be able to take the lock.
    expect(statSync(join(dir, 'empty', `${DB_NAME}.lock`))).toMatchObject({ uid: SERVICE_UID, gid: SERVICE_UID });
    expect(fileMode(join(dir, 'empty', `${DB_NAME}.lock`))).toBe(0o600);
  });

  // Run as the service user (uid 65534) over a database that root owns: giving the file to root is not permitted.
  it.skipIf(!isRoot)('when the owner cannot be kept (EPERM), restores all the same and says what to run', async () => {
    const dir = makeDir();
    chmodSync(dir, 0o755);
    const backup = await makeBackup(dir);
    chmodSync(join(dir, 'backups'), 0o755);
    chmodSync(backup, 0o644);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const target = join(dataDir, DB_NAME);
    restoreDatabase(backup, target);
    chmodSync(target, 0o666);
    chownSync(dataDir, SERVICE_UID, SERVICE_UID);
    // The lock file that restore made was root's, as the folder then was; the service user's start would have made it.
    chownSync(`${target}.lock`, SERVICE_UID, SERVICE_UID);

    const result = spawnSync(TSX, ['src/db/restore-cli.ts', backup], {
      cwd: ROOT,
      env: makeServerEnv(dataDir),
      encoding: 'utf8',
      timeout: 20_000,
      uid: SERVICE_UID,
      gid: SERVICE_UID,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /restore warning: .*hf-fidelity\.sqlite could not be given the owner of the database it replaced \(uid 0, gid 0\)/,
    );
    expect(result.stderr).toContain(`chown 0:0 ${target}`);
    expect(statSync(target)).toMatchObject({ uid: SERVICE_UID });
    expect(fileMode(target)).toBe(0o666);
  });
});

type CliResult = { status: number | null; stdout: string; stderr: string };

function runCli(script: 'backup' | 'restore', args: readonly string[], dataDir: string, extraEnv: Record<string, string> = {}): CliResult {
  const result = spawnSync(TSX, [`src/db/${script}-cli.ts`, ...args], {
    cwd: ROOT,
    env: makeServerEnv(dataDir, extraEnv),
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run backup and npm run restore', { timeout: 60_000 }, () => {
  it('backs up while the real server runs, refuses to restore until it is stopped, then restores', async () => {
    const dataDir = makeDir();
    const databaseFile = join(dataDir, DB_NAME);
    const filled = await fillDatabase(databaseFile);
    const expected = dumpTables(filled);
    filled.close();
    const backupFile = join(makeDir(), 'nightly.sqlite');

    const server = await startServerProcess(dataDir);
    servers.push(server.child);

    // Through npm, as docs/backup.md tells people to run it.
    const backup = spawnSync('npm', ['run', '--silent', 'backup', '--', backupFile], {
      cwd: ROOT,
      env: makeServerEnv(dataDir),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(
      new RegExp(`written to ${backupFile} \\(\\d+\\.\\d (KiB|MiB), schema version ${SCHEMA_VERSION}, integrity ok\\)`),
    );

    const again = runCli('backup', [backupFile], dataDir);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists\. Choose another name, or pass --force/);
    expect(runCli('backup', [backupFile, '--force'], dataDir).status).toBe(0);

    const refused = runCli('restore', [backupFile], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /restore refused: .* is open in another process, most likely the running server\. Stop the server first/,
    );
    expect(readdirSync(dataDir).some((name) => name.includes('before-restore') || name.includes('restoring'))).toBe(false);

    await stopServerProcess(server.child, 'SIGTERM');
    const restored = runCli('restore', [backupFile], dataDir);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`Restored ${backupFile} into ${databaseFile} \\(schema version ${SCHEMA_VERSION}\\)`));
    expect(restored.stdout).toMatch(/kept as .*hf-fidelity\.sqlite\.before-restore-\S+; delete it once you are sure/);
    expect(restored.stdout).toContain(`Start the server that uses ${databaseFile} again (sudo systemctl start hf-fidelity`);
    expect(
      readdirSync(dataDir)
        .filter((name) => name.startsWith(DB_NAME))
        .sort(),
    ).toEqual([DB_NAME, expect.stringMatching(/^hf-fidelity\.sqlite\.before-restore-[\dT-]+Z$/), `${DB_NAME}.lock`]);
    const actual = dumpTables(track(new Database(databaseFile, { readonly: true })));
    // The server's own writes while it ran (its session secret, say) are in the backup too; the review data must match.
    for (const table of ['users', 'municipalities', 'programs', 'reviews', 'panel_members', 'ratings', 'consensus_ratings']) {
      expect(actual[table], table).toEqual(expected[table]);
    }
  });

  it('when a server is starting (its lock taken, the database not yet opened), then the restore refuses and changes nothing', async () => {
    const dataDir = makeDir();
    const databaseFile = join(dataDir, DB_NAME);
    (await fillDatabase(databaseFile)).close();
    const backupFile = join(makeDir(), 'nightly.sqlite');
    expect(runCli('backup', [backupFile], dataDir).status).toBe(0);

    const server = await spawnHeldServer(dataDir);
    try {
      expect(await server.held()).toBe(true);
      const refused = runCli('restore', [backupFile], dataDir);
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `restore refused: ${databaseFile} is open in another process, most likely the running server. Stop the server first, then run the restore again.`,
      );
      expect(readdirSync(dataDir).filter((name) => /before-restore|restoring/.test(name))).toEqual([]);
      // Let go, it starts on the database it was about to open.
      server.release();
      expect(await server.printed(/is running at /)).toBe(true);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('explains its usage and refuses bad input with exit code 1', () => {
    const dataDir = makeDir();
    const noArgs = runCli('backup', [], dataDir);
    expect(noArgs.status).toBe(1);
    expect(noArgs.stderr).toMatch(/Usage: npx tsx src\/db\/backup-cli\.ts <backup-file> \[--force\]/);
    const unknown = runCli('restore', ['--yes', 'x.sqlite'], dataDir);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Usage: npx tsx src\/db\/restore-cli\.ts <backup-file>/);
    const noDatabase = runCli('backup', [join(dataDir, 'b.sqlite')], dataDir);
    expect(noDatabase.status).toBe(1);
    expect(noDatabase.stderr).toMatch(/backup failed: There is no database at .*Check DATA_DIR or DATABASE_FILE/);
    writeFileSync(join(dataDir, 'junk.sqlite'), 'junk');
    const junk = runCli('restore', [join(dataDir, 'junk.sqlite')], dataDir);
    expect(junk.status).toBe(1);
    expect(junk.stderr).toMatch(/restore refused: .*junk\.sqlite is not an SQLite database/);
    expect(existsSync(join(dataDir, DB_NAME))).toBe(false);
  });

  it('prints the usage for --help (naming the command as it was run) and the version for --version, and exits 0', () => {
    const dataDir = makeDir();
    for (const script of ['backup', 'restore'] as const) {
      const help = runCli(script, ['--help'], dataDir);
      expect(help.status, script).toBe(0);
      expect(help.stdout).toContain(`Usage: npx tsx src/db/${script}-cli.ts <backup-file>`);
      expect(help.stderr).toBe('');
      const version = runCli(script, ['--version'], dataDir);
      expect(version.status, script).toBe(0);
      expect(version.stdout).toBe(`hf-fidelity ${readAppVersion()}, database schema version ${SCHEMA_VERSION}\n`);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('when given two files or none, then each command says what it wants with its usage, exits 1 and writes nothing', () => {
    const dataDir = makeDir();
    for (const script of ['backup', 'restore'] as const) {
      const two = runCli(script, [join(dataDir, 'a.sqlite'), join(dataDir, 'b.sqlite')], dataDir);
      expect(two.status, script).toBe(1);
      expect(two.stderr).toContain(`${script}: give exactly one backup file`);
      expect(two.stderr).toContain(`Usage: npx tsx src/db/${script}-cli.ts <backup-file>`);
      const none = runCli(script, [], dataDir);
      expect(none.status, script).toBe(1);
      expect(none.stderr).toMatch(/name the backup file/);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('answers an operator’s mistake (bad configuration, a path through a file, a folder) in one line, without a stack trace', async () => {
    const dataDir = makeDir();
    (await fillDatabase(join(dataDir, DB_NAME))).close();
    const elsewhere = makeDir();
    writeFileSync(join(elsewhere, 'a-file'), 'not a folder');
    const expectOneLine = (run: CliResult, message: RegExp) => {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    };

    expectOneLine(
      runCli('backup', [join(elsewhere, 'a-file', 'nightly', 'b.sqlite')], dataDir),
      /^backup failed: The folder .*a-file\/nightly for the backup does not exist, so nothing was written\./,
    );
    expectOneLine(runCli('backup', ['--force', elsewhere], dataDir), /^backup failed: .* is a folder\. Give the backup a file name/);
    expectOneLine(
      runCli('backup', [join(elsewhere, 'b.sqlite')], dataDir, { PORT: 'abc' }),
      /^backup failed: Invalid configuration: .*PORT.*\(check the environment variables\)/,
    );
    expectOneLine(runCli('restore', [elsewhere], dataDir), /^restore refused: .* is a folder, not a database file\./);
    expect(readdirSync(elsewhere)).toEqual(['a-file']);
  });

  it('when the backup folder or the DATA_DIR does not exist, then backup and restore refuse in one line saying how to create it, and create nothing', async () => {
    const dataDir = makeDir();
    (await fillDatabase(join(dataDir, DB_NAME))).close();
    const elsewhere = makeDir();
    const nightly = join(elsewhere, 'nightly');
    const backup = runCli('backup', [join(nightly, 'b.sqlite')], dataDir);
    expect(backup.status).toBe(1);
    expect(backup.stderr.trim()).toBe(
      `backup failed: The folder ${nightly} for the backup does not exist, so nothing was written. Check the path for a typo (and that its disk is mounted); ` +
        `for a new place, create it first, owned by the user who runs the backups, mode 700 (e.g. sudo install -d -m 700 -o hf-fidelity -g hf-fidelity ${nightly}).`,
    );
    expect(existsSync(nightly)).toBe(false);
    mkdirSync(nightly);
    expect(runCli('backup', [join(nightly, 'b.sqlite')], dataDir).status).toBe(0);

    // A mistyped DATA_DIR, two folders deep: no new installation is begun there.
    const mistyped = join(elsewhere, 'hf-fidelty', 'data');
    const restore = runCli('restore', [join(nightly, 'b.sqlite')], mistyped);
    expect(restore.status).toBe(1);
    expect(restore.stderr.trim()).toBe(
      `restore refused: The database's folder ${mistyped} does not exist, so nothing was restored. Check DATA_DIR (or DATABASE_FILE) for a typo. ` +
        `For a new installation, create it first, mode 700 and owned by the server's user: sudo install -d -m 700 -o hf-fidelity -g hf-fidelity ${mistyped} ` +
        "(that user's name in place of hf-fidelity). The systemd unit (StateDirectory=) and the container image (/data) make theirs.",
    );
    expect(readdirSync(elsewhere)).toEqual(['nightly']);

    // A test restore into a scratch folder made for it: the closing line fits it too.
    const scratch = join(elsewhere, 'restore-test');
    mkdirSync(scratch, { mode: 0o700 });
    const trial = runCli('restore', [join(nightly, 'b.sqlite')], scratch);
    expect(trial.status, trial.stderr).toBe(0);
    expect(trial.stdout).toContain('There was no database there before.');
    expect(trial.stdout).toContain(
      `Start the server that uses ${join(scratch, DB_NAME)} again (sudo systemctl start hf-fidelity, or npm start in development); after a test restore into a scratch folder, there is nothing to start.`,
    );
  });

  it('when the live database is damaged, then backup says it is the live one, not the copy, and points to the last good backup', async () => {
    const dataDir = makeDir();
    const file = join(dataDir, DB_NAME);
    damageIndex(await fillDatabase(file));
    const out = makeDir();
    const run = runCli('backup', [join(out, 'b.sqlite')], dataDir);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(
      new RegExp(
        `^backup failed: The live database ${file} is damaged \\(PRAGMA integrity_check: .*missing from index programs_municipality.*\\), so its copy is too; nothing was written\\. ` +
          'Stop the server and restore the last good backup \\(docs/backup\\.md\\), which keeps the damaged file aside\\.$',
      ),
    );
    expect(run.stderr).not.toContain('partial');
    expect(readdirSync(out)).toEqual([]);
  });

  // Run as the service user (uid 65534) over files only root may open, as an operator who forgot sudo -u would.
  it.skipIf(!isRoot)(
    'when run as a user who may not open the database or write the backup folder, then each names the path, the user and the fix',
    async () => {
      const dataDir = makeDir();
      const file = join(dataDir, DB_NAME);
      (await fillDatabase(file)).close();
      const out = makeDir();
      const backupFile = join(out, 'b.sqlite');
      expect(runCli('backup', [backupFile], dataDir).status).toBe(0);
      chmodSync(backupFile, 0o644);
      const asServiceUser = (script: 'backup' | 'restore', arg: string): CliResult => {
        const result = spawnSync(TSX, [`src/db/${script}-cli.ts`, arg], {
          cwd: ROOT,
          env: makeServerEnv(dataDir),
          encoding: 'utf8',
          timeout: 20_000,
          uid: SERVICE_UID,
          gid: SERVICE_UID,
        });
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
      };
      const runAsServer =
        /Fix: run the command as the server's user, who owns the data folder \(e\.g\. sudo -u hf-fidelity …, with the server's DATA_DIR\); if it runs as (\S+), /;

      // The data folder may not even be entered (0700, root's).
      chmodSync(out, 0o777);
      const folder = asServiceUser('backup', join(out, 'b2.sqlite'));
      expect(folder.status).toBe(1);
      expect(folder.stderr).toMatch(
        new RegExp(
          `^backup failed: Cannot open the database ${file}: its folder ${dataDir} \\(owner uid 0, mode 0700\\) may not be entered by the user (\\S+) \\(EACCES\\)\\. `,
        ),
      );
      expect(folder.stderr).toMatch(runAsServer);
      expect(folder.stderr).toContain(`give that user the folder (e.g. chown `);

      // The folder may be entered, the file (0600, root's) not opened.
      chmodSync(dataDir, 0o755);
      for (const [script, arg] of [
        ['backup', join(out, 'b3.sqlite')],
        ['restore', backupFile],
      ] as const) {
        const denied = asServiceUser(script, arg);
        expect(denied.status, script).toBe(1);
        // The restore meets the folder first, where it makes the database's lock file; the message is the file's all the same.
        const code = script === 'restore' ? 'EACCES' : 'SQLITE_CANTOPEN';
        expect(denied.stderr).toMatch(
          new RegExp(
            `^${script} failed: (The backup failed, nothing was written: )?Cannot open the database ${file}: the file ${file} \\(owner uid 0, mode 0600\\) may not be read and written by the user \\S+ \\(${code}\\)\\. `,
          ),
        );
        expect(denied.stderr).toMatch(runAsServer);
        expect(denied.stderr).not.toContain('unable to open database file');
      }

      // The backup's folder may not be written (0755, root's).
      chmodSync(out, 0o755);
      const target = asServiceUser('backup', join(out, 'b4.sqlite'));
      expect(target.status).toBe(1);
      expect(target.stderr).toMatch(
        new RegExp(
          `^backup failed: The backup failed, nothing was written: Cannot write the backup ${join(out, 'b4.sqlite')}: the folder ${out} is not writable by the user \\S+, or its file system is read-only \\(EACCES\\)\\. Fix: `,
        ),
      );
      expect(readdirSync(out).sort()).toEqual(['b.sqlite']);
      expect(readdirSync(dataDir).filter((name) => /before-restore|restoring/.test(name))).toEqual([]);
    },
  );

  // SQLite opens a file it may not write read-only without a word; the lock probe then failed with SQLITE_IOERR_LOCK,
  // "disk I/O error". Here the data folder is the service user's (so the lock file can be made), the database root's, 0444.
  it.skipIf(!isRoot)(
    'when run as a user who may read but not write the database, then the restore and mfa:reset name the file, the user and the fix, and change nothing',
    async () => {
      const dataDir = makeDir();
      const file = join(dataDir, DB_NAME);
      (await fillDatabase(file)).close();
      const out = makeDir();
      chmodSync(out, 0o755);
      const backupFile = join(out, 'b.sqlite');
      expect(runCli('backup', [backupFile], dataDir).status).toBe(0);
      chmodSync(backupFile, 0o644);
      chownSync(dataDir, SERVICE_UID, SERVICE_UID);
      chmodSync(file, 0o444);
      const before = readFileSync(file);
      // The root backup's read-only connection leaves an empty -wal and its -shm; the lock file is never removed (database-lock.ts).
      const filesBefore = readdirSync(dataDir);

      for (const [script, args] of [
        ['src/db/restore-cli.ts', [backupFile]],
        ['src/accounts/mfa-reset-cli.ts', ['--all']],
      ] as const) {
        const result = spawnSync(TSX, [script, ...args], {
          cwd: ROOT,
          env: makeServerEnv(dataDir),
          encoding: 'utf8',
          timeout: 20_000,
          uid: SERVICE_UID,
          gid: SERVICE_UID,
        });
        expect(result.status, result.stderr).toBe(1);
        expect(result.stderr.trim().split('\n'), script).toHaveLength(1);
        expect(result.stderr).toMatch(
          new RegExp(
            `^(?:restore|mfa:reset) failed: Cannot write to the database ${file}: the file, its -wal or -shm file, or the file system is read-only for the user (\\S+) \\(SQLITE_IOERR_LOCK\\)\\. ` +
              "Fix: run the command as the server's user, who owns the data folder \\(e\\.g\\. sudo -u hf-fidelity …, with the server's DATA_DIR\\); if it runs as \\1, give that user write access ",
          ),
        );
        expect(result.stderr).not.toContain('disk I/O error');
      }
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(statSync(file).uid).toBe(0);
      expect(fileMode(file)).toBe(0o444);
      expect(readdirSync(dataDir).sort()).toEqual([...filesBefore, `${DB_NAME}.lock`].sort());
    },
  );
});

describe('npm run restore onto another machine', { timeout: 60_000 }, () => {
  it('when the backup holds sealed TOTP secrets and their key is not here, then the restore warns with what to copy; with the right key, it does not', async () => {
    const sourceDir = makeDir();
    const key = generateMfaKey();
    const source = makeTestApp({ db: track(openDatabase(join(sourceDir, DB_NAME))), mfaKey: key });
    const admin = await createTestUser(source.db, ['admin']);
    source.services.mfa.enableTotp(admin.id, createTotpSecret(), [], 0);
    source.db.close();
    const backupFile = (await backupDatabase(join(sourceDir, DB_NAME), join(makeDir(), 'nightly.sqlite'))).file;

    // A new machine: its data folder made for it, nothing in it.
    const dataDir = makeDir();
    const keyFile = join(dataDir, 'mfa.key');
    const missing = runCli('restore', [backupFile], dataDir);
    expect(missing.status, missing.stderr).toBe(0);
    expect(missing.stderr.trim().split('\n')).toEqual([
      `restore warning: the restored database holds 1 sealed TOTP secret(s), but their key is not here: MFA_KEY is not set and ${keyFile} does not exist, so the server will refuse to start. ` +
        `Before starting the server, copy mfa.key from the data folder of the installation the backup was made on to ${keyFile}, owned by the server's user and readable by it only ` +
        `(e.g. sudo install -m 600 -o hf-fidelity -g hf-fidelity mfa.key ${keyFile}), or set MFA_KEY to its contents; ` +
        'if the key is lost for good, run npm run mfa:reset -- --all (node dist/accounts/mfa-reset-cli.js --all in production), and everyone sets up TOTP again (docs/operations.md#the-mfa-key).',
    ]);
    expect(existsSync(keyFile)).toBe(false);

    // A key file a first start made here is not the one the secrets were sealed with.
    const keyText = (mfaKey: ReturnType<typeof generateMfaKey>) => `${mfaKey.export().toString('base64')}\n`;
    writeFileSync(keyFile, keyText(generateMfaKey()), { mode: 0o600 });
    const other = runCli('restore', [backupFile], dataDir);
    expect(other.status, other.stderr).toBe(0);
    expect(other.stderr).toContain(
      `restore warning: none of the 1 sealed TOTP secret(s) in the restored database opens with the key from ${keyFile}: it is not the key they were sealed with`,
    );
    expect(other.stderr).toContain(
      `Before starting the server, copy mfa.key from the data folder of the installation the backup was made on to ${keyFile}`,
    );

    writeFileSync(keyFile, keyText(key), { mode: 0o600 });
    const right = runCli('restore', [backupFile], dataDir);
    expect(right.status, right.stderr).toBe(0);
    expect(right.stderr).toBe('');
    rmSync(keyFile);
    const fromEnv = runCli('restore', [backupFile], dataDir, { MFA_KEY: key.export().toString('base64') });
    expect(fromEnv.status, fromEnv.stderr).toBe(0);
    expect(fromEnv.stderr).toBe('');
  });

  it('when the backup holds no sealed TOTP secret, then no key is needed and none is made', async () => {
    const sourceDir = makeDir();
    (await fillDatabase(join(sourceDir, DB_NAME))).close();
    const backupFile = (await backupDatabase(join(sourceDir, DB_NAME), join(makeDir(), 'nightly.sqlite'))).file;
    const dataDir = makeDir();
    const restored = runCli('restore', [backupFile], dataDir);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stderr).toBe('');
    expect(existsSync(join(dataDir, 'mfa.key'))).toBe(false);
  });

  // A backup made from root's crontab is root's, 0600; the restore runs as the service user (uid 65534), as it should.
  it.skipIf(!isRoot)(
    'when the backup was made by root and the service user restores it, then the refusal names the owner and gives the chown, and after it the restore works',
    async () => {
      const sourceDir = makeDir();
      (await fillDatabase(join(sourceDir, DB_NAME))).close();
      const out = makeDir();
      const backupFile = join(out, 'nightly.sqlite');
      expect(runCli('backup', [backupFile], sourceDir).status).toBe(0);
      expect(statSync(backupFile)).toMatchObject({ uid: 0 });
      expect(fileMode(backupFile)).toBe(0o600);
      const dataDir = makeDir();
      chownSync(dataDir, SERVICE_UID, SERVICE_UID);
      const restoreAsServiceUser = () =>
        spawnSync(TSX, ['src/db/restore-cli.ts', backupFile], {
          cwd: ROOT,
          env: makeServerEnv(dataDir),
          encoding: 'utf8',
          timeout: 20_000,
          uid: SERVICE_UID,
          gid: SERVICE_UID,
        });

      // The folder made by root (0700) hides the file.
      const hidden = restoreAsServiceUser();
      expect(hidden.status).toBe(1);
      expect(hidden.stderr.trim().split('\n')).toHaveLength(1);
      expect(hidden.stderr).toMatch(
        new RegExp(
          `^restore refused: ${backupFile} cannot be reached by the user (\\S+): its folder ${out} \\(owner uid 0, mode 0700\\) may not be entered \\(EACCES\\)\\. Fix: sudo chown \\1 ${out} `,
        ),
      );
      expect(hidden.stderr).toContain(
        "make the backups as the server's user (its crontab, sudo crontab -u hf-fidelity -e, or the systemd timer",
      );
      expect(hidden.stderr).not.toContain('does not exist');

      chmodSync(out, 0o755);
      const unreadable = restoreAsServiceUser();
      expect(unreadable.status).toBe(1);
      expect(unreadable.stderr.trim().split('\n')).toHaveLength(1);
      expect(unreadable.stderr).toMatch(
        new RegExp(
          `^restore refused: ${backupFile} \\(owner uid 0, mode 0600\\) cannot be read by the user (\\S+) \\(EACCES\\): a backup made from root's crontab is root's, readable by root only\\. Fix: sudo chown \\1 ${backupFile} `,
        ),
      );
      expect(readdirSync(dataDir).filter((name) => name.endsWith('.sqlite'))).toEqual([]);

      chownSync(backupFile, SERVICE_UID, SERVICE_UID);
      const restored = restoreAsServiceUser();
      expect(restored.status, restored.stderr).toBe(0);
      expect(statSync(join(dataDir, DB_NAME))).toMatchObject({ uid: SERVICE_UID });
    },
  );
});
