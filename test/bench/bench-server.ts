// Child process of `npm run bench`: builds the app over a temporary database filled with generated data, serves
// it on a free port, and prints one BENCH-READY line. Runs apart from the load generator,
// so autocannon does not compete with the server for its event loop.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createBenchApp } from './bench-app.js';
import { BENCH_READY_PREFIX, type BenchServerReady } from './bench-protocol.js';

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
  // BENCH_APP_BUILD: the folder of a build of the app (bench-build.ts), which is then what is served.
  const { app, data, dispose } = await createBenchApp({ build: process.env.BENCH_APP_BUILD });
  const appServer = await listenOnFreePort(app);
  const ready: BenchServerReady = { appUrl: appServer.url, data, setupMs: Date.now() - started };
  console.log(`${BENCH_READY_PREFIX}${JSON.stringify(ready)}`);

  // BENCH_CPU_PROFILE=<file>: profile the server from the moment it serves until it stops (for finding where the time goes).
  const profile = process.env.BENCH_CPU_PROFILE ? await startCpuProfile() : undefined;
  const stop = async () => {
    if (profile) await profile.stopInto(process.env.BENCH_CPU_PROFILE ?? 'bench.cpuprofile');
    appServer.server.closeAllConnections();
    appServer.server.close();
    await dispose();
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
