// Gathers the facts for one person and one program and applies the conflict rules.
import type { UserStore } from '../accounts/user-store.js';
import { type Clock, systemClock } from '../clock.js';
import { todayInSweden } from '../i18n/calendar.js';
import type { MunicipalityStore } from '../municipalities/municipality-store.js';
import { type ConflictAssessment, type ConflictReason, assessConflicts } from './conflict-rules.js';
import type { ConflictStore } from './conflict-store.js';

/** Why a panel member may not rate now: refusals, and warnings nobody has confirmed for this review. */
export type RatingBlock = { readonly refusals: readonly ConflictReason[]; readonly unconfirmedWarnings: readonly ConflictReason[] };

export type ConflictChecker = {
  /** The reciprocal-review window, for the messages that name it. */
  readonly reciprocalReviewMonths: number;
  /** The assessment for putting `userId` on review `reviewId` of program `programId`. */
  assess(userId: number, programId: number, reviewId: number, today?: Date): ConflictAssessment;
  /** Whether a warning for this person on this review has been confirmed by a coordinator. */
  isConfirmed(reviewId: number, userId: number): boolean;
  confirmWarning(reviewId: number, userId: number, reason: string, actorId: number): void;
  /** Checked on every rating request: a refusal, or a warning nobody confirmed, stops the rater. */
  mayRate(userId: number, programId: number, reviewId: number): boolean;
  /** What stops this person rating this review now, or undefined when nothing does. */
  findRatingBlock(userId: number, programId: number, reviewId: number): RatingBlock | undefined;
};

export function createConflictChecker(deps: {
  conflicts: ConflictStore;
  /** Where each person works (their account's affiliation). */
  users: Pick<UserStore, 'findAffiliation'>;
  municipalities: MunicipalityStore;
  /** Whether the person is one of the program's own people (its lead or staff). */
  isProgramPerson: (programId: number, userId: number) => boolean;
  reciprocalReviewMonths: number;
  /** "Today" for the reciprocity window (the real clock when not given). */
  clock?: Clock;
}): ConflictChecker {
  const { conflicts, users, municipalities, isProgramPerson, reciprocalReviewMonths, clock = systemClock } = deps;
  return {
    reciprocalReviewMonths,
    assess(userId, programId, reviewId, today = clock()) {
      const affiliation = users.findAffiliation(userId);
      const program = municipalities.findProgramById(programId);
      if (!affiliation || !program) return { refusals: [], warnings: [] };
      // Days are Swedish days: the window ends today in Sweden and starts the same day that many months earlier.
      const day = todayInSweden(today);
      const since = new Date(`${day}T00:00:00Z`);
      since.setUTCMonth(since.getUTCMonth() - reciprocalReviewMonths);
      const reciprocalReviews =
        affiliation.kind === 'municipality' &&
        affiliation.municipalityId !== undefined &&
        affiliation.municipalityId !== program.municipalityId
          ? conflicts.findReciprocalReviews({
              reviewedMunicipality: affiliation.municipalityId,
              reviewingMunicipality: program.municipalityId,
              since: since.toISOString().slice(0, 10),
              today: day,
              exceptReview: reviewId,
            })
          : [];
      return assessConflicts({
        affiliation,
        programPerson: isProgramPerson(programId, userId),
        program: {
          name: program.name,
          municipalityId: program.municipalityId,
          municipalityName: program.municipalityName,
          supportProvider: program.supportProvider,
        },
        declared: conflicts.listDeclaredConflictsOfUser(userId),
        reciprocalReviews,
        warningDismissed: conflicts.isWarningDismissed(userId, program.municipalityId),
      });
    },
    isConfirmed: (reviewId, userId) => conflicts.findConfirmation(reviewId, userId) !== undefined,
    confirmWarning: (reviewId, userId, reason, actorId) => conflicts.confirmWarning(reviewId, userId, reason, actorId),
    mayRate(userId, programId, reviewId) {
      return this.findRatingBlock(userId, programId, reviewId) === undefined;
    },
    findRatingBlock(userId, programId, reviewId) {
      const assessment = this.assess(userId, programId, reviewId);
      const unconfirmedWarnings = assessment.warnings.length > 0 && !this.isConfirmed(reviewId, userId) ? assessment.warnings : [];
      if (assessment.refusals.length === 0 && unconfirmedWarnings.length === 0) return undefined;
      return { refusals: assessment.refusals, unconfirmedWarnings };
    },
  };
}
