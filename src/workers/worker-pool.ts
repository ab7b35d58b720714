// A small pool of worker threads with a bounded queue, for work that would block the request thread (pdfkit
// renders a whole document in one go). The report and the scoring sheet both run on it.
// - Workers start on first use and stop after `idleMs` without work, except the last `keepWarm` (one by default):
//   starting a worker and loading pdfkit and the fonts made the first report after a pause wait about 0.85 s.
//   An idle worker is unref'd, so it never keeps a process (a test run, a CLI) alive.
// - At most `maxWorkers` jobs run at once and `maxQueue` wait; more fail fast with the caller's busy error
//   (answered with 503), rather than queue without end.
// - A job that takes longer than `timeoutMs` terminates its worker; a crashed worker is replaced by the next job.
// The worker side answers through serveJobs (worker-serve.ts): { id, ok: true, result } or { id, ok: false, message }.
import { Worker } from 'node:worker_threads';

export type WorkerRequest<J> = { readonly id: number; readonly job: J };
export type WorkerReply<R> =
  | { readonly id: number; readonly ok: true; readonly result: R }
  | { readonly id: number; readonly ok: false; readonly message: string };

export type WorkerPool<J, R> = {
  run(job: J): Promise<R>;
  /** Rejects waiting jobs, refuses new ones and stops the workers. */
  close(): Promise<void>;
};

export type WorkerPoolOptions = {
  /** The worker's entry file, from workerEntryUrl (worker-entry.ts): a tsx bootstrap under tsx, the compiled worker in dist/. */
  readonly workerUrl: URL;
  /** What the work is called in error messages ("report", "scoring sheet"). */
  readonly label: string;
  readonly maxWorkers: number;
  readonly maxQueue: number;
  readonly idleMs: number;
  /** How many idle workers are kept after idleMs, ready for the next job; 1 unless said otherwise. */
  readonly keepWarm?: number;
  readonly timeoutMs: number;
  /** The error for a job refused because the queue is full. */
  readonly busyError: (waiting: number) => Error;
};

type Task<J, R> = { readonly id: number; readonly job: J; readonly resolve: (result: R) => void; readonly reject: (error: Error) => void };
type Slot<J, R> = { readonly worker: Worker; task: Task<J, R> | undefined; timer: NodeJS.Timeout | undefined };

export function createWorkerPool<J, R>(options: WorkerPoolOptions): WorkerPool<J, R> {
  const slots: Slot<J, R>[] = [];
  const queue: Task<J, R>[] = [];
  let nextId = 1;
  let closed = false;
  const keepWarm = options.keepWarm ?? 1;

  const clearTimer = (slot: Slot<J, R>) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
  };

  const retire = (slot: Slot<J, R>, error: Error | undefined) => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    clearTimer(slot);
    const task = slot.task;
    slot.task = undefined;
    if (task && error) task.reject(error);
  };

  const idle = (slot: Slot<J, R>) => {
    slot.worker.unref();
    clearTimer(slot);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (slot.task === undefined && slots.length > keepWarm) {
        retire(slot, undefined);
        void slot.worker.terminate();
      }
    }, options.idleMs);
    slot.timer.unref();
  };

  const startWorker = (): Slot<J, R> => {
    const worker = new Worker(options.workerUrl);
    const slot: Slot<J, R> = { worker, task: undefined, timer: undefined };
    worker.on('message', (reply: WorkerReply<R>) => {
      const task = slot.task;
      if (!task || reply.id !== task.id) return;
      slot.task = undefined;
      clearTimer(slot);
      if (reply.ok) task.resolve(reply.result);
      else task.reject(new Error(`the ${options.label} failed in its worker: ${reply.message}`));
      idle(slot);
      dispatch();
    });
    worker.on('error', (error) => retire(slot, error));
    worker.on('exit', (code) => {
      retire(slot, new Error(`the ${options.label} worker stopped (exit code ${code})`));
      dispatch();
    });
    slots.push(slot);
    return slot;
  };

  const assign = (slot: Slot<J, R>, task: Task<J, R>) => {
    clearTimer(slot);
    slot.task = task;
    // A worker at work keeps the process alive until its job is done.
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      if (slot.task === task) {
        retire(slot, new Error(`the ${options.label} took longer than ${options.timeoutMs} ms`));
        void slot.worker.terminate();
      }
    }, options.timeoutMs);
    const request: WorkerRequest<J> = { id: task.id, job: task.job };
    slot.worker.postMessage(request);
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const slot =
        slots.find((candidate) => candidate.task === undefined) ?? (slots.length < options.maxWorkers ? startWorker() : undefined);
      const task = slot ? queue.shift() : undefined;
      if (!slot || !task) return;
      assign(slot, task);
    }
  };

  return {
    run: (job) =>
      new Promise<R>((resolve, reject) => {
        if (closed) {
          reject(new Error(`the ${options.label} workers are closed`));
          return;
        }
        const running = slots.filter((slot) => slot.task !== undefined).length;
        if (running >= options.maxWorkers && queue.length >= options.maxQueue) {
          reject(options.busyError(queue.length));
          return;
        }
        queue.push({ id: nextId++, job, resolve, reject });
        dispatch();
      }),
    close: async () => {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new Error(`the ${options.label} workers are closed`));
      await Promise.all([...slots].map((slot) => slot.worker.terminate()));
    },
  };
}

/**
 * One user's share of a pool that several use (each test app of a test run shares one pool of each kind, so a worker
 * is started once rather than per app). Jobs run on the pool's workers; closing the share rejects its own jobs not yet
 * answered and refuses new ones, while the pool goes on serving the other shares. The pool's owner closes the pool.
 */
export function sharePool<J, R>(pool: WorkerPool<J, R>, label: string): WorkerPool<J, R> {
  const unanswered = new Set<(error: Error) => void>();
  let closed = false;
  const closedError = () => new Error(`the ${label} workers are closed`);
  return {
    run: (job) =>
      new Promise<R>((resolve, reject) => {
        if (closed) {
          reject(closedError());
          return;
        }
        const fail = (error: Error) => {
          unanswered.delete(fail);
          reject(error);
        };
        unanswered.add(fail);
        pool.run(job).then(
          (result) => {
            if (unanswered.delete(fail)) resolve(result);
          },
          (error: unknown) => {
            if (unanswered.has(fail)) fail(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }),
    close: async () => {
      closed = true;
      for (const fail of [...unanswered]) fail(closedError());
    },
  };
}
