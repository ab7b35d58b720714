// Who may see and do what on a review. Pure: decided from the user, their panel membership and the review status.
// Blind rating rests on canSeeOthersRatings: nobody sees another rater's scores before submitting their own.
import { hasAnyRole, hasRole } from '../accounts/access.js';
import type { CurrentUser } from '../accounts/user-store.js';
import { isRaterRole, type PanelMember, type ReviewStatus } from './review-types.js';

/**
 * How the viewer stands to a self-assessment (undefined for a peer review). A self-assessment is for the people of the
 * program it assesses, until its lead shares it with the panel of a later peer review, who may then read its result.
 */
export type SelfAssessmentRelation = {
  /** One of the program's people (program_members). */
  readonly programPerson: boolean;
  /** The person who created it. */
  readonly creator: boolean;
  /** On the panel of a peer review it has been shared with. */
  readonly sharedPanel: boolean;
  /** A historical paper round imported by research (not one the program made in the app). */
  readonly importedRound: boolean;
};

/**
 * How a user stands to a self-assessment, from the tables of the capabilities that know (program-members,
 * self-assessment shares, research imports): composed by createServices (self-assessment-relation.ts).
 */
export type FindSelfAssessmentRelation = (
  review: { readonly id: number; readonly programId: number; readonly createdBy: number },
  userId: number,
) => SelfAssessmentRelation;

export type Viewer = {
  readonly user: CurrentUser;
  /** The viewer's place on this review's panel, if any. */
  readonly membership: PanelMember | undefined;
  /** Set for self-assessments only. */
  readonly selfAssessment?: SelfAssessmentRelation | undefined;
};

export function findMembership(panel: readonly PanelMember[], userId: number): PanelMember | undefined {
  return panel.find((member) => member.userId === userId);
}

function isCoordinator(viewer: Viewer): boolean {
  // On a self-assessment a coordinator acts only when it is their own or their program's.
  const relation = viewer.selfAssessment;
  return hasRole(viewer.user, 'coordinator') && (relation === undefined || relation.programPerson || relation.creator);
}

/** The program's people follow its self-assessments even when they are not on the panel. */
function isProgramPerson(viewer: Viewer): boolean {
  return viewer.selfAssessment?.programPerson === true;
}

function isRater(viewer: Viewer): boolean {
  return viewer.membership !== undefined && isRaterRole(viewer.membership.role);
}

/** The overview (panel, progress counts, workflow actions). Final reviews also have a public result page. */
export function canViewOverview(viewer: Viewer): boolean {
  return isCoordinator(viewer) || viewer.membership !== undefined || isProgramPerson(viewer);
}

/** Whether a review may be named to the viewer in lists (program page, start page): self-assessments only to those who may open them. */
export function canSeeInLists(viewer: Viewer): boolean {
  const relation = viewer.selfAssessment;
  if (relation === undefined || canViewOverview(viewer) || relation.sharedPanel) return true;
  // An imported paper self-assessment is research data: research lists and compares it, so research may open it.
  return relation.importedRound && hasAnyRole(viewer.user, ['researcher', 'coordinator']);
}

export function canManagePanel(viewer: Viewer, status: ReviewStatus): boolean {
  return isCoordinator(viewer) && (status === 'draft' || status === 'rating');
}

export function canEditDetails(viewer: Viewer, status: ReviewStatus): boolean {
  return isCoordinator(viewer) && (status === 'draft' || status === 'rating');
}

export function canRate(viewer: Viewer, status: ReviewStatus): boolean {
  return status === 'rating' && isRater(viewer) && viewer.membership?.submittedAt === undefined;
}

/**
 * Whether the viewer may see other raters' submitted ratings.
 * - During rating: only a rater who has submitted their own (they are frozen, so nothing they see can change them).
 *   A coordinator who is not on the panel sees progress counts only.
 * - From consensus on: the panel and coordinators, for the conciliation session.
 */
export function canSeeOthersRatings(viewer: Viewer, status: ReviewStatus): boolean {
  if (status === 'consensus' || status === 'final') return isCoordinator(viewer) || viewer.membership !== undefined;
  if (status === 'rating') return isRater(viewer) && viewer.membership?.submittedAt !== undefined;
  return false;
}

/**
 * Why a rater was added after rating started (migration 010): for those who manage the panel and for the review's
 * lead, not for the other raters or the program's people, since the reason may be about a person (an illness).
 */
export function canSeeLateAdditionReasons(viewer: Viewer): boolean {
  return isCoordinator(viewer) || hasRole(viewer.user, 'admin') || viewer.membership?.role === 'lead';
}

/**
 * The lone-rater adoption rule: `userId` leads the panel, is its only rater and has submitted.
 * With no one to wait for and no one to agree with, their ratings may become the consensus in one step, from the
 * rating phase too. The one place this rule is written: the offers and the adoption route ask it.
 */
export function isLoneSubmittedLead(panel: readonly PanelMember[], userId: number): boolean {
  const raters = panel.filter((member) => isRaterRole(member.role));
  return (
    panel.find((member) => member.role === 'lead')?.userId === userId &&
    raters.length === 1 &&
    raters[0]?.userId === userId &&
    raters[0].submittedAt !== undefined
  );
}

/**
 * The evidence base of a peer review's visit (interviews, case files, documents): the coordinator or the panel's lead,
 * in any phase (read-only once final). The page and the overview's link to it both ask this.
 */
export function canEditEvidenceBase(viewer: Viewer): boolean {
  return isCoordinator(viewer) || viewer.membership?.role === 'lead';
}

export function canEditConsensus(viewer: Viewer, status: ReviewStatus): boolean {
  return status === 'consensus' && viewer.membership?.role === 'lead';
}

/**
 * Final results are for everyone logged in; during consensus the panel and coordinators may preview them.
 * A self-assessment's result is for the program's people, and once shared, for the panel it was shared with.
 */
export function canViewResult(viewer: Viewer, status: ReviewStatus): boolean {
  if (status === 'final') return canSeeInLists(viewer);
  if (status === 'consensus') return isCoordinator(viewer) || viewer.membership !== undefined || isProgramPerson(viewer);
  return false;
}

export type Transition = { readonly from: ReviewStatus; readonly to: Exclude<ReviewStatus, 'draft'> };

export const TRANSITIONS: readonly Transition[] = [
  { from: 'draft', to: 'rating' },
  { from: 'rating', to: 'consensus' },
  { from: 'consensus', to: 'final' },
];

/** Starting the rating is the coordinator's; starting and closing consensus is the lead's or a coordinator's. */
export function canTransition(viewer: Viewer, transition: Transition): boolean {
  if (transition.from === 'draft') return isCoordinator(viewer);
  return isCoordinator(viewer) || viewer.membership?.role === 'lead';
}
