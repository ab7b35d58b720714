// One-time setup links for creating the first administrator. Only a hash of the token is stored.
import { createHash, randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';

const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type SetupStore = ReturnType<typeof createSetupStore>;

export function createSetupStore(db: Db, clock: Clock = systemClock) {
  const insertStmt = db.prepare('INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)');
  const findStmt = db.prepare('SELECT 1 FROM setup_tokens WHERE token_hash = ? AND expires_at > ?');
  const clearStmt = db.prepare('DELETE FROM setup_tokens');
  return {
    /** Issues a new token; earlier ones stay valid until they expire or an administrator exists. */
    issueSetupToken: (now = clock().getTime()): string => {
      const token = randomBytes(32).toString('base64url');
      insertStmt.run(hashToken(token), now + SETUP_TOKEN_TTL_MS);
      return token;
    },
    isValidSetupToken: (token: string, now = clock().getTime()): boolean => findStmt.get(hashToken(token), now) !== undefined,
    clearSetupTokens: (): void => {
      clearStmt.run();
    },
  };
}
