// A round without a site visit is dated by the Swedish day it was created, one rule for the report, the review rounds and
// the research pages (src/reviews/round-date.ts). The stored instant is UTC, a day early in the first hours after
// Swedish midnight.
import { describe, expect, it } from 'vitest';
import { findRoundDate, listFinalPeerReviews } from '../../src/reviews/review-rounds.js';
import { createProgramScenario, finalisePeerReview } from '../helpers/program-scenario.js';
import { createTestClock } from '../helpers/test-clock.js';
import { binaryParser, extractPdfPages, normalizeSpace } from '../reports/pdf-text.js';

/** 00:30 on 15 March 2026 in Stockholm (CET, UTC+1): the UTC day is still the 14th. */
const JUST_AFTER_SWEDISH_MIDNIGHT = new Date('2026-03-14T23:30:00.000Z');

describe('a round date just after Swedish midnight', () => {
  it('when a review without a visit is created at 00:30 Swedish time, then the report, the rounds and the research store date it that Swedish day', async () => {
    const clock = createTestClock(JUST_AFTER_SWEDISH_MIDNIGHT);
    const s = await createProgramScenario({ rubricId: 'mini-five', clock: clock.now });
    const mini = s.rubrics.get('mini-five');
    if (!mini) throw new Error('mini-five');
    // The app's review store, on the test clock (the scenario's own is on the system clock).
    const { reviews, research } = s.services;
    const reviewId = reviews.insertReview({
      programId: s.programId,
      rubric: mini,
      kind: 'peer_review',
      visitStart: undefined,
      visitEnd: undefined,
      createdBy: s.coordinator.id,
    });
    // Finalised two days later, so neither the finalisation day nor the UTC creation day can pass for the round date.
    clock.advance(2 * 24 * 3_600_000);
    finalisePeerReview({ ...s, reviews }, reviewId, (_min, max) => max);
    expect(reviews.findReviewById(reviewId)?.createdAt.slice(0, 10)).toBe('2026-03-14');
    // The next round, with a visit: the report dates the one above as its previous round.
    const nextId = reviews.insertReview({
      programId: s.programId,
      rubric: mini,
      kind: 'peer_review',
      visitStart: '2026-04-01',
      visitEnd: '2026-04-01',
      createdBy: s.coordinator.id,
    });
    finalisePeerReview({ ...s, reviews }, nextId, (_min, max) => max);

    const rounds = listFinalPeerReviews(reviews, s.programId);
    expect(rounds.map((round) => [round.id, findRoundDate(round)])).toEqual([
      [nextId, '2026-04-01'],
      [reviewId, '2026-03-15'],
    ]);

    const researched = research.listFinalReviews({ rubricId: 'mini-five', kind: undefined, year: '2026' });
    expect(researched.find((review) => review.id === reviewId)?.reviewDate).toBe('2026-03-15');
    // The research import's check for a round already stored uses the same date.
    expect(research.hasFinalReviewOn(s.programId, '2026-03-15', 'peer_review')).toBe(true);
    expect(research.hasFinalReviewOn(s.programId, '2026-03-14', 'peer_review')).toBe(false);

    const agent = await s.login(s.coordinator);
    const response = await agent.get('/municipalities/0180/report.pdf?lang=sv').buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = extractPdfPages(response.body as Buffer)
      .map(normalizeSpace)
      .join(' ');
    expect(text).toContain('Tidigare granskning Skapad 15 mars 2026, utan angivet platsbesök');
    expect(text).not.toContain('skapad 14 mars 2026');
  });
});
