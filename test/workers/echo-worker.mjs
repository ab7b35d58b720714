// A worker for the pool's tests, speaking the protocol of src/workers/worker-serve.ts in plain JavaScript.
import { parentPort, threadId } from 'node:worker_threads';

parentPort.on('message', ({ id, job }) => {
  if (job.kind === 'crash') process.exit(3);
  if (job.kind === 'fail') return parentPort.postMessage({ id, ok: false, message: 'asked to fail' });
  setTimeout(() => parentPort.postMessage({ id, ok: true, result: { value: job.value, threadId } }), job.ms ?? 0);
});
