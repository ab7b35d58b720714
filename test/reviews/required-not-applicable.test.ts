// An indicator the rubric marks required can never be N/A: the rating and consensus forms refuse it with 422,
// name the indicator, keep what was typed, and save nothing.
import { describe, expect, it } from 'vitest';
import { createReviewScenario, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { extractCsrfToken, loadTestRubrics, MINI_RUBRIC_FILE, makeTestApp, ROOT, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';

const CAPPED_FILE = `${ROOT}test/fixtures/rubrics/capped-mix.yaml`;

async function cappedReview(): Promise<ReviewScenario> {
  const app = makeTestApp({ rubrics: loadTestRubrics([SHIPPED_RUBRIC_FILE, MINI_RUBRIC_FILE, CAPPED_FILE]) });
  const s = await createReviewScenario({ app, rubricId: 'capped-mix' });
  startRating(s);
  return s;
}

describe('a required indicator marked N/A', () => {
  it('when posted in the rating form, then it answers 422 naming the indicator, keeps the note and saves nothing', async () => {
    const s = await cappedReview();
    const agent = await s.login(s.reviewerA);
    const page = await agent.get(`/reviews/${s.reviewId}/rate/k1-housing`);
    const response = await agent
      .post(`/reviews/${s.reviewId}/rate/k1-housing`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        'score__k1-lease': 'na',
        'note__k1-lease': 'Alla hyr i andra hand',
        'score__k1-choice': '2',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Indikator K1.1 måste bedömas: den kan inte markeras som ej tillämplig.');
    expect(response.text).toContain('Alla hyr i andra hand');
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).filter((r) => r.score !== null || r.notApplicable)).toEqual([]);
  });

  it('when an optional indicator of the same section is N/A, then it is saved', async () => {
    const s = await cappedReview();
    const agent = await s.login(s.reviewerA);
    const page = await agent.get(`/reviews/${s.reviewId}/rate/k1-housing`);
    const response = await agent
      .post(`/reviews/${s.reviewId}/rate/k1-housing`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        'score__k1-lease': '1',
        'score__k1-choice': 'na',
        'version__k1-lease': '0',
        'version__k1-choice': '0',
      });
    expect(response.status).toBe(303);
  });

  it('when posted as consensus, then it answers 422 naming the indicator, keeps the rationale and saves nothing', async () => {
    const s = await cappedReview();
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const agent = await s.login(s.lead);
    const page = await agent.get(`/reviews/${s.reviewId}/consensus`);
    const response = await agent
      .post(`/reviews/${s.reviewId}/consensus/m1-caseload?lang=en`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), score: 'na', rationale: 'Ingen uppgift om antal', version: '0' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Indicator M1.1 must be rated: it cannot be marked not applicable.');
    expect(response.text).toContain('Ingen uppgift om antal');
    expect(s.reviews.listConsensus(s.reviewId)).toEqual([]);
  });
});
