import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { extractCsrfToken } from '../helpers/test-app.js';

describe('concurrent edits', () => {
  it('does not let a rating form based on an old version overwrite a newer save: 409, the other value shown, input kept', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('missing');
    // Two browser tabs of the same rater open the same section.
    const tab1 = await s.login(s.reviewerA);
    const tab2 = await s.login(s.reviewerA);
    const page1 = await tab1.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    const page2 = await tab2.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    const versions = Object.fromEntries(section.indicators.map((i) => [`version__${i.id}`, '0']));
    const first = await tab1
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page1.text), ...versions, [`score__${indicator.id}`]: '2', [`note__${indicator.id}`]: 'Från flik ett' });
    expect(first.status).toBe(303);
    const second = await tab2
      .post(`/reviews/${s.reviewId}/rate/${section.id}?lang=en`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page2.text), ...versions, [`score__${indicator.id}`]: '4', [`note__${indicator.id}`]: 'Från flik två' });
    expect(second.status).toBe(409);
    expect(second.text).toContain('Someone else saved this');
    expect(second.text).toContain('Från flik ett');
    expect(second.text).toContain('Från flik två');
    expect(second.text).toContain('value="4" checked');
    expect(second.text).toContain(`name="version__${indicator.id}" value="1"`);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id)).toMatchObject({ score: 2, note: 'Från flik ett' });
    // Saving again from the re-rendered form (now based on version 1) replaces it on purpose.
    const again = await tab2
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(second.text), ...versions, [`version__${indicator.id}`]: '1', [`score__${indicator.id}`]: '4', [`note__${indicator.id}`]: 'Från flik två' });
    expect(again.status).toBe(303);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id)).toMatchObject({ score: 4, version: 2 });
  });

  it('does not let a stale consensus form overwrite a newer decision', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const indicator = listIndicators(s.rubric)[0]?.indicator;
    if (!indicator) throw new Error('missing');
    const tab1 = await s.login(s.lead);
    const tab2 = await s.login(s.lead);
    const page1 = await tab1.get(`/reviews/${s.reviewId}/consensus`);
    const page2 = await tab2.get(`/reviews/${s.reviewId}/consensus`);
    const url = `/reviews/${s.reviewId}/consensus/${indicator.id}`;
    expect((await tab1.post(url).type('form').send({ _csrf: extractCsrfToken(page1.text), score: '2', rationale: 'Första beslutet', version: '0' })).status).toBe(303);
    const stale = await tab2.post(url).type('form').send({ _csrf: extractCsrfToken(page2.text), score: '3', rationale: 'Andra försöket', version: '0' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Någon annan har sparat det här');
    expect(stale.text).toContain('Första beslutet');
    expect(stale.text).toContain('Andra försöket');
    expect(s.reviews.listConsensus(s.reviewId)[0]).toMatchObject({ score: 2, rationale: 'Första beslutet', version: 1 });
  });

  it('treats a save identical to what is stored as no conflict', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const indicator = listIndicators(s.rubric)[0]?.indicator;
    if (!indicator) throw new Error('missing');
    const input = { indicatorId: indicator.id, score: 3, notApplicable: false, evidence: [], note: '' };
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, [{ ...input, expectedVersion: 0 }]).outcome).toBe('saved');
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, [{ ...input, expectedVersion: 0 }]).outcome).toBe('saved');
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)[0]?.version).toBe(1);
  });
});
