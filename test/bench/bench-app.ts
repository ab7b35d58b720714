// The app the page benchmark loads: a temporary SQLite file filled with generated data, and createApp over it with
// the production settings that matter for speed (view cache on, no request log). Served by bench-server.ts; built
// in-process by profile-pages.ts to count each page's SQL statements.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import { createApp } from '../../src/app.js';
import { defaultHttpConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createLogger } from '../../src/http/logger.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { createServices } from '../../src/services.js';
import { type BenchData, DEFAULT_BENCH_DATA, fillBenchDatabase } from './bench-data.js';

const RUBRICS_DIR = fileURLToPath(new URL('../../rubrics', import.meta.url));

export type BenchApp = {
  readonly app: express.Express;
  readonly db: Db;
  readonly data: BenchData;
  /** Stops the services' worker pools, closes the database and removes its temporary folder. */
  readonly dispose: () => Promise<void>;
};

export async function createBenchApp(): Promise<BenchApp> {
  const dir = mkdtempSync(join(tmpdir(), 'hf-fidelity-bench-'));
  const db = openDatabase(join(dir, 'bench.sqlite'));
  migrate(db);
  const rubrics = loadRubrics(RUBRICS_DIR);
  const rubric = rubrics.get('bostad-forst');
  if (!rubric) throw new Error('the shipped rubric bostad-forst is missing');
  const data = await fillBenchDatabase(db, rubric, DEFAULT_BENCH_DATA);
  const config = { ...defaultHttpConfig({ viewCache: true, logRequests: false }), sessionSecret: randomBytes(32).toString('hex') };
  const services = createServices(db, config, { rubrics });
  const app = createApp({
    services,
    config,
    // Log lines on stderr: stdout carries the BENCH-READY line the load generator reads.
    logger: createLogger({ format: 'json', level: 'info' }, { destination: { write: (line: string) => process.stderr.write(line) } }),
  });
  const dispose = async () => {
    await services.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { app, db, data, dispose };
}
