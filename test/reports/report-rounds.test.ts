// Which rounds the report compares and counts. Rounds are ordered and dated as the app orders them (review-rounds.ts):
// by when they took place, so a historical round imported from paper today falls where its date puts it and is dated by
// it, never by the import day; the overdue actions of every earlier round count, as the action plan page lists them, so
// an imported round between two rounds does not hide the older round's. A round scored on another rubric version is
// compared only where both versions measured the same: never the overall of 1.1 (all 14 sections) beside 2.0's (A1–A8).
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { scoreReview } from '../../src/reviews/scoring.js';
import { createScenarioInConsensus } from '../helpers/review-scenario.js';
import {
  createTestUser,
  extractCsrfToken,
  FROZEN_1_1_RUBRIC_FILE,
  loadTestRubrics,
  loginAgent,
  type TestApp,
} from '../helpers/test-app.js';
import { binaryParser, extractPdfPages, normalizeSpace } from './pdf-text.js';
import { createReportScenario, RECOMMENDATION, type ReportScenario } from './report-fixtures.js';

const IMPORT_HEADER =
  'municipality_code,program,review_id,review_date,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus';

/**
 * The report as the app serves it, in `lang`: page 1 and the whole text, spaces normalised, and the text laid out as
 * printed, a table row's first line on one line.
 */
