// Backup and restore of the SQLite database file, shared by `npm run backup` and `npm run restore`.
// Both copy through SQLite (the online backup API, VACUUM INTO), never by copying files: the -wal file
// of a live database holds committed transactions that a file copy would miss or tear.
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { findMissingColumns, formatApplicationId } from './database-identity.js';
import { type DatabaseLock, DatabaseLockedError, lockDatabase } from './database-lock.js';
import { describeCreatingDataFolder, folderExists } from './data-folder.js';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from './migrate.js';
import {
  type Db,
  describeOwner,
  openDatabase,
  ReadOnlyDatabaseError,
  readOnlyCode,
  readOnlyLockCode,
  runningUser,
} from './open-database.js';

/** A refusal or failure with a message meant for the person running the command. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/** The live database is open in another process, most likely the running server. */
export class DatabaseInUseError extends BackupError {
  override name = 'DatabaseInUseError';
}

export type DatabaseFileInfo = {
  readonly file: string;
  readonly sizeBytes: number;
  readonly schemaVersion: number;
};

export type RestoreResult = {
  readonly databaseFile: string;
  /** Where the database that was replaced now lives; undefined when there was none. */
  readonly previousFile: string | undefined;
  /** Schema version of the backup as it was read, before migrating. */
  readonly backupSchemaVersion: number;
  readonly schemaVersion: number;
  /** What the restore could not do but did not stop for (giving the file its previous owner), for the operator to fix. */
  readonly warnings: readonly string[];
};

/** Database and backup files hold password hashes: only their owner may read them. */
const PRIVATE_FILE_MODE = 0o600;

// Copy every page in one step. Between steps the source is unlocked, and a write from another
// connection (the server) makes SQLite restart the copy; with small steps a busy server could keep
// restarting it for ever. One step holds only a WAL read snapshot, which never blocks the server's
// writes, and the backup runs in its own process, so there is no event loop of ours to keep free.
const ALL_PAGES = 0x7fffffff;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Copies the live database at `sourceFile` to `targetFile` as a consistent snapshot, while the server may
 * keep reading and writing it. The copy is a single self-contained file (rollback journal mode, no -wal),
 * checked like a restore would check it before it takes the target's name.
 */
