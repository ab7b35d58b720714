import { describe, expect, it } from 'vitest';
import { createReviewScenario, startRating } from '../helpers/review-scenario.js';
import { extractCsrfToken } from '../helpers/test-app.js';

describe('POST /reviews/:id/details', () => {
  it('when the review is a draft, then the kind and the dates can be changed', async () => {
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    const page = await coordinator.get(`/reviews/${s.reviewId}/details`);
    expect(page.text).toContain('name="kind"');
    const saved = await coordinator
      .post(`/reviews/${s.reviewId}/details`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), kind: 'self_assessment', visit_start: '2026-04-01', visit_end: '2026-04-02' });
    expect(saved.status).toBe(303);
    expect(s.reviews.findReviewById(s.reviewId)).toMatchObject({
      kind: 'self_assessment',
      visitStart: '2026-04-01',
      visitEnd: '2026-04-02',
    });
  });

  it('when rating has begun, then the form shows the kind as fixed text and saves the dates only', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const coordinator = await s.login(s.coordinator);
    const page = await coordinator.get(`/reviews/${s.reviewId}/details`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="kind"');
    expect(page.text).toContain('Typen kan bara ändras innan bedömningen har börjat.');
    const saved = await coordinator
      .post(`/reviews/${s.reviewId}/details`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), visit_start: '2026-05-04', visit_end: '2026-05-05' });
    expect(saved.status).toBe(303);
    expect(s.reviews.findReviewById(s.reviewId)).toMatchObject({ kind: 'peer_review', visitStart: '2026-05-04', visitEnd: '2026-05-05' });
  });

  it('when rating has begun, then a changed kind (a stale draft form) is refused with 409, nothing saved and the dates kept', async () => {
    // Switching a peer review to a self-assessment during rating would lift the conflict-of-interest check on
    // rating and the two-rater minimum; switching back would leave a one-rater "peer review".
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    const draftForm = await coordinator.get(`/reviews/${s.reviewId}/details`);
    expect(draftForm.text).toContain('name="kind"');
    startRating(s);
    const refused = await coordinator
      .post(`/reviews/${s.reviewId}/details?lang=en`)
      .type('form')
      .send({ _csrf: extractCsrfToken(draftForm.text), kind: 'self_assessment', visit_start: '2026-06-01', visit_end: '2026-06-03' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Rating has begun since you opened this form, so the kind can no longer be changed.');
    expect(refused.text).toContain('value="2026-06-01"');
    expect(refused.text).toContain('value="2026-06-03"');
    expect(refused.text).not.toContain('name="kind"');
    expect(s.reviews.findReviewById(s.reviewId)).toMatchObject({ kind: 'peer_review', visitStart: '2026-03-02', visitEnd: '2026-03-03' });
    // The conflict check on rating therefore still applies to this review.
    expect(s.db.prepare('SELECT kind FROM reviews WHERE id = ?').get(s.reviewId)).toEqual({ kind: 'peer_review' });
  });

  it('when the review reached consensus while the form was open, then the save is refused with 409 and the dates kept', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const coordinator = await s.login(s.coordinator);
    const form = await coordinator.get(`/reviews/${s.reviewId}/details`);
    s.db.prepare("UPDATE reviews SET status = 'consensus' WHERE id = ?").run(s.reviewId);
    const refused = await coordinator
      .post(`/reviews/${s.reviewId}/details`)
      .type('form')
      .send({ _csrf: extractCsrfToken(form.text), visit_start: '2026-07-01', visit_end: '' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Granskningen har gått vidare till en fas där uppgifterna inte längre kan ändras.');
    expect(refused.text).toContain('value="2026-07-01"');
    expect(s.reviews.findReviewById(s.reviewId)).toMatchObject({ visitStart: '2026-03-02' });
  });

  it('when someone outside the review asks for its details form, then it answers 404, as for an unknown review', async () => {
    const s = await createReviewScenario();
    const outsider = await s.login(s.outsider);
    expect((await outsider.get(`/reviews/${s.reviewId}/details`)).status).toBe(404);
    expect((await outsider.get('/reviews/999999/details')).status).toBe(404);
  });
});
