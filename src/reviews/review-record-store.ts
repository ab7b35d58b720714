// SQL for the review record itself: the pinned rubric snapshot, the review's details, its status and the times it
// entered each one, and reopenings (a final review back to consensus, with the reason kept).
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import type { FindSelfAssessmentRelation } from './review-access.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import { createRubricSnapshotReader, createRubricSnapshotWriter } from '../rubrics/rubric-snapshot-store.js';
import {
  type NewReview,
  type Reopening,
  type Review,
  type ReviewKind,
  type ReviewStatus,
  ReviewStatusSchema,
  type ReviewSummary,
  toReviewPlace,
} from './review-types.js';

type ReviewRow = {
  id: number;
  program_id: number;
  program_name: string;
  municipality_code: string;
  municipality_name: string;
  kind: string;
  status: string;
  visit_start: string | null;
  visit_end: string | null;
  created_by: number;
  created_at: string;
  rating_started_at: string | null;
  consensus_started_at: string | null;
  finalised_at: string | null;
  snapshot_id: number;
  rubric_id: string;
  rubric_version: string;
  content_hash: string;
};

// The program's and municipality's names are read (never written) for listings.
const SELECT_REVIEW = `
  SELECT r.id, r.program_id, p.name AS program_name, m.code AS municipality_code, m.name AS municipality_name,
         r.kind, r.status, r.visit_start, r.visit_end, r.created_by, r.created_at,
         r.rating_started_at, r.consensus_started_at, r.finalised_at,
         s.id AS snapshot_id, s.rubric_id, s.version AS rubric_version, s.content_hash
  FROM reviews r
  JOIN programs p ON p.id = r.program_id
  JOIN municipalities m ON m.id = p.municipality_id
  JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id`;

/** A review's status as the other parts' guards read it (undefined: no such review). */
export function createReviewStatusReader(db: Db): (reviewId: number) => ReviewStatus | undefined {
  const statusStmt = db.prepare('SELECT status FROM reviews WHERE id = ?').pluck();
  return (reviewId) => {
    const status = statusStmt.get(reviewId) as string | undefined;
    return status === undefined ? undefined : ReviewStatusSchema.parse(status);
  };
}

/** Until createServices wires the real one: a store built alone (a test's) cannot tell, and says so. */
const UNWIRED_RELATION: FindSelfAssessmentRelation = () => {
  throw new Error('this review store has no self-assessment relation: build it with createServices');
};

