// How a user stands to a self-assessment (review-access.ts decides from it who may see what), put together from the
// capabilities that own the facts: the program's people, the self-assessment's shares and research's imported rounds.
import type { FindSelfAssessmentRelation } from '../reviews/review-access.js';

export type SelfAssessmentRelationSources = {
  /** The user's role in the program, if any (program-members). */
  readonly findRole: (programId: number, userId: number) => unknown;
  /** On the panel of a peer review the self-assessment was shared with (self-assessment shares). */
  readonly isSharedWithPanelOf: (selfAssessmentId: number, userId: number) => boolean;
  /** A historical paper round imported by research. */
  readonly isImportedRound: (reviewId: number) => boolean;
};

export function createSelfAssessmentRelationFinder(sources: SelfAssessmentRelationSources): FindSelfAssessmentRelation {
  return (review, userId) => ({
    programPerson: sources.findRole(review.programId, userId) !== undefined,
    creator: review.createdBy === userId,
    sharedPanel: sources.isSharedWithPanelOf(review.id, userId),
    importedRound: sources.isImportedRound(review.id),
  });
}
