// A write the database could not make because of the machine, not the request: the disk is full, the file or
// its folder is read-only, the disk failed, or another program held the database's write lock past the busy timeout
// (five seconds: a maintenance tool, an sqlite3 shell left in a transaction). Nothing of such a write is stored (its
// transaction rolled back).
export type StorageFailure = 'full' | 'read-only' | 'io' | 'busy';

const FAILURES: readonly (readonly [string, StorageFailure])[] = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
];

/**
 * The likely cause of SQLITE_BUSY, for the log: the server is the only writer of its own, so a lock held past the busy
 * timeout is another program's, most often one an operator left inside a transaction.
 */
export const WRITE_LOCK_HELD = 'another process holds a write lock on the database (a sqlite3 shell or a database browser?)';

/** Whether an error is SQLITE_BUSY (with its extended codes): another connection held the lock past the busy timeout. */
export function isWriteLockHeld(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_BUSY(_|$)/.test(code);
}

/** Which storage failure an error is (better-sqlite3's SqliteError code, extended codes included), if any. */
export function storageFailureOf(error: unknown): StorageFailure | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  for (const [primary, failure] of FAILURES) {
    if (code === primary || code.startsWith(`${primary}_`)) return failure;
  }
  return undefined;
}
