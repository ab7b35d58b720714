// The report's part on last round's recommendations and what became of them sets the panel's consensus then and now
// beside each one, and compares this round's with the top of the scale (the action plan stores no target score), so a
// done action never reads as a goal reached. A recommendation that names one indicator of its section (by number or by
// quoting its statement) gets that indicator's scores; any other gets its section's mean. Read from the rendered PDFs.
import { describe, expect, it } from 'vitest';
import type { ActionStatus } from '../../src/actions/action-status.js';
import type { Locale } from '../../src/i18n/locale.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel, type ReportModel } from '../../src/reports/report-model.js';
import { extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario, RECOMMENDATION, type ReportScenario, testReportFonts } from './report-fixtures.js';

/**
 * The mini rubric's consensus (report-fixtures' pickConsensus) in 2024 and 2025: C1.2 “Beta registreras” 2 → 3 of 5,
 * C2.2 “Delta följs upp” 4 → 5 of 5, section C1's mean 1.5 → 2.5 of 1–5; section C2 mixes a 0–2 scale with 1–5 ones,
 * so it has no mean.
 */
const NAMES_BETA = '”Beta registreras” nådde 2 av 5. Registrera beta i varje akt.';
const NAMES_C2_2 = 'Följ upp C2.2 varje kvartal.';
const NAMES_NONE_C2 = 'Samordna rutinerna i avsnittet.';

/** Two rounds; the 2024 round's actions saved with the status given for their recommendation, all due 2025-12-31. */
async function createRounds(statuses: Readonly<Record<string, ActionStatus>>): Promise<ReportScenario> {
  const s = await createReportScenario({
    rubricId: 'mini-five',
    reviewsPerProgram: 2,
    recommendationsOf: (review) =>
      review === 0
        ? { 'c1-first': [NAMES_BETA, RECOMMENDATION], 'c2-second': [NAMES_C2_2, NAMES_NONE_C2] }
        : { 'c1-first': [RECOMMENDATION] },
  });
  const earlier = s.programs[0]?.reviewIds[0] ?? 0;
  const actorId = s.panel[0]?.id ?? 0;
  expect(s.services.actionPlans.createPlan(earlier, actorId).outcome).toBe('created');
  for (const action of s.services.actions.listActionsOfReview(earlier)) {
    const status = statuses[action.recommendation] ?? 'not_started';
    const input = { ownerUserId: undefined, ownerName: 'Sofia Ek', dueOn: '2025-12-31', status, expectedVersion: action.version };
    expect(s.services.actions.updateAction(action.id, input, actorId)).toBe('saved');
  }
  return s;
}

function buildModel(s: ReportScenario, locale: Locale): ReportModel {
  const gathered = gatherReportData(
    { municipalities: s.services.municipalities, reviews: s.reviews, programWork: s.services },
    s.municipalityCode,
  );
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  return buildReportModel(gathered.data, locale);
}

/** The part's table in the model: each row's recommendation, section, scores and status, as text. */
function lastRoundRows(model: ReportModel, caption: string): string[][] {
  const table = model.chapters.flatMap((chapter) => chapter.blocks).find((block) => block.type === 'table' && block.caption === caption);
  if (table?.type !== 'table') throw new Error(`no table ${caption}`);
  return table.rows.map((row) => row.slice(0, 4).map((cell) => cell.map((paragraph) => paragraph.text).join(' | ')));
}

/** The report's text as the PDF prints it. */
async function pdfText(model: ReportModel): Promise<string> {
  const { pdf } = await renderReportPdf(model, testReportFonts());
  return normalizeSpace(extractPdfText(pdf));
}

/** How many times `part` occurs in `text`. */
const count = (text: string, part: string) => text.split(part).length - 1;

const STATUSES: Readonly<Record<string, ActionStatus>> = {
  [NAMES_BETA]: 'done',
  [RECOMMENDATION]: 'in_progress',
  [NAMES_C2_2]: 'done',
  [NAMES_NONE_C2]: 'not_started',
};

