// No page scrolls sideways on a phone (390 px, and 320 px for WCAG's reflow), on a tablet or a phone held sideways (640
// to 1024 px, where tables are laid out as tables with little room), and the audit log and the research pages not even
// at 1280 or 1366 px. Tables turn into stacked rows with their labels, or scroll inside their own box; long values wrap.
// The pages known to overflow are loaded with demo-like data (the shipped rubric, long names and texts), the consensus
// section and result pages with the long words and addresses raters type, and the demo's main pages with the demo
// itself; their HTML comes from the app through supertest and is shown in Chromium with the app's own stylesheet. Measured there
// (test/browser/page-layout.ts): the page's width against the viewport's; table cells that keep their words whole (a
// table may not squeeze its columns to a letter or two to fit the screen); scroll boxes' captions, read whole without
// scrolling; captions as wide as their table (a stacked table's caption once wrapped a word a line); empty stacked cells, which show no label; and scroll boxes, each a focusable region with a name.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createTestUser, loginAgent, makeTestApp, makeTestServices, postForm, ROOT } from '../helpers/test-app.js';
import { createProgramScenario, finalisePeerReview, finaliseSelfAssessment, type ProgramScenario } from '../helpers/program-scenario.js';
import { startRating } from '../helpers/review-scenario.js';
import { findChromium, isCiRun } from './browser-available.js';
import { launchChromium } from './browser-session.js';
import { evaluateIn, layoutOf, layoutProblems, openPagePerWidth, type PageAtWidth } from './page-layout.js';

const chromiumPath = findChromium();

const LONG_RECOMMENDATION =
  'Inför en skriftlig rutin för hur bostadssamordnaren och case managern tillsammans med hyresvärdar och bostadsbolag följer upp varje störningsanmälan inom fem arbetsdagar (https://example.org/rutiner/bostad-forst/storningsanmalan-uppfoljning-2026).';

/** A program with a final peer review on the shipped rubric, a final self-assessment, an action plan, outcomes and an audit trail. */
async function createDemoLikeProgram(): Promise<ProgramScenario & { selfId: number }> {
  const s = await createProgramScenario();
  const sections = s.rubric.sections;
  finalisePeerReview(s, s.reviewId, (min, max, index) => min + ((index * 3) % (max - min + 1)), {
    [sections[0]?.id ?? '']: [LONG_RECOMMENDATION, 'Följ upp boendestödet varje månad.'],
    [sections[1]?.id ?? '']: ['Anställ erfarenhetsexperter i teamet.'],
  });
  // A final self-assessment by the program lead alone, for the gap view.
  const selfId = finaliseSelfAssessment(s, (_min, max, index) => max - (index % 2));
  return { ...s, selfId };
}

/** A word of 61 letters, as a rater may type a compound or paste an identifier: wider than a phone's line. */
const LONG_WORD = 'Hyresvärdsuppföljningsdokumentationsrutinbeskrivningsunderlag';
const LONG_ADDRESS = 'https://example.org/rutiner/Storningsanmalningsuppfoljningsrutinforhyresvardar2026.pdf';

/**
 * A peer review in consensus on the shipped rubric: the lead's notes hold a long word and a long address, reviewer A
 * wrote no note and ticked no evidence (empty cells), reviewer B a short note; the first section has recommendations,
 * one with the long address, so its priority and owner table is shown. The consensus section page as the lead edits it is taken, then
 * the review is finalised with rationales holding the long word.
 */
