// What a review's overview shows of self-assessments (src/reviews/overview-part.ts): those the program shared with
// this peer review's panel, each with its readiness checklist.
import type { OverviewParts } from '../reviews/overview-part.js';
import { findRoundDate } from '../reviews/review-rounds.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { SelfAssessments } from './self-assessment-workflow.js';

export function createSharedSelfAssessmentsPart({
  reviews,
  selfAssessments,
}: {
  readonly reviews: ReviewStore;
  readonly selfAssessments: SelfAssessments;
}): Pick<OverviewParts, 'listSharedSelfAssessments'> {
  return {
    // Shared self-assessments are for the panel that was given them (coordinators who are not on it see nothing).
    listSharedSelfAssessments: (review, viewer, t, locale) =>
      review.kind === 'peer_review' && viewer.membership !== undefined
        ? selfAssessments.listSharedWith(review.id).flatMap((share) => {
            const self = reviews.findReviewById(share.selfAssessmentId);
            if (!self) return [];
            return [
              {
                id: self.id,
                label: t('selfAssessment.sharedOpen', { date: findRoundDate(self), rubric: self.rubricTitle[locale] }),
                readinessHref: `/programs/${self.programId}/readiness/${self.rubricId}`,
              },
            ];
          })
        : [],
  };
}