describe('last round’s recommendations beside the scores then and now', { timeout: 60_000 }, () => {
  it('when a done action’s indicator stayed below the top of its scale, then the part says the action is done and the top score not reached', async () => {
    const s = await createRounds(STATUSES);
    const swedish = buildModel(s, 'sv');
    expect(lastRoundRows(swedish, 'Förra omgångens rekommendationer och åtgärder')).toEqual([
      [NAMES_BETA, 'C1 Första', 'C1.2: 2 → 3 av 5 | Högsta poäng (5) inte nådd', 'Åtgärden klar'],
      [
        RECOMMENDATION,
        'C1 Första',
        'C1 medelvärde: 1,50 → 2,50 (skala 1–5) | Högsta poäng (5) inte nådd',
        'Försenad, klar senast 2025-12-31 | Åtgärden pågår',
      ],
      [NAMES_C2_2, 'C2 Andra', 'C2.2: 4 → 5 av 5 | Högsta poäng nådd', 'Åtgärden klar'],
      // Section C2 has no mean to compare: a dash, not a made-up figure.
      [NAMES_NONE_C2, 'C2 Andra', '–', 'Försenad, klar senast 2025-12-31 | Åtgärden inte påbörjad'],
    ]);
    const text = await pdfText(swedish);
    const start = text.indexOf('Förra omgångens rekommendationer och vad som blev av dem Poängen');
    expect(start).toBeGreaterThan(-1);
    const part = text.slice(start, text.indexOf('Åtgärdsplan efter den här granskningen', start));
    for (const printed of ['C1.2: 2 → 3 av 5', 'C1 medelvärde: 1,50 → 2,50 (skala 1–5)', 'C2.2: 4 → 5 av 5', 'Högsta poäng nådd']) {
      expect(part).toContain(printed);
    }
    expect(count(part, 'Högsta poäng (5) inte nådd')).toBe(2);
    expect(count(part, 'Åtgärden klar')).toBe(2);
    expect(count(part, 'Försenad, klar senast 2025-12-31')).toBe(2);
    // The header and the intro say what the figures are and what they are compared with.
    expect(part).toContain('Poäng då → nu');
    expect(part).toContain(
      'Åtgärdsplanen anger inga mål i poäng, så tabellen jämför med skalans högsta: en klar åtgärd är inte ett nått mål.',
    );
    // The bare status of the app, which read as the goal reached, is not this part's.
    expect(part).not.toMatch(/ Klar /);

    const english = buildModel(s, 'en');
    expect(lastRoundRows(english, 'Last round’s recommendations and actions').map((row) => row.slice(2))).toEqual([
      ['C1.2: 2 → 3 of 5 | Top score (5) not reached', 'Action done'],
      ['C1 mean: 1.50 → 2.50 (scale 1–5) | Top score (5) not reached', 'Overdue, due 2025-12-31 | Action in progress'],
      ['C2.2: 4 → 5 of 5 | Top score reached', 'Action done'],
      ['–', 'Overdue, due 2025-12-31 | Action not started'],
    ]);
    const englishText = await pdfText(english);
    expect(englishText).toContain('Score then → now');
    expect(englishText).toContain('C1 mean: 1.50 → 2.50 (scale 1–5)');
    expect(count(englishText, 'Top score (5) not reached')).toBe(2);
    expect(englishText).toContain('The action plan sets no target score, so the table compares with the top of the scale');
  });

  it('when an indicator was not scored in this round, then the part says so instead of comparing', async () => {
    const s = await createRounds(STATUSES);
    const latest = s.programs[0]?.reviewIds[1] ?? 0;
    // The consensus of a final review cannot be changed through the app: the 2025 round's delta is made N/A in the table.
    s.db
      .prepare("UPDATE consensus_ratings SET score = NULL, not_applicable = 1 WHERE review_id = ? AND indicator_id = 'c2-delta'")
      .run(latest);
    const rows = lastRoundRows(buildModel(s, 'sv'), 'Förra omgångens rekommendationer och åtgärder');
    expect(rows[2]?.[2]).toBe('C2.2: 4 → – av 5 | Ingen poäng i den här granskningen');
    expect(lastRoundRows(buildModel(s, 'en'), 'Last round’s recommendations and actions')[2]?.[2]).toBe(
      'C2.2: 4 → – of 5 | No score in this review',
    );
  });
});
