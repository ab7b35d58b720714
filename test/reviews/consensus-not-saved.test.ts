// A consensus form posted after the review was finalised (the lead had the page open; someone finalised meanwhile):
// nothing is saved, and the page gives back what was typed, score and rationale, instead of an error page.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createScenarioInConsensus, type ReviewScenario } from '../helpers/review-scenario.js';
import { extractCsrfToken } from '../helpers/test-app.js';

function decideAllAndFinalise(s: ReviewScenario) {
  for (const { indicator } of listIndicators(s.rubric)) {
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: 'Beslutat' },
      s.lead.id,
    );
  }
  if (!s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('could not finalise');
}

describe('POST /reviews/:id/consensus/:indicatorId after the review was finalised', () => {
  it('when the lead posts a consensus after finalising, then 409 gives back the typed score and rationale and nothing changes', async () => {
    const s = await createScenarioInConsensus();
    const first = listIndicators(s.rubric)[0];
    if (!first) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus`);
    // Meanwhile the review is decided and finalised.
    decideAllAndFinalise(s);
    const before = s.reviews.listConsensus(s.reviewId);
    const posted = await lead
      .post(`/reviews/${s.reviewId}/consensus/${first.indicator.id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), score: '3', rationale: 'Tre av fem team har\nskriftliga rutiner', version: '1' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('Inte sparat');
    expect(posted.text).toContain('Granskningen är slutförd och låst, så konsensus sparades inte.');
    expect(posted.text).toContain('Poäng: 3');
    expect(posted.text).toContain('Tre av fem team har<br>skriftliga rutiner');
    expect(posted.text).toContain(`${first.section.code}.1`);
    expect(s.reviews.listConsensus(s.reviewId)).toEqual(before);
    const english = await lead
      .post(`/reviews/${s.reviewId}/consensus/${first.indicator.id}?lang=en`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), score: 'na', rationale: 'Not relevant here', version: '1' });
    expect(english.status).toBe(409);
    expect(english.text).toContain('The review is final and locked, so the consensus was not saved.');
    expect(english.text).toContain('Not relevant here');
  });

  it('gives nothing back to someone who never could edit the consensus: the coordinator gets the same 403 as before', async () => {
    const s = await createScenarioInConsensus();
    const first = listIndicators(s.rubric)[0];
    if (!first) throw new Error('missing');
    decideAllAndFinalise(s);
    const coordinator = await s.login(s.coordinator);
    const page = await coordinator.get(`/reviews/${s.reviewId}/consensus`);
    const posted = await coordinator
      .post(`/reviews/${s.reviewId}/consensus/${first.indicator.id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), score: '3', rationale: 'Koordinatorns text', version: '1' });
    expect(posted.status).toBe(403);
    expect(posted.text).not.toContain('Koordinatorns text');
  });
});
