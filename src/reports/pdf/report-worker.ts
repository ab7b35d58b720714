// The report worker thread: renders the report models the main thread posts, so that a report never
// blocks the event loop that serves everyone else. Loaded through report-worker-bootstrap.mjs.
import { parentPort, threadId } from 'node:worker_threads';
import type { RenderReply, RenderRequest } from '../report-renderer.js';
import { loadReportFonts, renderReportPdf } from './render-report-pdf.js';

const port = parentPort;
if (!port) throw new Error('report-worker.ts must run in a worker thread');
// Read once per worker; pdfkit parses them for each document.
const fonts = loadReportFonts();

port.on('message', async (request: RenderRequest) => {
  let reply: RenderReply;
  try {
    const rendered = await renderReportPdf(request.model, fonts);
    reply = { id: request.id, ok: true, pdf: rendered.pdf, pageCount: rendered.pageCount, threadId };
    port.postMessage(reply, [rendered.pdf.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    port.postMessage(reply);
  }
});
