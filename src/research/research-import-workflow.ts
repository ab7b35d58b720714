// Importing historical reviews (rounds scored on paper) from a checked plan (research-import.ts): each review is
// created by the review store, which pins its rubric snapshot exactly as for a review made in the app, and the
// research store writes the rest. All of it in one transaction: a file imports whole or not at all.
import type { Transact } from '../db/transact.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { ImportPlan, ResearchStore } from './research-store.js';

export type ResearchImport = ReturnType<typeof createResearchImport>;

export function createResearchImport({
  research,
  reviews,
  transact,
}: {
  readonly research: ResearchStore;
  readonly reviews: ReviewStore;
  readonly transact: Transact;
}) {
  return {
    /** Imports every review of the plan, finalised; returns the import's id. */
    importReviews: (plan: ImportPlan): number =>
      transact(() => {
        const importId = research.insertImport(plan);
        // One placeholder user per rater label in the file: the same label is the same person across its reviews.
        const raterIds = new Map<string, number>();
        for (const review of plan.reviews) {
          const reviewId = reviews.insertReview({
            programId: review.programId,
            rubric: review.rubric,
            kind: review.kind,
            visitStart: review.reviewDate,
            visitEnd: review.reviewDate,
            createdBy: plan.importedBy,
          });
          research.writeImportedReview(importId, reviewId, review, plan.importedBy, raterIds);
        }
        return importId;
      }),
  };
}
