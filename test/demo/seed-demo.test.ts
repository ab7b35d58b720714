import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/accounts/passwords.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { migrate, SCHEMA_VERSION } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { DEMO_PASSWORD, DemoSeedRefusedError, seedDemo } from '../../src/demo/seed-demo.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { isRaterRole } from '../../src/reviews/review-types.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { allowsNotApplicable, listIndicators } from '../../src/rubrics/rubric-schema.js';
import { isOverdue } from '../../src/actions/action-status.js';
import { createActionStore } from '../../src/actions/action-store.js';
import { createOutcomeStore } from '../../src/outcomes/outcome-store.js';
import { scoreReview } from '../../src/reviews/scoring.js';
import { loginAgent, makeTestApp, makeTestServices } from '../helpers/test-app.js';
import { createSettableClock } from '../../src/clock.js';
import { addMonths, findDemoMonthShift } from '../../src/demo/demo-dates.js';
import { todayInSweden } from '../../src/i18n/calendar.js';
import { binaryParser, extractPdfText, listOutlineTitles, normalizeSpace } from '../reports/pdf-text.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rubrics = loadRubrics(join(root, 'rubrics'));
const shippedRubric = rubrics.get('bostad-forst')?.rubric;
if (!shippedRubric) throw new Error('the shipped rubric bostad-forst is missing');
const indicators = listIndicators(shippedRubric).map(({ indicator }) => indicator);
const indicatorIds = indicators.map((indicator) => indicator.id);

const TABLES = [
  'users',
  'user_roles',
  'municipalities',
  'programs',
  'rubric_snapshots',
  'reviews',
  'panel_members',
  'ratings',
  'consensus_ratings',
  'findings',
] as const;

function openFreshDatabase(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}

