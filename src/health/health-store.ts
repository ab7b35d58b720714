// The database side of the health checks: one trivial query (is the connection open and the file readable?) and the
// schema version the file is at.
import type { Db } from '../db/open-database.js';

export type HealthStore = {
  /** The file's schema version (PRAGMA user_version); throws when the database cannot be read. */
  readSchemaVersion(): number;
};

export function createHealthStore(db: Db): HealthStore {
  const ping = db.prepare('SELECT 1').pluck();
  return {
    readSchemaVersion: () => {
      ping.get();
      return Number(db.pragma('user_version', { simple: true }));
    },
  };
}
