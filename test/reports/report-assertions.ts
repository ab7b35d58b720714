// What every rendered report must say, checked on its extracted text; shared by the route and CLI tests.
import { expect } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createProgramWorkReportSource } from '../helpers/test-app.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { computeDataHash, formatVerificationCode } from '../../src/reports/report-model.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { extractPdfText, normalizeSpace } from './pdf-text.js';
import { pickConsensus, RECOMMENDATION, type ReportScenario, STRENGTH } from './report-fixtures.js';

/** The verification code of the scenario's report, gathered as the app and the CLI gather it. */
export function expectedCode(s: ReportScenario): string {
  const stores = {
    municipalities: createMunicipalityStore(s.db),
    reviews: s.reviews,
    programWork: createProgramWorkReportSource(s.db),
  };
  const gathered = gatherReportData(stores, s.municipalityCode);
  if (gathered.kind !== 'ok') throw new Error(`no report data: ${gathered.kind}`);
  return formatVerificationCode(computeDataHash(gathered.data));
}

/** Every page of the extracted text (pdftotext ends each page with a form feed). */
function pagesOf(text: string): string[] {
  return text.split('\f').slice(0, -1);
}

export const WORDS = {
  sv: {
    of: 'av',
    code: 'Verifieringskod',
    summary: 'Sammanfattning',
    trend: 'Utveckling sedan förra granskningen',
    method: 'Bilaga: Metod',
  },
  en: { of: 'of', code: 'Verification code', summary: 'Summary', trend: 'Change since the previous review', method: 'Appendix: Method' },
} as const;

/** Checks the text of a report of `s` in `locale`: names, titles, every consensus score and the code. */
export function expectReportContent(s: ReportScenario, pdf: Buffer, locale: Locale, code = expectedCode(s)): void {
  const words = WORDS[locale];
  const text = normalizeSpace(extractPdfText(pdf));
  const layout = extractPdfText(pdf, { layout: true });
  const rubric = s.rubric.rubric;
  expect(text).toContain(s.municipalityName);
  for (const program of s.programs) expect(text).toContain(program.name);
  for (const section of rubric.sections) expect(text).toContain(`${section.code} ${section.title[locale]}`);
  for (const part of rubric.parts) expect(text).toContain(part.title[locale]);
  expect(text).toContain(words.summary);
  expect(text).toContain(words.method);
  expect(text).toContain(STRENGTH);
  expect(text).toContain(RECOMMENDATION);
  // The consensus score of every indicator in every program's latest review, on its row: the row starts
  // with the indicator's number, and its consensus cell is on the row's first line.
  const latest = (s.programs[0]?.reviewIds.length ?? 1) - 1;
  const indicators = listIndicators(rubric);
  const rows = layout.split('\n');
  s.programs.forEach((_program, p) => {
    indicators.forEach(({ section, indicator }, index) => {
      const number = section.indicators.indexOf(indicator) + 1;
      const score = pickConsensus(indicator, p, latest, index);
      const pattern = new RegExp(`^\\s*${section.code}\\.${number} .*\\s${score} ${words.of} ${indicator.scale.max}\\s`);
      const matching = rows.filter((row) => pattern.test(row));
      expect(matching.length, `${section.code}.${number} in program ${p + 1}`).toBeGreaterThanOrEqual(1);
    });
  });
  // Programs appear in the order of the municipality's program list; count each indicator row across them.
  const firstIndicator = indicators[0];
  if (firstIndicator) {
    const rowsOfFirst = rows.filter((row) => row.trimStart().startsWith(`${firstIndicator.section.code}.1 `));
    expect(rowsOfFirst).toHaveLength(s.programs.length);
  }
  const pages = pagesOf(extractPdfText(pdf));
  expect(pages.length).toBeGreaterThan(3);
  for (const page of pages) expect(normalizeSpace(page)).toContain(`${words.code} ${code}`);
}

// Rendering starts a worker thread and builds whole reports: slow on a loaded machine.
