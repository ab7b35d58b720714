// Where a worker thread starts. Under tsx (npm start, npm run dev, vitest) the caller is a .ts file and the entry is
// the .mjs bootstrap beside the worker, which registers tsx in the new thread (on Node 20 a worker does not inherit
// the loader). From the build (npm run build: dist/, .js files) the entry is the compiled worker itself, so
// production runs no TypeScript tool in any thread, and the bootstraps are not part of the build.

/** `worker` is the worker's path relative to the caller without extension, e.g. './pdf/report-worker'. */
export function workerEntryUrl(worker: string, callerUrl: string): URL {
  const compiled = new URL(callerUrl).pathname.endsWith('.js');
  return new URL(compiled ? `${worker}.js` : `${worker}-bootstrap.mjs`, callerUrl);
}
