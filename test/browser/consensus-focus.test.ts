// Where focus is after a save on a consensus section page, in Chromium against the app listening on a port (a review in
// consensus written through the stores): the save's notice, so a screen reader reads it (views/assets/focus-notice.js);
// without JavaScript the indicator the address leads to; and a refused form's notice when nothing was saved. The
// pages the meeting ends on (the last section, read-only decisions, core elements tagged) are audited with axe.
import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createScenarioInConsensus, type Person, type ReviewScenario } from '../helpers/review-scenario.js';
import { TEST_PASSWORD } from '../helpers/test-app.js';
import { auditPage } from './accessibility-audit.js';
import { findChromium, isCiRun } from './browser-available.js';
import { launchChromium } from './browser-session.js';
import { gotoPage, scoreRadio, submitAndWait } from './journey-steps.js';

const chromiumPath = findChromium();

/** What has focus, as "tag#id.class": the tests are compiled without the DOM's types, so the page answers in a string. */
const FOCUSED = `(() => {
  const element = document.activeElement;
  return element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + (element.className ? '.' + String(element.className).trim().split(/\\s+/).join('.') : '');
})()`;

describe.skipIf(!chromiumPath && !isCiRun())('focus after a save on a consensus section page', { timeout: 60_000 }, () => {
  let browser: Browser;
  const servers: Server[] = [];
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath ?? '/usr/bin/chromium');
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The scenario's app listening on a port of its own. */
  async function serve(s: ReviewScenario): Promise<string> {
    const server = createServer(s.app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return `http://127.0.0.1:${address.port}`;
  }

  /** A page logged in as `person`, with or without JavaScript; CSP bypassed only so axe can be injected. */
  async function logIn(baseURL: string, person: Person, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ baseURL, javaScriptEnabled, bypassCSP: true, viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await gotoPage(page, '/login');
    await page.locator('#f-email').fill(person.email);
    await page.locator('#f-password').fill(TEST_PASSWORD);
    await submitAndWait(page, page.locator('form[action="/login"] button[type="submit"]'));
    return page;
  }

  const focused = (page: Page) => page.evaluate<string>(FOCUSED);

  it('when the lead saves an indicator, then focus is on the notice; without JavaScript, on the indicator the page returns to', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    const [first, second] = section?.indicators ?? [];
    if (!section || !first || !second) throw new Error('missing');
    const baseURL = await serve(s);
    const path = `/reviews/${s.reviewId}/consensus/${section.id}`;

    const page = await logIn(baseURL, s.lead);
    await gotoPage(page, path);
    await scoreRadio(page, first.id, first.scale.min + 1).check();
    await submitAndWait(page, page.locator(`button[name="focus"][value="${first.id}"]`));
    await page.waitForFunction('document.readyState === "complete"');
    expect(await focused(page)).toBe('p.flash');
    expect(
      await page.evaluate<string>('document.activeElement.getAttribute("role") + " " + document.activeElement.textContent.trim()'),
    ).toMatch(/^status Sparat/);

    const plain = await logIn(baseURL, s.lead, false);
    await gotoPage(plain, path);
    await scoreRadio(plain, second.id, second.scale.min + 1).check();
    await submitAndWait(plain, plain.locator(`button[name="focus"][value="${second.id}"]`));
    const hash = new URL(plain.url()).hash;
    expect(hash).toMatch(/^#ind-/);
    expect(await focused(plain)).toBe(`section${hash}.indicator`);
    expect(
      s.reviews
        .listConsensus(s.reviewId)
        .map((c) => c.indicatorId)
        .sort(),
    ).toEqual([first.id, second.id].sort());
  });

  it('when the review was finalised while the page was open, then the refused save’s notice has focus', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    const first = section?.indicators[0];
    if (!section || !first) throw new Error('missing');
    const baseURL = await serve(s);
    const page = await logIn(baseURL, s.lead);
    await gotoPage(page, `/reviews/${s.reviewId}/consensus/${section.id}`);
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(s.reviewId, { indicatorId: indicator.id, score: 3, notApplicable: false, rationale: '' }, s.lead.id);
    }
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);
    await scoreRadio(page, first.id, first.scale.min).check();
    const response = await submitAndWait(page, page.locator(`button[name="focus"][value="${first.id}"]`));
    expect(response.status()).toBe(409);
    expect(await focused(page)).toBe('div.warning');
  });

  it('when the meeting reaches its end, then the last section (lead) and a decided section read-only have no serious accessibility problems', async () => {
    const s = await createScenarioInConsensus();
    const sections = s.rubric.sections;
    const first = sections[0];
    const last = sections[sections.length - 1];
    if (!first || !last) throw new Error('missing');
    for (const indicator of first.indicators) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: 1, notApplicable: false, rationale: 'Enligt akterna.' },
        s.lead.id,
      );
    }
    const baseURL = await serve(s);
    const lead = await logIn(baseURL, s.lead);
    await gotoPage(lead, `/reviews/${s.reviewId}/consensus/${last.id}`);
    expect(await lead.locator('section.next-step a').count()).toBe(2);
    const reader = await logIn(baseURL, s.reviewerA);
    await gotoPage(reader, `/reviews/${s.reviewId}/consensus/${first.id}`);
    expect(await reader.locator('p.core-element').count()).toBeGreaterThan(0);
    expect(await reader.locator('p.decided-level').count()).toBe(first.indicators.length);
    for (const [label, page] of [
      ['last section (lead)', lead],
      ['decided section (read-only)', reader],
    ] as const) {
      const audit = await auditPage(page, label);
      expect({ label, lang: audit.lang, sideways: audit.sidewaysAtPhoneWidth, unlabelled: audit.unlabelledFields }).toEqual({
        label,
        lang: 'sv',
        sideways: 0,
        unlabelled: [],
      });
      expect(audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    }
  });
});
