// The shares of self-assessments: which final self-assessment a program has shared with which coming peer review.
// Only the table self_assessment_shares; the self-assessment itself is a review (the review store), and the rules of
// starting, sharing and adopting live in self-assessment-workflow.ts.
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';

export type Share = { readonly selfAssessmentId: number; readonly peerReviewId: number; readonly sharedAt: string };

type ShareRow = { self_assessment_id: number; peer_review_id: number; shared_at: string };

export type SelfAssessmentStore = ReturnType<typeof createSelfAssessmentStore>;

export function createSelfAssessmentStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
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

  // Whether the user sits on the panel of a peer review this self-assessment was shared with (read only).
  const sharedPanelStmt = db.prepare(
    `SELECT 1 FROM self_assessment_shares s JOIN panel_members pm ON pm.review_id = s.peer_review_id
     WHERE s.self_assessment_id = ? AND pm.user_id = ?`,
  );

  const toShare = (row: ShareRow): Share => ({
    selfAssessmentId: row.self_assessment_id,
    peerReviewId: row.peer_review_id,
    sharedAt: row.shared_at,
  });

  const insertShare = db.transaction((selfAssessmentId: number, peerReviewId: number, actorId: number): void =>
    runAs(actorId, () => {
      insertShareStmt.run(selfAssessmentId, peerReviewId, actorId, clock().toISOString());
    }),
  );

  const deleteShare = db.transaction((selfAssessmentId: number, peerReviewId: number, actorId: number): boolean =>
    runAs(actorId, () => deleteShareStmt.run(selfAssessmentId, peerReviewId).changes === 1),
  );

  return {
    /** Records a share (once: sharing again changes nothing). The workflow checks that it is allowed. */
    insertShare: (selfAssessmentId: number, peerReviewId: number, actorId: number): void =>
      insertShare(selfAssessmentId, peerReviewId, actorId),
    deleteShare: (selfAssessmentId: number, peerReviewId: number, actorId: number): boolean =>
      deleteShare(selfAssessmentId, peerReviewId, actorId),
    listSharesOf: (selfAssessmentId: number): Share[] => (sharesOfSelfStmt.all(selfAssessmentId) as ShareRow[]).map(toShare),
    listSharedWith: (peerReviewId: number): Share[] => (sharesWithPeerStmt.all(peerReviewId) as ShareRow[]).map(toShare),
    isSharedWithPanelOf: (selfAssessmentId: number, userId: number): boolean => sharedPanelStmt.get(selfAssessmentId, userId) !== undefined,
  };
}
