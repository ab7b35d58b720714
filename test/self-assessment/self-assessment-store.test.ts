import { describe, expect, it } from 'vitest';
import { createSelfAssessmentStore } from '../../src/self-assessment/self-assessment-store.js';
import { createReviewScenario } from '../helpers/review-scenario.js';
import { makeTestApp } from '../helpers/test-app.js';

describe('the self-assessment store', () => {
  it('when a share is recorded, then its time is the clock’s, not the machine’s', async () => {
    const at = new Date('2031-05-04T10:20:30.000Z');
    const s = await createReviewScenario({ app: makeTestApp({ clock: () => at }) });
    const loaded = s.rubrics.get('bostad-forst');
    if (!loaded) throw new Error('rubric missing');
    const selfId = s.reviews.insertReview({
      programId: s.programId,
      rubric: loaded,
      kind: 'self_assessment',
      visitStart: '2026-01-15',
      visitEnd: '2026-01-15',
      createdBy: s.coordinator.id,
    });
    const shares = createSelfAssessmentStore(s.db, () => at);

    shares.insertShare(selfId, s.reviewId, s.coordinator.id);

    expect(shares.listSharesOf(selfId)).toEqual([{ selfAssessmentId: selfId, peerReviewId: s.reviewId, sharedAt: at.toISOString() }]);
    expect(s.services.selfAssessments.listSharedWith(s.reviewId).map((share) => share.sharedAt)).toEqual([at.toISOString()]);
  });
});
