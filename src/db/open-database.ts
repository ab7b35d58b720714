import { accessSync, closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { checkDatabaseIdentity } from './database-identity.js';

export type Db = Database.Database;

/**
 * The database file, one of its -wal and -shm files, or its folder cannot be written by this process: the server
 * and the command-line tools refuse to start on it rather than fail at the first save. `code` is SQLite's, so the
 * tools report it in one line like any other SQLite error an operator can fix.
 */
export class ReadOnlyDatabaseError extends Error {
  override name = 'ReadOnlyDatabaseError';
  readonly code: string;
  /** `opener`: who met it, which decides the fix (a tool is best run as the server's user, not given the files). */
  constructor(file: string, code: string, opener: DatabaseOpener = 'server') {
    super(describeReadOnly(file, code, opener));
    this.code = code;
  }
}

/** The server, or a command-line tool run by an operator, possibly as another user than the server's. */
export type DatabaseOpener = 'server' | 'tool';

/** What a tool's user does first: the server's own user may open the files, and giving them to another would lock the server out. */
const RUN_AS_SERVER_USER =
  "run the command as the server's user, who owns the data folder (e.g. sudo -u hf-fidelity …, with the server's DATA_DIR); if it runs as";

/** The OS user this process runs as: named in the file-permission messages, and in the audit entries of a command-line tool. */
export function runningUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'the server');
  }
}

/**
 * Why SQLite could not open a file beside a writable folder: the database (or its -wal, -shm or lock file) is a folder, or
 * exists but this process may not read and write it, as after a restore run as root leaves a file only root may open
 * (new files are 0600). Undefined when each is missing or may be opened, so the folder is the one to blame.
 */
function describeUnopenable(file: string, code: string, user: string, opener: DatabaseOpener): string | undefined {
  const dir = dirname(file);
  try {
    accessSync(dir, constants.X_OK);
  } catch (error) {
    // The folder may not be entered (a data folder of mode 0700 and another owner): no file in it can be reached.
    const reason = (error as { code?: unknown }).code;
    if (reason === 'EACCES' || reason === 'EPERM') {
      const giveFolder = `give that user the folder (e.g. chown ${user} ${dir} && chmod u+rwx ${dir})`;
      return (
        `Cannot open the database ${file}: its folder ${dir}${describeOwner(dir)} may not be entered by the user ${user} (${code}). ` +
        (opener === 'tool' ? `Fix: ${RUN_AS_SERVER_USER} ${user}, ${giveFolder}.` : `Fix: ${giveFolder}.`)
      );
    }
  }
  // `.lock`: the lock file beside it (database-lock.ts), which a tool run as root may have made and kept.
  for (const candidate of [file, `${file}-wal`, `${file}-shm`, `${file}.lock`]) {
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(candidate);
    } catch {
      continue;
    }
    if (stats.isDirectory()) {
      return (
        `Cannot open the database ${file}: ${candidate} is a folder, not a file (${code}). ` +
        `Fix: set DATABASE_FILE (or DATA_DIR) to the database file's path, or move that folder away.`
      );
    }
    try {
      accessSync(candidate, constants.R_OK | constants.W_OK);
    } catch (error) {
      // A read-only file system (EROFS) is the folder's message; only permissions are the file's.
      const reason = (error as { code?: unknown }).code;
      if (reason !== 'EACCES' && reason !== 'EPERM') return undefined;
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      const giveFiles = `give that user the database's files (e.g. chown ${user} ${file}* && chmod u+rw ${file}*)`;
      return (
        `Cannot open the database ${file}: the file ${candidate} (owner uid ${stats.uid}, mode ${mode}) may not be read and written by the user ${user} (${code}). ` +
        (opener === 'tool'
          ? `Fix: ${RUN_AS_SERVER_USER} ${user}, ${giveFiles}.`
          : `Fix: ${giveFiles}, as after a restore run as another user.`)
      );
    }
  }
  return undefined;
}

/** " (owner uid 0, mode 0700)", or nothing when even that cannot be read. */
export function describeOwner(path: string): string {
  try {
    const stats = statSync(path);
    return ` (owner uid ${stats.uid}, mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')})`;
  } catch {
    return '';
  }
}

/** File-system refusals (errno) that mean the same as SQLite's CANTOPEN: the folder may not be written. */
const FOLDER_ERRNO_CODES = ['EACCES', 'EPERM', 'EROFS'];

