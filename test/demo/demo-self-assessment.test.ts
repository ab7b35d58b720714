// The demo's self-assessment: the Stockholm program lead's, made before the 2026 visit and shared with that round's
// panel, so the project leader's gap view has the panel's consensus to compare it with. It stays the program's (and
// that panel's): the municipality's report and the research pages leave it out, as they do every self-assessment made
// in the app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettableClock } from '../../src/clock.js';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.js';
import { createProgramMemberStore } from '../../src/program-members/program-member-store.js';
import { findPersonalIdentityNumbers } from '../../src/privacy/personnummer.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { findFinaliseGaps, summarizeProgress } from '../../src/reviews/review-workflow.js';
import { scoreReview } from '../../src/reviews/scoring.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { allowsNotApplicable, listIndicators, type Rubric } from '../../src/rubrics/rubric-schema.js';
import { createSelfAssessmentStore } from '../../src/self-assessment/self-assessment-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { loginAgent, makeTestApp, makeTestServices, ROOT } from '../helpers/test-app.js';
import { binaryParser, extractPdfPages, normalizeSpace } from '../reports/pdf-text.js';

const rubrics = loadRubrics(join(ROOT, 'rubrics'));
function findShippedRubric(): Rubric {
  const rubric = rubrics.get('bostad-forst')?.rubric;
  if (!rubric) throw new Error('the shipped rubric bostad-forst is missing');
  return rubric;
}
const shipped = findShippedRubric();

/** The day the story is written for: seeded on it, the demo keeps the dates of src/demo/. */
const SEED_DAY = '2026-12-07';
const clock = () => new Date(`${SEED_DAY}T11:00:00.000Z`);

type Seeded = { readonly db: Db; readonly summary: Awaited<ReturnType<typeof seedDemo>> };
let shared: Promise<Seeded> | undefined;
/** One demo for the whole file, seeded as npm run seed:demo does: each step at its own date. */
function seededDemo(): Promise<Seeded> {
  shared ??= (async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const time = createSettableClock(clock);
    return { db, summary: await seedDemo(makeTestServices(db, rubrics, time.clock), time) };
  })();
  return shared;
}

function userId(db: Db, email: string): number {
  const id = createUserStore(db).findUserByEmail(email)?.id;
  if (id === undefined) throw new Error(`no demo user ${email}`);
  return id;
}

/** The self-assessment's consensus beside the latest round's, by indicator. */
function compareWithPanel({ db, summary }: Seeded) {
  const reviews = createReviewStore(db);
  const self = new Map(reviews.listConsensus(summary.selfAssessment.id).map((c) => [c.indicatorId, c]));
  const panel = new Map(reviews.listConsensus(summary.finalReview.id).map((c) => [c.indicatorId, c]));
  return listIndicators(shipped).map(({ indicator }) => ({ indicator, self: self.get(indicator.id), panel: panel.get(indicator.id) }));
}

/** The part of a page from one marker up to another. */
function between(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  const end = html.indexOf(to, start);
  if (start < 0 || end < 0) throw new Error(`no part between ${from} and ${to}`);
  return html.slice(start, end);
}