async function downloadReport(s: ReportScenario, lang: 'sv' | 'en'): Promise<{ page1: string; text: string; layout: string }> {
  const agent = await s.login(s.reader);
  const response = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf?lang=${lang}`).buffer(true).parse(binaryParser);
  expect(response.status).toBe(200);
  const pages = extractPdfPages(response.body as Buffer).map(normalizeSpace);
  return { page1: pages[0] ?? '', text: pages.join(' '), layout: extractPdfPages(response.body as Buffer, { layout: true }).join('\n') };
}

/** The text from the last `heading` (the contents name it first) up to `end`. */
function partOf(text: string, heading: string, end: string): string {
  const from = text.lastIndexOf(heading);
  expect(from, heading).toBeGreaterThan(0);
  return text.slice(from, text.indexOf(end, from));
}

/**
 * A program with rounds in 2024 and 2025 (mini-five), a plan for each with one action under way: the 2024 one due at
 * the end of 2024, the 2025 one at the end of June 2025, both long overdue.
 */
async function createRoundsWithPlans(): Promise<ReportScenario> {
  const s = await createReportScenario({ rubricId: 'mini-five', reviewsPerProgram: 2 });
  const { actions, actionPlans } = s.services;
  const actorId = s.panel[0]?.id ?? 0;
  const plan = (reviewId: number | undefined, dueOn: string) => {
    if (reviewId === undefined) throw new Error('two rounds expected');
    expect(actionPlans.createPlan(reviewId, actorId).outcome).toBe('created');
    const [action] = actions.listActionsOfReview(reviewId);
    if (!action) throw new Error('no action');
    const input = { ownerUserId: undefined, ownerName: 'Sofia Ek', dueOn, status: 'in_progress' as const, note: undefined };
    expect(actions.updateAction(action.id, { ...input, expectedVersion: action.version }, actorId)).toBe('saved');
  };
  const [first, second] = s.programs[0]?.reviewIds ?? [];
  plan(first, '2024-12-31');
  plan(second, '2025-06-30');
  return s;
}

/**
 * Imports a paper round of `rubricId` (mini-five unless given) dated `date`, every score at the scale's lowest, through
 * the research import page, as a researcher does.
 */
async function importRound(
  s: Pick<TestApp, 'app' | 'db' | 'rubrics'>,
  place: { readonly code: string; readonly program: string },
  date: string,
  rubricId = 'mini-five',
): Promise<void> {
  const rubric = s.rubrics.get(rubricId)?.rubric;
  if (!rubric) throw new Error(rubricId);
  const rows = listIndicators(rubric).flatMap(({ section, indicator }) => {
    const base = `${place.code},${place.program},paper-${date},${date},${rubricId},${rubric.version},${section.id},${indicator.id}`;
    return [
      `${base},P1,lead,${indicator.scale.min},0,0`,
      `${base},P2,reviewer,${indicator.scale.min},0,0`,
      `${base},,,${indicator.scale.min},0,1`,
    ];
  });
  const researcher = await createTestUser(s.db, ['researcher']);
  const agent = await loginAgent(s.app, researcher.email);
  const page = await agent.get('/research/import');
  const response = await agent
    .post('/research/import')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), rubric: rubricId, kind: 'peer_review', csv: [IMPORT_HEADER, ...rows, ''].join('\r\n') });
  expect(response.status).toBe(303);
}

describe('the rounds a report compares and counts', { timeout: 90_000 }, () => {
  it('when a round dated between two rounds is imported, then the report dates it by its visit and still counts the older round’s overdue action', async () => {
    const s = await createRoundsWithPlans();
    const before = await downloadReport(s, 'sv');
    expect(before.page1).toMatch(/2 åtgärder var försenade den [^()]+ \(1 från förra granskningen, 1 från den här\)\./);
    expect(before.page1).toMatch(/förra nivån .+ \(2024-03-10\)\./);
    expect(before.text).not.toContain('Försenade åtgärder från tidigare granskningar');

    await importRound(s, { code: s.municipalityCode, program: s.programs[0]?.name ?? '' }, '2024-09-15');
    // Stored as a final peer review of the program, finalised today, its visit the day the file gives.
    const rounds = s.reviews.listFinalPeerReviewsOfProgram(s.programs[0]?.id ?? 0);
    const imported = rounds.find((review) => review.visitStart === '2024-09-15');
    expect(imported?.finalisedAt?.slice(0, 4)).not.toBe('2024');

    const { page1, text } = await downloadReport(s, 'sv');
    // The imported round is the one before 2025 and is dated by its visit, never by the import day.
    expect(page1).toMatch(/förra nivån .+ \(2024-09-15\)\./);
    expect(text).toContain('Tidigare granskning Platsbesök 15 september 2024');
    expect(text).toContain('Jämförelse med den förra slutförda granskningen med samma bedömningsmall (platsbesök 15 september 2024).');
    expect(partOf(text, 'Förra omgångens rekommendationer och vad som blev av dem', 'Försenade åtgärder')).toContain(
      'Förra omgången gav inga rekommendationer.',
    );
    // The 2024 round's action is still counted, as from earlier reviews, and listed with its round's date.
    expect(page1).toMatch(/2 åtgärder var försenade den [^()]+ \(1 från tidigare granskningar, 1 från den här\)\./);
    const earlier = partOf(text, 'Försenade åtgärder från tidigare granskningar', 'Åtgärdsplan efter den här granskningen');
    expect(earlier).toContain(RECOMMENDATION);
    expect(earlier).toContain('2024-03-10');
    expect(earlier).toContain('Försenad, klar senast 2024-12-31');

    const english = await downloadReport(s, 'en');
    expect(english.page1).toMatch(/the previous level .+ \(2024-09-15\)\./);
    expect(english.page1).toMatch(/2 actions were overdue \(1 from earlier reviews, 1 from this one\)\./);
    expect(english.text).toContain('Earlier review Site visit 15 September 2024');
    expect(english.text).toContain('Overdue actions from earlier reviews');
  });

  it('when the latest earlier round is on another rubric, then page 1 says the overdue action is from the previous review, as the chapter does', async () => {
    const s = await createRoundsWithPlans();
    // A round on the shipped rubric between 2024 and 2025: the latest earlier round, but not the chapter's last round.
    await importRound(s, { code: s.municipalityCode, program: s.programs[0]?.name ?? '' }, '2024-09-15', 'bostad-forst');
    const { page1, text } = await downloadReport(s, 'sv');
    expect(page1).toMatch(/2 åtgärder var försenade den [^()]+ \(1 från förra granskningen, 1 från den här\)\./);
    // The chapter lists the 2024 round's action under last round, not among the earlier rounds' overdue actions.
    expect(text).not.toContain('Försenade åtgärder från tidigare granskningar');
    expect(partOf(text, 'Förra omgångens rekommendationer och vad som blev av dem', 'Åtgärdsplan efter den här granskningen')).toContain(
      'Försenad, klar senast 2024-12-31',
    );
  });

  it('when the previous round was scored on rubric 1.1 and this one on 2.0, then no change of the overall is given, and only sections with the same indicators are compared', async () => {
    const rubric11 = loadTestRubrics([FROZEN_1_1_RUBRIC_FILE]).get('bostad-forst');
    if (!rubric11) throw new Error('rubric 1.1');
    const s = await createReportScenario({ reviewsPerProgram: 2, reviewRubrics: [rubric11] });
    const [first] = s.programs[0]?.reviewIds ?? [];
    expect(s.reviews.findReviewById(first ?? 0)?.rubricVersion).toBe('1.1');
    const consensus11 = new Map(s.reviews.listConsensus(first ?? 0).map((c) => [c.indicatorId, c]));
    const level11 = scoreReview(rubric11.rubric, consensus11).overall.level?.label;
    if (!level11) throw new Error('the 1.1 round has a level');

    const { page1, text, layout } = await downloadReport(s, 'sv');
    expect(page1).toContain(
      `Förra granskningen (2024-03-10) bedömdes med version 1.1 av mallen, som räknar den sammanvägda modelltroheten på ett annat sätt än version 2.0, så ingen förändring anges. Nivån enligt version 1.1: ${level11.sv}.`,
    );
    expect(page1).not.toContain('procentenheter av maxpoängen, från');
    expect(page1).not.toContain('Störst nedgång');
    expect(text).toContain('Bostad först Södermalm');
    expect(partOf(text, 'Översikt', 'Bostad först Södermalm Uppgifter')).toContain('annan mallversion (1.1)');

    const trend = partOf(text, 'Utveckling sedan förra granskningen', 'Figur:');
    expect(trend).toContain(
      'Förra granskningen bedömdes med version 1.1 av mallen, den här med version 2.0. Bara avsnitt med samma indikatorer i båda versionerna jämförs',
    );
    expect(trend).toContain(`Förra granskningens nivå enligt version 1.1: ${level11.sv}.`);
    // The overall and the sections whose indicators 2.0 changed have no figure before and no change; A2 kept its own.
    const rows = partOf(layout, 'Utveckling sedan förra granskningen', 'Figur:');
    expect(rows).toMatch(/^ *Sammanvägd modelltrohet \(A1–A8\) +– +[\d,]+ % +–$/m);
    expect(rows).toMatch(/^ *A1 En egen bostad är en mänsklig rättighet +– +[\d,]+ % +–$/m);
    expect(rows).toMatch(/^ *B6 Service till bostadsföretagen +– +[\d,]+ % +–$/m);
    expect(rows).toMatch(/^ *A2 Rätten till val och självbestämmande +[\d,]+ % +[\d,]+ % +[+−±][\d,]+$/m);
    // Last round's recommendation (on A1) gets no mean from before: A1's indicators changed.
    expect(partOf(text, 'Förra omgångens rekommendationer och vad som blev av dem', 'Åtgärdsplan efter')).toMatch(
      /A1 medelvärde: – → [\d,]+ \(skala 1–4\)/,
    );

    const english = await downloadReport(s, 'en');
    expect(english.page1).toContain(
      `The previous review (2024-03-10) was scored on version 1.1 of the rubric, which computes the overall fidelity differently from version 2.0, so no change is given. Its level under version 1.1: ${level11.en}.`,
    );
    expect(partOf(english.layout, 'Change since the previous review', 'Figure:')).toMatch(/^ *Overall fidelity \(A1–A8\) +– +[\d.]+% +–$/m);
  });

  it('when a round imported for the program is dated after the review in consensus, then its draft compares with the round before it, not that one', async () => {
    const s = await createScenarioInConsensus({ rubricId: 'mini-five' });
    for (const { indicator } of listIndicators(s.rubric)) {
      const input = { indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false, rationale: '' };
      expect(s.reviews.saveConsensus(s.reviewId, input, s.lead.id).outcome).toBe('saved');
    }
    const place = { code: '0180', program: 'Bostad först Stockholm' };
    // The review's visit was on 2–3 March 2026: one round a year before, one imported for a date after it.
    await importRound(s, place, '2025-03-10');
    await importRound(s, place, '2026-09-15');
    const coordinator = await s.login(s.coordinator);
    const response = await coordinator.get(`/reviews/${s.reviewId}/draft.pdf?lang=sv`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = extractPdfPages(response.body as Buffer)
      .map(normalizeSpace)
      .join(' ');
    expect(text).toContain('Tidigare granskning Platsbesök 10 mars 2025');
    expect(text).toContain('(platsbesök 10 mars 2025)');
    expect(text).not.toContain('15 september 2026');
  });
});
