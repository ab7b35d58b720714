// The panel's and the program's Swedish inside the English report's own words (a recommendation in its line of
// section, priority and owner; an outcome comment after its period; a rationale after "Rationale:"): only the free
// text carries Lang sv-SE, as a Span within its paragraph or list item, so a screen reader reads the report's words
// in English (PDF/UA-1 7.2). Read from the rendered PDF's structure with poppler's pdfinfo -struct-text.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createOutcomeStore } from '../../src/outcomes/outcome-store.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { flattenStruct, readPdf, readStructTree, textOf } from '../helpers/pdf-structure.js';
import { createProgramWorkReportSource } from '../helpers/test-app.js';
import { extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario, RATIONALE, RECOMMENDATION, outcomesOf2025, testReportFonts } from './report-fixtures.js';

const COMMENT = 'Två lägenheter stod tomma i väntan på renovering under våren.';

async function scenarioData(): Promise<ReportData> {
  const s = await createReportScenario();
  const program = s.programs[0];
  if (!program) throw new Error('no program');
  createOutcomeStore(s.db).insertPeriod(program.id, outcomesOf2025(COMMENT), s.panel[0]?.id ?? 0);
  const gathered = gatherReportData(
    { municipalities: createMunicipalityStore(s.db), reviews: s.reviews, programWork: createProgramWorkReportSource(s.db) },
    s.municipalityCode,
  );
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  return gathered.data;
}

async function render(data: ReportData, locale: Locale): Promise<Uint8Array> {
  return (await renderReportPdf(buildReportModel(data, locale), testReportFonts())).pdf;
}

/** A line of text in the tagged structure and the language it is read in: the nearest Lang of its elements. */
type ReadText = { readonly text: string; readonly lang: string };

/**
 * The tagged structure's text, line by line as poppler prints it (pdfinfo -struct-text: an element per line, indented
 * by depth, the text of its marked content quoted under it), each with the language of the elements it is in, taken
 * from the structure tree read object by object (both list the elements depth first in reading order).
 */
function readTexts(pdf: Uint8Array, documentLang: string): ReadText[] {
  const result = spawnSync('pdfinfo', ['-struct-text', '-'], { input: Buffer.from(pdf), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pdfinfo failed: ${result.stderr}`);
  const nodes = flattenStruct(readStructTree(readPdf(pdf))).slice(1);
  const stack: { depth: number; lang: string }[] = [];
  const texts: ReadText[] = [];
  let element = 0;
  for (const line of result.stdout.split('\n')) {
    const depth = line.length - line.trimStart().length;
    const trimmed = line.trim();
    while ((stack.at(-1)?.depth ?? -1) >= depth) stack.pop();
    if (trimmed.startsWith('"')) {
      texts.push({ text: trimmed.slice(1, -1), lang: stack.at(-1)?.lang ?? documentLang });
      continue;
    }
    const type = /^(\w+)(?: "[^"]*")?(?: \((?:block|inline)\))?:?$/.exec(trimmed)?.[1];
    if (type === undefined) continue;
    const node = nodes[element];
    element += 1;
    expect(node?.type).toBe(type);
    stack.push({ depth, lang: textOf(node?.dict.get('Lang')) ?? stack.at(-1)?.lang ?? documentLang });
  }
  expect(element).toBe(nodes.length);
  return texts;
}

/** The languages the lines holding `needle` are read in. */
const langsOf = (texts: readonly ReadText[], needle: string) => [
  ...new Set(texts.filter((line) => line.text.includes(needle)).map((line) => line.lang)),
];

describe('the panel’s and the program’s Swedish inside the English report’s words', { timeout: 90_000 }, () => {
  it('when the English report prints them, then only the Swedish is read as sv-SE, the report’s words around it as en-GB, and the text reads as before', async () => {
    const data = await scenarioData();
    const pdf = await render(data, 'en');
    const texts = readTexts(pdf, 'en-GB');
    // The outcome comment after its period, in the method part's list of the program's comments.
    expect(langsOf(texts, '2025-12-31:')).toEqual(['en-GB']);
    expect(langsOf(texts, COMMENT)).toEqual(['sv-SE']);
    // Page 1's most important recommendation in its frame of section, priority and owner.
    expect(langsOf(texts, RECOMMENDATION)).toEqual(['sv-SE']);
    expect(langsOf(texts, '; priority ')).toEqual(['en-GB']);
    // A rationale in the table of indicators.
    expect(langsOf(texts, RATIONALE)).toEqual(['sv-SE']);
    expect(langsOf(texts, 'Rationale: ')).toEqual(['en-GB']);
    // No element with English words of the report is marked Swedish.
    for (const words of ['The program’s comments', 'Rationale:', '(A1;', 'owner:']) {
      expect(langsOf(texts, words), words).not.toContain('sv-SE');
    }
    // Drawn in runs, the lines read as one text, in the same order.
    const text = normalizeSpace(extractPdfText(pdf));
    expect(text).toContain(`2025-12-31: ${COMMENT}`);
    expect(text).toMatch(new RegExp(`${RECOMMENDATION.replace(/[.]/g, '\\.')} \\(A1; priority \\w+; owner: [^)]+\\)`));
    expect(text).toContain(`Rationale: ${RATIONALE}`);
  });

  it('when the Swedish report prints them, then nothing is marked with a language of its own', async () => {
    const data = await scenarioData();
    const pdf = await render(data, 'sv');
    const nodes = flattenStruct(readStructTree(readPdf(pdf)));
    expect(nodes.filter((node) => node.type === 'Span' || textOf(node.dict.get('Lang')) !== undefined)).toEqual([]);
    expect(normalizeSpace(extractPdfText(pdf))).toContain(`2025-12-31: ${COMMENT}`);
  });
});