async function consensusAndResultWithLongWords(): Promise<{ consensusSection: string; result: string; resultSection: string }> {
  const s = await createProgramScenario();
  startRating(s);
  const indicators = listIndicators(s.rubric);
  const ids = indicators.map(({ indicator }) => indicator.id);
  for (const [rater, note, withEvidence] of [
    [s.lead, `Se ${LONG_WORD} och ${LONG_ADDRESS} för detaljerna.`, true],
    [s.reviewerA, '', false],
    [s.reviewerB, 'Samstämmigt med intervjuerna.', true],
  ] as const) {
    const ratings = indicators.map(({ indicator }) => ({
      indicatorId: indicator.id,
      score: indicator.scale.max,
      notApplicable: false,
      evidence: withEvidence ? indicator.evidence.slice(0, 1) : [],
      note,
    }));
    if (s.reviews.saveRatings(s.reviewId, rater.id, ratings).outcome !== 'saved') throw new Error('save failed');
    if (s.reviews.submitRatings(s.reviewId, rater.id, ids) !== 'submitted') throw new Error('submit failed');
  }
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start consensus');
  const section = s.rubric.sections[0];
  if (!section) throw new Error('rubric without sections');
  s.reviews.replaceFindings(
    s.reviewId,
    [{ sectionId: section.id, strengths: [`${LONG_WORD} finns.`], recommendations: [LONG_RECOMMENDATION, `Läs ${LONG_ADDRESS}`] }],
    s.lead.id,
  );
  const lead = await s.login(s.lead);
  const consensusSection = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
  for (const { indicator } of indicators) {
    const input = { indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false, rationale: `Enligt ${LONG_WORD}.` };
    s.reviews.saveConsensus(s.reviewId, input, s.lead.id);
  }
  if (!s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('could not finalise');
  const reader = await s.login(s.reviewerA);
  const result = (await reader.get(`/reviews/${s.reviewId}/result`)).text;
  const resultSection = (await reader.get(`/reviews/${s.reviewId}/result/${section.id}`)).text;
  return { consensusSection, result, resultSection };
}

/** A common phone, and the 320 CSS px that WCAG 2.1's reflow criterion (1.4.10) asks content to fit. */
const PHONE_WIDTHS = [390, 320] as const;

/**
 * Tablets and phones held sideways, up to a small laptop: from the widest screen where tables stack (40rem), through
 * a small tablet, a phone sideways and a tablet upright, to a tablet sideways.
 */
const TABLET_WIDTHS = [640, 700, 768, 800, 1024] as const;

const SMALL_SCREENS = [...PHONE_WIDTHS, ...TABLET_WIDTHS] as const;

describe.skipIf(!chromiumPath && !isCiRun())('no sideways scrolling', { timeout: 120_000 }, () => {
  let browser: Browser;
  let pageAt: PageAtWidth;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath ?? '/usr/bin/chromium');
    pageAt = openPagePerWidth(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** What is wrong with each page at each width (test/browser/page-layout.ts), keyed by page and width. */
  async function problemsOf(
    pages: Readonly<Record<string, string>>,
    widths: readonly number[],
    options: { squeezed: boolean },
  ): Promise<Record<string, unknown>> {
    const problems: Record<string, unknown> = {};
    for (const [label, html] of Object.entries(pages)) {
      for (const width of widths) Object.assign(problems, layoutProblems(label, width, await layoutOf(pageAt, html, width), options));
    }
    return problems;
  }

  it('when the pages known to overflow are shown on phones and tablets, then none is wider than the screen', async () => {
    const s = await createDemoLikeProgram();
    const lead = await s.login(s.programLead);
    const plan = `/programs/${s.programId}/actions`;
    await postForm(lead, plan, plan, { review_id: String(s.reviewId) });
    // The long recommendation is overdue, so the overdue actions' table at the top of the plan is measured too.
    const [longAction] = s.actions.listActionsOfReview(s.reviewId);
    s.actions.updateAction(
      longAction?.id ?? 0,
      { ownerUserId: s.staff.id, ownerName: '', dueOn: '2026-03-31', status: 'in_progress', expectedVersion: longAction?.version ?? 0 },
      s.programLead.id,
    );
    const outcomes = `/programs/${s.programId}/outcomes`;
    await postForm(lead, outcomes, outcomes, {
      period_start: '2025-01-01',
      period_end: '2025-12-31',
      moved_in: '29',
      still_first_flat: '18',
      still_in_program: '21',
      first_hand_leases: '5',
      evictions: '3',
      complaints: '12',
      clients: '21',
      case_managers: '2,5',
      note: 'Räknat ur verksamhetssystemet den 15 januari 2026, efter avstämning med hyresvärdar och bostadsbolag.',
    });
    const reviewer = await s.login(s.lead);
    const pages: Record<string, string> = {
      'home (program lead)': (await lead.get('/')).text,
      'home (reviewer)': (await reviewer.get('/')).text,
      result: (await reviewer.get(`/reviews/${s.reviewId}/result`)).text,
      'result section': (await reviewer.get(`/reviews/${s.reviewId}/result/${s.rubric.sections[0]?.id}`)).text,
      'action plan': (await lead.get(plan)).text,
      'gap view': (await lead.get(`/programs/${s.programId}/gap`)).text,
      'gap view (below the top only)': (await lead.get(`/programs/${s.programId}/gap?below_top=1`)).text,
      outcomes: (await lead.get(outcomes)).text,
      'municipality list': (await lead.get('/municipalities')).text,
      'program page': (await lead.get(`/programs/${s.programId}`)).text,
      'municipality page': (await lead.get('/municipalities/0180')).text,
      checklist: (await lead.get(`/programs/${s.programId}/readiness/bostad-forst`)).text,
      'self-assessments': (await lead.get(`/programs/${s.programId}/self-assessments`)).text,
      action: (await lead.get(`/actions/${s.actions.listActionsOfReview(s.reviewId)[0]?.id ?? 0}`)).text,
    };
    // Every page is a real page (not an error page), holding what makes it wide: the comparison tables and long texts.
    for (const html of Object.values(pages)) expect(html).not.toContain('Något gick fel');
    expect(pages['gap view']).toContain('<table');
    expect(pages['gap view (below the top only)']).toContain('<table');
    expect(pages.result).toContain(LONG_RECOMMENDATION);
    expect(pages['action plan']).toContain(LONG_RECOMMENDATION);
    expect(pages['action plan']).toContain('<h2 id="overdue">');
    expect(pages.outcomes).toContain('<table');
    expect(await problemsOf(pages, SMALL_SCREENS, { squeezed: true })).toEqual({});
    // The gap view leads with its summary: on a phone it starts on the first screen (800 px high here), not after the
    // tables.
    const summaryTop = await evaluateIn<number>(
      pageAt,
      pages['gap view'] ?? '',
      390,
      "document.getElementById('summary').getBoundingClientRect().top + window.scrollY",
    );
    expect(summaryTop).toBeLessThan(800);
  });

  it('when the audit log and the users are shown at 1280 and 1366 px, on tablets and on phones, then neither is wider than the screen, long addresses and names included', async () => {
    const s = await createDemoLikeProgram();
    // An account with an address and a name as long as real ones get (a shared mailbox of a joint board, a double
    // surname with a title), so the users' list and the log that names it hold unbroken words of 60 characters.
    await createTestUser(s.db, ['reviewer'], {
      email: 'socialtjanstforvaltningens.samordnare.bostadforst@stockholmsstad.example.se',
      displayName: 'Ann-Charlotte Andersson-Östergren-Wahlbergsdotter',
      affiliation: 'Socialförvaltningen, avdelningen för hemlöshetsfrågor och bostadssociala insatser',
    });
    const admin = await s.login(s.admin);
    const coordinator = await s.login(s.coordinator);
    const pages = {
      'audit log (admin)': (await admin.get('/admin/audit')).text,
      'audit log (review)': (await coordinator.get(`/reviews/${s.reviewId}/audit`)).text,
      users: (await admin.get('/admin/users')).text,
    };
    for (const html of Object.values(pages)) expect(html).toContain('<table');
    expect(pages.users).toContain('socialtjanstforvaltningens.samordnare.bostadforst@stockholmsstad.example.se');
    expect(await problemsOf(pages, [1280, 1366, ...SMALL_SCREENS], { squeezed: false })).toEqual({});
  });

  it('when raters typed long words and left notes empty, then the consensus section and result pages fit the screen', async () => {
    const pages = await consensusAndResultWithLongWords();
    for (const html of Object.values(pages)) expect(html).not.toContain('Något gick fel');
    // The long words are where they are shown: the panel's texts on the section pages, the recommendations on the whole result too.
    expect(pages.consensusSection).toContain(LONG_WORD);
    expect(pages.resultSection).toContain(LONG_WORD);
    expect(pages.result).toContain(LONG_RECOMMENDATION);
    // The raters' tables with an empty note and evidence, and the recommendations' table in its scroll box.
    expect(pages.consensusSection).toMatch(/data-label="Anteckning"><\/td>/);
    expect(pages.consensusSection).toContain('class="recommendation-meta"');
    // Phones, and tablets: a long word in a table laid out as a table must not widen the page.
    expect(await problemsOf(pages, SMALL_SCREENS, { squeezed: true })).toEqual({});
  });

  it("when the demo's main pages are shown on phones and tablets, then none is wider than the screen and no table squeezes its words", async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const rubrics = loadRubrics(join(ROOT, 'rubrics'));
    const summary = await seedDemo(makeTestServices(db, rubrics));
    const { app, services } = makeTestApp({ db, rubrics });
    const finalReview = services.reviews.findReviewById(summary.finalReview.id);
    if (!finalReview) throw new Error('demo review missing');
    const reviewId = finalReview.id;
    const programId = finalReview.programId;
    const as = (email: string) => loginAgent(app, email, DEMO_PASSWORD);
    const [lead, reviewer, admin, researcher, coordinator, ratingLead] = await Promise.all([
      as('programledare@demo.example'),
      as('granskare1@demo.example'),
      as('admin@demo.example'),
      as('forskare@demo.example'),
      as('samordnare@demo.example'),
      as('granskare2@demo.example'),
    ]);
    const ratingReviewId = summary.ratingReview.id;
    const pages: Record<string, string> = {
      // The review overview with its panel: as a reviewer reads it, and as the coordinator, who manages the panel (a
      // column more: the remove buttons of those who have not rated yet, in the review still being rated).
      'review overview (final)': (await reviewer.get(`/reviews/${reviewId}`)).text,
      'review overview (final, coordinator)': (await coordinator.get(`/reviews/${reviewId}`)).text,
      'review overview (rating, coordinator)': (await coordinator.get(`/reviews/${ratingReviewId}`)).text,
      result: (await reviewer.get(`/reviews/${reviewId}/result`)).text,
      'result section': (await reviewer.get(`/reviews/${reviewId}/result/a1-housing-right`)).text,
      outcomes: (await lead.get(`/programs/${programId}/outcomes`)).text,
      'admin users': (await admin.get('/admin/users')).text,
      'program page': (await lead.get(`/programs/${programId}`)).text,
      // The program lead's self-assessment against the 2026 round: the summary, the sections' table, a table a section.
      'gap view': (await lead.get(`/programs/${programId}/gap`)).text,
      consensus: (await reviewer.get(`/reviews/${reviewId}/consensus`)).text,
      'consensus section': (await reviewer.get(`/reviews/${reviewId}/consensus/a1-housing-right`)).text,
      research: (await researcher.get('/research')).text,
      // The widest list of reviews on a home page: three rows, one as "Granskningsledare (ordförande)".
      'home (panel lead)': (await ratingLead.get('/')).text,
    };
    // The research page with one program's trend over its rounds (the Stockholm program has two): its link in the heat map.
    const trendHref = /href="(\/research\?[^"#]*program=[^"#]*)#trend"/.exec(pages.research ?? '')?.[1]?.replaceAll('&amp;', '&');
    if (!trendHref) throw new Error('no trend link on the research page');
    pages['research trend'] = (await researcher.get(trendHref)).text;
    // And of all kinds: each row says its kind, and the agreement comes per kind.
    pages['research trend (all kinds)'] = (await researcher.get(trendHref.replace(/kind=[^&]*/, 'kind=all'))).text;
    // Real pages with their tables: the outcomes editable (an "Ändra" link a row), the research page with its heat map.
    for (const [name, html] of Object.entries(pages)) {
      expect(html).not.toContain('Något gick fel');
      // A result section's page is lists and key–value facts; every other page here has its table.
      if (name !== 'result section') expect(html).toContain('<table');
    }
    expect(pages['result section']).toContain('class="indicator"');
    expect(pages.outcomes).toContain('href="/outcomes/');
    for (const label of ['review overview (final)', 'review overview (final, coordinator)', 'review overview (rating, coordinator)']) {
      expect(pages[label]).toContain('<h2 id="panel">');
    }
    expect(pages['review overview (rating, coordinator)']).toContain(`action="/reviews/${ratingReviewId}/panel/remove"`);
    expect(pages.research).toContain('heatmap-table');
    expect(pages['research trend']).toContain('Procent av maxpoängen per avsnitt och granskningsomgång');
    expect(pages['research trend (all kinds)']).toContain('<h3 id="agreement-peer-review">');
    expect(pages['home (panel lead)']).toContain('Granskningsledare (ordförande)');
    expect(await problemsOf(pages, SMALL_SCREENS, { squeezed: true })).toEqual({});
    // The research pages at a laptop's width too, where the heat map's table once needed its box's scroll bar.
    const research = Object.fromEntries(Object.entries(pages).filter(([name]) => name.startsWith('research')));
    expect(await problemsOf(research, [1280, 1366], { squeezed: true })).toEqual({});
    // The home page's reviews are a table from 52rem (832 px), where they fit with a margin, and stacked below it.
    expect(await problemsOf({ 'home (panel lead)': pages['home (panel lead)'] ?? '' }, [832], { squeezed: true })).toEqual({});
    const homeListDisplay = async (width: number) =>
      evaluateIn<string>(
        pageAt,
        pages['home (panel lead)'] ?? '',
        width,
        "getComputedStyle(document.querySelector('#my-reviews ~ table')).display",
      );
    const displays: Record<number, string> = {};
    for (const width of [390, 800, 832, 1024]) displays[width] = await homeListDisplay(width);
    expect(displays).toEqual({ 390: 'block', 800: 'block', 832: 'table', 1024: 'table' });
    // On a wide screen the empty cells (a rater without a note) keep their place in the table.
    const emptyCellDisplays = await evaluateIn<string[]>(
      pageAt,
      pages['consensus section'] ?? '',
      1024,
      "[...document.querySelectorAll('td[data-label]:empty')].map((cell) => getComputedStyle(cell).display)",
    );
    expect(emptyCellDisplays.length).toBeGreaterThan(0);
    expect(new Set(emptyCellDisplays)).toEqual(new Set(['table-cell']));
  });
});
