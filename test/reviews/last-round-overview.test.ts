import { describe, expect, it } from 'vitest';
import { listFinalPeerReviews } from '../../src/reviews/review-rounds.js';
import { createPeerReview, createProgramScenario, finalisePeerReview } from '../helpers/program-scenario.js';

describe('last round on the overview, read from the program’s reviews', () => {
  it('when the earlier round has strengths and recommendations, then the next overview lists its recommendations only', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen för alfa.'] });
    // Back to consensus to add a strength beside the recommendations, then final again.
    expect(s.reviews.reopenReview(s.reviewId, s.lead.id, 'En styrka saknades.')).toBe(true);
    s.reviews.replaceFindings(
      s.reviewId,
      [
        { sectionId: 'c1-first', strengths: ['Styrkan alfa är tydlig.'], recommendations: ['Skriv ner rutinen för alfa.'] },
        { sectionId: 'c2-second', strengths: [], recommendations: ['Utbilda all personal i gamma.'] },
      ],
      s.lead.id,
    );
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);
    const nextId = createPeerReview(s, '2027-03-01', 'mini-five');

    // The program's reviews come whole, as findReviewById gives each: the overview takes last round from this list.
    const listed = s.reviews.listReviewsForProgram(s.programId);
    expect(listed.map((review) => review.id).sort()).toEqual([s.reviewId, nextId].sort());
    for (const review of listed) expect(review).toEqual(s.reviews.findReviewById(review.id));
    expect(s.reviews.listRecommendations(s.reviewId).map((f) => [f.sectionId, f.kind, f.text])).toEqual([
      ['c1-first', 'recommendation', 'Skriv ner rutinen för alfa.'],
      ['c2-second', 'recommendation', 'Utbilda all personal i gamma.'],
    ]);

    const coordinator = await s.login(s.coordinator);
    const overview = await coordinator.get(`/reviews/${nextId}`);
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('Förra omgångens rekommendationer');
    expect(overview.text).toContain('Skriv ner rutinen för alfa.');
    expect(overview.text).toContain('Utbilda all personal i gamma.');
    expect(overview.text).not.toContain('Styrkan alfa är tydlig.');
  });

  it('when a program has a draft and two final peer reviews, then its rounds are the two final ones, latest first, whole', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min);
    const laterId = createPeerReview(s, '2027-03-01', 'mini-five');
    finalisePeerReview(s, laterId, (min) => min + 1);
    const draftId = createPeerReview(s, '2028-03-01', 'mini-five');

    const rounds = listFinalPeerReviews(s.reviews, s.programId);
    expect(rounds.map((review) => review.id)).toEqual([laterId, s.reviewId]);
    for (const review of rounds) expect(review).toEqual(s.reviews.findReviewById(review.id));
    expect(s.reviews.findReviewById(draftId)?.status).toBe('draft');

    // The draft's overview follows up the later round.
    const coordinator = await s.login(s.coordinator);
    const overview = await coordinator.get(`/reviews/${draftId}`);
    expect(overview.status).toBe(200);
    expect(overview.text).toContain(`/programs/${s.programId}/actions?review=${laterId}`);
  });
});
