// The report's action parts (last round's recommendations and this round's action plan) describe the actions as of one
// day from the data, never the day the report is printed: the later of the report's date (the newest finalisation) and
// the newest record on those actions (a save or a progress note's date). Each part's intro names the day, and an open
// action due before it is marked overdue since its due date. The Swedish report is read from the rendered PDF's text.
import { describe, expect, it } from 'vitest';
import { createSettableClock } from '../../src/clock.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { createProgramWorkReportSource, makeTestApp } from '../helpers/test-app.js';
import { extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario, type ReportScenario, testReportFonts } from './report-fixtures.js';

/** When the report's review was finalised: 6 May 2026 in Sweden (the fixture finalises it now). */
const FINALISED_AT = '2026-05-06T09:00:00.000Z';

type Rounds = { readonly s: ReportScenario; readonly at: <T>(instant: string, run: () => T) => T; readonly actorId: number };

/**
 * A program with two final rounds and a plan for each, every action saved at its own time: last round's action due at
 * the end of 2025 and still under way in February 2026, this round's made on the finalisation day and due 30 September
 * 2026 (after the finalisation). Its owner is set then, with no note.
 */
async function createRounds(): Promise<Rounds> {
  const time = createSettableClock();
  const s = await createReportScenario({ rubricId: 'mini-five', reviewsPerProgram: 2, app: makeTestApp({ clock: time.clock }) });
  const [lastRoundId, latestId] = s.programs[0]?.reviewIds ?? [];
  const actorId = s.panel[0]?.id ?? 0;
  if (lastRoundId === undefined || latestId === undefined) throw new Error('two rounds expected');
  const { actions, actionPlans } = s.services;
  const save = (reviewId: number, dueOn: string, note?: { notedOn: string; text: string }) => {
    const [action] = actions.listActionsOfReview(reviewId);
    if (!action) throw new Error('no action');
    const input = { ownerUserId: undefined, ownerName: 'Sofia Ek', dueOn, status: 'in_progress' as const, note };
    expect(actions.updateAction(action.id, { ...input, expectedVersion: action.version }, actorId)).toBe('saved');
  };
  time.at('2025-05-12T09:00:00.000Z', () => {
    expect(actionPlans.createPlan(lastRoundId, actorId).outcome).toBe('created');
    save(lastRoundId, '2025-12-31');
  });
  time.at('2026-02-15T10:00:00.000Z', () => save(lastRoundId, '2025-12-31', { notedOn: '2026-02-15', text: 'Rutinen skrivs nu.' }));
  time.at('2026-05-06T13:00:00.000Z', () => {
    expect(actionPlans.createPlan(latestId, actorId).outcome).toBe('created');
    save(latestId, '2026-09-30');
  });
  return { s, at: time.at, actorId };
}

function gather(s: ReportScenario): ReportData {
  const gathered = gatherReportData(
    { municipalities: createMunicipalityStore(s.db), reviews: s.reviews, programWork: createProgramWorkReportSource(s.db) },
    s.municipalityCode,
  );
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  const [program, ...rest] = gathered.data.programs;
  if (!program) throw new Error('no program');
  const latest = { ...program.latest, review: { ...program.latest.review, finalisedAt: FINALISED_AT } };
  return { ...gathered.data, programs: [{ ...program, latest }, ...rest] };
}

async function pdfText(data: ReportData): Promise<string> {
  const { pdf } = await renderReportPdf(buildReportModel(data, 'sv'), testReportFonts());
  return normalizeSpace(extractPdfText(pdf));
}

/** The English report's text as its model holds it (paragraphs and table cells). */
function englishText(data: ReportData): string {
  return buildReportModel(data, 'en')
    .chapters.flatMap((chapter) => chapter.blocks)
    .flatMap((block) =>
      block.type === 'paragraph' ? [block.paragraph.text] : block.type === 'table' ? block.rows.flat(2).map((cell) => cell.text) : [],
    )
    .join('\n');
}

/** How many times `part` occurs in `text`. */
const count = (text: string, part: string) => text.split(part).length - 1;

