// express-session store on the app's own SQLite connection (the published SQLite stores are stale or use other drivers).
import session from 'express-session';
import type { Db } from '../db/open-database.js';

type Callback = (err?: unknown) => void;

/** touch() writes only once the expiry has moved by this much (or a tenth of the idle limit, if that is shorter). */
const TOUCH_GRANULARITY_MS = 60_000;

/**
 * Sessions expire on the server once idle for idleMs: every save or touch moves the expiry to now + idleMs
 * (the cookie itself carries no expiry), and get() refuses and deletes a session past it.
 */
export function createSqliteSessionStore(db: Db, idleMs: number, now: () => number = Date.now): session.Store {
  const getStmt = db.prepare('SELECT data, expires_at FROM sessions WHERE sid = ?');
  const setStmt = db.prepare(
    'INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at',
  );
  const touchStmt = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?');
  const destroyStmt = db.prepare('DELETE FROM sessions WHERE sid = ?');
  const pruneStmt = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  let writesSincePrune = 0;
  // The expiry last written per session id, so touch() can skip writes that change almost nothing.
  const touchedExpiry = new Map<string, number>();

  const nextExpiry = (): number => now() + idleMs;
  const touchGranularityMs = Math.min(TOUCH_GRANULARITY_MS, idleMs / 10);

  // express-session only accepts a subclass of its Store (the one class we write besides errors).
  class SqliteSessionStore extends session.Store {
    override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
      try {
        const row = getStmt.get(sid) as { data: string; expires_at: number } | undefined;
        if (!row) return callback(null, null);
        if (row.expires_at <= now()) {
          destroyStmt.run(sid);
          return callback(null, null);
        }
        callback(null, JSON.parse(row.data) as session.SessionData);
      } catch (error) {
        callback(error);
      }
    }

    override set(sid: string, sess: session.SessionData, callback?: Callback): void {
      try {
        const expiry = nextExpiry();
        setStmt.run(sid, JSON.stringify(sess), expiry);
        touchedExpiry.set(sid, expiry);
        if (++writesSincePrune >= 100) {
          writesSincePrune = 0;
          pruneStmt.run(now());
        }
        callback?.();
      } catch (error) {
        callback?.(error);
      }
    }

    override touch(sid: string, _sess: session.SessionData, callback?: Callback): void {
      try {
        // express-session touches on every request. Moving the expiry by seconds is not worth a synced disk
        // write per page view, so only write once it has moved by a minute (or a tenth of the idle limit) or more.
        const expiry = nextExpiry();
        const stored = touchedExpiry.get(sid);
        if (stored !== undefined && expiry - stored < touchGranularityMs) return callback?.();
        touchStmt.run(expiry, sid);
        touchedExpiry.set(sid, expiry);
        if (touchedExpiry.size > 10_000) touchedExpiry.clear();
        callback?.();
      } catch (error) {
        callback?.(error);
      }
    }

    override destroy(sid: string, callback?: Callback): void {
      try {
        destroyStmt.run(sid);
        touchedExpiry.delete(sid);
        callback?.();
      } catch (error) {
        callback?.(error);
      }
    }
  }

  return new SqliteSessionStore();
}

/** Ends sessions from outside a request: when an administrator sets a user's password, the user's other logins end. */
export function createSessionRevoker(db: Db) {
  const endOfUserStmt = db.prepare("DELETE FROM sessions WHERE json_extract(data, '$.userId') = ? AND sid IS NOT ?");
  return {
    /** Deletes every session logged in as this user, but keepSid (the administrator's own, when they change their own password). */
    endSessionsOf: (userId: number, keepSid?: string): number => endOfUserStmt.run(userId, keepSid ?? null).changes,
  };
}

export type SessionRevoker = ReturnType<typeof createSessionRevoker>;
