// The scoring-sheet worker thread: renders the models the main thread posts, one at a time, so that pdfkit never
// blocks the thread that serves everyone else. Loaded through scoring-sheet-worker-bootstrap.mjs.
import { parentPort } from 'node:worker_threads';
import { loadReportFonts } from '../reports/pdf/render-report-pdf.js';
import { renderScoringSheetPdf } from './render-scoring-sheet.js';
import type { ScoringSheetModel } from './scoring-sheet-model.js';

export type SheetRequest = { readonly id: number; readonly model: ScoringSheetModel };
export type SheetReply = { readonly id: number; readonly ok: true; readonly pdf: Uint8Array } | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (!port) throw new Error('scoring-sheet-worker.ts must run in a worker thread');
// Read once per worker; pdfkit parses them for each document.
const fonts = loadReportFonts();

port.on('message', async (request: SheetRequest) => {
  try {
    const pdf = await renderScoringSheetPdf(request.model, fonts);
    // A fresh ArrayBuffer of its own, so it can be transferred rather than copied.
    const bytes = new Uint8Array(pdf.length);
    bytes.set(pdf);
    const reply: SheetReply = { id: request.id, ok: true, pdf: bytes };
    port.postMessage(reply, [bytes.buffer]);
  } catch (error) {
    const reply: SheetReply = { id: request.id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    port.postMessage(reply);
  }
});