// Raw counts of every table the seed writes to: the refusal must leave all of them untouched.
function countRows(db: Db): Record<string, number> {
  return Object.fromEntries(TABLES.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
}

/** Everything a rater put down, without timestamps, in a stable order. */
function readAllRatings(db: Db): unknown[] {
  const reviews = createReviewStore(db);
  return reviews
    .listOpenReviews()
    .concat(listFinalReviews(db))
    .flatMap((summary) =>
      reviews
        .listPanel(summary.id)
        .flatMap((member) => reviews.listRatingsOfRater(summary.id, member.userId))
        .map(({ updatedAt: _updatedAt, ...rating }) => ({ reviewId: summary.id, ...rating }))
        .sort((a, b) => a.raterId - b.raterId || a.indicatorId.localeCompare(b.indicatorId)),
    );
}

function listFinalReviews(db: Db) {
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  return municipalities
    .listMunicipalities()
    .flatMap((m) => municipalities.listProgramsOfMunicipality(m.id))
    .flatMap((program) => reviews.listReviewsForProgram(program.id))
    .filter((review) => review.status === 'final');
}

/**
 * The day the shared demo is seeded on: the day the story is written for, so the demo keeps the dates of src/demo/
 * whatever day the tests run (on another day they move by whole months; test/demo/seed-demo-dates.test.ts).
 */
const SEED_DAY = '2026-12-07';

/**
 * One seeded demo database for the tests that only read it (or are refused before writing): seeding takes a second or
 * two on a small machine, and the file used to seed a fresh one for each test. Seeded on a settable clock, as
 * npm run seed:demo does, so every step has the date the demo gives it.
 */
let shared: Promise<{ db: Db; summary: Awaited<ReturnType<typeof seedDemo>> }> | undefined;
function seededDemo(): Promise<{ db: Db; summary: Awaited<ReturnType<typeof seedDemo>> }> {
  shared ??= (async () => {
    const db = openFreshDatabase();
    const time = createSettableClock(() => new Date(`${SEED_DAY}T11:00:00.000Z`));
    return { db, summary: await seedDemo(makeTestServices(db, rubrics, time.clock), time) };
  })();
  return shared;
}

describe('seedDemo', () => {
  it('creates Stockholm, Göteborg, Huddinge and Botkyrka with their official codes and one program each', async () => {
    const { db, summary } = await seededDemo();

    const municipalities = createMunicipalityStore(db);
    const codes = municipalities
      .listMunicipalities()
      .map((m) => [m.code, m.name, m.programCount])
      .sort();
    expect(codes).toEqual([
      ['0126', 'Huddinge', 1],
      ['0127', 'Botkyrka', 1],
      ['0180', 'Stockholm', 1],
      ['1480', 'Göteborg', 1],
    ]);
    expect(summary.programs.every((p) => p.programName.endsWith('(demo)'))).toBe(true);
    const stockholm = municipalities.findMunicipalityByCode('0180');
    const program = municipalities.listProgramsOfMunicipality(stockholm?.id ?? -1)[0];
    expect(program?.supportProvider).toContain('(fiktiv)');
  });

  it('creates logins on example domains that all take the printed demo password', async () => {
    const { db, summary } = await seededDemo();

    const users = createUserStore(db);
    expect(users.countUsers()).toBe(summary.logins.length);
    expect(summary.password).toBe(DEMO_PASSWORD);
    expect(DEMO_PASSWORD.length).toBeGreaterThanOrEqual(12);
    const roles = new Set(summary.logins.flatMap((login) => login.roles));
    expect([...roles].sort()).toEqual(['admin', 'coordinator', 'program_lead', 'researcher', 'reviewer']);
    for (const login of summary.logins) {
      expect(login.email).toMatch(/@demo\.example$/);
      expect(users.findUserByEmail(login.email)?.roles).toEqual([...login.roles].sort());
    }
    const credentials = users.findCredentials('admin@demo.example');
    expect(credentials && (await verifyPassword(credentials.passwordHash, DEMO_PASSWORD))).toBe(true);
  });

  it('leaves two final Stockholm rounds, 2024 and 2026, the latest with three submitted raters and a consensus on every indicator', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);

    // Rounds are peer reviews: the program lead's final self-assessment is no round (test/demo/demo-self-assessment.test.ts).
    const finals = listFinalReviews(db).filter((review) => review.kind === 'peer_review');
    expect(finals.map((r) => r.id).sort()).toEqual([summary.firstRound.id, summary.finalReview.id].sort());
    expect(reviews.findReviewById(summary.firstRound.id)?.visitStart?.startsWith('2024-')).toBe(true);
    expect(finals.every((r) => reviews.findReviewById(r.id)?.rubricVersion === '2.0')).toBe(true);
    const review = reviews.findReviewById(summary.finalReview.id);
    expect(review?.municipalityCode).toBe('0180');
    expect(review?.visitStart?.startsWith('2026-')).toBe(true);

    const raters = reviews.listPanel(summary.finalReview.id).filter((member) => isRaterRole(member.role));
    expect(raters).toHaveLength(3);
    expect(raters.filter((member) => member.role === 'lead')).toHaveLength(1);
    expect(raters.every((member) => member.submittedAt !== undefined)).toBe(true);

    const submitted = reviews.listSubmittedRatings(summary.finalReview.id);
    expect(submitted).toHaveLength(3 * indicatorIds.length);
    for (const rating of submitted) {
      const indicator = indicators.find((i) => i.id === rating.indicatorId);
      if (!indicator) throw new Error(`unknown indicator ${rating.indicatorId}`);
      if (rating.notApplicable) {
        expect(allowsNotApplicable(indicator)).toBe(true);
      } else {
        expect(rating.score).toBeGreaterThanOrEqual(indicator.scale.min);
        expect(rating.score).toBeLessThanOrEqual(indicator.scale.max);
        expect(rating.evidence.length).toBeGreaterThan(0);
        expect(rating.evidence.every((code) => indicator.evidence.includes(code))).toBe(true);
      }
    }
    expect(submitted.some((rating) => rating.notApplicable)).toBe(true);

    const consensus = reviews.listConsensus(summary.finalReview.id);
    expect(consensus.map((c) => c.indicatorId).sort()).toEqual([...indicatorIds].sort());
    // A consensus outside the raters' range must say why.
    for (const decision of consensus) {
      const scores = submitted.filter((r) => r.indicatorId === decision.indicatorId && r.score !== null).map((r) => r.score ?? 0);
      if (decision.score !== null && (decision.score < Math.min(...scores) || decision.score > Math.max(...scores))) {
        expect(decision.rationale).not.toBe('');
      }
    }
    expect(consensus.filter((c) => c.rationale !== '').length).toBeGreaterThan(indicatorIds.length / 2);

    const findings = reviews.listFindings(summary.finalReview.id);
    expect(new Set(findings.map((f) => f.sectionId)).size).toBeGreaterThanOrEqual(3);
    expect(findings.some((f) => f.kind === 'strength')).toBe(true);
    expect(findings.some((f) => f.kind === 'recommendation')).toBe(true);
  });

  it('leaves one review in rating where one rater submitted, one rated part and one has not started', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    const users = createUserStore(db);

    const open = reviews.listOpenReviews();
    expect(open.map((r) => [r.id, r.status, r.municipalityCode])).toEqual([[summary.ratingReview.id, 'rating', '1480']]);

    const panel = reviews.listPanel(summary.ratingReview.id);
    expect(panel).toHaveLength(3);
    const rated = reviews.countRatedByRater(summary.ratingReview.id);
    const progress = panel
      .map((member) => ({ submitted: member.submittedAt !== undefined, rated: rated.get(member.userId) ?? 0 }))
      .sort((a, b) => b.rated - a.rated);
    expect(progress[0]).toEqual({ submitted: true, rated: indicatorIds.length });
    expect(progress[1]?.submitted).toBe(false);
    expect(progress[1]?.rated).toBeGreaterThan(0);
    expect(progress[1]?.rated).toBeLessThan(indicatorIds.length);
    expect(progress[2]).toEqual({ submitted: false, rated: 0 });

    const newcomer = users.findUserByEmail(summary.ratingReview.notStartedEmail);
    expect(newcomer && rated.get(newcomer.id)).toBeUndefined();
    expect(panel.some((member) => member.userId === newcomer?.id)).toBe(true);
  });

  it('refuses a second run with a clear error and changes nothing', async () => {
    const { db } = await seededDemo();
    const before = countRows(db);

    await expect(seedDemo(makeTestServices(db, rubrics))).rejects.toThrow(DemoSeedRefusedError);
    await expect(seedDemo(makeTestServices(db, rubrics))).rejects.toThrow(/already has municipality 0180.*Nothing was changed/);
    expect(countRows(db)).toEqual(before);
  });

  it('refuses a database that already has users, even without municipalities', async () => {
    const db = openFreshDatabase();
    createUserStore(db).insertUser(
      {
        email: 'someone@example.org',
        displayName: 'Someone',
        affiliation: '',
        passwordHash: 'not-a-real-hash',
        roles: ['admin'],
      },
      undefined,
    );
    const before = countRows(db);

    await expect(seedDemo(makeTestServices(db, rubrics))).rejects.toThrow(/already has 1 user/);
    expect(countRows(db)).toEqual(before);
  });

  it('gives identical ratings, consensus and findings in two fresh databases', async () => {
    const { db: first, summary: a } = await seededDemo();
    const second = openFreshDatabase();
    const b = await seedDemo(makeTestServices(second, rubrics));

    expect(readAllRatings(first)).toEqual(readAllRatings(second));
    expect(readAllRatings(first).length).toBeGreaterThan(3 * indicatorIds.length);
    const decisions = (db: Db, id: number) =>
      createReviewStore(db)
        .listConsensus(id)
        .map(({ updatedAt: _updatedAt, ...decision }) => decision)
        .sort((x, y) => x.indicatorId.localeCompare(y.indicatorId));
    expect(decisions(first, a.finalReview.id)).toEqual(decisions(second, b.finalReview.id));
    expect(createReviewStore(first).listFindings(a.finalReview.id)).toEqual(createReviewStore(second).listFindings(b.finalReview.id));
  });
});

