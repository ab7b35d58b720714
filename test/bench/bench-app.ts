// The app the page benchmark loads: a temporary SQLite file filled with generated data, and createApp over it with
// the production settings that matter for speed (view cache on, no request log). Served by bench-server.ts; built
// in-process by profile-pages.ts to count each page's SQL statements.
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** What the benchmark takes from the app: from the sources, or from a build of them (bench-build.ts). */
type AppModules = {
  readonly createApp: typeof createApp;
  readonly createServices: typeof createServices;
  readonly defaultHttpConfig: typeof defaultHttpConfig;
  readonly createLogger: typeof createLogger;
  readonly loadRubrics: typeof loadRubrics;
};

async function loadAppModules(build: string | undefined): Promise<AppModules> {
  if (build === undefined) return { createApp, createServices, defaultHttpConfig, createLogger, loadRubrics };
  // The build is the same code compiled: its modules have the sources' types.
  const load = <T>(file: string) => import(pathToFileURL(join(build, file)).href) as Promise<T>;
  const [app, services, config, logger, rubrics] = await Promise.all([
    load<typeof import('../../src/app.js')>('app.js'),
    load<typeof import('../../src/services.js')>('services.js'),
    load<typeof import('../../src/config.js')>('config.js'),
    load<typeof import('../../src/http/logger.js')>('http/logger.js'),
    load<typeof import('../../src/rubrics/load-rubrics.js')>('rubrics/load-rubrics.js'),
  ]);
  return {
    createApp: app.createApp,
    createServices: services.createServices,
    defaultHttpConfig: config.defaultHttpConfig,
    createLogger: logger.createLogger,
    loadRubrics: rubrics.loadRubrics,
  };
}

/**
 * The app over a temporary database filled with the benchmark's data. With `build` (a folder from buildForBench), the
 * app, its services and the rubrics come from the build, as in production; the data is written by the sources' stores.
 */
export async function createBenchApp(options: { readonly build?: string | undefined } = {}): Promise<BenchApp> {
  const { createApp, createServices, defaultHttpConfig, createLogger, loadRubrics } = await loadAppModules(options.build);
  const dir = mkdtempSync(join(tmpdir(), 'hf-fidelity-bench-'));
  const db = openDatabase(join(dir, 'bench.sqlite'));
  migrate(db);
  const rubrics = loadRubrics(RUBRICS_DIR);
  const rubric = rubrics.get('bostad-forst');
  if (!rubric) throw new Error('the shipped rubric bostad-forst is missing');
  const data = await fillBenchDatabase(db, rubric, DEFAULT_BENCH_DATA);
  const config = { ...defaultHttpConfig({ viewCache: true, logRequests: false }), sessionSecret: randomBytes(32).toString('hex') };
  const services = createServices(db, config, { rubrics, mfaKey: createSecretKey(randomBytes(32)) });
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
