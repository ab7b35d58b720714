// The report as a board document, read from the rendered PDF's text: the follow-up window
// counted from the later of the visit and the finalisation, a window already over said to be so, outcomes before the
// trend and the plans, one line instead of an empty action plan, the radar's spokes named, and the English report's
// note on the language of free text.
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import { createOutcomeStore } from '../../src/outcomes/outcome-store.js';
import { createProgramWorkReportSource } from '../helpers/test-app.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData, type ProgramReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { extractPdfText, listOutlineTitles, normalizeSpace } from './pdf-text.js';
import { createReportScenario, outcomesOf2025, testReportFonts } from './report-fixtures.js';

type Scenario = Awaited<ReturnType<typeof createReportScenario>>;

function gather(s: Scenario): ReportData {
  const gathered = gatherReportData(
    { municipalities: createMunicipalityStore(s.db), reviews: s.reviews, programWork: createProgramWorkReportSource(s.db) },
    s.municipalityCode,
  );
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  return gathered.data;
}

/** The program's latest review as if it had been finalised at `finalisedAt` (the fixture finalises them now). */
function finalisedAt(program: ProgramReportData, stamp: string): ProgramReportData {
  return { ...program, latest: { ...program.latest, review: { ...program.latest.review, finalisedAt: stamp } } };
}

async function pdfText(data: ReportData, locale: Locale = 'en'): Promise<{ text: string; pdf: Uint8Array }> {
  const { pdf } = await renderReportPdf(buildReportModel(data, locale), testReportFonts());
  return { text: normalizeSpace(extractPdfText(pdf)), pdf };
}

describe('the follow-up window', { timeout: 90_000 }, () => {
  it('when the review was finalised months after the visit, then the window is counted from the finalisation', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five' });
    const data = gather(s);
    const [program] = data.programs;
    if (!program) throw new Error('no program');
    const { text } = await pdfText({ ...data, programs: [finalisedAt(program, '2024-12-01T10:00:00.000Z')] });
    expect(text).toContain(
      'the next review should take place 6–9 months after the review was finalised on 1 December 2024, later than the site visit, that is between 1 June 2025 and 1 September 2025.',
    );
    expect(text).not.toContain('already run out');
  });

  it('when the review was finalised on the day of the visit, then the window is counted from the visit', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five' });
    const data = gather(s);
    const [program] = data.programs;
    if (!program) throw new Error('no program');
    const { text } = await pdfText({ ...data, programs: [finalisedAt(program, '2024-03-11T16:00:00.000Z')] }, 'sv');
    expect(text).toContain('månader efter platsbesöket 11 mars 2024, det vill säga mellan 11 september 2024 och 11 december 2024.');
    expect(text).not.toContain('redan gått ut');
  });

  it('when a program’s window ended before the day the report’s data describe, then the report says it has passed', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five', programs: 2 });
    const data = gather(s);
    const [early, late] = data.programs;
    if (!early || !late) throw new Error('two programs expected');
    const programs = [finalisedAt(early, '2024-04-01T10:00:00.000Z'), finalisedAt(late, '2026-06-01T10:00:00.000Z')];
    const { text } = await pdfText({ ...data, programs });
    expect(text).toContain(
      'The time for the next review has already run out: it ended on 1 January 2025, before 1 June 2026, the day the report’s data are as of. The next review is overdue and should be planned now.',
    );
    // Only the program whose window is over.
    expect(text.split('already run out')).toHaveLength(2);
    const swedish = (await pdfText({ ...data, programs }, 'sv')).text;
    expect(swedish).toContain(
      'Tiden för nästa granskning har redan gått ut: den slutade 1 januari 2025, före den 1 juni 2026 som rapportens uppgifter avser.',
    );
  });
});

describe('the order of a program’s chapter', { timeout: 90_000 }, () => {
  it('puts outcomes after the barriers and before the trend, the action plan, the follow-up and the method', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five', reviewsPerProgram: 2 });
    const program = s.programs[0];
    if (!program) throw new Error('no program');
    createOutcomeStore(s.db).insertPeriod(program.id, outcomesOf2025(''), s.panel[0]?.id ?? 0);
    const { pdf } = await pdfText(gather(s));
    const outline = listOutlineTitles(pdf);
    const order = [
      'Barriers',
      'Outcomes',
      'Change since the previous review',
      'Action plan after this review',
      'Follow-up',
      'Appendix: Method',
    ].map((title) => outline.indexOf(title));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('typesetting details', { timeout: 90_000 }, () => {
  it('when no action is planned for the recommendations, then one line says so instead of a table', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five' });
    const { text } = await pdfText(gather(s));
    expect(text).toContain('No actions are planned yet for the review’s recommendations (1); they are listed under each section above.');
    expect(text).not.toContain('no action recorded');
  });

  it('names every spoke of the radar, and the English report says once that free text stays in the panel’s language', async () => {
    const s = await createReportScenario();
    const data = gather(s);
    const english = await pdfText(data, 'en');
    const rubric = data.programs[0]?.latest.review.rubric.rubric;
    const principles = rubric?.sections.filter((section) => section.kind === rubric.parts[0]?.id) ?? [];
    expect(principles.length).toBeGreaterThanOrEqual(3);
    // The radar follows the table of the parts and comes before the first figure caption.
    const figure = english.text.slice(english.text.indexOf('Part Mean Percent of maximum'), english.text.indexOf('Figure:'));
    expect(figure.length).toBeGreaterThan(0);
    for (const section of principles) expect(figure).toContain(`${section.code} ${section.title.en.split(' ')[0]}`);
    const note = 'Free text (rationales, strengths, recommendations, barriers) is printed in the language the panel wrote it in.';
    expect(english.text.split(note)).toHaveLength(2);
    const swedish = await pdfText(data, 'sv');
    expect(swedish.text).not.toContain('Fritext (motiveringar');
  });
});
