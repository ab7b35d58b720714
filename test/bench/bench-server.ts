// Child process of `npm run bench`: builds the app over a temporary database filled with generated data, serves
// it on a free port, and prints one BENCH-READY line. Runs apart from the load generator,
// so autocannon does not compete with the server for its event loop.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import { createApp } from '../../src/app.js';
import { defaultHttpConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createLogger } from '../../src/http/logger.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { DEFAULT_BENCH_DATA, fillBenchDatabase } from './bench-data.js';
import { BENCH_READY_PREFIX, type BenchServerReady } from './bench-protocol.js';

const RUBRICS_DIR = fileURLToPath(new URL('../../rubrics', import.meta.url));

function listenOnFreePort(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error) return reject(error);
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

async function startBenchServers(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'hf-fidelity-bench-'));
  const db = openDatabase(join(dir, 'bench.sqlite'));
  migrate(db);
  const rubrics = loadRubrics(RUBRICS_DIR);
  const rubric = rubrics.get('bostad-forst');
  if (!rubric) throw new Error('the shipped rubric bostad-forst is missing');
  const data = await fillBenchDatabase(db, rubric, DEFAULT_BENCH_DATA);
  const app = createApp({
    db,
    config: { ...defaultHttpConfig({ viewCache: true, logRequests: false }), sessionSecret: randomBytes(32).toString('hex') },
    rubrics,
    // Log lines on stderr: stdout carries the BENCH-READY line the load generator reads.
    logger: createLogger({ format: 'json', level: 'info' }, { destination: { write: (line: string) => process.stderr.write(line) } }),
  });
  const appServer = await listenOnFreePort(app);
  const ready: BenchServerReady = { appUrl: appServer.url, data, setupMs: Date.now() - started };
  console.log(`${BENCH_READY_PREFIX}${JSON.stringify(ready)}`);

  // BENCH_CPU_PROFILE=<file>: profile the server from the moment it serves until it stops (for finding where the time goes).
  const profile = process.env.BENCH_CPU_PROFILE ? await startCpuProfile() : undefined;
  const stop = async () => {
    if (profile) await profile.stopInto(process.env.BENCH_CPU_PROFILE ?? 'bench.cpuprofile');
    appServer.server.closeAllConnections();
    appServer.server.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

async function startCpuProfile(): Promise<{ stopInto: (file: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    stopInto: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

startBenchServers().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
