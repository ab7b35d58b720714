// The report worker thread: builds and renders the reports whose data the main thread posts, so that a
// report never blocks the event loop that serves everyone else. Loaded through report-worker-bootstrap.mjs.
import { parentPort, threadId } from 'node:worker_threads';
import type { RenderReply, RenderRequest } from '../report-renderer.js';
import { buildAndRenderReport } from './build-and-render.js';
import { loadReportFonts } from './render-report-pdf.js';

const port = parentPort;
if (!port) throw new Error('report-worker.ts must run in a worker thread');
// Read once per worker; pdfkit parses them for each document.
const fonts = loadReportFonts();

port.on('message', async (request: RenderRequest) => {
  let reply: RenderReply;
  try {
    const rendered = await buildAndRenderReport(request.job, fonts);
    reply = { id: request.id, ok: true, ...rendered, threadId };
    port.postMessage(reply, [rendered.pdf.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    port.postMessage(reply);
  }
});
