// The report worker thread: builds and renders the reports whose data the main thread posts, so that a
// report never blocks the event loop that serves everyone else. Loaded through report-worker-bootstrap.mjs.
import { threadId } from 'node:worker_threads';
import { serveJobs } from '../../workers/worker-serve.js';
import type { ReportJob, WorkerReport } from '../report-renderer.js';
import { buildAndRenderReport } from './build-and-render.js';
import { loadReportFonts } from './render-report-pdf.js';

// Read once per worker; pdfkit parses them for each document.
const fonts = loadReportFonts();

serveJobs<ReportJob, WorkerReport>('report-worker.ts', async (job) => {
  const rendered = await buildAndRenderReport(job, fonts);
  return { result: { ...rendered, threadId }, transfer: [rendered.pdf.buffer as ArrayBuffer] };
});
