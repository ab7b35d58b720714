// Login-attempt counters in SQLite, so a lock-out survives a restart. Keys arrive already hashed (login-throttle.ts):
// people sometimes type their password into the email field, and a failed attempt must not keep it in clear.
import type { Db } from '../db/open-database.js';

/** The attempts counted for one account or client address. Times are milliseconds since the epoch. */
export type FailureCounter = {
  readonly failures: number;
  readonly windowStartedAt: number;
  readonly lockedUntil: number | undefined;
  /** When the row no longer matters (window and lock both over) and may be deleted. */
  readonly expiresAt: number;
};

/** What to write for one key: its new counter, or undefined to delete it. */
export type CounterChange = { readonly key: string; readonly counter: FailureCounter | undefined };

/** The changes to write, and what to answer once they are written. */
export type CounterDecision<T> = { readonly changes: readonly CounterChange[]; readonly result: T };

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

  // Read, decide and write in one transaction: attempts arriving together each see the counts the one before wrote,
  // so no two of them can both take the last place under a limit.
  const changeCounters = db.transaction(
    (
      keys: readonly string[],
      now: number,
      decide: (current: readonly (FailureCounter | undefined)[]) => CounterDecision<unknown>,
    ): unknown => {
      pruneStmt.run(now);
      const { changes, result } = decide(keys.map(findCounter));
      for (const { key, counter } of changes) {
        if (counter === undefined) deleteStmt.run(key);
        else saveStmt.run(key, counter.failures, counter.windowStartedAt, counter.lockedUntil ?? null, counter.expiresAt);
      }
      return result;
    },
  );

  return {
    findCounter,
    /**
     * Reads the counters of keys (in that order), lets decide say what to write, and writes it, in one transaction;
     * returns decide's result. Also forgets every counter that has expired. decide must not await.
     */
    changeCounters: <T>(
      keys: readonly string[],
      now: number,
      decide: (current: readonly (FailureCounter | undefined)[]) => CounterDecision<T>,
    ): T =>
      // The cast: the transaction wrapper cannot carry decide's type parameter, and returns exactly what decide did.
      changeCounters(keys, now, decide) as T,
    deleteCounter: (key: string): void => {
      deleteStmt.run(key);
    },
  };
}
