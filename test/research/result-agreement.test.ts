import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createResearchWorld, mainOf } from './research-helpers.js';

/** One final review: the lead and A give 3 everywhere; B gives 4 on the first indicator and 3 elsewhere. */
async function createReviewWorld() {
  const w = await createResearchWorld();
  const program = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  const reviewId = w.addFinalReview(program, {
    date: '2025-03-01',
    raters: [() => 3, () => 3, (_min, _max, index) => (index === 0 ? 4 : 3)],
  });
  return { ...w, program, reviewId };
}

describe('GET /reviews/:id/result: agreement between the raters', () => {
  it('when the review is final, then the page shows the agreement figures with their bands, from the submitted ratings', async () => {
    const w = await createReviewWorld();
    const indicators = listIndicators(w.rubric);
    const agent = await w.login(await w.person(['reviewer']));
    const html = mainOf((await agent.get(`/reviews/${w.reviewId}/result`)).text);
    expect(html).toContain('<h2 id="agreement">Samstämmighet mellan bedömarna</h2>');
    expect(html).toContain(`3 bedömare, ${indicators.length} indikatorer med minst en poäng, ${indicators.length * 3} poäng.`);
    // 3 pairs per indicator; only the first indicator has two pairs that differ (3 vs 4).
    const exact = ((indicators.length * 3 - 2) * 100) / (indicators.length * 3);
    expect(html).toContain(`<dt>Exakt samma poäng</dt><dd>${exact.toFixed(1).replace('.', ',')}\u00a0%</dd>`);
    expect(html).toContain('<dt>Högst 1 poäng ifrån varandra</dt><dd>100,0\u00a0%</dd>');
    expect(html).toContain('ICC(2,1)');
    expect(html).toContain('α Ordinal');
    expect(html).toContain('Koo och Li (2016)');
    // The indicator raters disagreed on: named by its code and text, with the mean difference 2/3.
    expect(html).toMatch(/<span class="muted">A1\.1<\/span> [^<]*<\/th>\s*<td class="num">0,67<\/td>\s*<td class="num">33,3\u00a0%<\/td>/);
  });

  it('never shows who gave what: no rater names or pseudonyms in the agreement section', async () => {
    const w = await createReviewWorld();
    const agent = await w.login(await w.person(['researcher']));
    const html = mainOf((await agent.get(`/reviews/${w.reviewId}/result`)).text);
    const section = html.slice(html.indexOf('<section aria-labelledby="agreement"'));
    for (const rater of w.raters) expect(section).not.toContain(rater.displayName);
    expect(section).not.toMatch(/R0\d/);
  });

  it('offers the review’s matrix to researchers and coordinators only', async () => {
    const w = await createReviewWorld();
    const link = `href="/research/reviews/${w.reviewId}/matrix.csv"`;
    const researcher = await w.login(await w.person(['researcher']));
    expect((await researcher.get(`/reviews/${w.reviewId}/result`)).text).toContain(link);
    const reviewer = await w.login(await w.person(['reviewer']));
    expect((await reviewer.get(`/reviews/${w.reviewId}/result`)).text).not.toContain(link);
  });

  it('when the review is still in consensus, then the preview shows no agreement figures', async () => {
    const w = await createResearchWorld();
    const program = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
    const loaded = w.rubrics.get('bostad-forst');
    if (!loaded) throw new Error('rubric');
    const reviewId = w.reviews.insertReview({
      programId: program,
      rubric: loaded,
      kind: 'peer_review',
      visitStart: undefined,
      visitEnd: undefined,
      createdBy: w.coordinator.id,
    });
    const ids = listIndicators(w.rubric).map(({ indicator }) => indicator.id);
    w.raters.forEach((rater, index) => w.reviews.setPanelMember(reviewId, rater.id, index === 0 ? 'lead' : 'reviewer'));
    w.reviews.transition(reviewId, 'draft', 'rating');
    for (const rater of w.raters) {
      w.reviews.saveRatings(
        reviewId,
        rater.id,
        ids.map((indicatorId) => ({ indicatorId, score: 3, notApplicable: false, evidence: [], note: '' })),
      );
      w.reviews.submitRatings(reviewId, rater.id, ids);
    }
    expect(w.reviews.transition(reviewId, 'rating', 'consensus')).toBe(true);
    const agent = await w.login(w.coordinator);
    const response = await agent.get(`/reviews/${reviewId}/result`);
    expect(response.status).toBe(200);
    expect(response.text).not.toContain('Samstämmighet mellan bedömarna');
  });
});
