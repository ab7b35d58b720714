// Builds and renders reports off the request thread: a small pool of worker threads with a bounded queue.
// The request thread only gathers the data (a few quick reads); the worker builds the report model from it
// and renders the PDF. pdfkit blocks the thread it runs on for the whole document, and formatting a large
// model takes tens of milliseconds too, so either on the main thread would stall every other request.
//
// - Workers start on first use and stop after `idleMs` without work; an idle worker is unref'd, so it
//   never keeps a process (a test run, a CLI) alive.
// - At most `maxWorkers` renders run at once and `maxQueue` wait; more fail fast with RendererBusyError.
// - A render that takes longer than `timeoutMs` terminates its worker; a crashed worker is replaced.
// - mode 'inline' renders on the calling thread. Only for callers that serve nobody else (the CLI) or
//   that ask for it explicitly; the default is 'worker'.
import { availableParallelism } from 'node:os';
import { threadId as currentThreadId, Worker } from 'node:worker_threads';
import type { Locale } from '../i18n/locale.js';
import type { ReportFonts } from './pdf/render-report-pdf.js';
import type { ReportData } from './report-data.js';

/** What a report is made from: plain data, so it can be posted to a worker. */
export type ReportJob = { readonly data: ReportData; readonly locale: Locale };

export type RenderRequest = { readonly id: number; readonly job: ReportJob };
export type RenderReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly pdf: Uint8Array;
      readonly pageCount: number;
      readonly verificationCode: string;
      readonly threadId: number;
    }
  | { readonly id: number; readonly ok: false; readonly message: string };

export type RenderedReport = {
  readonly pdf: Buffer;
  readonly pageCount: number;
  readonly verificationCode: string;
  /** The thread that built it: a worker's id in 'worker' mode, so tests can tell. */
  readonly threadId: number;
};

export type ReportRenderer = {
  render(job: ReportJob): Promise<RenderedReport>;
  /** Rejects queued renders and stops the workers. */
  close(): Promise<void>;
};

export type ReportRendererOptions = {
  readonly mode?: 'worker' | 'inline';
  readonly maxWorkers?: number;
  readonly maxQueue?: number;
  readonly idleMs?: number;
  readonly timeoutMs?: number;
};

/** Too many reports are waiting: the caller answers 503 rather than queue without end. */
export class RendererBusyError extends Error {
  override name = 'RendererBusyError';
}

const WORKER_URL = new URL('./pdf/report-worker-bootstrap.mjs', import.meta.url);

/** One core is left to the request thread. */
function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function createInlineRenderer(): ReportRenderer {
  let fonts: ReportFonts | undefined;
  return {
    render: async (job) => {
      // Loaded on first use only: pdfkit and the fonts cost the server ~25 MB of memory it needs only in workers.
      const { buildAndRenderReport } = await import('./pdf/build-and-render.js');
      const { loadReportFonts } = await import('./pdf/render-report-pdf.js');
      fonts ??= loadReportFonts();
      const rendered = await buildAndRenderReport(job, fonts);
      return { ...rendered, pdf: toBuffer(rendered.pdf), threadId: currentThreadId };
    },
    close: async () => {},
  };
}

type Task = {
  readonly id: number;
  readonly job: ReportJob;
  readonly resolve: (result: RenderedReport) => void;
  readonly reject: (error: Error) => void;
};

type Slot = {
  readonly worker: Worker;
  task: Task | undefined;
  timer: NodeJS.Timeout | undefined;
};

function createWorkerRenderer(options: Required<Omit<ReportRendererOptions, 'mode'>>): ReportRenderer {
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;

  const clearTimer = (slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
  };

  const retire = (slot: Slot, error: Error | undefined) => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    clearTimer(slot);
    const task = slot.task;
    slot.task = undefined;
    if (task && error) task.reject(error);
  };

  const startWorker = (): Slot => {
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { worker, task: undefined, timer: undefined };
    worker.on('message', (reply: RenderReply) => {
      const task = slot.task;
      if (!task || reply.id !== task.id) return;
      slot.task = undefined;
      clearTimer(slot);
      if (reply.ok) {
        task.resolve({ pdf: toBuffer(reply.pdf), pageCount: reply.pageCount, verificationCode: reply.verificationCode, threadId: reply.threadId });
      }
      if (!reply.ok) task.reject(new Error(`report rendering failed in the worker: ${reply.message}`));
      idle(slot);
      dispatch();
    });
    worker.on('error', (error) => retire(slot, error));
    worker.on('exit', (code) => {
      retire(slot, new Error(`the report worker stopped (exit code ${code})`));
      dispatch();
    });
    slots.push(slot);
    return slot;
  };

  const idle = (slot: Slot) => {
    slot.worker.unref();
    clearTimer(slot);
    slot.timer = setTimeout(() => {
      if (!slot.task) void slot.worker.terminate();
    }, options.idleMs);
    slot.timer.unref();
  };

  const assign = (slot: Slot, task: Task) => {
    clearTimer(slot);
    slot.task = task;
    // A worker at work keeps the process alive until its report is done.
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      if (slot.task === task) {
        retire(slot, new Error(`report rendering took longer than ${options.timeoutMs} ms`));
        void slot.worker.terminate();
      }
    }, options.timeoutMs);
    const request: RenderRequest = { id: task.id, job: task.job };
    slot.worker.postMessage(request);
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((candidate) => candidate.task === undefined) ?? (slots.length < options.maxWorkers ? startWorker() : undefined);
      const task = slot ? queue.shift() : undefined;
      if (!slot || !task) return;
      assign(slot, task);
    }
  };

  return {
    render: (job) =>
      new Promise<RenderedReport>((resolve, reject) => {
        if (closed) {
          reject(new Error('the report renderer is closed'));
          return;
        }
        const running = slots.filter((slot) => slot.task !== undefined).length;
        if (running >= options.maxWorkers && queue.length >= options.maxQueue) {
          reject(new RendererBusyError(`${queue.length} reports are already waiting`));
          return;
        }
        queue.push({ id: nextId++, job, resolve, reject });
        dispatch();
      }),
    close: async () => {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new Error('the report renderer is closed'));
      await Promise.all([...slots].map((slot) => slot.worker.terminate()));
    },
  };
}

export function createReportRenderer(options: ReportRendererOptions = {}): ReportRenderer {
  if (options.mode === 'inline') return createInlineRenderer();
  return createWorkerRenderer({
    maxWorkers: options.maxWorkers ?? defaultWorkerCount(),
    maxQueue: options.maxQueue ?? 8,
    idleMs: options.idleMs ?? 15_000,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}
