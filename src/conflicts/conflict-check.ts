// Gathers the facts for one person and one program and applies the conflict rules.
import type { MunicipalityStore } from '../municipalities/municipality-store.js';
import { type ConflictAssessment, assessConflicts } from './conflict-rules.js';
import type { ConflictStore } from './conflict-store.js';

export type ConflictChecker = {
  /** The assessment for putting `userId` on review `reviewId` of program `programId`. */
  assess(userId: number, programId: number, reviewId: number, today?: Date): ConflictAssessment;
  /** Whether a warning for this person on this review has been confirmed by a coordinator. */
  isConfirmed(reviewId: number, userId: number): boolean;
  confirmWarning(reviewId: number, userId: number, reason: string, actorId: number): void;
  /** Checked on every rating request: a refusal, or a warning nobody confirmed, stops the rater. */
  mayRate(userId: number, programId: number, reviewId: number): boolean;
};

export function createConflictChecker(deps: {
  conflicts: ConflictStore;
  municipalities: MunicipalityStore;
  reciprocalReviewMonths: number;
}): ConflictChecker {
  const { conflicts, municipalities, reciprocalReviewMonths } = deps;
  return {
    assess(userId, programId, reviewId, today = new Date()) {
      const affiliation = conflicts.findAffiliation(userId);
      const program = municipalities.findProgramById(programId);
      if (!affiliation || !program) return { refusals: [], warnings: [] };
      const since = new Date(today);
      since.setUTCMonth(since.getUTCMonth() - reciprocalReviewMonths);
      const reciprocalReviews =
        affiliation.kind === 'municipality' && affiliation.municipalityId !== undefined && affiliation.municipalityId !== program.municipalityId
          ? conflicts.findReciprocalReviews({
              reviewedMunicipality: affiliation.municipalityId,
              reviewingMunicipality: program.municipalityId,
              since: since.toISOString().slice(0, 10),
              exceptReview: reviewId,
            })
          : [];
      return assessConflicts({
        affiliation,
        program: { municipalityId: program.municipalityId, municipalityName: program.municipalityName, supportProvider: program.supportProvider },
        declared: conflicts.listDeclaredConflictsOfUser(userId),
        reciprocalReviews,
        warningDismissed: conflicts.isWarningDismissed(userId, program.municipalityId),
      });
    },
    isConfirmed: (reviewId, userId) => conflicts.findConfirmation(reviewId, userId) !== undefined,
    confirmWarning: (reviewId, userId, reason, actorId) => conflicts.confirmWarning(reviewId, userId, reason, actorId),
    mayRate(userId, programId, reviewId) {
      const assessment = this.assess(userId, programId, reviewId);
      if (assessment.refusals.length > 0) return false;
      return assessment.warnings.length === 0 || this.isConfirmed(reviewId, userId);
    },
  };
}
