// The rule of making a program's action plan: only a final peer review has one, and it follows that review's
// recommendations as they are now. A domain module over the review store (the recommendations) and the action store
// (the actions), in one transaction, so a review reopened meanwhile cannot get a plan.
import type { Transact } from '../db/transact.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { ActionStore } from './action-store.js';

export type PlanOutcome = { readonly outcome: 'created'; readonly created: number } | { readonly outcome: 'not-final' };

export type ActionPlans = ReturnType<typeof createActionPlans>;

export function createActionPlans({
  reviews,
  actions,
  transact,
}: {
  readonly reviews: ReviewStore;
  readonly actions: ActionStore;
  readonly transact: Transact;
}) {
  return {
    /** Makes an action of every recommendation of a final peer review that has none yet (and moves the others along). */
    createPlan: (reviewId: number, actorId: number): PlanOutcome =>
      transact((): PlanOutcome => {
        const review = reviews.findReviewById(reviewId);
        if (review?.kind !== 'peer_review' || review.status !== 'final') return { outcome: 'not-final' };
        const recommendations = reviews.listFindings(reviewId).filter((finding) => finding.kind === 'recommendation');
        return { outcome: 'created', created: actions.syncPlan(reviewId, recommendations, actorId) };
      }),
  };
}
