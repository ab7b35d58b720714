// What the server checks of its database file before it opens it: that its folder exists (made on a development
// machine's first start only) and that no other process has the database open. Nothing is migrated before both pass.
import { assertDatabaseNotInUse, DatabaseInUseError, hasCode } from './backup.js';
import { makeDatabaseFolder } from './data-folder.js';
import { ReadOnlyDatabaseError } from './open-database.js';

/**
 * Called once at start, before the database is opened. A second server on the same DATA_DIR, or a newer version
 * started beside a running older one, would otherwise migrate the live database under that server (and then fail on
 * its port), leaving it on a schema it does not know. The probe is the restore's: the database's EXCLUSIVE lock,
 * which nobody gets while another process holds the file open, and which belongs to a process, so the -wal and -shm
 * files a crashed server left behind do not count.
 */
export function prepareDatabaseFile(file: string, options: { readonly production: boolean }): void {
  if (file === ':memory:') return;
  makeDatabaseFolder(file, options);
  try {
    assertDatabaseNotInUse(file);
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      throw new DatabaseInUseError(
        `the database ${file} is in use by another process: most likely a server already running on this DATA_DIR, or a backup in progress. ` +
          'Nothing was changed. Stop the other server (or wait for the backup to end), then start again.',
      );
    }
    // A file this process may not open, write or lock (a read-only one fails the lock with SQLITE_IOERR_LOCK):
    // opening it next says so, with the server's own fix. Only what is not SQLite's (a bug) stops here.
    if (!(error instanceof ReadOnlyDatabaseError) && !hasCode(error, ['SQLITE'])) throw error;
  }
}
