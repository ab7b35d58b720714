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

const SESSION_SECRET_SETTING = 'session_secret';

/** Where the session cookies' secret came from at this start: never its value. */
export type SessionSecretSource = 'environment' | 'stored' | 'generated';

/**
 * The session secret given in the environment, or one generated on first start and kept in the database.
 *
 * A generated secret left in the database once SESSION_SECRET is set would come back, unannounced, the day the
 * variable goes missing (a lost settings file, a unit without it): perhaps the very secret SESSION_SECRET was set to
 * replace. So a start with SESSION_SECRET deletes the stored one (it signs nothing any more), and `log` is told which
 * source signs the cookies, and of the deletion.
 */
export function resolveSessionSecret(db: Db, fromEnv: string | undefined, log?: (line: string) => void): string {
  const { secret, source, deletedStored } = resolveSessionSecretSource(db, fromEnv);
  log?.(describeSessionSecretSource(source, deletedStored));
  return secret;
}

function resolveSessionSecretSource(
  db: Db,
  fromEnv: string | undefined,
): { readonly secret: string; readonly source: SessionSecretSource; readonly deletedStored: boolean } {
  if (fromEnv !== undefined) {
    const deleted = db.prepare('DELETE FROM app_settings WHERE key = ?').run(SESSION_SECRET_SETTING).changes > 0;
    return { secret: fromEnv, source: 'environment', deletedStored: deleted };
  }
  const stored = db.prepare('SELECT 1 FROM app_settings WHERE key = ?').get(SESSION_SECRET_SETTING) !== undefined;
  return { secret: resolveStoredSecret(db, SESSION_SECRET_SETTING, 48), source: stored ? 'stored' : 'generated', deletedStored: false };
}

/** The start's line about the session secret: where it came from, in fixed words. */
function describeSessionSecretSource(source: SessionSecretSource, deletedStored: boolean): string {
  switch (source) {
    case 'environment':
      return deletedStored
        ? 'Session cookies are signed with SESSION_SECRET from the environment; the secret generated on an earlier start was deleted from the database, so it cannot come back should SESSION_SECRET go missing (docs/operations.md#the-session-secret).'
        : 'Session cookies are signed with SESSION_SECRET from the environment.';
    case 'stored':
      return 'Session cookies are signed with the secret generated on the first start and kept in the database (SESSION_SECRET is not set; docs/operations.md#the-session-secret).';
    case 'generated':
      return 'Session cookies are signed with a secret generated now and kept in the database (SESSION_SECRET is not set; docs/operations.md#the-session-secret).';
  }
}