export function createReviewRecordStore(db: Db, clock: Clock = systemClock, findSelfAssessmentRelation = UNWIRED_RELATION) {
  const loadSnapshot = createRubricSnapshotReader(db);
  const runAs = createActorScope(db);
  const now = () => clock().toISOString();
  const storeSnapshot = createRubricSnapshotWriter(db);
  const insertReviewStmt = db.prepare(
    `INSERT INTO reviews (program_id, rubric_snapshot_id, kind, visit_start, visit_end, created_by, created_at)
     VALUES (@programId, @snapshotId, @kind, @visitStart, @visitEnd, @createdBy, @createdAt)`,
  );
  const reviewByIdStmt = db.prepare(`${SELECT_REVIEW} WHERE r.id = ?`);
  const reviewsOfProgramStmt = db.prepare(
    `${SELECT_REVIEW} WHERE r.program_id = ? ORDER BY COALESCE(r.visit_start, r.created_at) DESC, r.id DESC`,
  );
  // Rounds (review-rounds.ts): a program's final peer reviews only; listFinalPeerReviews sorts them.
  const finalPeerReviewsOfProgramStmt = db.prepare(
    `${SELECT_REVIEW} WHERE r.program_id = ? AND r.kind = 'peer_review' AND r.status = 'final'`,
  );
  const reviewsOfMemberStmt = db.prepare(
    `${SELECT_REVIEW} JOIN panel_members pm ON pm.review_id = r.id AND pm.user_id = ? ORDER BY r.status = 'final', r.id DESC`,
  );
  const openReviewsStmt = db.prepare(`${SELECT_REVIEW} WHERE r.status <> 'final' ORDER BY r.id DESC`);
  const updateDetailsStmt = db.prepare(
    "UPDATE reviews SET kind = @kind, visit_start = @visitStart, visit_end = @visitEnd WHERE id = @id AND (status = 'draft' OR (status = 'rating' AND kind = @kind))",
  );
  const transitionStmt = db.prepare('UPDATE reviews SET status = ? WHERE id = ? AND status = ?');
  // The time a review enters each status.
  const stampStmts = {
    rating: db.prepare('UPDATE reviews SET rating_started_at = ? WHERE id = ?'),
    consensus: db.prepare('UPDATE reviews SET consensus_started_at = ? WHERE id = ?'),
    final: db.prepare('UPDATE reviews SET finalised_at = ? WHERE id = ?'),
  } as const;
  const clearFinalisedStmt = db.prepare('UPDATE reviews SET finalised_at = NULL WHERE id = ?');
  const insertReopeningStmt = db.prepare('INSERT INTO review_reopenings (review_id, reopened_by, reason, created_at) VALUES (?, ?, ?, ?)');
  const reopeningsStmt = db.prepare(
    `SELECT o.reopened_by, u.display_name, o.reason, o.created_at
     FROM review_reopenings o LEFT JOIN users u ON u.id = o.reopened_by WHERE o.review_id = ? ORDER BY o.id`,
  );

  function toSummary(row: ReviewRow): ReviewSummary {
    const rubric = loadSnapshot(row.snapshot_id);
    // Object.assign, not a spread: see toReviewPlace.
    return Object.assign(toReviewPlace(row), {
      status: ReviewStatusSchema.parse(row.status),
      visitStart: row.visit_start ?? undefined,
      visitEnd: row.visit_end ?? undefined,
      rubricId: row.rubric_id,
      rubricVersion: row.rubric_version,
      rubricTitle: rubric.title,
      createdAt: row.created_at,
      finalisedAt: row.finalised_at ?? undefined,
    });
  }

  function toReview(row: ReviewRow): Review {
    return Object.assign(toSummary(row), {
      createdBy: row.created_by,
      ratingStartedAt: row.rating_started_at ?? undefined,
      consensusStartedAt: row.consensus_started_at ?? undefined,
      rubric: {
        snapshotId: row.snapshot_id,
        rubricId: row.rubric_id,
        version: row.rubric_version,
        contentHash: row.content_hash,
        rubric: loadSnapshot(row.snapshot_id),
      },
    });
  }

  const recordRubricSnapshot = db.transaction((loaded: LoadedRubric): number => runAs(undefined, () => storeSnapshot(loaded, now())));

  const insertReview = db.transaction((input: NewReview): number =>
    runAs(input.createdBy, () => {
      const createdAt = now();
      const snapshotId = storeSnapshot(input.rubric, createdAt);
      return Number(
        insertReviewStmt.run({
          programId: input.programId,
          snapshotId,
          kind: input.kind,
          visitStart: input.visitStart ?? null,
          visitEnd: input.visitEnd ?? null,
          createdBy: input.createdBy,
          createdAt,
        }).lastInsertRowid,
      );
    }),
  );

  const updateReviewDetails = db.transaction(
    (id: number, details: { kind: ReviewKind; visitStart: string | undefined; visitEnd: string | undefined }, actorId?: number): boolean =>
      runAs(
        actorId,
        () =>
          updateDetailsStmt.run({ id, kind: details.kind, visitStart: details.visitStart ?? null, visitEnd: details.visitEnd ?? null })
            .changes === 1,
      ),
  );

  const transition = db.transaction((reviewId: number, from: ReviewStatus, to: Exclude<ReviewStatus, 'draft'>, actorId?: number): boolean =>
    runAs(actorId, () => {
      const changed = transitionStmt.run(to, reviewId, from).changes === 1;
      if (changed) stampStmts[to].run(now(), reviewId);
      return changed;
    }),
  );

  /** Final → consensus, with the reason kept for the record (and the report's method appendix). */
  const reopenReview = db.transaction((reviewId: number, actorId: number, reason: string): boolean =>
    runAs(actorId, () => {
      if (transitionStmt.run('consensus', reviewId, 'final').changes !== 1) return false;
      clearFinalisedStmt.run(reviewId);
      insertReopeningStmt.run(reviewId, actorId, reason, now());
      return true;
    }),
  );

  return {
    insertReview: (input: NewReview): number => insertReview(input),
    /** Stores a loaded rubric's snapshot (once per content hash), so every rubric version the app saw is in the audit log. */
    recordRubricSnapshot: (loaded: LoadedRubric): number => recordRubricSnapshot(loaded),
    findReviewById: (id: number): Review | undefined => {
      const row = reviewByIdStmt.get(id) as ReviewRow | undefined;
      return row ? toReview(row) : undefined;
    },
    /** A program's reviews, each whole (with its pinned rubric): the overview takes last round's from this list. */
    listReviewsForProgram: (programId: number): Review[] => (reviewsOfProgramStmt.all(programId) as ReviewRow[]).map(toReview),
    /** A program's final peer reviews, whole, in no particular order (listFinalPeerReviews orders them). */
    listFinalPeerReviewsOfProgram: (programId: number): Review[] =>
      (finalPeerReviewsOfProgramStmt.all(programId) as ReviewRow[]).map(toReview),
    listReviewsOfPanelMember: (userId: number): ReviewSummary[] => (reviewsOfMemberStmt.all(userId) as ReviewRow[]).map(toSummary),
    listOpenReviews: (): ReviewSummary[] => (openReviewsStmt.all() as ReviewRow[]).map(toSummary),
    updateReviewDetails: (
      id: number,
      details: { kind: ReviewKind; visitStart: string | undefined; visitEnd: string | undefined },
      actorId?: number,
    ): boolean => updateReviewDetails(id, details, actorId),
    /** Moves a review from one status to the next; false when it was no longer in `from` (someone else moved it). */
    transition: (reviewId: number, from: ReviewStatus, to: Exclude<ReviewStatus, 'draft'>, actorId?: number): boolean =>
      transition(reviewId, from, to, actorId),
    reopenReview: (reviewId: number, actorId: number, reason: string): boolean => reopenReview(reviewId, actorId, reason),
    listReopenings: (reviewId: number): Reopening[] =>
      (
        reopeningsStmt.all(reviewId) as { reopened_by: number | null; display_name: string | null; reason: string; created_at: string }[]
      ).map((row) => ({
        reopenedBy: row.reopened_by ?? undefined,
        reopenedByName: row.display_name ?? undefined,
        reason: row.reason,
        createdAt: row.created_at,
      })),
    /** How a user stands to a self-assessment; see SelfAssessmentRelation in review-access.ts. */
    findSelfAssessmentRelation,
  };
}
