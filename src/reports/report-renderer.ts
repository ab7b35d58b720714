// Builds and renders reports off the request thread, on a small pool of worker threads with a bounded queue
// (src/workers/worker-pool.ts: workers start on first use, stop when idle, time out, and refuse excess work).
// The request thread only gathers the data (a few quick reads); the worker builds the report model from it
// and renders the PDF. pdfkit blocks the thread it runs on for the whole document, and formatting a large
// model takes tens of milliseconds too, so either on the main thread would stall every other request.
// mode 'inline' renders on the calling thread: only for callers that serve nobody else (the CLI) or that ask
// for it explicitly; the default is 'worker'.
import { availableParallelism } from 'node:os';
import { threadId as currentThreadId } from 'node:worker_threads';
import type { Locale } from '../i18n/locale.js';
import { createWorkerPool } from '../workers/worker-pool.js';
import { workerEntryUrl } from '../workers/worker-entry.js';
import type { ReportFonts } from './pdf/render-report-pdf.js';
import type { ReportData } from './report-data.js';

/** What a report is made from: plain data, so it can be posted to a worker. */
export type ReportJob = { readonly data: ReportData; readonly locale: Locale };

/** What the worker sends back. */
export type WorkerReport = {
  readonly pdf: Uint8Array;
  readonly pageCount: number;
  readonly verificationCode: string;
  readonly threadId: number;
};

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
  /** Idle workers kept after idleMs (the pool's default, one, when not given). */
  readonly keepWarm?: number;
  readonly timeoutMs?: number;
};

/** Too many reports are waiting: the caller answers 503 rather than queue without end. */
export class RendererBusyError extends Error {
  override name = 'RendererBusyError';
}

const WORKER_URL = workerEntryUrl('./pdf/report-worker', import.meta.url);

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

export function createReportRenderer(options: ReportRendererOptions = {}): ReportRenderer {
  if (options.mode === 'inline') return createInlineRenderer();
  const pool = createWorkerPool<ReportJob, WorkerReport>({
    workerUrl: WORKER_URL,
    label: 'report',
    maxWorkers: options.maxWorkers ?? defaultWorkerCount(),
    maxQueue: options.maxQueue ?? 8,
    idleMs: options.idleMs ?? 15_000,
    ...(options.keepWarm === undefined ? {} : { keepWarm: options.keepWarm }),
    timeoutMs: options.timeoutMs ?? 60_000,
    busyError: (waiting) => new RendererBusyError(`${waiting} reports are already waiting`),
  });
  return {
    render: async (job) => {
      const report = await pool.run(job);
      return { ...report, pdf: toBuffer(report.pdf) };
    },
    close: () => pool.close(),
  };
}
