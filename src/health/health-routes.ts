// GET /healthz (the process is up and answering) and GET /readyz (the database is reachable and at the schema
// version this program expects), for container HEALTHCHECKs, load balancers and monitoring. Mounted before the
// session middleware, so a probe needs no session and creates none; the answers carry nothing but a status word,
// and the reason a check failed goes to the log only.
import { Router } from 'express';
import { SCHEMA_VERSION } from '../db/migrate.js';
import type { HealthStore } from './health-store.js';

export type HealthDependencies = {
  readonly health: HealthStore;
  readonly log: (line: string) => void;
};

const OK = { status: 'ok' } as const;
const UNAVAILABLE = { status: 'unavailable' } as const;
// Monitoring must always see the current state, never a cached answer.
const NO_STORE = 'no-store';

/** Why the database is not ready, or undefined when it is. */
function findUnreadiness(readSchemaVersion: () => number): string | undefined {
  let version: number;
  try {
    version = readSchemaVersion();
  } catch (error) {
    return `the database cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (version !== SCHEMA_VERSION) return `the database is at schema version ${version}, this program expects ${SCHEMA_VERSION}`;
  return undefined;
}

export function createHealthRouter({ health: store, log }: HealthDependencies): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', NO_STORE).json(OK);
  });
  let lastProblem: string | undefined;
  router.get('/readyz', (_req, res) => {
    const problem = findUnreadiness(store.readSchemaVersion);
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
