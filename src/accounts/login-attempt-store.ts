// Failed-login counters in SQLite, so a lock-out survives a restart. Keys arrive already hashed (login-throttle.ts):
// people sometimes type their password into the email field, and a failed attempt must not keep it in clear.
import type { Db } from '../db/open-database.js';

/** The failures counted for one account or client address. Times are milliseconds since the epoch. */
export type FailureCounter = {
  readonly failures: number;
  readonly windowStartedAt: number;
  readonly lockedUntil: number | undefined;
  /** When the row no longer matters (window and lock both over) and may be deleted. */
  readonly expiresAt: number;
};

export type CounterUpdate = {
  readonly key: string;
  readonly next: (current: FailureCounter | undefined) => FailureCounter;
};

type CounterRow = { failures: number; window_started_at: number; locked_until: number | null; expires_at: number };

function toCounter(row: CounterRow): FailureCounter {
  return {
    failures: row.failures,
    windowStartedAt: row.window_started_at,
    lockedUntil: row.locked_until ?? undefined,
    expiresAt: row.expires_at,
  };
}

export type LoginAttemptStore = ReturnType<typeof createLoginAttemptStore>;

export function createLoginAttemptStore(db: Db) {
  const findStmt = db.prepare('SELECT failures, window_started_at, locked_until, expires_at FROM login_attempts WHERE key = ?');
  const saveStmt = db.prepare(
    `INSERT INTO login_attempts (key, failures, window_started_at, locked_until, expires_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at,
       locked_until = excluded.locked_until, expires_at = excluded.expires_at`,
  );
  const deleteStmt = db.prepare('DELETE FROM login_attempts WHERE key = ?');
  const pruneStmt = db.prepare('DELETE FROM login_attempts WHERE expires_at <= ?');

  const findCounter = (key: string): FailureCounter | undefined => {
    const row = findStmt.get(key) as CounterRow | undefined;
    return row ? toCounter(row) : undefined;
  };

  // Read, compute and write in one transaction, so failures arriving together are all counted.
  const updateCounters = db.transaction((updates: readonly CounterUpdate[], now: number): FailureCounter[] => {
    pruneStmt.run(now);
    return updates.map(({ key, next }) => {
      const counter = next(findCounter(key));
      saveStmt.run(key, counter.failures, counter.windowStartedAt, counter.lockedUntil ?? null, counter.expiresAt);
      return counter;
    });
  });

  return {
    findCounter,
    /** Applies each update to its counter; also forgets every counter that has expired. */
    updateCounters: (updates: readonly CounterUpdate[], now: number): FailureCounter[] => updateCounters(updates, now),
    deleteCounter: (key: string): void => {
      deleteStmt.run(key);
    },
  };
}
