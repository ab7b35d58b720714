// GET /healthz (the process is up and answering) and GET /readyz (the database is still the file at its path, its
// tables are readable, it is at the schema version this program expects, and its disk has room for sessions and
// saves), for container HEALTHCHECKs, load balancers
// and monitoring. Mounted before the session middleware, so a probe needs no session and creates none; the answers
// carry nothing but a status word, and the reason a check failed goes to the log only.
import { Router } from 'express';
import { SCHEMA_VERSION } from '../db/migrate.js';
import type { DatabaseFileChange, HealthStore } from './health-store.js';

export type HealthDependencies = {
  readonly health: HealthStore;
  readonly log: (line: string) => void;
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

/** What is wrong when the database's path no longer leads to the file the server has open, which it goes on using. */
function describeFileChange({ kind, file }: DatabaseFileChange): string {
  const see = '(docs/operations.md#the-database-file-deleted-or-replaced)';
  return kind === 'missing'
    ? `the database file ${file} is missing: it was deleted or moved while the server runs. The server still saves into the file it opened, which a restart will not find: move the file back if it was moved (this check then passes again); if it was deleted, copy it out before stopping the server ${see}`
    : `the database file ${file} is no longer the file the server opened: another file was put at its path while the server runs. The server still saves into the file it opened, not into that one: put the original back (this check then passes again), or stop the server and choose which file to keep ${see}`;
}

/** Why the database is not ready, or undefined when it is. */
function findUnreadiness(store: HealthStore): string | undefined {
  let change: DatabaseFileChange | undefined;
  try {
    change = store.findFileChange();
  } catch (error) {
    return `the database file cannot be checked: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (change !== undefined) return describeFileChange(change);
  let version: number;
  let free: number | undefined;
  try {
    version = store.readSchemaVersion();
    free = store.readFreeBytes();
  } catch (error) {
    return `the database cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (version !== SCHEMA_VERSION) return `the database is at schema version ${version}, this program expects ${SCHEMA_VERSION}`;
  if (free !== undefined && free < MIN_FREE_BYTES) {
    return `the disk holding the database has ${Math.floor(free / 1_048_576)} MB free (below ${MIN_FREE_BYTES / 1_048_576} MB): logins and saves fail when it is full; free space on it (docs/operations.md#health-checks)`;
  }
  return undefined;
}

export function createHealthRouter({ health: store, log }: HealthDependencies): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', NO_STORE).json(OK);
  });
  let lastProblem: string | undefined;
  router.get('/readyz', (_req, res) => {
    const problem = findUnreadiness(store);
    // Logged once when it starts (and when it changes), not on every probe.
    if (problem !== lastProblem && problem !== undefined) log(`readyz: not ready: ${problem}`);
    lastProblem = problem;
    res
      .status(problem === undefined ? 200 : 503)
      .set('Cache-Control', NO_STORE)
      .json(problem === undefined ? OK : UNAVAILABLE);
  });
  return router;
}