describe('the demo story', { timeout: 60_000 }, () => {
  function scoresOf(db: Db, reviewId: number) {
    const reviews = createReviewStore(db);
    const review = reviews.findReviewById(reviewId);
    if (!review) throw new Error('review missing');
    const consensus = reviews.listConsensus(reviewId);
    return scoreReview(
      review.rubric.rubric,
      new Map(consensus.map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }])),
    );
  }

  it('caps Stockholm 2026 at Delvis: the principles reach Godtagbar, but the caseload (B2.1) is at its minimum', async () => {
    const { db, summary } = await seededDemo();
    const latest = scoresOf(db, summary.finalReview.id);
    expect(latest.overall.explanation.bandLevel?.id).toBe('adequate');
    expect(latest.overall.level?.id).toBe('partial');
    expect(latest.overall.explanation.caps.map((cap) => cap.triggers.map((t) => `${t.number} ${t.score}`))).toEqual([['B2.1 1']]);
    // The barriers name the cause; 2024 had no cap.
    expect(
      createReviewStore(db)
        .listBarriers(summary.finalReview.id)
        .map((b) => b.text)
        .join(' '),
    ).toContain('över 20 deltagare');
    expect(scoresOf(db, summary.firstRound.id).overall.explanation.caps).toEqual([]);
  });

  it('writes each consensus rationale for its indicator: a source named only where the ratings cite it, no sentence twice', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    // Words that speak of one source: case files (akt, akter, personakter, aktgranskning; not "aktuell" or "kontakt"),
    // the landlord interview, the participants' interviews.
    const sourceWords: Readonly<Record<string, RegExp>> = {
      C: /personakt|(?<!\p{L})akt(en|er|erna|granskning)?(?!\p{L})/iu,
      L: /hyresvärdsintervju|intervju med hyresvärd/iu,
      P: /fokusgrupp|deltagarintervju/iu,
    };
    const uncited: string[] = [];
    const rationales: string[] = [];
    for (const reviewId of [summary.firstRound.id, summary.finalReview.id]) {
      const submitted = reviews.listSubmittedRatings(reviewId);
      for (const decision of reviews.listConsensus(reviewId)) {
        if (decision.rationale === '') continue;
        rationales.push(decision.rationale);
        const cited = new Set(submitted.filter((r) => r.indicatorId === decision.indicatorId).flatMap((r) => r.evidence));
        for (const [code, words] of Object.entries(sourceWords)) {
          if (words.test(decision.rationale) && !cited.has(code))
            uncited.push(`${reviewId} ${decision.indicatorId} ${code}: ${decision.rationale}`);
        }
      }
    }
    expect(uncited).toEqual([]);
    expect(rationales.filter((text, index) => rationales.indexOf(text) !== index)).toEqual([]);
    // Still more than half the 2026 indicators have one.
    expect(reviews.listConsensus(summary.finalReview.id).filter((c) => c.rationale !== '').length).toBeGreaterThan(indicatorIds.length / 2);
  });

  it('scores method supervision (B1.2) and psychiatric and addiction treatment (B3.8) in 2026, with the level, cap and percent as before', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    const decided = new Map(reviews.listConsensus(summary.finalReview.id).map((c) => [c.indicatorId, c]));
    expect(decided.get('b1-supervision')).toMatchObject({ score: 3, notApplicable: false });
    expect(decided.get('b1-supervision')?.rationale).toContain('metodhandledning');
    expect(decided.get('b3-psychiatric-care')).toMatchObject({ score: 3, notApplicable: false });
    expect(decided.get('b3-psychiatric-care')?.rationale).toContain('beroendebehandling');
    // Every rater scored them, on every source the indicator lists.
    const ratings = reviews
      .listSubmittedRatings(summary.finalReview.id)
      .filter((r) => ['b1-supervision', 'b3-psychiatric-care'].includes(r.indicatorId));
    expect(ratings.map((r) => r.score)).toEqual([3, 3, 3, 3, 3, 3]);
    // The capping indicator says why it is at its minimum.
    expect(decided.get('b2-caseload')?.rationale).toContain('över 20 deltagare');
    // Agreement areas do not decide the level: it, its cap and the figures on page 1 stay.
    const latest = scoresOf(db, summary.finalReview.id);
    expect([latest.overall.level?.id, latest.overall.percent?.toFixed(1)]).toEqual(['partial', '78.8']);
    expect(scoresOf(db, summary.firstRound.id).overall.percent?.toFixed(1)).toBe('71.4');
  });

  it('follows up the 2024 recommendations in the action plan and enters the outcome figures', async () => {
    const { db, summary } = await seededDemo();
    const actions = createActionStore(db).listActionsOfReview(summary.firstRound.id);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((action) => action.status !== 'not_started' && action.noteCount === 1)).toBe(true);
    // What 2026 lists as a strength (its indicator at the top of the scale) is not an action still under way.
    const reviews = createReviewStore(db);
    const latest = reviews.findReviewById(summary.finalReview.id);
    if (!latest) throw new Error('no final review');
    const top = new Map(reviews.listConsensus(latest.id).map((c) => [c.indicatorId, c.score]));
    const strengths = listIndicators(latest.rubric.rubric)
      .filter(({ indicator }) => top.get(indicator.id) === indicator.scale.max)
      .map(({ indicator }) => indicator.text.sv.replace(/\.$/, ''));
    const stillOpen = actions.filter(
      (action) => action.status !== 'done' && strengths.some((text) => action.recommendation.includes(`”${text}”`)),
    );
    expect(stillOpen.map((action) => action.recommendation)).toEqual([]);
    expect(actions.some((action) => action.status === 'in_progress')).toBe(true);
    const program = createMunicipalityStore(db).listProgramsOfMunicipality(
      createMunicipalityStore(db).findMunicipalityByCode('0180')?.id ?? 0,
    )[0];
    const periods = createOutcomeStore(db).listPeriods(program?.id ?? 0);
    expect(periods.map((p) => [p.periodStart, p.movedIn, p.stillFirstFlat, p.stillInProgram, p.firstHandLeases])).toEqual([
      ['2025-01-01', 10, 8, 9, 2],
      ['2024-01-01', 12, 10, 11, 1],
      // The cumulative period since the start, after the yearly ones.
      ['2010-06-01', 84, 40, 46, 16],
    ]);
    expect(periods.map((p) => [p.kind, p.details.offered])).toEqual([
      ['period', 12],
      ['period', 14],
      ['since_start', 95],
    ]);
  });

  it('gives outcome figures that reconcile: exits with those who left, participants year on year, the running total with the years', async () => {
    const { db } = await seededDemo();
    const municipalities = createMunicipalityStore(db);
    const program = municipalities.listProgramsOfMunicipality(municipalities.findMunicipalityByCode('0180')?.id ?? 0)[0];
    const periods = createOutcomeStore(db).listPeriods(program?.id ?? 0);
    const exitsOf = (p: (typeof periods)[number]) => Object.values(p.details.exits).reduce<number>((sum, n) => sum + (n ?? 0), 0);
    const years = periods.filter((p) => p.kind === 'period').sort((a, b) => a.periodStart.localeCompare(b.periodStart));
    const total = periods.find((p) => p.kind === 'since_start');
    if (!total || years.length !== 2) throw new Error('the demo has two years and a running total');
    for (const year of years) {
      // Exits count every participant who left during the year, so at least those of the year's movers who left.
      expect(exitsOf(year)).toBeGreaterThanOrEqual(year.movedIn - year.stillInProgram);
      expect(year.stillFirstFlat).toBeLessThanOrEqual(year.stillInProgram);
      expect(year.stillInProgram).toBeLessThanOrEqual(year.movedIn);
    }
    // Participants at the end of a year: those at the end of the year before, plus those who moved in, less the exits.
    const [y2024, y2025] = years as [(typeof years)[number], (typeof years)[number]];
    expect(y2025.clients).toBe(y2024.clients + y2025.movedIn - exitsOf(y2025));
    // Since the start, everyone who moved in and is not still in the program left with a reason, and everyone still in
    // it is a participant at its end (the same day as the last year's).
    expect(exitsOf(total)).toBe(total.movedIn - total.stillInProgram);
    expect(total.clients).toBe(total.stillInProgram);
    expect(total.periodEnd).toBe(y2025.periodEnd);
    expect([total.clients, total.caseManagers]).toEqual([y2025.clients, y2025.caseManagers]);
    // The running total holds at least what the years hold.
    const sum = (pick: (p: (typeof periods)[number]) => number | null) => years.reduce((acc, year) => acc + (pick(year) ?? 0), 0);
    for (const pick of [
      (p: (typeof periods)[number]) => p.movedIn,
      (p: (typeof periods)[number]) => p.evictions,
      (p: (typeof periods)[number]) => p.complaints,
      (p: (typeof periods)[number]) => p.details.offered,
      (p: (typeof periods)[number]) => p.details.evictionThreats,
      (p: (typeof periods)[number]) => p.details.terminatedLeases,
      ...(['own_lease', 'care', 'died', 'left', 'other'] as const).map(
        (reason) => (p: (typeof periods)[number]) => p.details.exits[reason],
      ),
    ]) {
      expect(pick(total) ?? 0).toBeGreaterThanOrEqual(sum(pick));
    }
    expect(total.details.offered ?? 0).toBeGreaterThanOrEqual(total.movedIn);
    // At the end of 2025 two of the four posts were vacant: over 20 participants per case manager, as B2.1 was scored.
    expect(y2025.clients / y2025.caseManagers).toBeGreaterThan(20);
  });

  it('marks a 2024 action done only where its indicator scored higher in 2026, and the user survey as still under way', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    const scores = (id: number) => new Map(reviews.listConsensus(id).map((c) => [c.indicatorId, c.score]));
    const [before, after] = [scores(summary.firstRound.id), scores(summary.finalReview.id)];
    const actions = createActionStore(db).listActionsOfReview(summary.firstRound.id);
    const indicatorOf = (recommendation: string) =>
      indicators.find((indicator) => recommendation.startsWith(`Indikatorn ”${indicator.text.sv.replace(/\.$/, '')}”`));
    const doneWithoutGain = actions
      .filter((action) => action.status === 'done')
      .filter((action) => {
        const id = indicatorOf(action.recommendation)?.id ?? '';
        return !((after.get(id) ?? 0) > (before.get(id) ?? Number.POSITIVE_INFINITY));
      });
    expect(doneWithoutGain.map((action) => action.recommendation)).toEqual([]);
    const survey = actions.find((action) => indicatorOf(action.recommendation)?.id === 'b5-service-level');
    expect([survey?.status, before.get('b5-service-level'), after.get('b5-service-level')]).toEqual(['in_progress', 2, 2]);
    expect(survey?.latestNote?.text).toContain('brukarenkät');
  });

  it('has a 2026 action plan some months on: owners and due dates for all, some under way, some done, one overdue now', async () => {
    const { db, summary } = await seededDemo();
    const finalisedOn = createReviewStore(db).findReviewById(summary.finalReview.id)?.finalisedAt?.slice(0, 10) ?? '';
    const actions = createActionStore(db).listActionsOfReview(summary.finalReview.id);
    const count = (status: string) => actions.filter((action) => action.status === status).length;
    expect(actions.length).toBeGreaterThan(5);
    expect(count('in_progress')).toBeGreaterThanOrEqual(3);
    expect(count('done')).toBeGreaterThanOrEqual(1);
    expect(count('done')).toBeLessThanOrEqual(2);
    expect(count('not_started')).toBeGreaterThanOrEqual(1);
    expect(actions.every((action) => action.dueOn !== undefined && action.dueOn > finalisedOn)).toBe(true);
    expect(actions.every((action) => action.ownerName !== '')).toBe(true);
    // Every started action has a note, dated after the review was finalised and not after the day the demo is loaded.
    const today = SEED_DAY;
    const misdated = actions
      .filter((action) => action.status !== 'not_started')
      .filter((action) => {
        const on = action.latestNote?.notedOn ?? '';
        return !(on > finalisedOn && on <= today);
      });
    expect(misdated.map((action) => action.recommendation)).toEqual([]);
    expect(actions.filter((action) => isOverdue(action, today)).map((action) => action.recommendation)).toEqual([
      expect.stringContaining('”Antal deltagare per case manager”'),
    ]);
  });

  it('dates the 2026 round in the order its workflow takes: visit, ratings, consensus, factual check, answer, changes, final', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    const review = reviews.findReviewById(summary.finalReview.id);
    const check = reviews.findFactualCheck(summary.finalReview.id);
    const submitted = reviews.listPanel(summary.finalReview.id).map((member) => member.submittedAt ?? '');
    const steps = [
      review?.createdAt,
      `${review?.visitEnd}T23:59:59.999Z`,
      ...submitted.sort(),
      review?.consensusStartedAt,
      check?.sentAt,
      check?.respondedAt,
      check?.changesAt,
      review?.finalisedAt,
    ];
    expect(steps.every((step) => step !== undefined && step !== '')).toBe(true);
    expect([...steps].sort()).toEqual(steps);
    // Weeks, not minutes: the program had over two weeks to answer, and the panel finalised after its changes.
    const days = (from?: string, to?: string) => (Date.parse(to ?? '') - Date.parse(from ?? '')) / 86_400_000;
    expect(days(check?.sentAt, check?.respondedAt)).toBeGreaterThanOrEqual(14);
    expect(days(check?.changesAt, review?.finalisedAt)).toBeGreaterThan(0);
    expect(review?.finalisedAt).toBe('2026-05-06T09:00:00.000Z');
  });

  it('gives an English Stockholm report whose verdict is on page 1, with all three most important and the pages where the rest are', async () => {
    const { db } = await seededDemo();
    const { app } = makeTestApp({ db });
    const agent = await loginAgent(app, 'admin@demo.example', DEMO_PASSWORD);
    const response = await agent.get('/municipalities/0180/report.pdf?lang=en').buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const page1 = normalizeSpace(extractPdfText(response.body as Buffer, { page: 1 }));
    expect(page1).toContain('Peer review of Housing First programs · municipality code 0180');
    // The three most important whole, though the English frames around them are longer than the Swedish; what page 1
    // leaves out, of high priority and for the board, named with the pages of their rows.
    const top = page1.slice(page1.indexOf('What matters most'));
    expect(top).toContain('Indikatorn ”Antal deltagare per case manager” fick 1 av 4.');
    expect(top).toContain('Indikatorn ”Deltagaren kan välja lägenhet och område” fick 2 av 4.');
    expect(top).toContain(
      'Indikatorn ”Personalen talar och skriver om deltagarna med fokus på styrkor och hopp” fick 2 av 4. Mål till nästa granskning: Styrkor och hopp används genomgående. (A4; priority high; owner: the support provider)',
    );
    expect(top).not.toContain('…');
    expect(page1).toMatch(
      /1 more recommendation of high priority \(A7\) and 2 for the social-services board or social services \(B1\): pages \d+–\d+ \(Recommendations by owner\)\./,
    );
    expect(normalizeSpace(extractPdfText(response.body as Buffer, { page: 2 }))).toContain('Contents Contents Overview');
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    // The share in the top two levels is a count on page 1 and in the summary alike, with no percent beside the level.
    expect(text.split('34 of 39 rated indicators at the top two levels of their scale')).toHaveLength(3);
    expect(text).not.toContain('87.2%');
    // One word for one concept: the outcome figures say participants, as the rubric does.
    expect(text).toContain('Participants per case manager');
    expect(text).not.toContain('Clients');
    // Page 1's verdict has a bookmark, before the contents' first chapter.
    expect(listOutlineTitles(response.body as Buffer).slice(0, 2)).toEqual(['The result and what must happen', 'Overview']);
  });

  it('gives a Stockholm report that shows the trend, the cap with its reason, the action follow-up and the outcomes', async () => {
    const { db } = await seededDemo();
    const { app } = makeTestApp({ db });
    const agent = await loginAgent(app, 'admin@demo.example', DEMO_PASSWORD);
    const response = await agent.get('/municipalities/0180/report.pdf?lang=sv').buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    // Page 1: what the capped level waits for comes first among the most important, the change is in words, and the
    // section that fell most is named beside the overall change.
    const page1 = normalizeSpace(extractPdfText(response.body as Buffer, { page: 1 }));
    const top = page1.slice(page1.indexOf('Det viktigaste att göra'));
    // An indicator is named as the criterion it is, with one verb throughout: "fick".
    expect(top).toMatch(/^Det viktigaste att göra • Indikatorn ”Antal deltagare per case manager” fick 1 av 4/);
    expect(text).not.toContain('” nådde');
    // The cover dates what the data describe; the finalisation is worded as such.
    expect(page1).toContain('Senaste slutförda granskning per verksamhet (slutförd 6 maj 2026)');
    expect(page1).toContain('Uppgifterna avser läget den 16 november 2026');
    // The change says of what, from and to, and the previous level; the fall beside the level says that it is.
    // The previous round is dated by its visit, in its chapter too.
    expect(page1).toContain('+7,4 procentenheter av maxpoängen, från 71,4 % till 78,8 %; förra nivån Delvis modelltrohet (2024-03-12).');
    expect(text).toContain('Tidigare granskning Platsbesök 12–13 mars 2024');
    expect(page1).toContain(
      'Störst nedgång: B2 Tillgänglighet, −28,75 procentenheter (överenskommelsens sex områden, vid sidan av nivån).',
    );
    // The share in the top two levels without a percent that would read as the threshold of Hög (87,5 %): on page 1 and
    // in the summary alike.
    expect(page1).toContain('34 av 39 bedömda indikatorer på skalans två högsta nivåer');
    expect(text.split('34 av 39 bedömda indikatorer på skalans två högsta nivåer')).toHaveLength(3);
    expect(text).not.toContain('87,2 %');
    // The cap's reason at the table's body size, the overdue actions and the one the capped level waits for.
    expect(page1).toContain(
      'Begränsad: indikatorn B2.1 ”Antal deltagare per case manager” fick 1 av 4 (fler än 20 per case manager). En kärnkomponent saknas',
    );
    expect(page1).toContain(
      '7 åtgärder var försenade den 16 november 2026 (6 från förra granskningen, 1 från den här). Bland dem den för B2.1, som begränsar nivån (klar senast 30 september 2026).',
    );
    // What page 1 leaves out is named, with the pages where it is: the one of high priority by its section, under the
    // support provider on the page of the heading, and the board's two, under the social-services office on the next.
    const [, from, to] = page1.match(/: sidorna (\d+)–(\d+) \(Rekommendationer efter ansvarig\)/) ?? [];
    expect(page1).toContain('Ytterligare 1 rekommendation med prioritet hög (A7) och 2 till socialnämnden eller socialtjänsten (B1)');
    const first = normalizeSpace(extractPdfText(response.body as Buffer, { page: Number(from) }));
    const last = normalizeSpace(extractPdfText(response.body as Buffer, { page: Number(to) }));
    expect(first).toContain('Rekommendationer efter ansvarig ');
    expect(first).toContain('Indikatorn ”Varje deltagare har en aktuell individuell plan” fick 2 av 4.');
    expect(last).toContain('Indikatorn ”Personalomsättningen är låg” fick 1 av 4.');
    expect(Number(to)).toBe(Number(from) + 1);
    expect(page1).toContain('Kollegial granskning av Bostad först-verksamheter · kommunkod 0180');
    // Dates in tables are written 2027-05-06, prose dates 6 maj 2027: 6–12 months after the finalisation in May 2026.
    expect(page1).toContain('Nästa granskning senast 2027-05-06.');
    expect(text).toContain('mellan 6 november 2026 och 6 maj 2027');
    // A change is in procentenheter, named once by the column header: never abbreviated after each figure.
    expect(text).not.toContain('p.e.');
    expect(text).toContain('Förändring, procentenheter');
    expect(normalizeSpace(extractPdfText(response.body as Buffer, { page: 2 }))).toMatch(
      /^Stockholm · Rapport om modelltrohet Innehåll Innehåll Översikt/,
    );
    // The pages that name the program say that the level is capped, so its figure is not read as its band.
    const programs = await agent.get('/municipalities');
    expect(programs.text).toContain('Delvis modelltrohet (begränsad av en kärnkomponent), 78,8\u00a0%');
    expect(text).toContain(
      'Nivån begränsas till Delvis modelltrohet: indikatorn B2.1 ”Antal deltagare per case manager” fick 1 av 4 (fler än 20 per case manager).',
    );
    // The agreement areas are beside the level, but their core element is what capped it: the report says so, and the
    // principles' row of the parts table does not read as the level.
    expect(text).toContain('av dess indikatorer kan bara kärnkomponenterna (B2.1) begränsa nivån');
    expect(text).not.toContain('påverkar den inte');
    // The summary's parts table gives the principles' level, not their band, and the agreement areas by their one name
    // as reported beside the level; the sections counted are those that decide it.
    expect(text).toContain('Begränsad av B2.1. Andelen ligger i bandet för Godtagbar modelltrohet.');
    expect(text).not.toContain('Andelen ligger i det här bandet');
    expect(text).toContain('Redovisas vid sidan av nivån');
    expect(text).toContain('Överenskommelsens sex områden redovisas vid sidan av nivån; av dess indikatorer');
    expect(text).toContain('8 av 8 avsnitt i de delar som avgör nivån har poäng.');
    // The trend's overall row follows the sections it is computed over, and names them.
    expect(text).toMatch(
      /A8 Flexibelt stöd så länge personen vill och behöver [\d,]+ % [\d,]+ % ±0 Sammanvägd modelltrohet \(A1–A8\) 71,4 % 78,8 % \+7,4 /,
    );
    // Under the figure, the capped level's reason, not its band (which the method appendix's table still gives).
    expect(text).toContain('78,8 % av maxpoängen Delvis modelltrohet En kärnkomponent saknas');
    // The program's comments on its outcome figures, as on its page.
    expect(text).toContain('Verksamhetens kommentarer till siffrorna');
    expect(text).toContain('Två tjänster som case manager vakanta under hösten.');
    // Page 1 names who reviewed; the method part says what the figures cannot carry.
    expect(page1).toContain('Granskningspanel: Maria Sandberg (granskningsledare), Ahmed Karimi, Erik Nyström');
    expect(text).toContain('Begränsningar Bedömningarna bygger på ett platsbesök på en eller två dagar');
    // How far the panel agreed before the consensus, from its submitted ratings, with the result page's alpha band.
    expect(text).toContain(
      '3 bedömare gav var för sig poäng på 70 indikatorer. Av 204 par hade 64,2 % exakt samma poäng och 97,5 % högst 1 poäng ifrån varandra. Krippendorffs alfa (ordinal) är 0,544 (inte tillförlitlig).',
    );
    // The method appendix gives the rules behind the cap, not the bands alone.
    expect(text).toContain('Kärnkomponenterna är A1.1, A1.2, A1.3, A3.1, A3.2, A8.1, B2.1.');
    expect(text).toContain('En kärnkomponent på skalans lägsta nivå: nivån blir högst Delvis modelltrohet.');
    expect(text).toContain('2 eller fler kärnkomponenter på skalans lägsta nivå: nivån blir högst Låg modelltrohet.');
    expect(text).toContain('En kärnkomponent saknas');
    expect(text).toContain('Delvis modelltrohet');
    expect(text).not.toContain('Stödets kvalitet enligt överenskommelsen');
    expect(text).toContain('medelvärde');
    // The trend against 2024, what became of its recommendations, and the outcome figures.
    expect(text).toMatch(/2024/);
    expect(text).toContain('Genomfört: ändringen gäller i alla nya ärenden sedan hösten 2024.');
    expect(text).toContain('46 / 84');
    // The action parts are as of the newest note on the actions (16 November 2026), later than the report's date: the
    // caseload action, due 30 September 2026 and still under way, is the plan's one overdue action, as in the app.
    const plan = text.slice(text.indexOf('Åtgärdsplan efter den här granskningen Granskningens'), text.indexOf('Uppföljning Med nivån'));
    expect(plan).toContain('Läget enligt åtgärdsplanen den 16 november 2026:');
    // Its status says since when, by its due date, in the weight of any other status.
    expect(plan.split('Försenad, klar senast 2026-09-30')).toHaveLength(2);
    expect(plan).not.toContain('Försenad, klar senast 2025');
    // What became of the 2024 recommendations: of the nine whose action is done, only A1.3 and B6.2 reached the top of
    // the scale in the 2026 consensus; the part says the action is done and the score beside it, never "Klar" alone.
    const lastRound = text.slice(
      text.indexOf('Förra omgångens rekommendationer och vad som blev av dem Poängen'),
      text.indexOf('Åtgärdsplan efter den här granskningen Granskningens'),
    );
    expect(lastRound).toContain('Åtgärdsplanen anger inga mål i poäng, så tabellen jämför med skalans högsta');
    expect(lastRound.split('Åtgärden klar')).toHaveLength(10);
    expect(lastRound).not.toMatch(/ Klar /);
    expect(lastRound).toContain('A1.1: 2 → 3 av 4');
    expect(lastRound).toContain('B6.5: 2 → 3 av 4');
    expect(lastRound).toContain('A1.3: 2 → 4 av 4');
    expect(lastRound).toContain('B6.2: 2 → 4 av 4');
    expect(lastRound.split('Högsta poäng nådd')).toHaveLength(3);
    expect(lastRound.split('Högsta poäng (4) inte nådd')).toHaveLength(14);
    // The six 2024 actions still open are overdue since their due date at the end of 2025.
    expect(lastRound.split('Försenad, klar senast 2025-12-31')).toHaveLength(7);
    // The program's factual check was sent weeks before the round was finalised.
    expect(text).toContain('för faktagranskning 8 april 2026');
    expect(text).toContain('Slutförd 6 maj 2026');
  });
});