export async function backupDatabase(
  sourceFile: string,
  targetFile: string,
  options: { readonly force?: boolean } = {},
): Promise<DatabaseFileInfo> {
  if (sourceFile === ':memory:')
    throw new BackupError('The configured database is in memory (:memory:); there is nothing on disk to back up.');
  if (!databaseExists(sourceFile)) throw new BackupError(`There is no database at ${sourceFile}. Check DATA_DIR or DATABASE_FILE.`);
  if (resolve(sourceFile) === resolve(targetFile)) throw new BackupError('The backup file cannot be the database itself.');
  if (isDirectory(targetFile))
    throw new BackupError(`${targetFile} is a folder. Give the backup a file name, e.g. ${targetFile}/hf-fidelity.sqlite.`);
  if (existsSync(targetFile) && !options.force) {
    throw new BackupError(`${targetFile} already exists. Choose another name, or pass --force to overwrite it.`);
  }
  assertBackupFolderExists(targetFile);

  // Written under a temporary name and renamed at the end, so the target name only ever holds a complete, checked copy.
  const partialFile = `${targetFile}.partial-${process.pid}`;
  removeDatabaseFiles(partialFile);
  // Which side a file-permission failure concerns: the backup's folder, or the live database.
  let side: 'target' | 'source' = 'target';
  try {
    // Created empty and private before SQLite writes into it (its journal takes the same mode), so the
    // password hashes in it are never readable by others, not even while it is being written.
    createPrivateFile(partialFile);
    side = 'source';
    // Read-only: a backup can never change the live database. In WAL mode it reads the committed -wal content too.
    const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      // Reads the file (and its -wal and -shm) now, so that a file this user may not open is told apart from the copy.
      source.pragma('schema_version');
      side = 'target';
      await source.backup(partialFile, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    const copy = new Database(partialFile, { fileMustExist: true });
    try {
      // The snapshot carries the live database's WAL flag; a backup is easier to move around as one file.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const info = inspectDatabaseFile(partialFile);
    // A journal left beside an older file of that name would be replayed into the new one.
    removeDatabaseFiles(targetFile, ['-wal', '-shm', '-journal']);
    renameSync(partialFile, targetFile);
    syncDirectory(dirname(targetFile));
    return { ...info, file: targetFile };
  } catch (error) {
    removeDatabaseFiles(partialFile);
    if (error instanceof BackupError) {
      // A copy of a damaged database is damaged too: say which one is, and what to do about it.
      const damage = findDamage(sourceFile);
      if (damage !== undefined) {
        throw new BackupError(
          `The live database ${sourceFile} is damaged (PRAGMA integrity_check: ${damage}), so its copy is too; nothing was written. ` +
            'Stop the server and restore the last good backup (docs/backup.md), which keeps the damaged file aside.',
        );
      }
      throw new BackupError(`The copy failed its check, nothing was written: ${error.message}`);
    }
    const access = describeAccessFailure(error, side === 'source' ? sourceFile : targetFile, side);
    if (access !== undefined) throw new BackupError(`The backup failed, nothing was written: ${access}`);
    throw new BackupError(`The backup failed, nothing was written: ${describeError(error)}`);
  }
}

/**
 * What `PRAGMA integrity_check` finds wrong with the live database, through a read-only connection (safe beside the
 * running server), or undefined when it finds nothing or cannot be run, so the copy is the one to blame. Not
 * quick_check: it skips the comparison of indexes with their tables, the damage the copy's own check most often finds.
 */
function findDamage(databaseFile: string): string | undefined {
  let db: Db | undefined;
  try {
    db = new Database(databaseFile, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    return problems.length === 1 && problems[0] === 'ok' ? undefined : problems.slice(0, 3).join('; ');
  } catch (error) {
    // Pages too damaged to be read at all are damage as well.
    return hasCode(error, ['SQLITE_CORRUPT', 'SQLITE_NOTADB']) ? describeError(error) : undefined;
  } finally {
    db?.close();
  }
}

/**
 * One line for a failure that file permissions or a read-only file system explain, naming the path, the user and
 * the fix: the server's own message for the live database, and its like for the backup's folder. Undefined otherwise.
 */
function describeAccessFailure(error: unknown, file: string, side: 'source' | 'target'): string | undefined {
  const code = accessCode(error);
  if (code === undefined) return undefined;
  if (side === 'source') return new ReadOnlyDatabaseError(file, code, 'tool').message;
  const dir = dirname(file);
  const user = runningUser();
  return (
    `Cannot write the backup ${file}: the folder ${dir} is not writable by the user ${user}, or its file system is read-only (${code}). ` +
    `Fix: write the backup to a folder that user may write (e.g. sudo install -d -m 700 -o ${user} ${dir}), run the command as the folder's owner, or remount the file system read-write.`
  );
}

/** SQLite's code for a file it could not open or write, or the system's for a path refused (EACCES, EPERM, EROFS). */
function accessCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return readOnlyCode(error) ?? (typeof code === 'string' && ['EACCES', 'EPERM', 'EROFS'].includes(code) ? code : undefined);
}

/** The backup's folder must exist: a missing one is more often a mistyped path or an unmounted disk than a new place. */
function assertBackupFolderExists(targetFile: string): void {
  const dir = dirname(targetFile);
  if (folderExists(dir)) return;
  throw new BackupError(
    `The folder ${dir} for the backup does not exist, so nothing was written. Check the path for a typo (and that its disk is mounted); ` +
      `for a new place, create it first, owned by the user who runs the backups, mode 700 (e.g. sudo install -d -m 700 -o hf-fidelity -g hf-fidelity ${dir}).`,
  );
}

/** Whether the database file is there; a file this user may not even see (EACCES) is there, and fails to open later with the reason. */
function databaseExists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch (error) {
    if (hasCode(error, ['ENOENT', 'ENOTDIR'])) return false;
    const code = accessCode(error);
    if (code !== undefined) throw new ReadOnlyDatabaseError(file, code, 'tool');
    throw error;
  }
}

/**
 * Checks that `file` is an intact SQLite database of a schema version this program knows, with the tables
 * and columns that version has. Throws a BackupError that says what is wrong. Opens the file read-only.
 */
export function inspectDatabaseFile(file: string): DatabaseFileInfo {
  let stats: Stats | undefined;
  try {
    stats = statIfExists(file);
  } catch (error) {
    if (hasCode(error, ['EACCES', 'EPERM']))
      throw new BackupError(describeUnreachableBackup(file, String((error as { code: string }).code)));
    throw error;
  }
  if (stats === undefined) throw new BackupError(`${file} does not exist.`);
  if (stats.isDirectory()) throw new BackupError(`${file} is a folder, not a database file.`);
  let isSqlite: boolean;
  try {
    isSqlite = hasSqliteHeader(file);
  } catch (error) {
    if (hasCode(error, ['EACCES', 'EPERM']))
      throw new BackupError(describeUnreadableBackup(file, String((error as { code: string }).code)));
    throw new BackupError(`${file} cannot be read: ${describeError(error)}`);
  }
  if (!isSqlite) throw new BackupError(`${file} is not an SQLite database.`);
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return checkDatabase(db, file);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} cannot be read as a database: ${describeError(error)}`);
  } finally {
    db?.close();
  }
}

/** Where the backups are made as the server's user, so that its restore can read them. */
const BACKUP_AS_SERVER_USER =
  "make the backups as the server's user (its crontab, sudo crontab -u hf-fidelity -e, or the systemd timer in docs/backup.md), so that the next ones need no chown";

/**
 * A backup file this user may not read: most often one made from root's crontab, which is root's and readable by its
 * owner only (0600), while the restore runs as the server's user, as it should.
 */
function describeUnreadableBackup(file: string, code: string): string {
  const user = runningUser();
  return (
    `${file}${describeOwner(file)} cannot be read by the user ${user} (${code}): a backup made from root's crontab is root's, readable by root only. ` +
    `Fix: sudo chown ${user} ${file} (it stays readable by its owner only), then run the restore again; and ${BACKUP_AS_SERVER_USER}.`
  );
}

/** A backup in a folder this user may not enter: a backup folder made by root (mode 0700) hides every file in it. */
function describeUnreachableBackup(file: string, code: string): string {
  const user = runningUser();
  const dir = dirname(file);
  return (
    `${file} cannot be reached by the user ${user}: its folder ${dir}${describeOwner(dir)} may not be entered (${code}). ` +
    `Fix: sudo chown ${user} ${dir} (or copy the backup into a folder that user may read), then run the restore again; and ${BACKUP_AS_SERVER_USER}.`
  );
}

function checkDatabase(db: Db, file: string): DatabaseFileInfo {
  const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new BackupError(`${file} is damaged (PRAGMA integrity_check: ${problems.slice(0, 3).join('; ')}).`);
  }
  // The rule openDatabase applies: another program's id is refused; none (0) is a backup made before the id was set.
  const applicationId = Number(db.pragma('application_id', { simple: true }));
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw new BackupError(`${file} is not an hf-fidelity database (its application id is ${formatApplicationId(applicationId)}).`);
  }
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  if (schemaVersion < 1) throw new BackupError(`${file} is not an hf-fidelity database (its schema version is ${schemaVersion}).`);
  if (schemaVersion > SCHEMA_VERSION) {
    throw new BackupError(
      `${file} has schema version ${schemaVersion}, newer than this program knows (${SCHEMA_VERSION}). Update the program first.`,
    );
  }
  const missing = findMissingColumns(db, schemaVersion);
  if (missing.length > 0) {
    throw new BackupError(
      `${file} says schema version ${schemaVersion} but lacks ${missing.slice(0, 5).join(', ')}: not an hf-fidelity database.`,
    );
  }
  const orphans = db.pragma('foreign_key_check') as unknown[];
  if (orphans.length > 0) throw new BackupError(`${file} has ${orphans.length} row(s) that break foreign keys.`);
  return { file, sizeBytes: statSync(file).size, schemaVersion };
}

/**
 * Throws DatabaseInUseError when another connection has `databaseFile` open; its message tells the operator to stop
 * the server and then run `command` (the restore, mfa:reset) again.
 *
 * A plain BEGIN EXCLUSIVE is not enough: in WAL mode it succeeds next to an idle reader such as the
 * server between requests. In exclusive locking mode, though, a WAL connection must take the file's
 * EXCLUSIVE lock, which fails while any other connection holds the database open. The lock belongs to
 * the process, so it disappears with it: a crashed server (stale -wal and -shm files) does not count.
 */
export function assertDatabaseNotInUse(databaseFile: string, command = 'the restore'): void {
  if (existsSync(databaseFile)) withExclusiveAccess(databaseFile, () => undefined, command);
}

/**
 * For a tool that must run with the server stopped (the restore, mfa:reset): takes the database's lock, which the
 * server holds for its whole life from before it opens the database, then probes the database as
 * assertDatabaseNotInUse does, for a version from before the lock. The probe alone would pass a server that is
 * starting but has not opened the database yet; the lock also keeps a server from starting while the tool runs.
 * Throws DatabaseInUseError as the probe does. The caller releases the lock when done.
 */
export function lockDatabaseForTool(databaseFile: string, command = 'the restore'): DatabaseLock {
  let lock: DatabaseLock;
  try {
    lock = lockDatabase(databaseFile, 'tool');
  } catch (error) {
    throw error instanceof DatabaseLockedError ? inUseError(databaseFile, command) : error;
  }
  try {
    assertDatabaseNotInUse(databaseFile, command);
    return lock;
  } catch (error) {
    lock.release();
    throw error;
  }
}

function inUseError(databaseFile: string, command: string): DatabaseInUseError {
  return new DatabaseInUseError(
    `${databaseFile} is open in another process, most likely the running server. Stop the server first, then run ${command} again.`,
  );
}

/**
 * Replaces the installation's database with the backup at `backupFile`, after checking the backup, then
 * brings it to the current schema. The replaced database is kept as `<databaseFile>.before-restore-<time>`.
 * Refuses (DatabaseInUseError) while the server or anything else has the database open or its lock (database-lock.ts).
 */
export function restoreDatabase(
  backupFile: string,
  databaseFile: string,
  now: Date = new Date(),
  /** Looks at the restored copy, migrated, before it takes the database's place; what it returns are warnings. */
  checkRestored: (db: Db) => readonly string[] = () => [],
): RestoreResult {
  if (databaseFile === ':memory:')
    throw new BackupError('The configured database is in memory (:memory:); there is nothing on disk to restore into.');
  if (resolve(backupFile) === resolve(databaseFile)) throw new BackupError('The backup file is the database itself.');
  const backup = inspectDatabaseFile(backupFile);
  // Never a new installation where a mistyped DATA_DIR points: the folder is the server's, made when it was installed.
  if (!folderExists(dirname(databaseFile))) {
    throw new BackupError(
      `The database's folder ${dirname(databaseFile)} does not exist, so nothing was restored. Check DATA_DIR (or DATABASE_FILE) for a typo. ${describeCreatingDataFolder(dirname(databaseFile))}`,
    );
  }
  // Refuse early, before any copying, when the server is running; the database is probed again just before the swap.
  // The lock, held to the end, keeps a server from starting on the database meanwhile.
  const lock = lockDatabaseForTool(databaseFile);
  try {
    return swapInBackup(backupFile, databaseFile, backup, now, checkRestored);
  } finally {
    lock.release();
  }
}

