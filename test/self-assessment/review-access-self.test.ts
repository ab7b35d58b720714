// The self-assessment rules of review-access.ts, and that a peer review's rules did not change.
import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../src/accounts/user-store.js';
import type { Role } from '../../src/accounts/roles.js';
import {
  canEditDetails,
  canManagePanel,
  canRate,
  canSeeInLists,
  canSeeOthersRatings,
  canTransition,
  canViewOverview,
  canViewResult,
  type SelfAssessmentRelation,
  type Viewer,
} from '../../src/reviews/review-access.js';
import type { PanelMember, ReviewStatus } from '../../src/reviews/review-types.js';

function user(roles: Role[]): CurrentUser {
  return {
    id: 7,
    email: 'x@example.org',
    displayName: 'X',
    affiliation: '',
    active: true,
    roles,
    createdAt: '',
    preferredLocale: undefined,
  };
}

function member(role: PanelMember['role'], submitted = false): PanelMember {
  return { userId: 7, displayName: 'X', affiliation: '', role, submittedAt: submitted ? '2026-01-01' : undefined };
}

const nobody: SelfAssessmentRelation = { programPerson: false, creator: false, sharedPanel: false, importedRound: false };
const STATUSES: readonly ReviewStatus[] = ['draft', 'rating', 'consensus', 'final'];

describe('review access on a self-assessment', () => {
  it('gives a coordinator outside the program nothing, in any status', () => {
    const viewer: Viewer = { user: user(['coordinator']), membership: undefined, selfAssessment: nobody };
    expect(canViewOverview(viewer)).toBe(false);
    expect(canSeeInLists(viewer)).toBe(false);
    for (const status of STATUSES) {
      expect(canViewResult(viewer, status)).toBe(false);
      expect(canManagePanel(viewer, status)).toBe(false);
      expect(canEditDetails(viewer, status)).toBe(false);
      expect(canSeeOthersRatings(viewer, status)).toBe(false);
    }
    expect(canTransition(viewer, { from: 'draft', to: 'rating' })).toBe(false);
  });

  it('lets the program’s people follow it (overview, result) without rating or seeing others’ ratings', () => {
    const viewer: Viewer = { user: user(['program_lead']), membership: undefined, selfAssessment: { ...nobody, programPerson: true } };
    expect(canViewOverview(viewer)).toBe(true);
    expect(canViewResult(viewer, 'consensus')).toBe(true);
    expect(canViewResult(viewer, 'final')).toBe(true);
    expect(canRate(viewer, 'rating')).toBe(false);
    expect(canSeeOthersRatings(viewer, 'consensus')).toBe(false);
  });

  it('lets the panel it was shared with read its final result, nothing else', () => {
    const viewer: Viewer = { user: user(['reviewer']), membership: undefined, selfAssessment: { ...nobody, sharedPanel: true } };
    expect(canViewResult(viewer, 'final')).toBe(true);
    expect(canViewResult(viewer, 'consensus')).toBe(false);
    expect(canViewOverview(viewer)).toBe(false);
    expect(canSeeOthersRatings(viewer, 'final')).toBe(false);
  });

  it('lets research (researchers, coordinators and so admins) read the final result of an imported paper round, and nobody else outside it', () => {
    const imported = { ...nobody, importedRound: true };
    for (const roles of [['researcher'], ['coordinator'], ['admin']] as Role[][]) {
      const viewer: Viewer = { user: user(roles), membership: undefined, selfAssessment: imported };
      expect(canSeeInLists(viewer)).toBe(true);
      expect(canViewResult(viewer, 'final')).toBe(true);
      // Reading the result only: the working overview stays with the program's people.
      expect(canViewOverview(viewer)).toBe(false);
    }
    for (const roles of [['reviewer'], ['program_lead']] as Role[][]) {
      expect(canViewResult({ user: user(roles), membership: undefined, selfAssessment: imported }, 'final')).toBe(false);
    }
  });

  it('keeps a coordinator who created it in charge of it', () => {
    const viewer: Viewer = { user: user(['coordinator']), membership: undefined, selfAssessment: { ...nobody, creator: true } };
    expect(canViewOverview(viewer)).toBe(true);
    expect(canManagePanel(viewer, 'draft')).toBe(true);
    expect(canTransition(viewer, { from: 'draft', to: 'rating' })).toBe(true);
  });

  it('keeps blind rating for its raters: no one else’s ratings before one’s own are submitted', () => {
    const rater: Viewer = {
      user: user(['program_lead']),
      membership: member('reviewer'),
      selfAssessment: { ...nobody, programPerson: true },
    };
    expect(canRate(rater, 'rating')).toBe(true);
    expect(canSeeOthersRatings(rater, 'rating')).toBe(false);
    const submitted: Viewer = { ...rater, membership: member('reviewer', true) };
    expect(canSeeOthersRatings(submitted, 'rating')).toBe(true);
  });
});

describe('review access on a peer review (unchanged)', () => {
  it('gives coordinators the overview and everyone logged in the final result', () => {
    expect(canViewOverview({ user: user(['coordinator']), membership: undefined })).toBe(true);
    expect(canViewOverview({ user: user(['program_lead']), membership: undefined })).toBe(false);
    expect(canViewResult({ user: user(['researcher']), membership: undefined }, 'final')).toBe(true);
    expect(canViewResult({ user: user(['researcher']), membership: undefined }, 'consensus')).toBe(false);
    expect(canSeeInLists({ user: user([]), membership: undefined })).toBe(true);
  });

  it('keeps blind rating: a coordinator sees no ratings during rating, a rater only after submitting', () => {
    expect(canSeeOthersRatings({ user: user(['coordinator']), membership: undefined }, 'rating')).toBe(false);
    expect(canSeeOthersRatings({ user: user(['reviewer']), membership: member('reviewer') }, 'rating')).toBe(false);
    expect(canSeeOthersRatings({ user: user(['reviewer']), membership: member('reviewer', true) }, 'rating')).toBe(true);
    expect(canSeeOthersRatings({ user: user(['coordinator']), membership: undefined }, 'consensus')).toBe(true);
  });
});
