// The demo's Stockholm 2026 review as a board document: a judgement, prioritised recommendations with
// owners, an evidence base and the program's response, stored and printed in its report.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSettableClock } from '../../src/clock.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { makeTestServices } from '../helpers/test-app.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { extractPdfText, normalizeSpace } from '../reports/pdf-text.js';
import { testReportFonts } from '../reports/report-fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the demo board report', { timeout: 120_000 }, () => {
  it('when the demo is seeded, then the Stockholm 2026 review has its judgement, priorities, owners, evidence base and response, and page 1 of its report leads with them', async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const time = createSettableClock();
    const summary = await seedDemo(makeTestServices(db, loadRubrics(join(root, 'rubrics')), time.clock), time);
    const reviews = createReviewStore(db);
    const id = summary.finalReview.id;
    expect(reviews.findJudgement(id)?.text).toContain('Bostad först Stockholm');
    const recommendations = reviews.listFindings(id).filter((f) => f.kind === 'recommendation');
    expect(recommendations.some((f) => f.priority === 'high')).toBe(true);
    expect(recommendations.every((f) => f.owner !== undefined)).toBe(true);
    expect(reviews.findEvidenceBase(id)).toMatchObject({ staff: 7, caseFiles: 10, caseFileAccess: 'consent', oralDebrief: true });
    expect(reviews.findFactualCheck(id)?.response).toContain('Vi tackar panelen');

    const gathered = gatherReportData({ municipalities: createMunicipalityStore(db), reviews }, '0180');
    if (gathered.kind !== 'ok') throw new Error(gathered.kind);
    const { pdf } = await renderReportPdf(buildReportModel(gathered.data, 'sv'), testReportFonts());
    const page1 = normalizeSpace(extractPdfText(pdf, { page: 1 }));
    expect(page1).toContain('modelltrohet');
    expect(page1).toContain('Panelens samlade bedömning');
    expect(page1).toContain('Socialnämnden behöver säkra bemanningen');
    expect(page1).toContain('Det viktigaste att göra');
    expect(page1).toContain('prioritet hög');
    const text = normalizeSpace(extractPdfText(pdf));
    expect(text).toContain('Bilaga: verksamhetens svar');
    expect(text).toContain('10 personakter, lästa med deltagarnas samtycke');
  });
});
