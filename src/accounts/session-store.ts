// express-session store on the app's own SQLite connection (the published SQLite stores are stale or use other drivers).
import session from 'express-session';
import type { Db } from '../db/open-database.js';

type Callback = (err?: unknown) => void;

/** touch() writes only once the expiry has moved by this much (or a tenth of the idle limit, if that is shorter). */
const TOUCH_GRANULARITY_MS = 60_000;
/** Expired sessions are deleted on the next write once this long has passed since the last purge. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * Sessions of nobody yet: a login form's (its CSRF token), a second factor or a single sign-on under way, the login of a
 * form posted after its session ended. Anyone can make one without a password, one per request without a cookie, so
 * they are kept for a shorter time than a login's, and only so many: beyond `limit`, the longest unused go first.
 */
export type AnonymousSessionLimits = {
  /** Unused for this long (or the idle limit, if shorter), the session ends: a login form open for an hour still logs in. */
  readonly idleMs: number;
  /** At most this many are kept. */
  readonly limit: number;
};

/**
 * An hour: a login form left open over a meeting still works, and a form older than that gets the "form expired,
 * reload" page. A thousand: far more login forms than an installation has open in an hour (each browser keeps its
 * own one across reloads), and about 0.3 MB of rows.
 */
export const ANONYMOUS_SESSIONS: AnonymousSessionLimits = { idleMs: 60 * 60_000, limit: 1_000 };

/**
 * Sessions expire on the server once idle for idleMs: every save or touch moves the expiry to now + idleMs
 * (the cookie itself carries no expiry), and get() refuses and deletes a session past it. Expired sessions are
 * purged by the writes themselves, at most once a minute: no timer to stop, and nothing piles up without writes.
 * A session without a user follows `anonymous` instead: a shorter idle limit, and a cap on how many are kept, so
 * requests without a cookie (a scanner on GET /login) cannot fill the disk.
 */
export function createSqliteSessionStore(
  db: Db,
  idleMs: number,
  now: () => number = Date.now,
  anonymous: AnonymousSessionLimits = ANONYMOUS_SESSIONS,
): session.Store {
  const getStmt = db.prepare('SELECT data, expires_at FROM sessions WHERE sid = ?');
  // user_id mirrors the session's userId (migration 9), so a user's sessions are found through an index.
  const setStmt = db.prepare(
    `INSERT INTO sessions (sid, data, expires_at, user_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, user_id = excluded.user_id`,
  );
  const touchStmt = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?');
  const destroyStmt = db.prepare('DELETE FROM sessions WHERE sid = ?');
  const pruneStmt = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  // Keeps the `limit` most recently used sessions without a user, the one just written (`sid`) among them: the others
  // go, the longest unused first. rowid breaks ties of the same millisecond, newest written kept.
  const capAnonymousStmt = db.prepare(
    `DELETE FROM sessions WHERE sid IN (
       SELECT sid FROM sessions WHERE user_id IS NULL AND sid <> ? ORDER BY expires_at DESC, rowid DESC LIMIT -1 OFFSET ?)`,
  );
  let lastPurgeAt = Number.NEGATIVE_INFINITY;
  // The expiry last written per session id, so touch() can skip writes that change almost nothing.
  const touchedExpiry = new Map<string, number>();

  const anonymousIdleMs = Math.min(idleMs, anonymous.idleMs);
  const userIdOf = (sess: session.SessionData): number | null => (typeof sess.userId === 'number' ? sess.userId : null);
  const nextExpiry = (sess: session.SessionData): number => now() + (userIdOf(sess) === null ? anonymousIdleMs : idleMs);
  const touchGranularityMs = Math.min(TOUCH_GRANULARITY_MS, idleMs / 10);
  const purgeIfDue = (): void => {
    const at = now();
    if (at - lastPurgeAt < PURGE_INTERVAL_MS) return;
    lastPurgeAt = at;
    pruneStmt.run(at);
  };

  // express-session only accepts a subclass of its Store (the one class we write besides errors).
  class SqliteSessionStore extends session.Store {
    override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
      try {
        const row = getStmt.get(sid) as { data: string; expires_at: number } | undefined;
        if (!row) {
          callback(null, null);
          return;
        }
        if (row.expires_at <= now()) {
          destroyStmt.run(sid);
          callback(null, null);
          return;
        }
        callback(null, JSON.parse(row.data) as session.SessionData);
      } catch (error) {
        callback(error);
      }
    }

    override set(sid: string, sess: session.SessionData, callback?: Callback): void {
      try {
        const expiry = nextExpiry(sess);
        const userId = userIdOf(sess);
        setStmt.run(sid, JSON.stringify(sess), expiry, userId);
        touchedExpiry.set(sid, expiry);
        if (userId === null) capAnonymousStmt.run(sid, anonymous.limit - 1);
        purgeIfDue();
        callback?.();
      } catch (error) {
        callback?.(error);
      }
    }

    override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
      try {
        // express-session touches on every request. Moving the expiry by seconds is not worth a synced disk
        // write per page view, so only write once it has moved by a minute (or a tenth of the idle limit) or more.
        const expiry = nextExpiry(sess);
        const stored = touchedExpiry.get(sid);
        if (stored !== undefined && expiry - stored < touchGranularityMs) {
          callback?.();
          return;
        }
        touchStmt.run(expiry, sid);
        touchedExpiry.set(sid, expiry);
        if (touchedExpiry.size > 10_000) touchedExpiry.clear();
        purgeIfDue();
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

/** Deletes a user's sessions but one, through the index on user_id (exported so a test can check the query plan). */
export const END_SESSIONS_OF_USER_SQL = 'DELETE FROM sessions WHERE user_id = ? AND sid IS NOT ?';

/** Ends sessions from outside a request: when an administrator sets a user's password, the user's other logins end. */
export function createSessionRevoker(db: Db) {
  const endOfUserStmt = db.prepare(END_SESSIONS_OF_USER_SQL);
  return {
    /** Deletes every session logged in as this user, but keepSid (the administrator's own, when they change their own password). */
    endSessionsOf: (userId: number, keepSid?: string): number => endOfUserStmt.run(userId, keepSid ?? null).changes,
  };
}

export type SessionRevoker = ReturnType<typeof createSessionRevoker>;