/** The restore's work once the lock is held: copy and migrate the backup beside the database, then swap it in. */
function swapInBackup(
  backupFile: string,
  databaseFile: string,
  backup: DatabaseFileInfo,
  now: Date,
  checkRestored: (db: Db) => readonly string[],
): RestoreResult {
  // Copied and migrated under a temporary name next to the target, so a failure leaves the installation as it was.
  const restoringFile = `${databaseFile}.restoring-${process.pid}`;
  removeDatabaseFiles(restoringFile);
  let restored: DatabaseFileInfo;
  let warnings: string[];
  try {
    // Private from the start; given the replaced database's mode and owner below, before it takes its name.
    createPrivateFile(restoringFile);
    copyDatabase(backupFile, restoringFile);
    const db = openDatabase(restoringFile);
    let checked: readonly string[];
    try {
      migrate(db);
      restored = checkDatabase(db, restoringFile);
      checked = checkRestored(db);
    } finally {
      db.close();
    }
    warnings = [...matchOwnerAndMode(restoringFile, databaseFile), ...checked];
  } catch (error) {
    removeDatabaseFiles(restoringFile);
    if (error instanceof BackupError) throw error;
    // The restored copy is made beside the database, so a folder this user may not write is the database's message.
    const access = accessCode(error);
    if (access !== undefined) throw new ReadOnlyDatabaseError(databaseFile, access, 'tool');
    throw new BackupError(`The restore failed, nothing was changed: ${describeError(error)}`);
  }

  const previousFile = `${databaseFile}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  let hadDatabase = false;
  try {
    hadDatabase = moveDatabaseAside(databaseFile, previousFile);
    renameSync(restoringFile, databaseFile);
  } catch (error) {
    removeDatabaseFiles(restoringFile);
    if (error instanceof DatabaseInUseError) throw error;
    const kept = existsSync(previousFile) ? ` The previous database was moved to ${previousFile}; rename it back to undo.` : '';
    throw new BackupError(`The restore failed while swapping the files: ${describeError(error)}.${kept}`);
  }
  syncDirectory(dirname(databaseFile));
  return {
    databaseFile,
    previousFile: hadDatabase ? previousFile : undefined,
    backupSchemaVersion: backup.schemaVersion,
    schemaVersion: restored.schemaVersion,
    warnings,
  };
}

/**
 * Gives `file` the mode and owner of the database it is about to replace, so that the server, running as its
 * own user, can still write it, and the password hashes in it stay as private as they were. Without a previous
 * database the mode is 0600, and a restore run as root gives the file the owner of its folder (the data
 * directory belongs to the service user). Changing the owner is attempted only when it differs; where that is
 * not permitted (EPERM: only root may give a file away) the restore goes on and a warning says what to run.
 */
function matchOwnerAndMode(file: string, databaseFile: string): string[] {
  const previous = statIfExists(databaseFile);
  const warnings: string[] = [];
  const owner = previous ?? (isRoot() ? statSync(dirname(databaseFile)) : undefined);
  const current = statSync(file);
  if (owner && (owner.uid !== current.uid || owner.gid !== current.gid)) {
    try {
      chownSync(file, owner.uid, owner.gid);
    } catch (error) {
      if (!hasCode(error, ['EPERM'])) throw error;
      const whose = previous ? 'the database it replaced' : 'its folder';
      warnings.push(
        `${databaseFile} could not be given the owner of ${whose} (uid ${owner.uid}, gid ${owner.gid}): not permitted for this user. ` +
          `If the server runs as that user, it cannot write the database: run \`chown ${owner.uid}:${owner.gid} ${databaseFile}\` as root.`,
      );
    }
  }
  chmodSync(file, previous ? previous.mode & 0o777 : PRIVATE_FILE_MODE);
  return warnings;
}

