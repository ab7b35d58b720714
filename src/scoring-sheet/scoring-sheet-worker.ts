// The scoring-sheet worker thread: renders the models the main thread posts, one at a time, so that pdfkit never
// blocks the thread that serves everyone else. Loaded through scoring-sheet-worker-bootstrap.mjs.
import { loadReportFonts } from '../reports/pdf/render-report-pdf.js';
import { serveJobs } from '../workers/worker-serve.js';
import { renderScoringSheetPdf } from './render-scoring-sheet.js';
import type { ScoringSheetModel } from './scoring-sheet-model.js';

// Read once per worker; pdfkit parses them for each document.
const fonts = loadReportFonts();

serveJobs<ScoringSheetModel, Uint8Array>('scoring-sheet-worker.ts', async (model) => {
  const pdf = await renderScoringSheetPdf(model, fonts);
  // A fresh ArrayBuffer of its own, so it can be transferred rather than copied.
  const bytes = new Uint8Array(pdf.length);
  bytes.set(pdf);
  return { result: bytes, transfer: [bytes.buffer] };
});
