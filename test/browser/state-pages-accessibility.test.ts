// The page states the journey does not reach, audited like the journey's pages (axe-core WCAG 2.1 A/AA, every field
// labelled): a stale readiness save (409), an action plan with a withdrawn recommendation's action, the research
// import refusing a file, the findings form with its barriers refusing a text, a stale outcome correction (409), a
// review's details once its kind is fixed, the audit log with withheld draft values, the gap view with its summary,
// folded indicators and filter, and the factual check's reply-by page with its refusal once the draft changed (409).
// The HTML comes from the app through supertest and is shown in Chromium with the app's own stylesheet, so contrast is
// checked against the real colours.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCsrfToken, postForm } from '../helpers/test-app.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { readForm } from '../helpers/form-fields.js';
import { fullRatings, postSendPage, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { createProgramScenario, finalisePeerReview, finaliseSelfAssessment } from '../helpers/program-scenario.js';
import { createResearchWorld } from '../research/research-helpers.js';
import { auditHtml } from './accessibility-audit.js';
import { findChromium, isCiRun } from './browser-available.js';
import { launchChromium } from './browser-session.js';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath && !isCiRun())('accessibility of page states outside the journey', { timeout: 60_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath ?? '/usr/bin/chromium');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('has no serious problems on a readiness section that refused a stale save', async () => {
    const s = await createProgramScenario();
    const path = `/programs/${s.programId}/readiness/mini-five/sections/c1-first`;
    const first = await s.login(s.programLead);
    const second = await s.login(s.programLead);
    const stale = await second.get(path);
    await postForm(first, path, path, { 'status__c1-alpha': 'ready' });
    const refused = await second
      .post(path)
      .type('form')
      .send({ _csrf: extractCsrfToken(stale.text), 'version__c1-alpha': '0', 'status__c1-alpha': 'missing' });
    expect(refused.status).toBe(409);
    expect(await auditHtml(browser, 'readiness 409', refused.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
  });

  it('has no serious problems on an action plan listing a withdrawn recommendation', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen.', 'Följ upp varje månad.'] });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/actions`;
    await postForm(agent, page, page, { review_id: String(s.reviewId) });
    s.reviews.reopenReview(s.reviewId, s.admin.id, 'Rekommendationerna ses över.');
    s.reviews.replaceFindings(
      s.reviewId,
      [{ sectionId: 'c1-first', strengths: [], recommendations: ['Följ upp varje månad.'] }],
      s.lead.id,
    );
    s.reviews.transition(s.reviewId, 'consensus', 'final');
    const plan = await agent.get(`${page}?lang=en`);
    expect(plan.text).toContain('Actions whose recommendation was withdrawn');
    expect(await auditHtml(browser, 'action plan with withdrawn', plan.text)).toEqual({ lang: 'en', blocking: [], unlabelled: [] });
  });

  it('has no serious problems on the findings form with barriers, refusing a personnummer', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    for (const [person, role] of [
      [s.lead, 'lead'],
      [s.reviewerA, 'reviewer'],
      [s.reviewerB, 'reviewer'],
    ] as const)
      s.reviews.setPanelMember(s.reviewId, person.id, role);
    s.reviews.transition(s.reviewId, 'draft', 'rating');
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) {
      const ids = listIndicators(s.rubric).map(({ indicator }) => indicator.id);
      s.reviews.saveRatings(
        s.reviewId,
        rater.id,
        fullRatings(s.rubric, (min) => min + 1),
      );
      s.reviews.submitRatings(s.reviewId, rater.id, ids);
    }
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const lead = await s.login(s.lead);
    const path = `/reviews/${s.reviewId}/findings`;
    const refused = await postForm(lead, path, path, { barriers__systemic: 'Gäller 19121212-1212' });
    expect(refused.status).toBe(422);
    expect(await auditHtml(browser, 'findings 422', refused.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
  });

  it('has no serious problems on a stale outcome correction (409), a fixed kind, and the audit log', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const list = `/programs/${s.programId}/outcomes`;
    const period = {
      period_start: '2024-01-01',
      period_end: '2024-12-31',
      moved_in: '10',
      still_first_flat: '8',
      still_in_program: '9',
      first_hand_leases: '2',
      evictions: '0',
      complaints: '1',
      clients: '10',
      case_managers: '2',
      note: '',
    };
    await postForm(lead, list, list, period);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    await postForm(lead, `/outcomes/${id}`, `/outcomes/${id}`, { ...period, moved_in: '11', version: '1' });
    const stale = await postForm(lead, `/outcomes/${id}`, `/outcomes/${id}`, { ...period, complaints: '2', version: '1' });
    expect(stale.status).toBe(409);
    expect(await auditHtml(browser, 'outcome 409', stale.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
    const confirm = await lead.get(`/outcomes/${id}/delete?lang=en`);
    expect(confirm.status).toBe(200);
    expect(await auditHtml(browser, 'outcome delete confirmation', confirm.text)).toEqual({ lang: 'en', blocking: [], unlabelled: [] });

    for (const [person, role] of [
      [s.lead, 'lead'],
      [s.reviewerA, 'reviewer'],
      [s.reviewerB, 'reviewer'],
    ] as const)
      s.reviews.setPanelMember(s.reviewId, person.id, role);
    s.reviews.transition(s.reviewId, 'draft', 'rating');
    s.reviews.saveRatings(s.reviewId, s.reviewerA.id, fullRatings(s.rubric, (min) => min).slice(0, 1));
    const coordinator = await s.login(s.coordinator);
    const details = await coordinator.get(`/reviews/${s.reviewId}/details?lang=en`);
    expect(details.text).toContain('The kind can only be changed before rating has begun.');
    expect(await auditHtml(browser, 'details with fixed kind', details.text)).toEqual({ lang: 'en', blocking: [], unlabelled: [] });
    const log = await coordinator.get(`/reviews/${s.reviewId}/audit`);
    expect(log.text).toContain('utkast, visas inte');
    expect(await auditHtml(browser, 'audit log with withheld values', log.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
  });

  it('has no serious problems on a rating form that could not be saved (409, the typed text given back)', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    for (const [person, role] of [
      [s.lead, 'lead'],
      [s.reviewerA, 'reviewer'],
      [s.reviewerB, 'reviewer'],
    ] as const)
      s.reviews.setPanelMember(s.reviewId, person.id, role);
    s.reviews.transition(s.reviewId, 'draft', 'rating');
    const tab = await s.login(s.reviewerA);
    const form = await tab.get(`/reviews/${s.reviewId}/rate/c1-first`);
    s.reviews.saveRatings(
      s.reviewId,
      s.reviewerA.id,
      fullRatings(s.rubric, (min) => min),
    );
    s.reviews.submitRatings(
      s.reviewId,
      s.reviewerA.id,
      listIndicators(s.rubric).map(({ indicator }) => indicator.id),
    );
    const stale = await tab
      .post(`/reviews/${s.reviewId}/rate/c1-first?lang=en`)
      .type('form')
      .send({ _csrf: extractCsrfToken(form.text), 'note__c1-alpha': 'Kept text' });
    expect(stale.status).toBe(409);
    expect(await auditHtml(browser, 'rating not saved', stale.text)).toEqual({ lang: 'en', blocking: [], unlabelled: [] });
  });

  it('has no serious problems on the gap view, with its indicators at the top folded away and with only those below the top', async () => {
    const s = await createProgramScenario();
    finalisePeerReview(s, s.reviewId, (min, max, index) => (index % 3 === 0 ? min + 1 : max));
    finaliseSelfAssessment(s, (min, max, index) => (index % 5 === 0 ? min : max));
    const lead = await s.login(s.programLead);
    const folded = await lead.get(`/programs/${s.programId}/gap`);
    expect(folded.text).toContain('<details class="gap-at-top">');
    expect(await auditHtml(browser, 'gap view', folded.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
    const filtered = await lead.get(`/programs/${s.programId}/gap?below_top=1&lang=en`);
    expect(filtered.text).toContain('Show every compared indicator');
    expect(await auditHtml(browser, 'gap view, below the top only', filtered.text)).toEqual({ lang: 'en', blocking: [], unlabelled: [] });
  });

  it('has no serious problems on the research import refusing a file', async () => {
    const w = await createResearchWorld();
    const agent = await w.login(await w.person(['researcher']));
    const form = await agent.get('/research/import');
    const refused = await agent
      .post('/research/import')
      .field('_csrf', extractCsrfToken(form.text))
      .field('rubric', 'bostad-forst')
      .field('kind', 'peer_review')
      .attach('csv_file', Buffer.from('municipality_code;program\nå', 'latin1'), 'old-excel.csv');
    expect(refused.status).toBe(422);
    expect(await auditHtml(browser, 'research import 422', refused.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
  });
  it('has no serious problems on the reply-by page of an unchanged draft, and on its refusal once the draft changed (409)', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    const coordinator = await s.login(s.coordinator);
    const send = `/reviews/${s.reviewId}/factual-check/send`;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await postSendPage(coordinator, s.reviewId, { replyBy: tomorrow })).status).toBe(303);

    const replyByPage = await coordinator.get(`${send}?lang=en`);
    expect(replyByPage.text).toContain('<h1>Change the reply-by day</h1>');
    expect(await auditHtml(browser, 'reply-by page', replyByPage.text)).toEqual({ lang: 'en', blocking: [], unlabelled: [] });

    const shown = readForm((await coordinator.get(send)).text, 'send-form').fields;
    expect(s.reviews.saveJudgement(s.reviewId, 'Panelen skriver sitt samlade omdöme.', 0, s.lead.id)).toBe('saved');
    const refused = await coordinator.post(send).type('form').send(shown);
    expect(refused.status).toBe(409);
    expect(await auditHtml(browser, 'reply-by 409', refused.text)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
  });
});