function statIfExists(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    // ENOTDIR: a path below a file, which cannot exist either.
    if (hasCode(error, ['ENOENT', 'ENOTDIR'])) return undefined;
    throw error;
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function isDirectory(file: string): boolean {
  return statIfExists(file)?.isDirectory() ?? false;
}

/** Creates an empty file only its owner can read and write; fails if it exists. SQLite takes an empty file as an empty database. */
function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
}

/** Renames the database and its -wal/-shm to `previousFile`(-wal/-shm). Returns whether there was a database. */
function moveDatabaseAside(databaseFile: string, previousFile: string): boolean {
  const hadDatabase = existsSync(databaseFile);
  if (hadDatabase) {
    withExclusiveAccess(databaseFile, (live) => {
      // Folds committed -wal content into the main file, so the file kept aside is complete on its own.
      // If that fails (a damaged file), the -wal still moves aside with it below, paired by name.
      try {
        live.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // nothing is lost: see above
      }
    });
    renameSync(databaseFile, previousFile);
  }
  // A -wal or -shm left beside the restored file would be read as part of it. Closing the last connection
  // normally deletes them; whatever is left belongs to the old database and goes with it. A -shm without a
  // -wal is only an index of nothing (read-only connections, as the backup uses, leave one): dropped.
  if (!existsSync(`${databaseFile}-wal`)) rmSync(`${databaseFile}-shm`, { force: true });
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(`${databaseFile}${suffix}`)) renameSync(`${databaseFile}${suffix}`, `${previousFile}${suffix}`);
  }
  return hadDatabase;
}

