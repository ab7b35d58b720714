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

/** Applies pending migrations, each in its own transaction, recording progress in PRAGMA user_version. */
export function migrate(db: Db): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new NewerSchemaError(from);
  }
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= from) return;
    db.transaction(() => {
      db.exec(sql);
      // PRAGMA takes no bound parameters; version is our own integer.
      db.pragma(`user_version = ${version}`);
    })();
  });
  return { from, to: SCHEMA_VERSION };
}
