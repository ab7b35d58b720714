// The lock a process holds on its database for as long as it works with it: the server for its whole life, a restore
// or an mfa:reset while it runs. A probe of the database alone leaves a window between the check and the open in which
// a second server passes it too; the lock is taken before the check and kept, so of two starts only one gets past it.
import { accessSync, chownSync, closeSync, constants, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type DatabaseOpener, ReadOnlyDatabaseError, readOnlyLockCode } from './open-database.js';

/** Another process (a server, a restore, an mfa:reset) holds the database's lock. */
export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

/** The lock file is there but is no SQLite file: it holds no data, so the fix is to delete it. */
export class LockFileError extends Error {
  override name = 'LockFileError';
}

export type DatabaseLock = {
  /** The lock file, `<database file>.lock`. */
  readonly file: string;
  /** Lets the next process take it; the process ending does the same. */
  release(): void;
};

/** Beside the database, so that every process that works with one database file meets the same lock. */
export function lockFileOf(databaseFile: string): string {
  return `${databaseFile}.lock`;
}

/** The errors of a path refused by the file system, which name the same fix as SQLite's CANTOPEN. */
const ACCESS_ERRNO_CODES = ['EACCES', 'EPERM', 'EROFS'];

/**
 * Takes the lock on `databaseFile`, at once or not at all: DatabaseLockedError when another process holds it.
 *
 * The lock is SQLite's own on an empty database file beside the real one: in exclusive locking mode, an exclusive
 * transaction begun and never committed keeps the file's EXCLUSIVE lock (a POSIX advisory lock) until the connection
 * closes, and the kernel drops it when the process ends in any way, kill -9 included, so a lock is never stale and
 * nothing has to clean one up. The file stays: removed, a process that had just opened it would lock a file nobody else
 * can find any more, while the next start makes and locks a new one. Nothing is written to it, and its journal is kept
 * in memory, so no -journal file appears beside it either.
 *
 * The caller keeps the returned value referenced for as long as it needs the lock: better-sqlite3 closes a connection
 * that is garbage-collected, and the lock would go with it. A file this process may not open or create is a
 * ReadOnlyDatabaseError naming the database and the fix for `opener`.
 */
export function lockDatabase(databaseFile: string, opener: DatabaseOpener = 'server'): DatabaseLock {
  const file = lockFileOf(databaseFile);
  let db: Database.Database | undefined;
  try {
    createLockFile(file, databaseFile);
    // SQLite opens a file it may not write read-only without a word, and a read-only connection cannot lock it.
    accessSync(file, constants.R_OK | constants.W_OK);
    // No busy timeout: a second server is refused at once rather than after a wait.
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.pragma('journal_mode = MEMORY');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db?.close();
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code)) {
      throw new DatabaseLockedError(`${databaseFile} is locked by another process (${file})`);
    }
    if (typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)(_|$)/.test(code)) {
      throw new LockFileError(
        `${file}, the lock file of the database ${databaseFile}, is not an SQLite file (${code}). It holds no data: delete it, then try again.`,
      );
    }
    const access = readOnlyLockCode(error, file) ?? (typeof code === 'string' && ACCESS_ERRNO_CODES.includes(code) ? code : undefined);
    if (access !== undefined) throw new ReadOnlyDatabaseError(databaseFile, access, opener);
    throw error;
  }
  const held = db;
  return {
    file,
    release: () => {
      // Closing ends the transaction (nothing to roll back) and drops the lock.
      if (held.open) held.close();
    },
  };
}

/**
 * Makes the lock file, readable and writable by its owner only. Made by root (a restore or an mfa:reset run with
 * sudo), it is given the owner of the database, or of its folder when there is none, so that the server, running as
 * its own user, can still take it. Where that is not permitted, the server's start says which file to give it.
 */
function createLockFile(file: string, databaseFile: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    // There already, from an earlier start: a lock file is never removed (see lockDatabase).
    if ((error as { code?: unknown }).code === 'EEXIST') return;
    throw error;
  }
  if (process.getuid?.() !== 0) return;
  let owner: { uid: number; gid: number };
  try {
    owner = statSync(databaseFile);
  } catch {
    owner = statSync(dirname(file));
  }
  if (owner.uid === 0 && owner.gid === 0) return;
  try {
    chownSync(file, owner.uid, owner.gid);
  } catch {
    // EPERM, or EINVAL for an owner a user namespace does not map: the file stays root's, and a server that may not
    // open it refuses to start with a line naming it (ReadOnlyDatabaseError).
  }
}
