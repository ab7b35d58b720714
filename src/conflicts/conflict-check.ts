// Gathers the facts for one person and one program and applies the conflict rules.
import type { UserStore } from '../accounts/user-store.js';
import { type Clock, systemClock } from '../clock.js';
import { todayInSweden } from '../i18n/calendar.js';
import type { MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import {
  type Affiliation,
  type ConflictAssessment,
  type ConflictReason,
  type DeclaredConflict,
  type ProgramParties,
  assessConflicts,
} from './conflict-rules.js';
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
  /**
   * findRatingBlock for many people at once (the panel form's list of people), with a fixed number of queries
   * whatever their number. Only the people something stops are in the map.
   */
  findRatingBlocks(userIds: readonly number[], programId: number, reviewId: number, today?: Date): ReadonlyMap<number, RatingBlock>;
};

export function createConflictChecker(deps: {
  conflicts: ConflictStore;
  /** Where each person works (their account's affiliation). */
  users: Pick<UserStore, 'findAffiliation' | 'listAffiliations'>;
  municipalities: MunicipalityStore;
  /** Whether the person is one of the program's own people (its lead or staff). */
  isProgramPerson: (programId: number, userId: number) => boolean;
  /** The program's own people, for checking many people at once. */
  listProgramPeople: (programId: number) => readonly number[];
  reciprocalReviewMonths: number;
  /** "Today" for the reciprocity window (the real clock when not given). */
  clock?: Clock;
}): ConflictChecker {
  const { conflicts, users, municipalities, isProgramPerson, listProgramPeople, reciprocalReviewMonths, clock = systemClock } = deps;
  // Days are Swedish days: the window ends today in Sweden and starts the same day that many months earlier.
  const reciprocalWindow = (today: Date) => {
    const day = todayInSweden(today);
    const since = new Date(`${day}T00:00:00Z`);
    since.setUTCMonth(since.getUTCMonth() - reciprocalReviewMonths);
    return { since: since.toISOString().slice(0, 10), today: day };
  };
  /** The municipality whose reviews by the program's municipality count as reciprocal for this person, if any. */
  const ownOtherMunicipality = (affiliation: Affiliation, program: Program): number | undefined =>
    affiliation.kind === 'municipality' && affiliation.municipalityId !== undefined && affiliation.municipalityId !== program.municipalityId
      ? affiliation.municipalityId
      : undefined;
  const partiesOf = (program: Program): ProgramParties => ({
    name: program.name,
    municipalityId: program.municipalityId,
    municipalityName: program.municipalityName,
    supportProvider: program.supportProvider,
  });
  const blockOf = (assessment: ConflictAssessment, confirmed: boolean): RatingBlock | undefined => {
    const unconfirmedWarnings = assessment.warnings.length > 0 && !confirmed ? assessment.warnings : [];
    if (assessment.refusals.length === 0 && unconfirmedWarnings.length === 0) return undefined;
    return { refusals: assessment.refusals, unconfirmedWarnings };
  };
  return {
    reciprocalReviewMonths,
    assess(userId, programId, reviewId, today = clock()) {
      const affiliation = users.findAffiliation(userId);
      const program = municipalities.findProgramById(programId);
      if (!affiliation || !program) return { refusals: [], warnings: [] };
      const reviewed = ownOtherMunicipality(affiliation, program);
      const reciprocalReviews =
        reviewed === undefined
          ? []
          : conflicts.findReciprocalReviews({
              reviewedMunicipality: reviewed,
              reviewingMunicipality: program.municipalityId,
              ...reciprocalWindow(today),
              exceptReview: reviewId,
            });
      return assessConflicts({
        affiliation,
        programPerson: isProgramPerson(programId, userId),
        program: partiesOf(program),
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
      return blockOf(assessment, assessment.warnings.length > 0 && this.isConfirmed(reviewId, userId));
    },
    findRatingBlocks(userIds, programId, reviewId, today = clock()) {
      const blocks = new Map<number, RatingBlock>();
      const program = municipalities.findProgramById(programId);
      if (!program || userIds.length === 0) return blocks;
      // The same facts assess gathers person by person, read once for everyone.
      const affiliations = users.listAffiliations();
      const programPeople = new Set(listProgramPeople(programId));
      const declared = new Map<number, DeclaredConflict[]>();
      for (const conflict of conflicts.listDeclaredConflicts())
        declared.set(conflict.userId, [...(declared.get(conflict.userId) ?? []), conflict]);
      const dismissed = conflicts.listDismissedUsers(program.municipalityId);
      const confirmed = conflicts.listConfirmedUsers(reviewId);
      const reciprocal = conflicts.findReciprocalReviewsByReviewed({
        reviewingMunicipality: program.municipalityId,
        ...reciprocalWindow(today),
        exceptReview: reviewId,
      });
      const parties = partiesOf(program);
      for (const userId of userIds) {
        const affiliation = affiliations.get(userId);
        if (!affiliation) continue;
        const reviewed = ownOtherMunicipality(affiliation, program);
        const assessment = assessConflicts({
          affiliation,
          programPerson: programPeople.has(userId),
          program: parties,
          declared: declared.get(userId) ?? [],
          reciprocalReviews: reviewed === undefined ? [] : (reciprocal.get(reviewed) ?? []),
          warningDismissed: dismissed.has(userId),
        });
        const block = blockOf(assessment, confirmed.has(userId));
        if (block) blocks.set(userId, block);
      }
      return blocks;
    },
  };
}
