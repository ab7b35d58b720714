// No page scrolls sideways on a phone (390 px, and 320 px for WCAG's reflow), and the audit log not even at 1366 px.
// Tables turn into stacked rows with their labels, or scroll inside their own box; long values wrap. The pages known
// to overflow are loaded with demo-like data (the shipped rubric, long names and texts), and the demo's main pages with
// the demo itself; their HTML comes from the app through supertest and is shown in Chromium with the app's own
// stylesheet. The page's width is compared with the viewport's, and on the demo's pages every table cell must keep its
// words whole: a table may not squeeze its columns to a letter or two to fit the screen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { loginAgent, makeTestApp, makeTestServices, postForm, ROOT } from '../helpers/test-app.js';
import { createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';
import { findChromium, isCiRun } from './browser-available.js';
import { launchChromium } from './browser-session.js';

const STYLESHEET = readFileSync(fileURLToPath(new URL('../../views/assets/app.css', import.meta.url)), 'utf8');
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
  const loaded = s.rubrics.get('bostad-forst');
  if (!loaded) throw new Error('rubric missing');
  const selfId = s.selfAssessments.startSelfAssessment({
    programId: s.programId,
    rubric: loaded,
    leadId: s.programLead.id,
    coRaterIds: [],
    date: '2026-02-01',
  });
  const indicators = listIndicators(s.rubric);
  s.reviews.saveRatings(
    selfId,
    s.programLead.id,
    indicators.map(({ indicator }, index) => ({
      indicatorId: indicator.id,
      score: indicator.scale.max - (index % 2),
      notApplicable: false,
      evidence: [],
      note: '',
    })),
  );
  s.reviews.submitRatings(
    selfId,
    s.programLead.id,
    indicators.map(({ indicator }) => indicator.id),
  );
  s.reviews.transition(selfId, 'rating', 'consensus', s.programLead.id);
  s.selfAssessments.adoptAgreedRatings(selfId, s.programLead.id);
  s.reviews.transition(selfId, 'consensus', 'final', s.programLead.id);
  return { ...s, selfId };
}

/** A common phone, and the 320 CSS px that WCAG 2.1's reflow criterion (1.4.10) asks content to fit. */
const PHONE_WIDTHS = [390, 320] as const;

type PageLayout = { excess: number; culprits: string[]; squeezed: string[] };

/**
 * Measured in the page, as a string: the tests are compiled without the DOM's types.
 * - excess: the document's scroll width beyond the viewport. It counts everything, also what escapes a scroll box:
 *   an absolutely positioned element (a visually hidden text) is clipped by a `.table-scroll` only when that box is
 *   its containing block, otherwise it widens the page.
 * - culprits: the first elements reaching past the viewport that no scroll box holds (an SVG clips its own drawing).
 * - squeezed: visible table cells that break a word over two lines, or are under 3 em wide while holding more than
 *   three characters (a column of one or two letters a line). The header cells of a stacked table, moved off screen
 *   into a 1 px box for screen readers, are not shown and not measured.
 */
const MEASURE_LAYOUT = String.raw`(() => {
  const root = document.documentElement;
  const viewport = root.clientWidth;
  const excess = Math.max(0, root.scrollWidth - viewport);
  const heldByScrollBox = (element) => {
    const box = element.closest('.table-scroll');
    if (!box) return false;
    for (let node = element; node && node !== box; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === 'fixed') return false;
      if (position === 'absolute') {
        const container = node.offsetParent;
        return Boolean(container) && (container === box || box.contains(container));
      }
    }
    return true;
  };
  const describe = (element) => element.tagName.toLowerCase() + (element.getAttribute('class') ? '.' + element.getAttribute('class').trim().replace(/\s+/g, '.') : '') +
    ' in ' + (element.parentElement ? element.parentElement.tagName.toLowerCase() : '-') + ': ' + (element.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  const culprits = excess === 0 ? [] : [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > viewport + 1 && !element.parentElement.closest('svg') && !heldByScrollBox(element))
    .slice(0, 5)
    .map(describe);
  const visibleTextNodes = (cell) => {
    const nodes = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest('.visually-hidden')) nodes.push(node);
    }
    return nodes;
  };
  const squeezed = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    if (cell.getClientRects().length === 0) continue;
    const head = cell.closest('thead');
    if (head && getComputedStyle(head).position === 'absolute') continue;
    const nodes = visibleTextNodes(cell);
    const text = nodes.map((node) => node.data).join('').trim().replace(/\s+/g, ' ');
    if (text === '') continue;
    const broken = [];
    for (const node of nodes) {
      for (const match of node.data.matchAll(/[\p{L}\p{N}]{2,}/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    const cellWidth = cell.getBoundingClientRect().width;
    const em = parseFloat(getComputedStyle(cell).fontSize);
    const label = cell.tagName.toLowerCase() + ' ' + Math.round(cellWidth) + ' px "' + text.slice(0, 40) + '"';
    if (broken.length > 0) squeezed.push(label + ' breaks ' + broken.slice(0, 3).join(', '));
    else if (cellWidth < 3 * em && text.length > 3) squeezed.push(label + ' under 3 em');
  }
  return { excess, culprits, squeezed };
})()`;

