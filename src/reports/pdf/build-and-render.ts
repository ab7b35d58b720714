// Builds a report's model and renders it: what a report worker runs, and the renderer's inline mode. Kept apart
// from report-renderer.ts so the server's main thread never loads pdfkit (workers and the CLI do).
import type { ReportJob } from '../report-renderer.js';
import { buildReportModel } from '../report-model.js';
import { type ReportFonts, renderReportPdf } from './render-report-pdf.js';

export async function buildAndRenderReport(
  job: ReportJob,
  fonts: ReportFonts,
): Promise<{ pdf: Uint8Array; pageCount: number; verificationCode: string }> {
  const model = buildReportModel(job.data, job.locale);
  const rendered = await renderReportPdf(model, fonts);
  return { pdf: rendered.pdf, pageCount: rendered.pageCount, verificationCode: model.verification.code };
}
