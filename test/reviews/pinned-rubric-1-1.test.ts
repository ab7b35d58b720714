// Rubric bostad-forst became 2.0. A review pinned to 1.1 (made from the file as 1.1 shipped, kept as a frozen test
// fixture) must still score and render exactly as before, and say 1.1; new reviews take 2.0.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { loadTestRubrics, loginAgent, MINI_RUBRIC_FILE, makeTestApp, ROOT } from '../helpers/test-app.js';

const FROZEN_1_1_FILE = `${ROOT}test/fixtures/rubrics/bostad-forst-1.1/bostad-forst.yaml`;

function mainOf(html: string): string {
  const match = /<main[^>]*>([\s\S]*)<\/main>/.exec(html);
  if (!match?.[1]) throw new Error('no <main> on the page');
  return match[1];
}

describe('a review pinned to rubric 1.1 after 2.0 ships', () => {
  it('when the app now loads 2.0, then the 1.1 review renders the same page, says 1.1 and has no cap; a new review takes 2.0', async () => {
    const before = makeTestApp({ rubrics: loadTestRubrics([FROZEN_1_1_FILE, MINI_RUBRIC_FILE]) });
    const s = await createReviewScenario({ app: before });
    expect(s.rubric.version).toBe('1.1');
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB])
      rateAndSubmit(s, rater.id, (min, _max, index) => (index % 7 === 0 ? 'na' : min + (index % 4)));
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    // A1.3 (ordinary housing) at 1 would cap a 2.0 review; 1.1 has no caps, so the band decides as before.
    listIndicators(s.rubric).forEach(({ indicator }, index) => {
      const score = indicator.id === 'a1-ordinary-housing' ? 1 : 3 + (index % 2);
      s.reviews.saveConsensus(s.reviewId, { indicatorId: indicator.id, score, notApplicable: false, rationale: '' }, s.lead.id);
    });
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);
    const pageBefore = (await (await s.login(s.outsider)).get(`/reviews/${s.reviewId}/result`)).text;

    const after = makeTestApp({ db: before.db });
    expect(after.rubrics.get('bostad-forst')?.rubric.version).toBe('2.0');
    const pageAfter = (await (await loginAgent(after.app, s.outsider.email)).get(`/reviews/${s.reviewId}/result`)).text;
    expect(mainOf(pageAfter)).toBe(mainOf(pageBefore));
    expect(pageAfter).toContain('version 1.1');
    expect(pageAfter).toMatch(/<strong>(Hög|Godtagbar) modelltrogenhet<\/strong>/);
    expect(pageAfter).not.toContain('Nivån begränsas');
    expect(s.reviews.findReviewById(s.reviewId)?.rubricVersion).toBe('1.1');

    const fresh = await createReviewScenario({ app: makeTestApp() });
    expect(fresh.reviews.findReviewById(fresh.reviewId)?.rubricVersion).toBe('2.0');
  });
});
