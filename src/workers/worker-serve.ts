// The worker side of worker-pool.ts: answers each posted job with its result (transferring the buffers named)
// or with the error's message, so one failed job never stops the worker.
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './worker-pool.js';

export type JobOutcome<R> = { readonly result: R; readonly transfer?: readonly ArrayBuffer[] };

export function serveJobs<J, R>(name: string, handle: (job: J) => Promise<JobOutcome<R>>): void {
  const port = parentPort;
  if (!port) throw new Error(`${name} must run in a worker thread`);
  port.on('message', async (request: WorkerRequest<J>) => {
    let reply: WorkerReply<R>;
    try {
      const { result, transfer = [] } = await handle(request.job);
      reply = { id: request.id, ok: true, result };
      port.postMessage(reply, [...transfer]);
    } catch (error) {
      reply = { id: request.id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      port.postMessage(reply);
    }
  });
}
