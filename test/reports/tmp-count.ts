import { createReportScenario } from './report-fixtures.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { loadReportFonts, renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import PDFDocument from 'pdfkit';
const s = await createReportScenario({ programs: 3, reviewsPerProgram: 2 });
const g = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, '0180');
if (g.kind !== 'ok') throw new Error(g.kind);
const model = buildReportModel(g.data, 'sv');
const fonts = loadReportFonts();
const proto = (PDFDocument as unknown as { prototype: Record<string, (...a: unknown[]) => unknown> }).prototype;
const counts: Record<string, number> = {};
for (const name of ['text', 'widthOfString', 'struct', 'markContent', 'fillColor', 'font', 'fontSize', 'rect', 'addContent', 'save', 'heightOfString']) {
  const orig = proto[name]!; counts[name] = 0;
  proto[name] = function (this: unknown, ...a: unknown[]) { counts[name]!++; return orig.apply(this, a); };
}
await renderReportPdf(model, fonts);
console.log(counts);
