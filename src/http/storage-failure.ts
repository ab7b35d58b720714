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

/** Which storage failure an error is (better-sqlite3's SqliteError code, extended codes included), if any. */
export function storageFailureOf(error: unknown): StorageFailure | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  for (const [primary, failure] of FAILURES) {
    if (code === primary || code.startsWith(`${primary}_`)) return failure;
  }
  return undefined;
}
