// The start's check for a database that is gone from a folder that held one: opening the path would make a new,
// empty installation (migrated from version 0, a fresh setup link) over the traces of the old one, and SQLite would
// throw away the -wal left beside it, with whatever committed data it still held.
import { existsSync } from 'node:fs';

/** Refused start: the database file is missing, but files of an earlier installation are still beside it. */
export class MissingDatabaseError extends Error {
  override name = 'MissingDatabaseError';
}

export type DatabasePaths = {
  readonly databaseFile: string;
  /** DATA_DIR/mfa.key, made by the first start beside the database. */
  readonly mfaKeyFile: string;
};

/** The files that say an installation ran here before: the MFA key file, and the database's own -wal and -shm. */
export function findEarlierInstallation({ databaseFile, mfaKeyFile }: DatabasePaths): string[] {
  return [mfaKeyFile, `${databaseFile}-wal`, `${databaseFile}-shm`].filter((file) => existsSync(file));
}

/**
 * Throws MissingDatabaseError when the database file does not exist but an earlier installation's files do, saying
 * what was found and the two ways on. Changes nothing: call it before openDatabase, which would create the file.
 */
export function refuseMissingDatabase(paths: DatabasePaths): void {
  const { databaseFile } = paths;
  if (databaseFile === ':memory:' || databaseFile === '' || existsSync(databaseFile)) return;
  const found = findEarlierInstallation(paths);
  if (found.length === 0) return;
  const listed = found.length === 1 ? `${found[0]} is` : `${found.slice(0, -1).join(', ')} and ${found.at(-1)} are`;
  throw new MissingDatabaseError(
    `the database ${databaseFile} is missing, but ${listed} still there, from an earlier installation; ` +
      'nothing was created, since starting would make a new, empty installation (and discard what a -wal file still holds). ' +
      'Fix: restore the latest backup (npm run restore -- <backup file>, or node dist/db/restore-cli.js <backup file> from the build; docs/backup.md), ' +
      'then start again; or, for a really new installation, move those files away first. ' +
      '(If the database is elsewhere, set DATABASE_FILE or DATA_DIR to it.)',
  );
}