function copyDatabase(sourceFile: string, targetFile: string): void {
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  try {
    // A backup file has no writer to keep up with, so VACUUM INTO does here: one synchronous statement
    // that writes a fresh, compact, consistent copy (user_version included), -wal content and all.
    source.prepare('VACUUM INTO ?').run(targetFile);
  } finally {
    source.close();
  }
}

/**
 * Runs `use` while holding the database's EXCLUSIVE lock. Returns false, without running `use`, when the file
 * cannot be opened as a database at all: the server cannot be running on it either, since it fails at startup.
 * A file this user may not open, or may open only read-only and so not lock, is a ReadOnlyDatabaseError naming it, the
 * user and the fix.
 */
function withExclusiveAccess(databaseFile: string, use: (db: Db) => void, command = 'the restore'): boolean {
  let db: Db | undefined;
  try {
    db = new Database(databaseFile, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    db?.close();
    if (hasCode(error, ['SQLITE_BUSY', 'SQLITE_LOCKED'])) throw inUseError(databaseFile, command);
    if (hasCode(error, ['SQLITE_NOTADB', 'SQLITE_CORRUPT'])) return false;
    const code = readOnlyLockCode(error, databaseFile);
    if (code !== undefined) throw new ReadOnlyDatabaseError(databaseFile, code, 'tool');
    throw error;
  }
  try {
    // In exclusive locking mode the lock outlives the transaction and is released only by close().
    use(db);
  } finally {
    db.close();
  }
  return true;
}

function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

function removeDatabaseFiles(file: string, suffixes: readonly string[] = ['', '-wal', '-shm', '-journal']): void {
  for (const suffix of suffixes) rmSync(`${file}${suffix}`, { force: true });
}

/** Makes the renames durable: a rename lives in the directory, which has its own data to flush. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot open or fsync a directory; the rename itself has still happened.
  }
}

/** Matches a primary SQLite result code and its extended codes (SQLITE_BUSY also matches SQLITE_BUSY_SNAPSHOT). */
export function hasCode(error: unknown, codes: readonly string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.some((c) => code === c || code.startsWith(`${c}_`));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
