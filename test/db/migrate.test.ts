import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/command-line.js';
import { ForeignDatabaseError } from '../../src/db/database-identity.js';
import { APPLICATION_ID, MigrationError, migrate, NewerSchemaError, SCHEMA_VERSION } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open-database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrate', () => {
  it('brings an empty database to the latest schema version, and a second run changes nothing', () => {
    const db = openDatabase(':memory:');
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining([
        'users',
        'sessions',
        'municipalities',
        'programs',
        'rubric_snapshots',
        'reviews',
        'panel_members',
        'ratings',
        'consensus_ratings',
        'findings',
      ]),
    );
    const schema = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
  });

  it('opens file databases in WAL mode with full sync and foreign keys on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-migrate-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'test.sqlite'));
    migrate(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // A new file holds every account and review: its owner alone reads it, and its WAL file likewise.
    expect(statSync(join(dir, 'test.sqlite')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'test.sqlite-wal')).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('refuses a database from a newer version of the program', () => {
    const db = openDatabase(':memory:');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this program knows/);
  });

  it('when a migration fails partway through an upgrade, then none is kept and the file stays at its version', () => {
    // Migration 13 creates tables and 12 does too: a database at 11 is upgraded through both, and a table that
    // collides with one of 13's (as if made by hand) stops it at 13.
    const db = openDatabase(':memory:');
    MIGRATIONS.slice(0, 11).forEach((sql) => {
      db.exec(sql);
    });
    db.pragma('user_version = 11');
    const tableOf = (sql: string) => /CREATE TABLE (\w+)/.exec(sql)?.[1];
    const made12 = tableOf(MIGRATIONS[11] ?? '');
    const made13 = tableOf(MIGRATIONS[12] ?? '');
    if (!made12 || !made13) throw new Error('migrations 12 and 13 no longer create tables: pick others');
    db.exec(`CREATE TABLE ${made13} (x INTEGER)`);
    const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).sort();
    const before = tables();

    let thrown: unknown;
    try {
      migrate(db);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MigrationError);
    expect(thrown).toMatchObject({ from: 11, failedVersion: 13 });
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    expect(tables()).toEqual(before);
    expect(tables()).not.toContain(made12);
    // What the server prints: one line, what happened and what to do, no stack.
    const line = describeFailure(thrown);
    expect(line).toMatch(
      /^Upgrading the database to schema version 13 failed \(table \w+ already exists\)\. Nothing was changed: the file is still at version 11/,
    );
    expect(line).not.toContain('\n');
  });

  it('enforces the data model’s rules in the database itself', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    expect(() => db.prepare("INSERT INTO municipalities (code, name, created_at) VALUES ('180', 'Stockholm', 'x')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO municipalities (code, name, created_at) VALUES ('0180', 'Stockholm', 'x')").run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO programs (municipality_id, name, support_provider, support_model, created_at) VALUES (99, 'P', 'S', 'icm', 'x')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO programs (municipality_id, name, support_provider, support_model, created_at) VALUES (1, 'P', 'S', 'magic', 'x')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});

function makeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-migrate-'));
  dirs.push(dir);
  return dir;
}

/** A database file written by another program (or by hand), with plain better-sqlite3: no pragmas of ours. */
function makeFile(setUp: (db: Database.Database) => void): string {
  const file = join(makeDir(), 'hf-fidelity.sqlite');
  const db = new Database(file);
  setUp(db);
  db.close();
  return file;
}

/** Runs `action`, expecting it to throw, and returns what it threw. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('the application id', () => {
  it('when the hf-fidelity id is read back, then it is "HFID" in the header', () => {
    expect(Buffer.from(APPLICATION_ID.toString(16), 'hex').toString('latin1')).toBe('HFID');
  });

  it('when an hf-fidelity database from before the id (0) is opened, then it is accepted, and migrate gives it the id and changes nothing else', () => {
    const file = join(makeDir(), 'hf-fidelity.sqlite');
    const current = openDatabase(file);
    migrate(current);
    current.pragma('application_id = 0');
    const schema = current.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all();
    current.close();

    const db = openDatabase(file);
    expect(db.pragma('application_id', { simple: true })).toBe(0);
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all()).toEqual(schema);
    db.close();
  });

  it('when an older hf-fidelity database without the id is opened, then it is migrated and given the id in the same step', () => {
    const file = makeFile((db) => {
      db.exec(MIGRATIONS[0] ?? '');
      db.pragma('user_version = 1');
    });
    const db = openDatabase(file);
    expect(migrate(db)).toEqual({ from: 1, to: SCHEMA_VERSION });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });
});

describe('openDatabase on a file that is not hf-fidelity’s', () => {
  it('when the file holds another program’s tables (schema version 0), then it is refused, naming the file, and left exactly as it was', () => {
    // What `sqlite3 x.sqlite "create table foo(a)"` makes.
    const file = makeFile((db) => db.exec('CREATE TABLE foo (a)'));
    const before = readFileSync(file);
    const error = thrownBy(() => openDatabase(file));
    expect(error).toBeInstanceOf(ForeignDatabaseError);
    // What the server and the tools print: one line, no stack.
    expect(describeFailure(error)).toBe(
      `Cannot open the database ${file}: it is not an hf-fidelity database (it holds tables (foo) but no hf-fidelity schema version); nothing was changed in it. ` +
        "Fix: set DATABASE_FILE (or DATA_DIR) to hf-fidelity's database file; or move this file away, then restore a backup (docs/backup.md) or start anew.",
    );
    // No tables added, not switched to WAL.
    expect(readFileSync(file)).toEqual(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('when a version-0 file has a users table, then it is called not hf-fidelity’s, not an earlier version that failed to upgrade', () => {
    const file = makeFile((db) => db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE orders (id INTEGER)'));
    const line = describeFailure(thrownBy(() => openDatabase(file)));
    expect(line).toContain(`Cannot open the database ${file}: it is not an hf-fidelity database (it holds tables (orders, users)`);
    expect(line).not.toContain('earlier hf-fidelity version');
  });

  it('when the file carries another program’s application id, then it is refused, whatever its schema version', () => {
    const file = makeFile((db) => {
      db.exec(MIGRATIONS[0] ?? '');
      db.pragma('user_version = 1');
      db.pragma(`application_id = ${0x0f055112}`);
    });
    expect(() => openDatabase(file)).toThrow(
      `Cannot open the database ${file}: it is not an hf-fidelity database (its application id is 0x0f055112, another program's; hf-fidelity's is 0x48464944)`,
    );
  });

  it('when a file without the id says it is at a version whose tables it lacks, then it is refused, naming what is missing', () => {
    const file = makeFile((db) => {
      db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
      db.pragma('user_version = 1');
    });
    expect(() => openDatabase(file)).toThrow(
      /it is not an hf-fidelity database \(it says schema version 1 but lacks app_settings\.key, .*users\.email/,
    );
  });

  it('when a database with the hf-fidelity id is from a newer version, then that is what it says', () => {
    const file = makeFile((db) => {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    });
    expect(thrownBy(() => openDatabase(file))).toBeInstanceOf(NewerSchemaError);
  });

  it('when the file is empty (a first start), then it is opened and becomes an hf-fidelity database', () => {
    const file = join(makeDir(), 'hf-fidelity.sqlite');
    const db = openDatabase(file);
    migrate(db);
    db.close();
    const again = openDatabase(file);
    expect(again.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    again.close();
  });
});
