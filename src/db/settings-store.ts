import { randomBytes } from 'node:crypto';
import type { Db } from './open-database.js';

/** A secret kept in app_settings under `key`: the one stored, or a new one of `bytes` random bytes, stored once. */
export function resolveStoredSecret(db: Db, key: string, bytes: number): string {
  const read = db.prepare('SELECT value FROM app_settings WHERE key = ?');
  const row = read.get(key) as { value: string } | undefined;
  if (row) return row.value;
  // OR IGNORE: another process may have stored one meanwhile; the stored one wins.
  db.prepare('INSERT OR IGNORE INTO app_settings (key, value) VALUES (?, ?)').run(key, randomBytes(bytes).toString('base64url'));
  return (read.get(key) as { value: string }).value;
}

/** The session secret given in the environment, or one generated on first start and kept in the database. */
export function resolveSessionSecret(db: Db, fromEnv: string | undefined): string {
  return fromEnv ?? resolveStoredSecret(db, 'session_secret', 48);
}
