import Database from 'better-sqlite3';
import { NewerSchemaError, SCHEMA_VERSION } from './migrate.js';

export type Db = Database.Database;

/**
 * Opens (and creates) a database file, or ':memory:', with the pragmas the app relies on. A database from a newer
 * version of the program is refused before anything is set on it (switching it to WAL would change the file).
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new NewerSchemaError(version, file);
  }
  db.pragma('foreign_keys = ON');
  if (file !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // WAL quietly lowers synchronous to NORMAL; FULL keeps the last commits through a power loss.
    db.pragma('synchronous = FULL');
  }
  db.pragma('busy_timeout = 5000');
  return db;
}
