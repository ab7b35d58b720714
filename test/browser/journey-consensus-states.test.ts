// Page states of the review pages the journey does not reach, audited like the journey's pages (axe-core WCAG
// 2.1 A/AA, every field labelled): the task list while raters rate, a section's findings refused as stale (409, both
// texts), the barriers page, and the finalise check page with gaps and a missing consensus. The HTML comes from the
// app through supertest and is shown in Chromium with the app's own stylesheet.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { extractCsrfToken } from '../helpers/test-app.js';
import { auditHtml } from './accessibility-audit.js';
import { findChromium, isCiRun } from './browser-available.js';
import { launchChromium } from './browser-session.js';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath && !isCiRun())(
  'accessibility of the review task list, consensus and finalise states',
  { timeout: 60_000 },
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium(chromiumPath ?? '/usr/bin/chromium');
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('has no serious problems on the task list while raters rate, and on the finalise check page with gaps', async () => {
      const s = await createReviewScenario({ rubricId: 'mini-five' });
      startRating(s);
      rateAndSubmit(s, s.reviewerA.id, (min) => min + 1);
      const lead = await s.login(s.lead);
      const rating = await lead.get(`/reviews/${s.reviewId}`);
      expect(rating.text).toContain('id="task-rating"');
      expect(await auditHtml(browser, 'task list (rating)', rating.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
      rateAndSubmit(s, s.lead.id, (min) => min + 1);
      rateAndSubmit(s, s.reviewerB.id, (min) => min + 1);
      s.reviews.transition(s.reviewId, 'rating', 'consensus');
      const [first] = listIndicators(s.rubric);
      if (!first) throw new Error('missing');
      s.reviews.saveConsensus(s.reviewId, { indicatorId: first.indicator.id, score: null, notApplicable: true, rationale: '' }, s.lead.id);
      const check = await lead.get(`/reviews/${s.reviewId}/finalise?lang=en`);
      expect(check.text).toContain('class="gap-list"');
      expect(await auditHtml(browser, 'finalise check with gaps', check.text)).toEqual({ lang: 'en', blocking: [], unlabelled: [] });
    });

    it('has no serious problems on a section whose findings were refused as stale (409), and on the barriers page', async () => {
      const s = await createReviewScenario({ rubricId: 'mini-five' });
      startRating(s);
      for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
      s.reviews.transition(s.reviewId, 'rating', 'consensus');
      const lead = await s.login(s.lead);
      const path = `/reviews/${s.reviewId}/consensus/c1-first`;
      const stale = await lead.get(path);
      s.reviews.replaceFindings(
        s.reviewId,
        [{ sectionId: 'c1-first', strengths: ['Sparat i en annan flik'], recommendations: [] }],
        s.lead.id,
        undefined,
        undefined,
      );
      const refused = await lead
        .post(`${path}/findings`)
        .type('form')
        .send({
          _csrf: extractCsrfToken(stale.text),
          version: '0',
          base: /name="base" value="([0-9a-f]+)"/.exec(stale.text)?.[1] ?? '',
          'strengths__c1-first': 'Skrivet här',
        });
      expect(refused.status).toBe(409);
      expect(await auditHtml(browser, 'section findings 409', refused.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
      const barriers = await lead.get(`/reviews/${s.reviewId}/barriers`);
      expect(await auditHtml(browser, 'barriers', barriers.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
    });
  },
);
