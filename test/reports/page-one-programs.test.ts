// Page 1 of a report on a municipality with several programs, read from the rendered PDF: a rubric every program was
// reviewed with is named once.
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { loadReportFonts, renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario } from './report-fixtures.js';

type Scenario = Awaited<ReturnType<typeof createReportScenario>>;

async function threePrograms(): Promise<{ s: Scenario; data: ReportData }> {
  const s = await createReportScenario({ programs: 3, reviewsPerProgram: 2 });
  const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  return { s, data: gathered.data };
}

async function render(data: ReportData, locale: Locale): Promise<{ pdf: Uint8Array; pages: string[] }> {
  const { pdf } = await renderReportPdf(buildReportModel(data, locale), loadReportFonts());
  const pages = extractPdfText(pdf)
    .split('\f')
    .filter((page) => page.trim() !== '')
    .map(normalizeSpace);
  return { pdf, pages };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('page 1 of a report on several programs', { timeout: 120_000 }, () => {
  it('when every program was reviewed with the same version of the rubric, then page 1 names it once, in the basis', async () => {
    const { s, data } = await threePrograms();
    for (const locale of ['sv', 'en'] as const) {
      const [page1 = ''] = (await render(data, locale)).pages;
      const title = s.rubric.rubric.title[locale];
      expect(count(page1, title), locale).toBe(1);
      expect(page1).toContain(
        `${locale === 'sv' ? 'Bedömningsmall' : 'Rubric'}: ${title}, version ${s.rubric.rubric.version} ${data.programs[0]?.program.name}`,
      );
    }
  });

  it('when the programs were reviewed with different versions of the rubric, then each program’s row names its own', async () => {
    const { s, data } = await threePrograms();
    const programs = data.programs.map((program, index) =>
      index === 1 ? { ...program, latest: { ...program.latest, review: { ...program.latest.review, rubricVersion: '1.9' } } } : program,
    );
    const [page1 = ''] = (await render({ ...data, programs }, 'sv')).pages;
    expect(count(page1, s.rubric.rubric.title.sv)).toBe(3);
    expect(page1).toContain(`${s.rubric.rubric.title.sv}, version 1.9`);
  });
});
