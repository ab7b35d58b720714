// The database side of the health checks: a read of the tables a request needs first (is the connection open, and
// are their pages readable?), the schema version the file is at, whether the file at the database's path is still
// the one opened, the space left on the disk that holds it, and whether a write could begin (no other process holds
// the write lock).
import { type BigIntStats, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../db/open-database.js';

/** The file at the database's path is gone, or is another file than the one the server opened. */
export type DatabaseFileChange = { readonly kind: 'missing' | 'replaced'; readonly file: string };

export type HealthStore = {
  /** The file's schema version (PRAGMA user_version); throws when the database cannot be read. */
  readSchemaVersion(): number;
  /** Bytes free to this process on the disk that holds the database; undefined for an in-memory one. Throws when the folder cannot be read. */
  readFreeBytes(): number | undefined;
  /** How the file at the database's path differs from the one opened; undefined when it is that file (or in memory). */
  findFileChange(): DatabaseFileChange | undefined;
  /**
   * Whether a write could begin now: takes SQLite's write lock and lets it go at once, writing nothing, waiting at most
   * waitMs for another process to let go of it. False when it did not; throws whatever else SQLite answers.
   */
  canTakeWriteLock(waitMs: number): boolean;
};

/** A file's identity on its machine: what a rename keeps, and a deleted file or a new one at the path does not. */
function identityOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

/**
 * Made once, at start, right after the database is opened and migrated: the identity of the file at its path then
 * is the one SQLite holds open. (SQLite keeps reading and writing that file after it is deleted or replaced, and
 * says nothing.)
 */
export function createHealthStore(db: Db): HealthStore {
  // Pages of the real tables, not `SELECT 1` (which never touches the file) or the header alone (user_version): with
  // NOT INDEXED the first row comes from the table's own b-tree (its root page and first leaf), where a plain
  // `SELECT 1 FROM users` is answered from the e-mail index and misses a damaged table. A column in no index is
  // decoded, and LIMIT 1 keeps it to those pages: no scan.
  const ping = db.prepare(
    `SELECT (SELECT typeof(created_at) FROM users NOT INDEXED LIMIT 1),
            (SELECT typeof(data) FROM sessions NOT INDEXED LIMIT 1)`,
  );
  const file = db.memory ? undefined : db.name;
  const opened = file === undefined ? undefined : identityOf(statSync(file, { bigint: true }));
  return {
    readSchemaVersion: () => {
      ping.get();
      return Number(db.pragma('user_version', { simple: true }));
    },
    readFreeBytes: () => {
      if (file === undefined) return undefined;
      const stats = statfsSync(dirname(file));
      return stats.bavail * stats.bsize;
    },
    canTakeWriteLock: (waitMs) => {
      // Our own connection inside a transaction holds the lock itself (never at a probe: transactions have no await).
      if (db.inTransaction) return true;
      // The connection's own wait (5 s, for requests) is shortened for the probe and put back, whatever it was.
      const busyTimeout = Number(db.pragma('busy_timeout', { simple: true }));
      db.pragma(`busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
      try {
        // BEGIN IMMEDIATE takes the write lock (in WAL mode, the one a writer needs) and writes no page.
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
        return true;
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && /^SQLITE_BUSY(_|$)/.test(code)) return false;
        throw error;
      } finally {
        db.pragma(`busy_timeout = ${busyTimeout}`);
      }
    },
    findFileChange: () => {
      if (file === undefined) return undefined;
      const now = statSync(file, { bigint: true, throwIfNoEntry: false });
      if (now === undefined) return { kind: 'missing', file };
      return identityOf(now) === opened ? undefined : { kind: 'replaced', file };
    },
  };
}
