// No page scrolls sideways on a phone (390 px), and the audit log not even at 1366 px. Tables turn
// into stacked rows with their labels, or scroll inside their own box; long values wrap. The pages known to overflow
// are loaded with demo-like data (the shipped rubric, long names and texts), their HTML from the app through
// supertest shown in Chromium with the app's own stylesheet, and the page's width is compared with the viewport's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { postForm } from '../helpers/test-app.js';
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

describe.skipIf(!chromiumPath && !isCiRun())('no sideways scrolling', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath ?? '/usr/bin/chromium');
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** How far the page is wider than the viewport at `width`, and the widest elements when it is (to say what to fix). */
  async function overflowOf(html: string, width: number) {
    const page = await browser.newPage({ bypassCSP: true, viewport: { width, height: 800 } });
    try {
      await page.setContent(html.replace('<link rel="stylesheet" href="/assets/app.css">', `<style>${STYLESHEET}</style>`));
      // A string, evaluated in the page: the tests are compiled without the DOM's types.
      return (await page.evaluate(`(() => {
        const root = document.documentElement;
        const excess = root.scrollWidth - root.clientWidth;
        const culprits = excess <= 0 ? [] : [...document.querySelectorAll('body *')]
          .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 1 && !element.closest('.table-scroll'))
          .slice(0, 5)
          .map((element) => element.tagName.toLowerCase() + '.' + element.className + ' in ' + element.parentElement?.tagName.toLowerCase() + ': ' + (element.textContent ?? '').trim().slice(0, 60));
        return { excess: Math.max(0, excess), culprits };
      })()`)) as { excess: number; culprits: string[] };
    } finally {
      await page.close();
    }
  }

  it('when the pages known to overflow are shown at 390 px, then none is wider than the screen', async () => {
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
      const { excess, culprits } = await overflowOf(html, 390);
      if (excess > 0) wide[label] = { excess, culprits };
    }
    expect(wide).toEqual({});
  });

  it('when the audit log is shown at 1366 px and at 390 px, then it is not wider than the screen', async () => {
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
      for (const width of [1366, 390]) {
        const { excess, culprits } = await overflowOf(html, width);
        if (excess > 0) wide[`${label} at ${width}`] = { excess, culprits };
      }
    }
    expect(wide).toEqual({});
  });
});
