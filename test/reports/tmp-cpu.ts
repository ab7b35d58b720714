import { createReportScenario } from './report-fixtures.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { loadReportFonts, renderReportPdf, renderPlainTextPdf } from '../../src/reports/pdf/render-report-pdf.js';
const s = await createReportScenario({ programs: 3, reviewsPerProgram: 2 });
const g = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, '0180');
if (g.kind !== 'ok') throw new Error(g.kind);
const fonts = loadReportFonts();
const model = buildReportModel(g.data, 'sv');
const cpu = async (f: () => Promise<unknown>) => { const c = process.cpuUsage(); const t = performance.now(); await f(); const d = process.cpuUsage(c); return [(d.user + d.system) / 1000, performance.now() - t]; };
let pages = 0;
for (let i = 0; i < 4; i++) { pages = (await renderReportPdf(model, fonts)).pageCount; await renderPlainTextPdf(pages, fonts); }
const r: number[] = [], p: number[] = [], rw: number[] = [], pw: number[] = [];
for (let i = 0; i < 15; i++) {
  const [a, aw] = await cpu(() => renderReportPdf(model, fonts)); r.push(a!); rw.push(aw!);
  const [b, bw] = await cpu(() => renderPlainTextPdf(pages, fonts)); p.push(b!); pw.push(bw!);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
console.log(`pages ${pages} report cpu ${med(r).toFixed(1)} wall ${med(rw).toFixed(1)} | plain cpu ${med(p).toFixed(1)} wall ${med(pw).toFixed(1)} | ratio cpu ${(med(r)/med(p)).toFixed(2)}`);