describe.skipIf(!chromiumPath && !isCiRun())('no sideways scrolling', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath ?? '/usr/bin/chromium');
  });
  afterAll(async () => {
    await browser?.close();
  });

  /**
   * How far the page is wider than the viewport at `width`, the elements that make it so (to say what to fix), and the
   * table cells squeezed below a readable width.
   */
  async function layoutOf(html: string, width: number): Promise<PageLayout> {
    const page = await browser.newPage({ bypassCSP: true, viewport: { width, height: 800 } });
    try {
      await page.setContent(html.replace('<link rel="stylesheet" href="/assets/app.css">', `<style>${STYLESHEET}</style>`));
      return (await page.evaluate(MEASURE_LAYOUT)) as PageLayout;
    } finally {
      await page.close();
    }
  }

  it('when the pages known to overflow are shown at 390 px and 320 px, then none is wider than the screen', async () => {
    const s = await createDemoLikeProgram();
    const lead = await s.login(s.programLead);
    const plan = `/programs/${s.programId}/actions`;
    await postForm(lead, plan, plan, { review_id: String(s.reviewId) });
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
      'action plan': (await lead.get(plan)).text,
      'gap view': (await lead.get(`/programs/${s.programId}/gap`)).text,
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
    expect(pages.result).toContain(LONG_RECOMMENDATION);
    expect(pages['action plan']).toContain(LONG_RECOMMENDATION);
    expect(pages.outcomes).toContain('<table');
    const wide: Record<string, unknown> = {};
    for (const [label, html] of Object.entries(pages)) {
      for (const width of PHONE_WIDTHS) {
        const { excess, culprits } = await layoutOf(html, width);
        if (excess > 0) wide[`${label} at ${width}`] = { excess, culprits };
      }
    }
    expect(wide).toEqual({});
  });

  it('when the audit log is shown at 1366 px and on phones, then it is not wider than the screen', async () => {
    const s = await createDemoLikeProgram();
    const admin = await s.login(s.admin);
    const coordinator = await s.login(s.coordinator);
    const logs = {
      'audit log (admin)': (await admin.get('/admin/audit')).text,
      'audit log (review)': (await coordinator.get(`/reviews/${s.reviewId}/audit`)).text,
    };
    const wide: Record<string, unknown> = {};
    for (const [label, html] of Object.entries(logs)) {
      expect(html).toContain('<table');
      for (const width of [1366, ...PHONE_WIDTHS]) {
        const { excess, culprits } = await layoutOf(html, width);
        if (excess > 0) wide[`${label} at ${width}`] = { excess, culprits };
      }
    }
    expect(wide).toEqual({});
  });
  it("when the demo's main pages are shown on phones, then none is wider than the screen and no table squeezes its words", async () => {
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
    const [lead, reviewer, admin, researcher, coordinator] = await Promise.all([
      as('programledare@demo.example'),
      as('granskare1@demo.example'),
      as('admin@demo.example'),
      as('forskare@demo.example'),
      as('samordnare@demo.example'),
    ]);
    const ratingReviewId = summary.ratingReview.id;
    const pages: Record<string, string> = {
      // The review overview with its panel: as a reviewer reads it, and as the coordinator, who manages the panel (a
      // column more: the remove buttons of those who have not rated yet, in the review still being rated).
      'review overview (final)': (await reviewer.get(`/reviews/${reviewId}`)).text,
      'review overview (final, coordinator)': (await coordinator.get(`/reviews/${reviewId}`)).text,
      'review overview (rating, coordinator)': (await coordinator.get(`/reviews/${ratingReviewId}`)).text,
      result: (await reviewer.get(`/reviews/${reviewId}/result`)).text,
      outcomes: (await lead.get(`/programs/${programId}/outcomes`)).text,
      'admin users': (await admin.get('/admin/users')).text,
      'program page': (await lead.get(`/programs/${programId}`)).text,
      consensus: (await reviewer.get(`/reviews/${reviewId}/consensus`)).text,
      'consensus section': (await reviewer.get(`/reviews/${reviewId}/consensus/a1-housing-right`)).text,
      research: (await researcher.get('/research')).text,
    };
    // The research page with one program's trend over its rounds (the Stockholm program has two): its link in the heat map.
    const trendHref = /href="(\/research\?[^"#]*program=[^"#]*)#trend"/.exec(pages.research ?? '')?.[1]?.replaceAll('&amp;', '&');
    if (!trendHref) throw new Error('no trend link on the research page');
    pages['research trend'] = (await researcher.get(trendHref)).text;
    // Real pages with their tables: the outcomes editable (an "Ändra" link a row), the research page with its heat map.
    for (const html of Object.values(pages)) {
      expect(html).not.toContain('Något gick fel');
      expect(html).toContain('<table');
    }
    expect(pages.outcomes).toContain('href="/outcomes/');
    for (const label of ['review overview (final)', 'review overview (final, coordinator)', 'review overview (rating, coordinator)']) {
      expect(pages[label]).toContain('<h2 id="panel">');
    }
    expect(pages['review overview (rating, coordinator)']).toContain(`action="/reviews/${ratingReviewId}/panel/remove"`);
    expect(pages.research).toContain('heatmap-table');
    expect(pages['research trend']).toContain('Procent av maxpoängen per avsnitt och granskningsomgång');
    const problems: Record<string, unknown> = {};
    for (const [label, html] of Object.entries(pages)) {
      for (const width of PHONE_WIDTHS) {
        const { excess, culprits, squeezed } = await layoutOf(html, width);
        if (excess > 0) problems[`${label} at ${width}: ${excess} px too wide`] = culprits;
        if (squeezed.length > 0) problems[`${label} at ${width}: ${squeezed.length} squeezed cells`] = squeezed.slice(0, 5);
      }
    }
    expect(problems).toEqual({});
  });
});
