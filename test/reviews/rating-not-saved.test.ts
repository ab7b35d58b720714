// A rating form posted after its rater can no longer rate (submitted in another tab, or the review moved on):
// nothing is saved, and the page gives back what was typed.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, fullRatings, startRating } from '../helpers/review-scenario.js';
import { extractCsrfToken } from '../helpers/test-app.js';

describe('POST /reviews/:id/rate/:sectionId after the rater submitted elsewhere', () => {
  it('answers 409 with the typed scores and notes, and changes nothing', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('missing');
    const tab = await s.login(s.reviewerA);
    const form = await tab.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    // Meanwhile, in another tab, the rater completes and submits.
    expect(
      s.reviews.saveRatings(
        s.reviewId,
        s.reviewerA.id,
        fullRatings(s.rubric, (min) => min),
      ).outcome,
    ).toBe('saved');
    expect(
      s.reviews.submitRatings(
        s.reviewId,
        s.reviewerA.id,
        listIndicators(s.rubric).map(({ indicator: i }) => i.id),
      ),
    ).toBe('submitted');
    const before = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id);
    const stale = await tab
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(form.text),
        [`score__${indicator.id}`]: '3',
        [`note__${indicator.id}`]: 'Tre av tio akter saknade plan\noch uppföljning',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Inte sparat');
    expect(stale.text).toContain('Bedömningen kan inte ändras');
    expect(stale.text).toContain('Poäng: 3');
    expect(stale.text).toContain('Tre av tio akter saknade plan<br>och uppföljning');
    expect(stale.text).toContain(`${section.code}.1`);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toEqual(before);
  });

  it('gives nothing back to someone who is not a rater on the panel: the same 404 as before', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    const outsider = await s.login(s.outsider);
    const page = await outsider.get('/');
    const response = await outsider
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), note__x: 'text' });
    expect(response.status).toBe(404);
  });
});
