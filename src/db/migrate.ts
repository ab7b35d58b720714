import type { Db } from './open-database.js';
import { MIGRATIONS } from './migrations.js';

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * hf-fidelity's mark in the database file's header (PRAGMA application_id, bytes 68–71): "HFID" in ASCII. `file` and
 * `sqlite3 <file> .dbinfo` show it, and at open a file with another program's id is refused (database-identity.ts).
 * Set by migrate, also on a database made before the id was (whose id is 0). Never change it.
 */
export const APPLICATION_ID = 0x48464944;

/** A database written by a newer version of the program: refused before anything touches it. */
export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
  constructor(version: number, file?: string) {
    super(
      `${file === undefined ? '' : `${file}: `}The database has schema version ${version}, newer than this program knows (${SCHEMA_VERSION}). Update hf-fidelity, or restore a backup made with this version.`,
    );
  }
}

/**
 * A database at an older schema version, opened by work that does not migrate it: a tool that may run beside a server
 * (of an older version, during an upgrade) must not change the schema under it.
 */
export class OlderSchemaError extends Error {
  override name = 'OlderSchemaError';
  constructor(version: number, file: string, command: string) {
    super(
      `${file}: The database has schema version ${version}, older than this program's (${SCHEMA_VERSION}), and ${command} does not migrate it, since a server of the older version may be running on it. Run the ${command} of the version the server runs, or start this version's server first (it migrates the database).`,
    );
  }
}

/** Throws unless the database is at this program's schema version; changes nothing. */
export function requireCurrentSchema(db: Db, file: string, command: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw new NewerSchemaError(version, file);
  if (version < SCHEMA_VERSION) throw new OlderSchemaError(version, file, command);
}

/** A migration that failed: nothing of the upgrade was kept, so the file is still the version it was. */
export class MigrationError extends Error {
  override name = 'MigrationError';
  readonly from: number;
  readonly failedVersion: number;
  constructor(from: number, failedVersion: number, cause: unknown) {
    super(
      `Upgrading the database to schema version ${failedVersion} failed (${cause instanceof Error ? cause.message : String(cause)}). Nothing was changed: the file is still at version ${from}, and the earlier hf-fidelity version runs on it. Keep the file, and report the message; a database changed by hand may need restoring from a backup (docs/backup.md).`,
      { cause },
    );
    this.from = from;
    this.failedVersion = failedVersion;
  }
}

/**
 * Applies the pending migrations in one transaction, recording the version in PRAGMA user_version. If one fails, none
 * is kept: an upgrade stopped halfway would leave a file that neither the old version (it is newer) nor the new one
 * (it failed) can run.
 */
export function migrate(db: Db): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new NewerSchemaError(from);
  }
  // Only an unmarked file gets the id: openDatabase refuses one with another program's id before this runs.
  const marked = Number(db.pragma('application_id', { simple: true })) !== 0;
  if (from === SCHEMA_VERSION) {
    if (!marked) markAsOurs(db);
    return { from, to: SCHEMA_VERSION };
  }
  let version = from;
  try {
    db.transaction(() => {
      for (version = from + 1; version <= SCHEMA_VERSION; version++) {
        db.exec(MIGRATIONS[version - 1] ?? '');
        // PRAGMA takes no bound parameters; version is our own integer.
        db.pragma(`user_version = ${version}`);
      }
      if (!marked) markAsOurs(db);
    })();
  } catch (error) {
    throw new MigrationError(from, version, error);
  }
  return { from, to: SCHEMA_VERSION };
}

/** Writes hf-fidelity's application id into the file's header. It is no schema change, so it takes no migration. */
function markAsOurs(db: Db): void {
  // PRAGMA takes no bound parameters; the id is our own constant.
  db.pragma(`application_id = ${APPLICATION_ID}`);
}