// Each run starts node with tsx, as npm start does (the tsx command would start a second process around it), and
// hashes a password: half a second to two on a small machine.
describe('npm run seed:demo', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  type Run = { status: number | null; stdout: string; stderr: string };

  function seedDemoEnv(dataDir: string, databaseFile?: string, nodeEnv?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
    delete env.DATABASE_FILE;
    delete env.RUBRICS_DIR;
    if (databaseFile !== undefined) env.DATABASE_FILE = databaseFile;
    return env;
  }

  const SEED_DEMO_COMMAND = ['--import', 'tsx', 'src/demo/seed-demo-cli.ts'];

  function runSeedDemo(dataDir: string, args: readonly string[] = [], databaseFile?: string, nodeEnv?: string): Run {
    const result = spawnSync(process.execPath, [...SEED_DEMO_COMMAND, ...args], {
      cwd: root,
      env: seedDemoEnv(dataDir, databaseFile, nodeEnv),
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** runSeedDemo without waiting for it, for runs that may go side by side. */
  function startSeedDemo(dataDir: string, args: readonly string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [...SEED_DEMO_COMMAND, ...args],
        { cwd: root, env: seedDemoEnv(dataDir), encoding: 'utf8', timeout: 30_000 },
        (error, stdout, stderr) => {
          const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          if (status === null) reject(error);
          else resolve({ status, stdout, stderr });
        },
      );
    });
  }

  it('seeds a fresh data directory, prints every login with the password, and refuses a second run', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hf-seed-demo-'));
    dirs.push(dataDir);

    // The demo's dates follow the day it is seeded (the system clock here), which may turn during the run.
    const shifts = [findDemoMonthShift(todayInSweden(new Date()))];
    const first = runSeedDemo(join(dataDir, 'nested'));
    shifts.push(findDemoMonthShift(todayInSweden(new Date())));
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    for (const email of [
      'admin@demo.example',
      'samordnare@demo.example',
      'granskare1@demo.example',
      'granskare2@demo.example',
      'granskare3@demo.example',
      'forskare@demo.example',
      'programledare@demo.example',
    ]) {
      expect(first.stdout).toContain(email);
    }
    expect(first.stdout).toContain(DEMO_PASSWORD);
    expect(first.stdout).toContain('fictional');
    expect(first.stdout).toMatch(
      /#\d+ Bostad först Stockholm \(demo\): the program lead's self-assessment of \d{4}-\d{2}-09, final, shared with the panel of #\d+/,
    );
    // A new installation's MFA key file is made by the first tool to open it, which says to keep a copy.
    expect(first.stdout).toContain(`Made the key for TOTP secrets, ${join(dataDir, 'nested', 'mfa.key')}`);
    // Each round is finalised at its own time, weeks after its visit, not on the day the demo was loaded.
    const seeded = new Database(join(dataDir, 'nested', 'hf-fidelity.sqlite'), { readonly: true });
    try {
      const rounds = seeded
        .prepare("SELECT visit_start, finalised_at FROM reviews WHERE status = 'final' AND kind = 'peer_review' ORDER BY visit_start")
        .all() as {
        visit_start: string;
        finalised_at: string;
      }[];
      const shift = shifts.find((months) => rounds[0]?.visit_start === addMonths('2024-03-12', months));
      if (shift === undefined) throw new Error(`the first round's visit ${rounds[0]?.visit_start} follows neither day's shift`);
      expect(rounds[0]).toEqual({
        visit_start: addMonths('2024-03-12', shift),
        finalised_at: addMonths('2024-04-15T09:00:00.000Z', shift),
      });
      expect(rounds[1]).toEqual({
        visit_start: addMonths('2026-03-10', shift),
        finalised_at: addMonths('2026-05-06T09:00:00.000Z', shift),
      });
      // Every audit entry the demo wrote says it was seed:demo, run by this OS user, besides any demo user it names.
      const byCommand = seeded
        .prepare(
          'SELECT c.command, c.os_user, count(*) AS n FROM audit_log a LEFT JOIN audit_log_commands c ON c.audit_id = a.id GROUP BY 1, 2',
        )
        .all() as { command: string | null; os_user: string | null; n: number }[];
      expect(byCommand).toEqual([{ command: 'seed:demo', os_user: userInfo().username, n: expect.any(Number) }]);
      expect(byCommand[0]?.n).toBeGreaterThan(100);
    } finally {
      seeded.close();
    }

    const second = runSeedDemo(join(dataDir, 'nested'));
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('already has municipality 0180');
  });

  it('prints the usage for --help, refuses unknown arguments, and seeds nothing either way', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hf-seed-demo-'));
    dirs.push(dataDir);

    // None of these runs writes anything, so they go side by side.
    const refused = [['--bogus'], ['now'], ['--help=yes']];
    const [help, ...runs] = await Promise.all([['--help'], ...refused].map((args) => startSeedDemo(dataDir, args)));
    if (!help) throw new Error('no --help run');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npx tsx src/demo/seed-demo-cli.ts   (takes no arguments)');
    expect(help.stdout).not.toContain('@demo.example');
    expect(help.stderr).toBe('');

    for (const [index, args] of refused.entries()) {
      const run = runs[index];
      if (!run) throw new Error(`no run for ${args.join(' ')}`);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toContain('Usage: npx tsx src/demo/seed-demo-cli.ts   (takes no arguments)');
      expect(run.stdout).toBe('');
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a production installation before opening anything: the demo accounts share a published password', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hf-seed-demo-'));
    dirs.push(dataDir);
    const run = runSeedDemo(dataDir, [], undefined, 'production');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('seed:demo refused: NODE_ENV=production.');
    expect(run.stdout).toBe('');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('creates the folder of a DATABASE_FILE outside DATA_DIR inside one that exists, not deeper, and refuses a database of a newer version in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-seed-demo-'));
    dirs.push(dir);
    // Two folders missing: a mistyped path, as at the server's start; nothing is created.
    const deeper = runSeedDemo(join(dir, 'data'), [], join(dir, 'elsewhere', 'new', 'demo.sqlite'));
    expect(deeper.status).toBe(1);
    expect(deeper.stderr).toContain(
      `the database's folder ${join(dir, 'elsewhere', 'new')} does not exist, nor does ${join(dir, 'elsewhere')}`,
    );
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);

    mkdirSync(join(dir, 'elsewhere'));
    const databaseFile = join(dir, 'elsewhere', 'new', 'demo.sqlite');

    const run = runSeedDemo(join(dir, 'data'), [], databaseFile);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Demo data created in ${databaseFile}`);
    // DATA_DIR is made for the key to TOTP secrets (mfa.key) alone: the database is elsewhere.
    expect(readdirSync(join(dir, 'data'))).toEqual(['mfa.key']);

    const db = openDatabase(databaseFile);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const newer = runSeedDemo(join(dir, 'data'), [], databaseFile);
    expect(newer.status).toBe(1);
    expect(newer.stderr).toMatch(/^seed:demo failed: .*demo\.sqlite: The database has schema version \d+, newer than this program knows/);
    expect(newer.stderr.trim().split('\n')).toHaveLength(1);
  });
});
