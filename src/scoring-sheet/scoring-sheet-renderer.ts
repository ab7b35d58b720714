// Renders scoring sheets off the request thread, in one worker thread that starts on first use, renders one sheet
// at a time and is unref'd while idle (so it never keeps a process alive) and stopped after `idleMs`. At most
// `maxQueue` sheets wait; more fail fast with SheetRendererBusyError (answered with 503). A render that takes longer
// than `timeoutMs` stops the worker, which the next sheet replaces. Sheets are printed a few at a time before a site
// visit, so one worker is enough. Mode 'inline' renders on the calling thread (for tools that serve nobody else).
import { Worker } from 'node:worker_threads';
import type { ReportFonts } from '../reports/pdf/render-report-pdf.js';
import type { ScoringSheetModel } from './scoring-sheet-model.js';
import type { SheetReply, SheetRequest } from './scoring-sheet-worker.js';

export type SheetRenderer = { render(model: ScoringSheetModel): Promise<Buffer> };

export type SheetRendererOptions = {
  readonly mode?: 'worker' | 'inline';
  readonly maxQueue?: number;
  readonly timeoutMs?: number;
  readonly idleMs?: number;
};

export class SheetRendererBusyError extends Error {
  override name = 'SheetRendererBusyError';
}

const WORKER_URL = new URL('./scoring-sheet-worker-bootstrap.mjs', import.meta.url);

type Task = { readonly id: number; readonly model: ScoringSheetModel; resolve(pdf: Buffer): void; reject(error: Error): void };

export function createSheetRenderer({ mode = 'worker', maxQueue = 4, timeoutMs = 60_000, idleMs = 60_000 }: SheetRendererOptions = {}): SheetRenderer {
  if (mode === 'inline') {
    let fonts: ReportFonts | undefined;
    return {
      render: async (model) => {
        // Loaded on first use only, as in the report renderer: the server's main thread never needs pdfkit.
        const { loadReportFonts } = await import('../reports/pdf/render-report-pdf.js');
        const { renderScoringSheetPdf } = await import('./render-scoring-sheet.js');
        fonts ??= loadReportFonts();
        return renderScoringSheetPdf(model, fonts);
      },
    };
  }
  const queue: Task[] = [];
  let worker: Worker | undefined;
  let current: Task | undefined;
  let timer: NodeJS.Timeout | undefined;
  let nextId = 1;

  const stopWorker = (failure: Error | undefined) => {
    const stopped = worker;
    worker = undefined;
    if (timer) clearTimeout(timer);
    timer = undefined;
    const task = current;
    current = undefined;
    if (task && failure) task.reject(failure);
    void stopped?.terminate();
  };

  const startWorker = (): Worker => {
    const started = new Worker(WORKER_URL);
    started.on('message', (reply: SheetReply) => {
      const task = current;
      if (!task || reply.id !== task.id) return;
      current = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (reply.ok) task.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else task.reject(new Error(`the scoring sheet failed in the worker: ${reply.message}`));
      next();
    });
    started.on('error', (error) => {
      if (worker === started) stopWorker(error);
      next();
    });
    started.on('exit', (code) => {
      if (worker === started) stopWorker(new Error(`the scoring sheet worker stopped (exit code ${code})`));
      next();
    });
    return started;
  };

  const next = () => {
    if (current) return;
    const task = queue.shift();
    if (!task) {
      // Idle: let the process exit, and stop the worker after a while.
      if (worker) {
        worker.unref();
        const idle = worker;
        timer = setTimeout(() => {
          if (worker === idle && !current) stopWorker(undefined);
        }, idleMs);
        timer.unref();
      }
      return;
    }
    if (timer) clearTimeout(timer);
    worker ??= startWorker();
    worker.ref();
    current = task;
    timer = setTimeout(() => stopWorker(new Error(`the scoring sheet took longer than ${timeoutMs} ms`)), timeoutMs);
    const request: SheetRequest = { id: task.id, model: task.model };
    worker.postMessage(request);
  };

  return {
    render: (model) =>
      new Promise<Buffer>((resolve, reject) => {
        if (queue.length >= maxQueue) {
          reject(new SheetRendererBusyError('too many scoring sheets are waiting'));
          return;
        }
        queue.push({ id: nextId++, model, resolve, reject });
        next();
      }),
  };
}
