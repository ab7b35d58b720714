import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/command-line.js';
import { MigrationError, migrate, SCHEMA_VERSION } from '../../src/db/migrate.js';
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
