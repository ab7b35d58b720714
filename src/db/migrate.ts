import type { Db } from './open-database.js';
import { MIGRATIONS } from './migrations.js';

export const SCHEMA_VERSION = MIGRATIONS.length;

/** A database written by a newer version of the program: refused before anything touches it. */
export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
  constructor(version: number, file?: string) {
    super(
      `${file === undefined ? '' : `${file}: `}The database has schema version ${version}, newer than this program knows (${SCHEMA_VERSION}). Update hf-fidelity, or restore a backup made with this version.`,
    );
  }
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
  if (from === SCHEMA_VERSION) return { from, to: SCHEMA_VERSION };
  let version = from;
  try {
    db.transaction(() => {
      for (version = from + 1; version <= SCHEMA_VERSION; version++) {
        db.exec(MIGRATIONS[version - 1] ?? '');
        // PRAGMA takes no bound parameters; version is our own integer.
        db.pragma(`user_version = ${version}`);
      }
    })();
  } catch (error) {
    throw new MigrationError(from, version, error);
  }
  return { from, to: SCHEMA_VERSION };
}