describe('the action parts of the report, as of one day', { timeout: 90_000 }, () => {
  it('when nothing was recorded on the actions after the finalisation, then they are described as of the report’s date', async () => {
    const { s } = await createRounds();
    const swedish = await pdfText(gather(s));
    expect(count(swedish, 'Läget enligt åtgärdsplanen den 6 maj 2026:')).toBe(2);
    // Last round's action was due at the end of 2025; this round's is due after the report's date. The status says
    // since when, by the due date: the as-of day is the intro's.
    expect(count(swedish, 'Försenad, klar senast 2025-12-31')).toBe(1);
    expect(count(swedish, 'Försenad')).toBe(1);
    const english = englishText(gather(s));
    expect(count(english, 'Status as recorded in the action plan on 6 May 2026:')).toBe(2);
    expect(count(english, 'Overdue, due 2025-12-31')).toBe(1);
    expect(count(english, 'Overdue')).toBe(1);
  });

  it('when a progress note is dated after an action’s due date, itself after the finalisation, then the parts are as of the note’s day and the action is overdue', async () => {
    const { s, at, actorId } = await createRounds();
    const before = buildReportModel(gather(s), 'sv').verification.code;
    const [action] = s.services.actions.listActionsOfReview(s.programs[0]?.reviewIds[1] ?? 0);
    if (!action) throw new Error('no action');
    const note = { notedOn: '2026-11-16', text: 'Den ena tjänsten är tillsatt, den andra utannonserad igen.' };
    const input = { ownerUserId: undefined, ownerName: 'Sofia Ek', dueOn: '2026-09-30', status: 'in_progress' as const, note };
    at('2026-11-16T12:00:00.000Z', () =>
      expect(s.services.actions.updateAction(action.id, { ...input, expectedVersion: action.version }, actorId)).toBe('saved'),
    );
    const data = gather(s);
    const swedish = await pdfText(data);
    expect(swedish).toContain('2026-11-16: Den ena tjänsten är tillsatt, den andra utannonserad igen.');
    expect(count(swedish, 'Läget enligt åtgärdsplanen den 16 november 2026:')).toBe(2);
    // Both open actions, the one due at the end of 2025 and the one due 30 September 2026.
    expect(count(swedish, 'Försenad, klar senast 2025-12-31')).toBe(1);
    expect(count(swedish, 'Försenad, klar senast 2026-09-30')).toBe(1);
    expect(swedish).not.toContain('6 maj 2026:');
    const english = englishText(data);
    expect(count(english, 'Status as recorded in the action plan on 16 November 2026:')).toBe(2);
    expect(count(english, 'Overdue, due 2025-12-31')).toBe(1);
    expect(count(english, 'Overdue, due 2026-09-30')).toBe(1);
    // The report states another day, so its verification code is another.
    expect(buildReportModel(data, 'sv').verification.code).not.toBe(before);
  });

  it('when an action is only saved after the finalisation, with no note, then the parts are as of that save and the code changes', async () => {
    const { s, at, actorId } = await createRounds();
    const before = buildReportModel(gather(s), 'sv').verification.code;
    const [action] = s.services.actions.listActionsOfReview(s.programs[0]?.reviewIds[1] ?? 0);
    if (!action) throw new Error('no action');
    // The same status, owner and due date saved again on 1 October: nothing else the report prints changes.
    const input = { ownerUserId: undefined, ownerName: 'Sofia Ek', dueOn: '2026-09-30', status: 'in_progress' as const };
    at('2026-10-01T08:00:00.000Z', () =>
      expect(s.services.actions.updateAction(action.id, { ...input, expectedVersion: action.version }, actorId)).toBe('saved'),
    );
    const data = gather(s);
    expect(count(englishText(data), 'Status as recorded in the action plan on 1 October 2026:')).toBe(2);
    // Due 30 September, overdue on 1 October.
    expect(count(englishText(data), 'Overdue, due 2026-09-30')).toBe(1);
    expect(count(englishText(data), 'Overdue, due')).toBe(2);
    expect(buildReportModel(data, 'sv').verification.code).not.toBe(before);
  });
});
