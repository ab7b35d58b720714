// GET /healthz (the process is up and answering) and GET /readyz (the database is still the file at its path, no
// request has met a damaged page in it, its tables are readable, it is at the schema version this program expects,
// its disk has room for sessions and saves, and no other process holds its write lock), for container HEALTHCHECKs,
// load balancers and monitoring. Mounted before the session middleware, so a probe needs no session and creates none;
// the answers carry nothing but a status word, and the reason a check failed goes to the log only.
import { Router } from 'express';
import { SCHEMA_VERSION } from '../db/migrate.js';
import { DAMAGE_ADVICE, type DatabaseDamage, isDatabaseDamage } from '../http/database-damage.js';
import { WRITE_LOCK_HELD } from '../http/storage-failure.js';
import type { DatabaseFileChange, HealthStore } from './health-store.js';

export type HealthDependencies = {
  readonly health: HealthStore;
  /** The damage requests have met (the error handler notes it): once there is some, the server is not ready. */
  readonly damage: DatabaseDamage;
  /** Where the line saying why it is not ready (warn) and the one saying it is ready again (info) go. */
  readonly log: { readonly warn: (line: string) => void; readonly info: (line: string) => void };
};

const OK = { status: 'ok' } as const;
const UNAVAILABLE = { status: 'unavailable' } as const;
// Monitoring must always see the current state, never a cached answer.
const NO_STORE = 'no-store';

/**
 * Below this much free space on the database's disk the server is not ready: a login writes a session, and a full
 * disk refuses every login and save (SQLITE_FULL) while the process itself still answers.
 */
export const MIN_FREE_BYTES = 64 * 1_048_576;

/**
 * How long the check waits for the write lock. The server's own writes wait 5 s (busy_timeout) and then fail; a lock
 * held longer than this is not a write of another tool's passing by but a program holding it (an sqlite3 shell left
 * inside a transaction). The probe blocks the server for at most this long, and only while the lock is held.
 */
export const WRITE_LOCK_WAIT_MS = 200;

/** What is wrong when the database's path no longer leads to the file the server has open, which it goes on using. */
function describeFileChange({ kind, file }: DatabaseFileChange): string {
  const see = '(docs/operations.md#the-database-file-deleted-or-replaced)';
  return kind === 'missing'
    ? `the database file ${file} is missing: it was deleted or moved while the server runs. The server still saves into the file it opened, which a restart will not find: move the file back if it was moved (this check then passes again); if it was deleted, copy it out before stopping the server ${see}`
    : `the database file ${file} is no longer the file the server opened: another file was put at its path while the server runs. The server still saves into the file it opened, not into that one: put the original back (this check then passes again), or stop the server and choose which file to keep ${see}`;
}

function describeDamage(found: string): string {
  return `the database is damaged: ${DAMAGE_ADVICE} (${found}); the server is not ready until it is restarted`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why the database is not ready, or undefined when it is. */
function findUnreadiness(store: HealthStore, damage: DatabaseDamage): string | undefined {
  let change: DatabaseFileChange | undefined;
  try {
    change = store.findFileChange();
  } catch (error) {
    return `the database file cannot be checked: ${messageOf(error)}`;
  }
  if (change !== undefined) return describeFileChange(change);
  const found = damage.found();
  if (found !== undefined) return describeDamage(found);
  let version: number;
  let free: number | undefined;
  try {
    version = store.readSchemaVersion();
    free = store.readFreeBytes();
  } catch (error) {
    // Damage the check's own read met counts as a request's would: not ready from now on.
    if (isDatabaseDamage(error)) {
      damage.note(error);
      return describeDamage(damage.found() ?? messageOf(error));
    }
    return `the database cannot be read: ${messageOf(error)}`;
  }
  if (version !== SCHEMA_VERSION) return `the database is at schema version ${version}, this program expects ${SCHEMA_VERSION}`;
  if (free !== undefined && free < MIN_FREE_BYTES) {
    return `the disk holding the database has ${Math.floor(free / 1_048_576)} MB free (below ${MIN_FREE_BYTES / 1_048_576} MB): logins and saves fail when it is full; free space on it (docs/operations.md#health-checks)`;
  }
  let writable: boolean;
  try {
    writable = store.canTakeWriteLock(WRITE_LOCK_WAIT_MS);
  } catch (error) {
    return `the database cannot take a write: ${messageOf(error)}`;
  }
  if (!writable) {
    return `${WRITE_LOCK_HELD}: it was not let go within ${WRITE_LOCK_WAIT_MS} ms, and logins and saves fail while it is held; end that program's transaction or close it (docs/operations.md#health-checks)`;
  }
  return undefined;
}

export function createHealthRouter({ health: store, damage, log }: HealthDependencies): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', NO_STORE).json(OK);
  });
  let lastProblem: string | undefined;
  router.get('/readyz', (_req, res) => {
    const problem = findUnreadiness(store, damage);
    // Logged once when it starts (and when it changes), not on every probe; and once when it is over.
    if (problem !== lastProblem && problem !== undefined) log.warn(`readyz: not ready: ${problem}`);
    if (problem === undefined && lastProblem !== undefined) log.info(`readyz: ready again (it was not: ${lastProblem})`);
    lastProblem = problem;
    res
      .status(problem === undefined ? 200 : 503)
      .set('Cache-Control', NO_STORE)
      .json(problem === undefined ? OK : UNAVAILABLE);
  });
  return router;
}