function describeReadOnly(file: string, code: string, opener: DatabaseOpener): string {
  const dir = dirname(file);
  const user = runningUser();
  const cannotOpen = code.startsWith('SQLITE_CANTOPEN') || FOLDER_ERRNO_CODES.includes(code);
  const unopenable = cannotOpen ? describeUnopenable(file, code, user, opener) : undefined;
  if (unopenable !== undefined) return unopenable;
  const runAs = opener === 'tool' ? `${RUN_AS_SERVER_USER} ${user}, ` : '';
  if (code === 'SQLITE_READONLY_DIRECTORY' || cannotOpen) {
    return (
      `Cannot write to the database ${file}: the folder ${dir} is not writable by the user ${user}, or its file system is read-only (${code}; SQLite keeps its -wal and -shm files beside the database). ` +
      `Fix: ${runAs}give that user write access to the folder and the file (e.g. chown ${user} ${dir} ${file}* && chmod u+rwx ${dir}), remount the file system read-write, or set DATA_DIR to a folder it may write.`
    );
  }
  return (
    `Cannot write to the database ${file}: the file, its -wal or -shm file, or the file system is read-only for the user ${user} (${code}). ` +
    `Fix: ${runAs}give that user write access (e.g. chown ${user} ${file}* && chmod u+rw ${file}*), remount the file system read-write, or set DATA_DIR to a writable folder.`
  );
}

/** A failure to open or write the file that file permissions or a read-only file system explain. */
export function readOnlyCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(READONLY|CANTOPEN)(_|$)/.test(code) ? code : undefined;
}

/**
 * readOnlyCode, and also SQLITE_IOERR_LOCK when this process may not write `file` or its folder: SQLite opens a file it
 * may not write read-only without a word, and a lock probe on it then fails with what reads as a disk error. The same
 * code on a writable file is a real I/O error, and stays one.
 */
export function readOnlyLockCode(error: unknown, file: string): string | undefined {
  const code = readOnlyCode(error);
  if (code !== undefined) return code;
  if ((error as { code?: unknown } | null)?.code !== 'SQLITE_IOERR_LOCK') return undefined;
  return isWritable(file) && isWritable(dirname(file)) ? undefined : 'SQLITE_IOERR_LOCK';
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a database this process cannot write. SQLite opens a file it may not write read-only without a word
 * (and BEGIN IMMEDIATE still succeeds), so the probe writes: the schema version, set to what it is, inside a
 * transaction that is rolled back, leaving the file as it was.
 */
function probeWrite(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  db.exec('BEGIN IMMEDIATE');
  try {
    // PRAGMA takes no bound parameters; version is the integer just read.
    db.pragma(`user_version = ${version}`);
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/**
 * A new database file is made readable by its owner only (0600), whatever the umask: it holds every account and review.
 * SQLite gives its -wal and -shm files the database's mode. An existing file keeps the mode it has.
 */
function createPrivately(file: string): void {
  if (file === ':memory:' || file === '' || existsSync(file)) return;
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    // Made by another process in between: it is there, with whatever mode that one gave it.
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
}

/**
 * Opens (and creates) a database file, or ':memory:', with the pragmas the app relies on. A database from a newer
 * version of the program, or a file that is not hf-fidelity's (ForeignDatabaseError), is refused before anything is
 * set on it (switching it to WAL would change the file), and so is a file this process cannot write
 * (ReadOnlyDatabaseError, naming the file and the fix).
 */
export function openDatabase(file: string): Db {
  let db: Db | undefined;
  try {
    createPrivately(file);
    db = new Database(file);
    checkDatabaseIdentity(db, file);
    setConnectionPragmas(db);
    if (file !== ':memory:') {
      db.pragma('journal_mode = WAL');
      // WAL quietly lowers synchronous to NORMAL; FULL keeps the last commits through a power loss.
      db.pragma('synchronous = FULL');
    }
    if (file !== ':memory:') probeWrite(db);
    return db;
  } catch (error) {
    if (db?.open) db.close();
    const code = readOnlyCode(error);
    throw code === undefined ? error : new ReadOnlyDatabaseError(file, code);
  }
}

/** What every connection is opened with, on a file or in memory. */
function setConnectionPragmas(db: Db): void {
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * An in-memory database made from an image of another (`db.serialize()`), with the same pragmas as openDatabase gives
 * ':memory:'. Tests copy one migrated image instead of running every migration for each new database.
 */
export function openMemoryImage(image: Buffer): Db {
  const db = new Database(image);
  setConnectionPragmas(db);
  return db;
}
