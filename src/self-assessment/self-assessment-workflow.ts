// Self-assessments: a program lead starts one (a review of kind 'self_assessment' with the lead, and any colleagues
// chosen, on its panel, straight into rating), shares a final one with the panel of a later peer review of the same
// program, and adopts agreed ratings as consensus. Domain rules over two stores: the review itself lives in the
// review store, the shares in the self-assessment store; each multi-step write runs in one transaction.
import type { Transact } from '../db/transact.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { findTransitionBlockers } from '../reviews/review-workflow.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import { findAgreedRatings } from './agreed-ratings.js';
import type { SelfAssessmentStore, Share } from './self-assessment-store.js';

export type { Share } from './self-assessment-store.js';

export type NewSelfAssessment = {
  readonly programId: number;
  readonly rubric: LoadedRubric;
  readonly leadId: number;
  /** Colleagues from the program who rate too. */
  readonly coRaterIds: readonly number[];
  /** YYYY-MM-DD: the day the program assesses itself. */
  readonly date: string | undefined;
};

/** other-rubric: the panel scores against another rubric, so the shared checklist and gap view would not match it. */
export type ShareOutcome = 'shared' | 'not-final' | 'not-a-coming-peer-review' | 'other-rubric';

export type AdoptOutcome =
  | { readonly outcome: 'adopted'; readonly adopted: number; readonly undecided: number }
  | { readonly outcome: 'locked' };

export type SelfAssessments = ReturnType<typeof createSelfAssessmentWorkflow>;

export function createSelfAssessmentWorkflow({
  shares,
  reviews,
  transact,
}: {
  readonly shares: SelfAssessmentStore;
  readonly reviews: ReviewStore;
  readonly transact: Transact;
}) {
  // The review store's writes nest inside this transaction (as savepoints), so a half-made self-assessment never stays.
  const start = (input: NewSelfAssessment): number =>
    transact(() => {
      const id = reviews.insertReview({
        programId: input.programId,
        rubric: input.rubric,
        kind: 'self_assessment',
        visitStart: input.date,
        visitEnd: input.date,
        createdBy: input.leadId,
      });
      const members = [
        { userId: input.leadId, role: 'lead' as const },
        ...input.coRaterIds.filter((id) => id !== input.leadId).map((userId) => ({ userId, role: 'reviewer' as const })),
      ];
      for (const member of members) {
        if (reviews.setPanelMember(id, member.userId, member.role, input.leadId) !== 'saved')
          throw new Error('could not put the panel together');
      }
      const blockers = findTransitionBlockers(
        { rubric: input.rubric.rubric, panel: reviews.listPanel(id), consensus: [], kind: 'self_assessment' },
        { from: 'draft', to: 'rating' },
      );
      if (blockers.length > 0 || !reviews.transition(id, 'draft', 'rating', input.leadId)) throw new Error('could not start the rating');
      return id;
    });

  const share = (selfAssessmentId: number, peerReviewId: number, actorId: number): ShareOutcome =>
    transact(() => {
      const self = reviews.findReviewById(selfAssessmentId);
      const peer = reviews.findReviewById(peerReviewId);
      if (self?.kind !== 'self_assessment' || self.status !== 'final') return 'not-final';
      if (peer?.kind !== 'peer_review' || peer.status === 'final' || peer.programId !== self.programId) return 'not-a-coming-peer-review';
      if (peer.rubricId !== self.rubricId) return 'other-rubric';
      shares.insertShare(selfAssessmentId, peerReviewId, actorId);
      return 'shared';
    });

  // Whether a lone rater may skip "Starta konsensus" is the caller's decision (isLoneSubmittedLead): this only moves
  // the self-assessment from rating to consensus in the same transaction as the adoption when asked to.
  const adopt = (selfAssessmentId: number, leadId: number, startConsensus: boolean): AdoptOutcome =>
    transact((): AdoptOutcome => {
      const found = reviews.findReviewById(selfAssessmentId);
      if (found?.kind !== 'self_assessment') return { outcome: 'locked' };
      if (startConsensus && !reviews.transition(found.id, 'rating', 'consensus', leadId)) return { outcome: 'locked' };
      const review = startConsensus ? reviews.findReviewById(found.id) : found;
      if (review?.status !== 'consensus') return { outcome: 'locked' };
      const { agreed, undecided } = findAgreedRatings(
        review.rubric.rubric,
        reviews.listSubmittedScores(review.id),
        reviews.listConsensus(review.id),
      );
      for (const rating of agreed) {
        const saved = reviews.saveConsensus(review.id, { ...rating, rationale: '' }, leadId);
        if (saved.outcome !== 'saved') throw new Error(`could not adopt the rating of ${rating.indicatorId}`);
      }
      return { outcome: 'adopted', adopted: agreed.length, undecided };
    });

  return {
    startSelfAssessment: start,
    /** Shares a final self-assessment with a peer review of the same program that is not final yet. */
    share,
    unshare: (selfAssessmentId: number, peerReviewId: number, actorId: number): boolean =>
      shares.deleteShare(selfAssessmentId, peerReviewId, actorId),
    listSharesOf: (selfAssessmentId: number): Share[] => shares.listSharesOf(selfAssessmentId),
    listSharedWith: (peerReviewId: number): Share[] => shares.listSharedWith(peerReviewId),
    /**
     * Saves as consensus every indicator whose submitted ratings all agree, during consensus. With startConsensus
     * (a lone rater's one step, decided by the route), first moves the self-assessment from rating to consensus, in
     * the same transaction; 'locked' when it is not in rating then.
     */
    adoptAgreedRatings: (
      selfAssessmentId: number,
      leadId: number,
      options: { readonly startConsensus: boolean } = { startConsensus: false },
    ): AdoptOutcome => adopt(selfAssessmentId, leadId, options.startConsensus),
  };
}
