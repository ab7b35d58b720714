// express-session store on the app's own SQLite connection (the published SQLite stores are stale or use other drivers).
import session from 'express-session';
import type { Db } from '../db/open-database.js';

type Callback = (err?: unknown) => void;

export function createSqliteSessionStore(db: Db, fallbackTtlMs: number): session.Store {
  const getStmt = db.prepare('SELECT data, expires_at FROM sessions WHERE sid = ?');
  const setStmt = db.prepare(
    'INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at',
  );
  const touchStmt = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?');
  const destroyStmt = db.prepare('DELETE FROM sessions WHERE sid = ?');
  const pruneStmt = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  let writesSincePrune = 0;

  const expiryOf = (sess: session.SessionData): number => {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + fallbackTtlMs;
  };

  // express-session only accepts a subclass of its Store (the one class we write besides errors).
  class SqliteSessionStore extends session.Store {
    override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
      try {
        const row = getStmt.get(sid) as { data: string; expires_at: number } | undefined;
        if (!row) return callback(null, null);
        if (row.expires_at <= Date.now()) {
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
        setStmt.run(sid, JSON.stringify(sess), expiryOf(sess));
        if (++writesSincePrune >= 100) {
          writesSincePrune = 0;
          pruneStmt.run(Date.now());
        }
        callback?.();
      } catch (error) {
        callback?.(error);
      }
    }

    override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
      try {
        touchStmt.run(expiryOf(sess), sid);
        callback?.();
      } catch (error) {
        callback?.(error);
      }
    }

    override destroy(sid: string, callback?: Callback): void {
      try {
        destroyStmt.run(sid);
        callback?.();
      } catch (error) {
        callback?.(error);
      }
    }
  }

  return new SqliteSessionStore();
}
