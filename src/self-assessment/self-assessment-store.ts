// Self-assessments: a program lead starts one (a review of kind 'self_assessment' with the lead, and any colleagues
// chosen, on its panel, straight into rating), shares a final one with the panel of a later peer review of the same
// program, and adopts agreed ratings as consensus. The review itself lives in the review store; this store adds
// the shares and does the multi-step writes in one transaction each.
import { createActorScope } from '../audit/audit-actor.js';
import type { Db } from '../db/open-database.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { ReviewKindSchema, ReviewStatusSchema } from '../reviews/review-types.js';
import { findTransitionBlockers } from '../reviews/review-workflow.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import { findAgreedRatings } from './agreed-ratings.js';

export type NewSelfAssessment = {
  readonly programId: number;
  readonly rubric: LoadedRubric;
  readonly leadId: number;
  /** Colleagues from the program who rate too. */
  readonly coRaterIds: readonly number[];
  /** YYYY-MM-DD: the day the program assesses itself. */
  readonly date: string | undefined;
};

export type Share = { readonly selfAssessmentId: number; readonly peerReviewId: number; readonly sharedAt: string };

/** other-rubric: the panel scores against another rubric, so the shared checklist and gap view would not match it. */
export type ShareOutcome = 'shared' | 'not-final' | 'not-a-coming-peer-review' | 'other-rubric';

export type AdoptOutcome =
  | { readonly outcome: 'adopted'; readonly adopted: number; readonly undecided: number }
  | { readonly outcome: 'locked' };

export type SelfAssessmentStore = ReturnType<typeof createSelfAssessmentStore>;

export function createSelfAssessmentStore(db: Db, reviews: ReviewStore) {
  const runAs = createActorScope(db);
  const reviewFactsStmt = db.prepare(
    'SELECT r.program_id, r.kind, r.status, s.rubric_id FROM reviews r JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id WHERE r.id = ?',
  );
  const insertShareStmt = db.prepare(
    'INSERT INTO self_assessment_shares (self_assessment_id, peer_review_id, shared_by, shared_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const deleteShareStmt = db.prepare('DELETE FROM self_assessment_shares WHERE self_assessment_id = ? AND peer_review_id = ?');
  const sharesOfSelfStmt = db.prepare(
    'SELECT self_assessment_id, peer_review_id, shared_at FROM self_assessment_shares WHERE self_assessment_id = ? ORDER BY peer_review_id',
  );
  const sharesWithPeerStmt = db.prepare(
    'SELECT self_assessment_id, peer_review_id, shared_at FROM self_assessment_shares WHERE peer_review_id = ? ORDER BY self_assessment_id',
  );

  const readFacts = (reviewId: number) => {
    const row = reviewFactsStmt.get(reviewId) as { program_id: number; kind: string; status: string; rubric_id: string } | undefined;
    return row
      ? {
          programId: row.program_id,
          kind: ReviewKindSchema.parse(row.kind),
          status: ReviewStatusSchema.parse(row.status),
          rubricId: row.rubric_id,
        }
      : undefined;
  };

  const toShare = (row: { self_assessment_id: number; peer_review_id: number; shared_at: string }): Share => ({
    selfAssessmentId: row.self_assessment_id,
    peerReviewId: row.peer_review_id,
    sharedAt: row.shared_at,
  });

  // The review store's writes nest inside this transaction (as savepoints), so a half-made self-assessment never stays.
  const start = db.transaction((input: NewSelfAssessment): number => {
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

  const share = db.transaction(
    (selfAssessmentId: number, peerReviewId: number, actorId: number, now: string): ShareOutcome =>
      runAs(actorId, () => {
        const self = readFacts(selfAssessmentId);
        const peer = readFacts(peerReviewId);
        if (!self || self.kind !== 'self_assessment' || self.status !== 'final') return 'not-final';
        if (!peer || peer.kind !== 'peer_review' || peer.status === 'final' || peer.programId !== self.programId)
          return 'not-a-coming-peer-review';
        if (peer.rubricId !== self.rubricId) return 'other-rubric';
        insertShareStmt.run(selfAssessmentId, peerReviewId, actorId, now);
        return 'shared';
      }),
  );

  const unshare = db.transaction((selfAssessmentId: number, peerReviewId: number, actorId: number): boolean =>
    runAs(actorId, () => deleteShareStmt.run(selfAssessmentId, peerReviewId).changes === 1),
  );

  // Whether a lone rater may skip "Starta konsensus" is the caller's decision (isLoneSubmittedLead): this store only
  // moves the self-assessment from rating to consensus in the same transaction as the adoption when asked to.
  const adopt = db.transaction((selfAssessmentId: number, leadId: number, startConsensus: boolean): AdoptOutcome => {
    const found = reviews.findReviewById(selfAssessmentId);
    if (!found || found.kind !== 'self_assessment') return { outcome: 'locked' };
    if (startConsensus && !reviews.transition(found.id, 'rating', 'consensus', leadId)) return { outcome: 'locked' };
    const review = startConsensus ? reviews.findReviewById(found.id) : found;
    if (!review || review.status !== 'consensus') return { outcome: 'locked' };
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
    startSelfAssessment: (input: NewSelfAssessment): number => start(input),
    /** Shares a final self-assessment with a peer review of the same program that is not final yet. */
    share: (selfAssessmentId: number, peerReviewId: number, actorId: number): ShareOutcome =>
      share(selfAssessmentId, peerReviewId, actorId, new Date().toISOString()),
    unshare: (selfAssessmentId: number, peerReviewId: number, actorId: number): boolean => unshare(selfAssessmentId, peerReviewId, actorId),
    listSharesOf: (selfAssessmentId: number): Share[] =>
      (sharesOfSelfStmt.all(selfAssessmentId) as { self_assessment_id: number; peer_review_id: number; shared_at: string }[]).map(toShare),
    listSharedWith: (peerReviewId: number): Share[] =>
      (sharesWithPeerStmt.all(peerReviewId) as { self_assessment_id: number; peer_review_id: number; shared_at: string }[]).map(toShare),
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
