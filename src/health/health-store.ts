// The database side of the health checks: a read of a real table (is the connection open and the file readable?),
// the schema version the file is at, and the space left on the disk that holds it.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../db/open-database.js';

export type HealthStore = {
  /** The file's schema version (PRAGMA user_version); throws when the database cannot be read. */
  readSchemaVersion(): number;
  /** Bytes free to this process on the disk that holds the database; undefined for an in-memory one. Throws when the folder cannot be read. */
  readFreeBytes(): number | undefined;
};

export function createHealthStore(db: Db): HealthStore {
  // A page of a real table, not `SELECT 1` (which never touches the file) or the header alone (user_version).
  const ping = db.prepare('SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1)').pluck();
  const folder = db.memory ? undefined : dirname(db.name);
  return {
    readSchemaVersion: () => {
      ping.get();
      return Number(db.pragma('user_version', { simple: true }));
    },
    readFreeBytes: () => {
      if (folder === undefined) return undefined;
      const stats = statfsSync(folder);
      return stats.bavail * stats.bsize;
    },
  };
}
