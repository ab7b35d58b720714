// What the server checks of its database file before it opens it: that its folder exists (made on a development
// machine's first start only) and that no other process works with the database. Nothing is migrated before both pass.
import { assertDatabaseNotInUse, DatabaseInUseError, hasCode } from './backup.js';
import { makeDatabaseFolder } from './data-folder.js';
import { type DatabaseLock, DatabaseLockedError, lockDatabase } from './database-lock.js';
import { ReadOnlyDatabaseError } from './open-database.js';

/**
 * Called once at start, before the database is opened. A second server on the same DATA_DIR, or a newer version
 * started beside a running older one, would otherwise migrate the live database under that server (and then fail on
 * its port), leaving it on a schema it does not know, or run beside it on the same sessions and lock-outs.
 *
 * First the lock (database-lock.ts), which the server keeps until it has closed the database: of two servers started
 * at the same moment only one gets it, and a restore or an mfa:reset holds it while it runs. Then the restore's probe,
 * the database's EXCLUSIVE lock, which nobody gets while another process holds the file open: a version from before
 * the lock, or a backup in progress. Both locks belong to a process, so a crashed server leaves neither behind, and
 * its -wal and -shm files do not count. Returns the lock to release last on shutdown; none for ':memory:'.
 */
export function prepareDatabaseFile(file: string, options: { readonly production: boolean }): DatabaseLock | undefined {
  if (file === ':memory:') return undefined;
  makeDatabaseFolder(file, options);
  let lock: DatabaseLock;
  try {
    lock = lockDatabase(file);
  } catch (error) {
    throw error instanceof DatabaseLockedError ? inUse(file) : error;
  }
  try {
    assertDatabaseNotInUse(file);
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      lock.release();
      throw inUse(file);
    }
    // A file this process may not open, write or lock (a read-only one fails the lock with SQLITE_IOERR_LOCK):
    // opening it next says so, with the server's own fix. Only what is not SQLite's (a bug) stops here.
    if (!(error instanceof ReadOnlyDatabaseError) && !hasCode(error, ['SQLITE'])) {
      lock.release();
      throw error;
    }
  }
  return lock;
}

function inUse(file: string): DatabaseInUseError {
  return new DatabaseInUseError(
    `the database ${file} is in use by another process: most likely a server already running on this DATA_DIR, or a backup or restore in progress. ` +
      'Nothing was changed. Stop the other server (or wait for the backup or restore to end), then start again.',
  );
}
