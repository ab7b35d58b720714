import { describe, expect, it } from 'vitest';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, fullRatings } from '../helpers/review-scenario.js';
import { createTestClock } from '../helpers/test-clock.js';

const HOUR = 3_600_000;
const at = (hour: number) => new Date(Date.UTC(2026, 2, 2, hour)).toISOString();

describe('review store: the stored times come from the clock it is given', () => {
  it('when the test clock moves between steps, then each stored time is the clock time of its step', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    const clock = createTestClock(new Date(at(8)));
    const reviews = createReviewStore(s.db, clock.now);
    const loaded = s.rubrics.get('mini-five');
    if (!loaded) throw new Error('rubric missing');
    const id = reviews.insertReview({
      programId: s.programId,
      rubric: loaded,
      kind: 'peer_review',
      visitStart: undefined,
      visitEnd: undefined,
      createdBy: s.coordinator.id,
    });
    expect(reviews.findReviewById(id)?.createdAt).toBe(at(8));

    reviews.setPanelMember(id, s.lead.id, 'lead');
    clock.advance(HOUR);
    expect(reviews.transition(id, 'draft', 'rating')).toBe(true);
    expect(reviews.findReviewById(id)?.ratingStartedAt).toBe(at(9));

    clock.advance(HOUR);
    expect(reviews.setPanelMember(id, s.reviewerA.id, 'reviewer', s.coordinator.id, 'Bertil blev sjuk')).toBe('saved');
    expect(reviews.listLateAdditions(id).get(s.reviewerA.id)?.addedAt).toBe(at(10));

    clock.advance(HOUR);
    expect(
      reviews.saveRatings(
        id,
        s.lead.id,
        fullRatings(loaded.rubric, (min) => min),
      ).outcome,
    ).toBe('saved');
    expect(reviews.listRatingsOfRater(id, s.lead.id).map((rating) => rating.updatedAt)).toEqual(
      listIndicators(loaded.rubric).map(() => at(11)),
    );
    clock.advance(HOUR);
    const indicatorIds = listIndicators(loaded.rubric).map(({ indicator }) => indicator.id);
    expect(reviews.submitRatings(id, s.lead.id, indicatorIds)).toBe('submitted');
    expect(reviews.listPanel(id).find((member) => member.userId === s.lead.id)?.submittedAt).toBe(at(12));

    clock.advance(HOUR);
    expect(reviews.transition(id, 'rating', 'consensus')).toBe(true);
    expect(reviews.findReviewById(id)?.consensusStartedAt).toBe(at(13));
    const [first] = indicatorIds;
    if (first === undefined) throw new Error('no indicators');
    clock.advance(HOUR);
    const consensus = { indicatorId: first, score: 3, notApplicable: false, rationale: 'Enig panel' };
    expect(reviews.saveConsensus(id, consensus, s.lead.id).outcome).toBe('saved');
    expect(reviews.listConsensus(id)[0]?.updatedAt).toBe(at(14));

    clock.advance(HOUR);
    expect(reviews.sendFactualCheck(id, s.coordinator.id)).toBe('sent');
    clock.advance(HOUR);
    expect(reviews.saveFactualResponse(id, { corrections: '', response: 'Inga rättelser' }, 0, s.coordinator.id)).toBe('saved');
    clock.advance(HOUR);
    expect(reviews.saveFactualChanges(id, 'Inget ändrat', 0, s.lead.id)).toBe('saved');
    expect(reviews.findFactualCheck(id)).toMatchObject({ sentAt: at(15), respondedAt: at(16), changesAt: at(17) });

    clock.advance(HOUR);
    expect(reviews.transition(id, 'consensus', 'final')).toBe(true);
    expect(reviews.findReviewById(id)?.finalisedAt).toBe(at(18));
    clock.advance(HOUR);
    expect(reviews.reopenReview(id, s.coordinator.id, 'Fel i en rekommendation')).toBe(true);
    expect(reviews.listReopenings(id).map((reopening) => reopening.createdAt)).toEqual([at(19)]);
  });
});
