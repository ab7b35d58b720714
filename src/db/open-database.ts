import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Opens (and creates) a database file, or ':memory:', with the pragmas the app relies on. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  if (file !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // WAL quietly lowers synchronous to NORMAL; FULL keeps the last commits through a power loss.
    db.pragma('synchronous = FULL');
  }
  db.pragma('busy_timeout = 5000');
  return db;
}
