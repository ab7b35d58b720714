import { randomBytes } from 'node:crypto';
import type { Db } from './open-database.js';

/** The session secret given in the environment, or one generated on first start and kept in the database. */
export function resolveSessionSecret(db: Db, fromEnv: string | undefined): string {
  if (fromEnv !== undefined) return fromEnv;
  const row = db.prepare("SELECT value FROM app_settings WHERE key = 'session_secret'").get() as { value: string } | undefined;
  if (row) return row.value;
  const secret = randomBytes(48).toString('base64url');
  db.prepare("INSERT INTO app_settings (key, value) VALUES ('session_secret', ?)").run(secret);
  return secret;
}
