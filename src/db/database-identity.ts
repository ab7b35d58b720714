// Whether a database file is hf-fidelity's, read before anything is set on it: the application id in its header
// (PRAGMA application_id, set by migrate), its schema version, and for a file from before the id, its tables.
// A file of another program would otherwise get hf-fidelity's tables added beside its own, or fail a migration
// with a message about an earlier hf-fidelity version.
import Database from 'better-sqlite3';
import { APPLICATION_ID, NewerSchemaError, SCHEMA_VERSION } from './migrate.js';
import { MIGRATIONS } from './migrations.js';
import type { Db } from './open-database.js';

/** A database file that is not hf-fidelity's: refused before anything is written to it. */
export class ForeignDatabaseError extends Error {
  override name = 'ForeignDatabaseError';
  constructor(file: string, why: string) {
    super(
      `Cannot open the database ${file}: it is not an hf-fidelity database (${why}); nothing was changed in it. ` +
        "Fix: set DATABASE_FILE (or DATA_DIR) to hf-fidelity's database file; or move this file away, then restore a backup (docs/backup.md) or start anew.",
    );
  }
}

/** An application id as SQLite prints it with `sqlite3 file .dbinfo`, and as the docs give ours. */
export function formatApplicationId(id: number): string {
  return `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Refuses a file that is not an hf-fidelity database (ForeignDatabaseError) or is from a newer version (NewerSchemaError).
 * Accepted: an empty file (a first start), a file with our application id, and one without an id (0, from before it was
 * set) whose schema version is at least 1 and whose tables are that version's; migrate then gives it the id.
 */
export function checkDatabaseIdentity(db: Db, file: string): void {
  const applicationId = Number(db.pragma('application_id', { simple: true }));
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw new ForeignDatabaseError(
      file,
      `its application id is ${formatApplicationId(applicationId)}, another program's; hf-fidelity's is ${formatApplicationId(APPLICATION_ID)}`,
    );
  }
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) throw new NewerSchemaError(version, file);
  if (version === 0) {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name LIMIT 4").pluck().all() as string[];
    if (tables.length > 0) {
      const named = tables.length > 3 ? `${tables.slice(0, 3).join(', ')}, …` : tables.join(', ');
      throw new ForeignDatabaseError(file, `it holds tables (${named}) but no hf-fidelity schema version`);
    }
    return;
  }
  if (applicationId === 0) {
    const missing = findMissingColumns(db, version);
    if (missing.length > 0) {
      throw new ForeignDatabaseError(file, `it says schema version ${version} but lacks ${missing.slice(0, 5).join(', ')}`);
    }
  }
}

/** The tables and columns (`table.column`) that schema version `schemaVersion` has and `db` lacks. */
export function findMissingColumns(db: Db, schemaVersion: number): string[] {
  const expected = new Database(':memory:');
  try {
    for (const sql of MIGRATIONS.slice(0, schemaVersion)) expected.exec(sql);
    const actual = new Set(listColumns(db));
    return listColumns(expected).filter((column) => !actual.has(column));
  } finally {
    expected.close();
  }
}

function listColumns(db: Db): string[] {
  const rows = db
    .prepare(
      `SELECT m.name AS table_name, c.name AS column_name
       FROM sqlite_schema m JOIN pragma_table_info(m.name) c
       WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
    )
    .all() as { table_name: string; column_name: string }[];
  return rows.map((row) => `${row.table_name}.${row.column_name}`);
}