describe('the demo self-assessment', { timeout: 120_000 }, () => {
  it('when the demo is seeded, then Stockholm has one final self-assessment by its program lead, on the current shipped rubric, before the 2026 visit', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    const latest = reviews.findReviewById(summary.finalReview.id);
    if (!latest) throw new Error('no 2026 round');
    const selfAssessments = reviews.listReviewsForProgram(latest.programId).filter((review) => review.kind === 'self_assessment');
    expect(selfAssessments.map((review) => review.id)).toEqual([summary.selfAssessment.id]);

    const self = reviews.findReviewById(summary.selfAssessment.id);
    const lead = userId(db, 'programledare@demo.example');
    expect(self).toMatchObject({ status: 'final', rubricId: 'bostad-forst', rubricVersion: shipped.version, createdBy: lead });
    expect(self?.municipalityCode).toBe('0180');
    // The program's lead, alone: the only one on its panel, and submitted.
    expect(createProgramMemberStore(db).findRole(latest.programId, lead)).toBe('lead');
    expect(reviews.listPanel(summary.selfAssessment.id).map((m) => [m.userId, m.role, m.submittedAt !== undefined])).toEqual([
      [lead, 'lead', true],
    ]);
    // Every indicator decided, and finalised before the panel's visit.
    expect(reviews.listConsensus(summary.selfAssessment.id)).toHaveLength(listIndicators(shipped).length);
    expect(self?.visitStart).toBe('2026-02-09');
    expect(summary.selfAssessment.date).toBe('2026-02-09');
    const finalisedOn = self?.finalisedAt?.slice(0, 10) ?? '';
    expect([latest.createdAt.slice(0, 10), finalisedOn, latest.visitStart ?? ''].every((day) => day !== '')).toBe(true);
    expect(latest.createdAt.slice(0, 10) < finalisedOn && finalisedOn < (latest.visitStart ?? '')).toBe(true);
  });

  it('when the program assessed itself before the visit, then it shared the self-assessment with the 2026 panel while that round was coming', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    const shares = createSelfAssessmentStore(db).listSharesOf(summary.selfAssessment.id);
    expect(shares.map((share) => share.peerReviewId)).toEqual([summary.finalReview.id]);
    expect(summary.selfAssessment.sharedWith).toBe(summary.finalReview.id);
    const latest = reviews.findReviewById(summary.finalReview.id);
    const sharedAt = shares[0]?.sharedAt ?? '';
    const finalisedAt = reviews.findReviewById(summary.selfAssessment.id)?.finalisedAt ?? '';
    expect(finalisedAt < sharedAt && sharedAt.slice(0, 10) < (latest?.visitStart ?? '')).toBe(true);

    // The panel's lead finds it on the round's page; a reviewer who is not on that panel cannot open it.
    const { app } = makeTestApp({ db, clock });
    const panelLead = await loginAgent(app, 'granskare1@demo.example', DEMO_PASSWORD);
    const overview = await panelLead.get(`/reviews/${summary.finalReview.id}`);
    expect(overview.status).toBe(200);
    const part = between(overview.text, '<h2 id="shared-self-assessments">', '</ul>');
    expect(part).toContain(`href="/reviews/${summary.selfAssessment.id}/result"`);
    expect(part).toContain('Självskattning 2026-02-09');
    expect((await panelLead.get(`/reviews/${summary.selfAssessment.id}/result`)).status).toBe(200);
    const outsider = await loginAgent(app, 'granskare3@demo.example', DEMO_PASSWORD);
    expect((await outsider.get(`/reviews/${summary.selfAssessment.id}/result`)).status).toBe(404);
  });

  it('when compared with the 2026 consensus, then most indicators agree, four are higher (a core element among them), two lower and two ej tillämplig, each with the lead’s reasons', async () => {
    const seeded = await seededDemo();
    const rows = compareWithPanel(seeded);
    const score = (side: (typeof rows)[number]['self']) => (side?.notApplicable ? 'na' : side?.score);
    const idsWhere = (keep: (row: (typeof rows)[number]) => boolean) => rows.filter(keep).map((row) => row.indicator.id);
    const differs = (row: (typeof rows)[number]) => score(row.self) !== score(row.panel);

    const notApplicable = idsWhere((row) => row.self?.notApplicable === true);
    const higher = idsWhere((row) => !row.self?.notApplicable && (row.self?.score ?? 0) > (row.panel?.score ?? 0));
    const lower = idsWhere((row) => !row.self?.notApplicable && (row.self?.score ?? 0) < (row.panel?.score ?? 0));
    expect(higher).toEqual(['a1-lease-type', 'a2-choice-of-home', 'a7-individual-plan', 'b4-employment-services']);
    expect(lower).toEqual(['a8-re-housing', 'b2-response-time']);
    expect(notApplicable).toEqual(['b6-respite', 'b6-landlord-satisfaction']);
    // The optimism reaches one core element; N/A only where the rubric allows it; a step of one, never more.
    expect(rows.filter((row) => higher.includes(row.indicator.id) && row.indicator.critical).map((row) => row.indicator.id)).toEqual([
      'a1-lease-type',
    ]);
    expect(rows.filter((row) => notApplicable.includes(row.indicator.id)).every((row) => allowsNotApplicable(row.indicator))).toBe(true);
    expect(rows.filter((row) => row.panel?.notApplicable)).toEqual([]);
    expect(rows.filter((row) => !row.self?.notApplicable && Math.abs((row.self?.score ?? 0) - (row.panel?.score ?? 0)) > 1)).toEqual([]);
    expect(rows.filter((row) => !differs(row)).length).toBe(rows.length - 8);

    // Every difference has the lead's reasons, and so has every decision the consensus form asks one for.
    expect(rows.filter((row) => differs(row) && row.self?.rationale === '').map((row) => row.indicator.id)).toEqual([]);
    const reviews = createReviewStore(seeded.db);
    const id = seeded.summary.selfAssessment.id;
    const consensus = reviews.listConsensus(id);
    const progress = summarizeProgress({
      rubric: shipped,
      panel: reviews.listPanel(id),
      consensus,
      findings: [],
      barriers: [],
    });
    const gaps = findFinaliseGaps(shipped, progress, consensus, reviews.listSubmittedScores(id));
    expect(gaps.filter((gap) => gap.kind === 'rationaleMissing')).toEqual([]);
    expect(consensus.find((c) => c.indicatorId === 'b2-caseload')?.rationale).toContain('över 20 deltagare');

    // The 2026 raters who noted that their rating agreed with the self-assessment gave the score it gives.
    const agreeing = reviews
      .listSubmittedRatings(seeded.summary.finalReview.id)
      .filter((rating) => rating.note.includes('Stämmer med verksamhetens självskattning'));
    expect(agreeing.length).toBeGreaterThan(0);
    const selfScore = new Map(consensus.map((c) => [c.indicatorId, c.score]));
    expect(agreeing.filter((rating) => selfScore.get(rating.indicatorId) !== rating.score)).toEqual([]);

    // The caseload caps the program's own level as it capped the panel's.
    const levelOf = (decisions: typeof consensus) =>
      scoreReview(shipped, new Map(decisions.map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }]))).overall.level
        ?.id;
    expect(levelOf(consensus)).toBe('partial');
    expect(levelOf(reviews.listConsensus(seeded.summary.finalReview.id))).toBe('partial');
  });

  it('when its texts are read, then they are the lead’s own, each written once, and hold no personal identity number', async () => {
    const { db, summary } = await seededDemo();
    const reviews = createReviewStore(db);
    const lead = userId(db, 'programledare@demo.example');
    const rationales = reviews
      .listConsensus(summary.selfAssessment.id)
      .map((c) => c.rationale)
      .filter((text) => text !== '');
    const notes = reviews
      .listRatingsOfRater(summary.selfAssessment.id, lead)
      .map((r) => r.note)
      .filter((text) => text !== '');
    expect(rationales.length).toBeGreaterThanOrEqual(9);
    expect(notes.length).toBeGreaterThan(0);
    const texts = [...rationales, ...notes];
    expect(texts.filter((text, index) => texts.indexOf(text) !== index)).toEqual([]);
    expect(texts.flatMap((text) => findPersonalIdentityNumbers(text))).toEqual([]);
    // Written by the program ("vi"), about the program: the dates they name are the story's, moved as the demo is.
    expect(rationales.some((text) => /\bvi\b/i.test(text))).toBe(true);
    expect(rationales.join(' ')).toContain('hösten 2025');
    expect(reviews.listConsensus(summary.selfAssessment.id).every((c) => c.decidedBy === lead)).toBe(true);
  });

  it('when the project leader opens the gap view the README names, then it compares the self-assessment with the 2026 round: the summary first, then the indicators below the top score', async () => {
    const seeded = await seededDemo();
    const { db, summary } = seeded;
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const demo = between(readme, '## Demo', '## Commands');
    expect(demo).toContain('| `programledare@demo.example` | program lead |');
    const path = /`(\/programs\/\d+\/gap)`/.exec(demo)?.[1];
    const programId = createReviewStore(db).findReviewById(summary.finalReview.id)?.programId;
    expect(path).toBe(`/programs/${programId}/gap`);

    const { app } = makeTestApp({ db, clock });
    const lead = await loginAgent(app, 'programledare@demo.example', DEMO_PASSWORD);
    // The program's page links to it.
    expect((await lead.get(`/programs/${programId}`)).text).toContain(`href="${path}"`);
    const page = await lead.get(path ?? '');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Självskattning 2026-02-09 jämförs med granskningen 2026-03-10.');

    const rows = compareWithPanel(seeded);
    const compared = rows.filter((row) => !row.self?.notApplicable && !row.panel?.notApplicable);
    const atTop = (row: (typeof rows)[number]) =>
      row.self?.score === row.indicator.scale.max && row.panel?.score === row.indicator.scale.max;
    const belowTop = compared.filter((row) => !atTop(row));
    expect(belowTop.length).toBeGreaterThan(0);
    const summaryPart = between(page.text, '<h2 id="summary">', '<nav aria-labelledby="gap-contents">');
    expect(summaryPart).toContain(`${belowTop.length} av ${compared.length} jämförda indikatorer ligger under högsta poäng`);
    // The core elements below the top: the lease type the program rated higher, and the caseload both rated lowest.
    const core = between(summaryPart, '<h3 id="summary-core">', '</ul>');
    expect(core).toContain('A1.1 Deltagarna har förstahandskontrakt');
    expect(core).toContain('självskattningen 4, granskningen 3 (skala 1–4)');
    expect(core).toContain('B2.1 Antal deltagare per case manager.</a>: självskattningen 1, granskningen 1 (skala 1–4)');
    const largest = between(summaryPart, '<h3 id="summary-largest">', '</ol>');
    expect(largest).toContain('href="#gap-ind-a1-lease-type"');
    expect(largest).toContain('självskattningen lägre');

    // Filtered to those below the top score: each of them has its row, and none at the top in both is left.
    const filtered = (await lead.get(`${path}?below_top=1`)).text;
    for (const row of belowTop) expect(filtered).toContain(`<tr role="row" id="gap-ind-${row.indicator.id}">`);
    for (const row of compared.filter(atTop)) expect(filtered).not.toContain(`id="gap-ind-${row.indicator.id}"`);
    // What the program left ej tillämplig is named as not compared.
    const uncompared = page.text.slice(page.text.indexOf('<h2 id="uncompared">'));
    expect(uncompared).toContain('B6.4 Det finns sviktplatser');
    expect(uncompared).toContain('B6.5 Hyresvärdarna är nöjda');
    expect(uncompared.split('(ej tillämplig)')).toHaveLength(3);
  });

  it('when the municipality’s report is downloaded, then it holds the peer reviews alone: as many pages as before and nothing of the self-assessment', async () => {
    const { db, summary } = await seededDemo();
    const { app } = makeTestApp({ db, clock });
    const admin = await loginAgent(app, 'admin@demo.example', DEMO_PASSWORD);
    const rationales = createReviewStore(db)
      .listConsensus(summary.selfAssessment.id)
      .map((c) => c.rationale)
      .filter((text) => text !== '');
    // The page counts of the demo's report before the self-assessment was added to the demo.
    for (const [lang, pageCount] of [
      ['sv', 35],
      ['en', 34],
    ] as const) {
      const response = await admin.get(`/municipalities/0180/report.pdf?lang=${lang}`).buffer(true).parse(binaryParser);
      expect(response.status).toBe(200);
      const pages = extractPdfPages(response.body as Buffer);
      expect(pages).toHaveLength(pageCount);
      const text = normalizeSpace(pages.join(' '));
      expect(text).not.toMatch(/självskattning|self-assessment/i);
      expect(text).not.toContain('2026-02-09');
      expect(text).not.toContain('9 februari 2026');
      for (const rationale of rationales) expect(text).not.toContain(rationale);
      expect(text).not.toContain('Båda tjänsterna är utannonserade');
    }
  });

  it('when a researcher reads the research pages, then the self-assessment is in none of them, though the researcher sat on the panel it was shared with', async () => {
    const { db, summary } = await seededDemo();
    const { app } = makeTestApp({ db, clock });
    const researcher = await loginAgent(app, 'forskare@demo.example', DEMO_PASSWORD);
    const panel = createReviewStore(db).listPanel(summary.finalReview.id);
    expect(panel.some((member) => member.userId === userId(db, 'forskare@demo.example'))).toBe(true);

    const selfOnly = await researcher.get('/research?rubric=bostad-forst&kind=self_assessment');
    expect(selfOnly.status).toBe(200);
    expect(selfOnly.text).toContain('Inga slutförda granskningar matchar urvalet.');
    const allKinds = await researcher.get('/research?rubric=bostad-forst&kind=all');
    expect(allKinds.status).toBe(200);
    // Across kinds, Stockholm's row is still its latest peer review, not the later-finalised self-assessment's date.
    expect(allKinds.text).toContain('Bostad först Stockholm (demo) (Kollegial granskning, 2026-03-10)');
    expect(allKinds.text).not.toContain('2026-02-09');

    // The export of every kind: its review ids are the peer reviews', and no row is of a self-assessment.
    const csv = await researcher.get('/research/export/ratings.csv?rubric=bostad-forst');
    expect(csv.status).toBe(200);
    const [header = '', ...lines] = csv.text.trim().split(/\r?\n/);
    const columns = header.replace(/^\uFEFF/, '').split(/[,;]/);
    const cell = (line: string, column: string) => line.split(/[,;]/)[columns.indexOf(column)];
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((line) => cell(line, 'kind')))).toEqual(new Set(['peer_review']));
    expect(new Set(lines.map((line) => cell(line, 'review_id')))).toEqual(
      new Set([String(summary.firstRound.id), String(summary.finalReview.id)]),
    );
    expect((await researcher.get(`/research/reviews/${summary.selfAssessment.id}/matrix.csv`)).status).toBe(404);
  });
});
