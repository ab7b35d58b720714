// Importing historical reviews (rounds scored on paper) from a checked plan (research-import.ts), in one
// transaction, so a file imports whole or not at all. Each capability writes its own tables: the review store makes
// each review (pinning its rubric snapshot exactly as for a review made in the app), the user store a placeholder
// user per rater label, the paper-round store the panel, ratings and consensus, and the research store the import
// and its links.
import type { UserStore } from '../accounts/user-store.js';
import type { Transact } from '../db/transact.js';
import type { PaperRoundStore } from '../reviews/paper-round-store.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { ImportPlan, ResearchStore } from './research-store.js';

export type ResearchImport = ReturnType<typeof createResearchImport>;

export function createResearchImport({
  research,
  reviews,
  paperRounds,
  users,
  transact,
}: {
  readonly research: ResearchStore;
  readonly reviews: ReviewStore;
  readonly paperRounds: PaperRoundStore;
  readonly users: Pick<UserStore, 'insertPlaceholderUser'>;
  readonly transact: Transact;
}) {
  return {
    /** Imports every review of the plan, finalised; returns the import's id. */
    importReviews: (plan: ImportPlan): number =>
      transact(() => {
        const importId = research.insertImport(plan);
        // One placeholder user per rater label of each review: a label names a rater within its review only (the
        // export's pseudonyms are per review: R1 of one review is not R1 of another).
        let placeholders = 0;
        for (const review of plan.reviews) {
          const reviewId = reviews.insertReview({
            programId: review.programId,
            rubric: review.rubric,
            kind: review.kind,
            visitStart: review.reviewDate,
            visitEnd: review.reviewDate,
            createdBy: plan.importedBy,
          });
          research.insertImportedReview(reviewId, importId, review.sourceReviewId, plan.importedBy);
          const raterIds = new Map<string, number>();
          const raterIdOf = (label: string): number => {
            const existing = raterIds.get(label);
            if (existing !== undefined) return existing;
            placeholders++;
            const userId = users.insertPlaceholderUser(
              { email: `rater-${importId}-${placeholders}@import.invalid`, displayName: label },
              plan.importedBy,
            );
            research.insertExternalRater({ userId, importId, reviewId, label }, plan.importedBy);
            raterIds.set(label, userId);
            return userId;
          };
          const panel = review.raters.map((rater) => ({ userId: raterIdOf(rater.label), role: rater.role }));
          const ratings = review.ratings.map((rating) => ({ ...rating, raterId: raterIdOf(rating.rater) }));
          paperRounds.writePaperRound(reviewId, { panel, ratings, consensus: review.consensus }, plan.importedBy);
        }
        return importId;
      }),
  };
}
