// Renders scoring sheets off the request thread, on one worker thread (src/workers/worker-pool.ts) that starts on
// first use and stops after `idleMs`. At most `maxQueue` sheets wait; more fail fast with SheetRendererBusyError
// (answered with 503). A render that takes longer than `timeoutMs` stops the worker, which the next sheet replaces.
// Sheets are printed a few at a time before a site visit, so one worker is enough. Mode 'inline' renders on the
// calling thread (for tools that serve nobody else).
import type { ReportFonts } from '../reports/pdf/render-report-pdf.js';
import { createWorkerPool, sharePool, type WorkerPool } from '../workers/worker-pool.js';
import { workerEntryUrl } from '../workers/worker-entry.js';
import type { ScoringSheetModel } from './scoring-sheet-model.js';

export type SheetRenderer = {
  render(model: ScoringSheetModel): Promise<Buffer>;
  /** Rejects waiting sheets and stops the worker. */
  close(): Promise<void>;
};

/** The worker thread sheets render on: one per renderer, or one that several renderers share (createSheetPool). */
export type SheetPool = WorkerPool<ScoringSheetModel, Uint8Array>;

export type SheetRendererOptions = {
  readonly mode?: 'worker' | 'inline';
  /**
   * A pool of createSheetPool's to share with other renderers, instead of one of the renderer's own (the pool options
   * below are then the pool's): closing the renderer refuses its own sheets and leaves the pool running.
   */
  readonly pool?: SheetPool;
  readonly maxQueue?: number;
  readonly timeoutMs?: number;
  readonly idleMs?: number;
  /** Idle workers kept after idleMs (the pool's default, one, when not given). */
  readonly keepWarm?: number;
};

export class SheetRendererBusyError extends Error {
  override name = 'SheetRendererBusyError';
}

const WORKER_URL = workerEntryUrl('./scoring-sheet-worker', import.meta.url);

/** The worker thread for scoring sheets, with the options' limits; createSheetRenderer makes one unless it is given one. */
export function createSheetPool({
  maxQueue = 4,
  timeoutMs = 60_000,
  idleMs = 60_000,
  keepWarm,
}: Omit<SheetRendererOptions, 'mode' | 'pool'> = {}): SheetPool {
  return createWorkerPool<ScoringSheetModel, Uint8Array>({
    workerUrl: WORKER_URL,
    label: 'scoring sheet',
    maxWorkers: 1,
    maxQueue,
    idleMs,
    ...(keepWarm === undefined ? {} : { keepWarm }),
    timeoutMs,
    busyError: () => new SheetRendererBusyError('too many scoring sheets are waiting'),
  });
}

export function createSheetRenderer(options: SheetRendererOptions = {}): SheetRenderer {
  if (options.mode === 'inline') {
    let fonts: ReportFonts | undefined;
    return {
      render: async (model) => {
        // Loaded on first use only, as in the report renderer: the server's main thread never needs pdfkit.
        const { loadReportFonts } = await import('../reports/pdf/render-report-pdf.js');
        const { renderScoringSheetPdf } = await import('./render-scoring-sheet.js');
        fonts ??= loadReportFonts();
        return renderScoringSheetPdf(model, fonts);
      },
      close: async () => {},
    };
  }
  const pool = options.pool ? sharePool(options.pool, 'scoring sheet') : createSheetPool(options);
  return {
    render: async (model) => {
      const pdf = await pool.run(model);
      return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    },
    close: () => pool.close(),
  };
}
