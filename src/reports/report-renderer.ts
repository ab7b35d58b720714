// Builds and renders reports off the request thread, on a small pool of worker threads with a bounded queue
// (src/workers/worker-pool.ts: workers start on first use, stop when idle, time out, and refuse excess work).
// The request thread only gathers the data (a few quick reads); the worker builds the report model from it
// and renders the PDF. pdfkit blocks the thread it runs on for the whole document, and formatting a large
// model takes tens of milliseconds too, so either on the main thread would stall every other request.
// mode 'inline' renders on the calling thread: only for callers that serve nobody else (the CLI) or that ask
// for it explicitly; the default is 'worker'.
// A report is a function of its job alone (the worker sees nothing else, and the same job gives the same bytes), so a
// caller may keep the rendered report under a name (a municipality's report in a language): asked for again, it is
// sent at once if the job's fingerprint is the same. A board member who downloads the report the secretary downloaded
// an hour ago waits 7 ms instead of a render; any change to what the report shows makes another fingerprint, and the
// new report takes the old one's place.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { serialize } from 'node:v8';
import { threadId as currentThreadId } from 'node:worker_threads';
import type { Locale } from '../i18n/locale.js';
import { createWorkerPool, sharePool, type WorkerPool } from '../workers/worker-pool.js';
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
  /**
   * Renders the report of `job`. With `keepAs` (what the report is, e.g. "municipality:0180:sv"), the report is kept
   * under that name and sent again while the job is the same.
   */
  render(job: ReportJob, keepAs?: string): Promise<RenderedReport>;
  /** Rejects queued renders and stops the workers. */
  close(): Promise<void>;
};

/** The worker threads reports render on: one per renderer, or one that several renderers share (createReportPool). */
export type ReportPool = WorkerPool<ReportJob, WorkerReport>;

export type ReportRendererOptions = {
  readonly mode?: 'worker' | 'inline';
  /**
   * A pool of createReportPool's to share with other renderers, instead of one of the renderer's own (the pool
   * options below are then the pool's): closing the renderer refuses its own renders and leaves the pool running.
   */
  readonly pool?: ReportPool;
  readonly maxWorkers?: number;
  readonly maxQueue?: number;
  readonly idleMs?: number;
  /** Idle workers kept after idleMs (the pool's default, one, when not given). */
  readonly keepWarm?: number;
  readonly timeoutMs?: number;
  /** How many bytes of kept reports at most (0: none kept); the least recently asked for goes first. */
  readonly keptBytes?: number;
};

/**
 * 16 MiB: some 30 reports of 59 pages (530 KB each), one per name, so the current reports of some 15 municipalities in
 * both languages. Held on the request thread; docs/operations.md#memory counts it.
 */
const DEFAULT_KEPT_REPORT_BYTES = 16 * 1024 * 1024;

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

/**
 * The job's fingerprint: SHA-256 of its structured-clone bytes, the form it is posted to a worker in (about 0.8 ms for a
 * municipality of 3 programs × 2 reviews). Equal data read the same way gives equal bytes; data that differs in any
 * value gives other bytes, so a kept report is never one of data that has changed since.
 */
function fingerprintOf(job: ReportJob): string {
  return createHash('sha256').update(serialize(job)).digest('base64');
}

/** Keeps one rendered report per name with its job's fingerprint, least recently asked for dropped first, up to `maxBytes` of PDF. */
function keepRendered(renderer: ReportRenderer, maxBytes: number): ReportRenderer {
  if (maxBytes <= 0) return renderer;
  const kept = new Map<string, { readonly fingerprint: string; readonly report: RenderedReport }>();
  let keptBytes = 0;
  let closed = false;
  const drop = (name: string) => {
    const entry = kept.get(name);
    if (!entry) return;
    kept.delete(name);
    keptBytes -= entry.report.pdf.byteLength;
  };
  return {
    render: async (job, keepAs) => {
      // A closed renderer refuses, kept reports or not.
      if (closed || keepAs === undefined) return renderer.render(job);
      const fingerprint = fingerprintOf(job);
      const found = kept.get(keepAs);
      if (found?.fingerprint === fingerprint) {
        // Map keeps insertion order: moved to the end, it is dropped last.
        kept.delete(keepAs);
        kept.set(keepAs, found);
        return found.report;
      }
      const report = await renderer.render(job);
      if (closed || report.pdf.byteLength > maxBytes) return report;
      // The report of the data as it is now takes the place of the one of earlier data. (Of two renders under one
      // name at once, the last to finish stays; a kept report of other data is rendered anew when asked for.)
      drop(keepAs);
      kept.set(keepAs, { fingerprint, report });
      keptBytes += report.pdf.byteLength;
      for (const name of kept.keys()) {
        if (keptBytes <= maxBytes) break;
        drop(name);
      }
      return report;
    },
    close: async () => {
      closed = true;
      kept.clear();
      keptBytes = 0;
      await renderer.close();
    },
  };
}

export function createReportRenderer(options: ReportRendererOptions = {}): ReportRenderer {
  return keepRendered(createRenderer(options), options.keptBytes ?? DEFAULT_KEPT_REPORT_BYTES);
}

/** The worker threads for reports, with the options' limits; createReportRenderer makes one unless it is given one. */
export function createReportPool(options: Omit<ReportRendererOptions, 'mode' | 'pool' | 'keptBytes'> = {}): ReportPool {
  return createWorkerPool<ReportJob, WorkerReport>({
    workerUrl: WORKER_URL,
    label: 'report',
    maxWorkers: options.maxWorkers ?? defaultWorkerCount(),
    maxQueue: options.maxQueue ?? 8,
    idleMs: options.idleMs ?? 15_000,
    ...(options.keepWarm === undefined ? {} : { keepWarm: options.keepWarm }),
    timeoutMs: options.timeoutMs ?? 60_000,
    busyError: (waiting) => new RendererBusyError(`${waiting} reports are already waiting`),
  });
}

function createRenderer(options: ReportRendererOptions): ReportRenderer {
  if (options.mode === 'inline') return createInlineRenderer();
  const pool = options.pool ? sharePool(options.pool, 'report') : createReportPool(options);
  return {
    render: async (job) => {
      const report = await pool.run(job);
      return { ...report, pdf: toBuffer(report.pdf) };
    },
    close: () => pool.close(),
  };
}
