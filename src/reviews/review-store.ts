// All SQL for reviews: the pinned rubric snapshot, panels, individual ratings, consensus and findings.
import { createRubricSnapshotReader } from '../rubrics/rubric-snapshot-store.js';
import { createActorScope } from '../audit/audit-actor.js';
import type { Db } from '../db/open-database.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import {
  type ConsensusInput,
  type ConsensusRating,
  type EditConflict,
  type Finding,
  type FindingKind,
  type RecommendationMeta,
  RecommendationOwnerSchema,
  RecommendationPrioritySchema,
  type Barrier,
  type BarrierInput,
  BarrierCategorySchema,
  type PanelMember,
  PanelRoleSchema,
  type PanelRole,
  isRaterRole,
  type Rating,
  type RatingInput,
  type RatingScore,
  type Reopening,
  type Review,
  type ReviewKind,
  ReviewKindSchema,
  type ReviewStatus,
  ReviewStatusSchema,
  type ReviewSummary,
} from './review-types.js';
import { createReviewReportStore } from './review-report-store.js';

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

const SELECT_REVIEW = `
  SELECT r.id, r.program_id, p.name AS program_name, m.code AS municipality_code, m.name AS municipality_name,
         r.kind, r.status, r.visit_start, r.visit_end, r.created_by, r.created_at,
         r.rating_started_at, r.consensus_started_at, r.finalised_at,
         s.id AS snapshot_id, s.rubric_id, s.version AS rubric_version, s.content_hash
  FROM reviews r
  JOIN programs p ON p.id = r.program_id
  JOIN municipalities m ON m.id = p.municipality_id
  JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id`;

type RatingRow = {
  rater_id: number;
  indicator_id: string;
  score: number | null;
  not_applicable: number;
  evidence: string;
  note: string;
  updated_at: string;
  version: number;
};

function toRating(row: RatingRow): Rating {
  return {
    raterId: row.rater_id,
    indicatorId: row.indicator_id,
    score: row.score,
    notApplicable: row.not_applicable === 1,
    evidence: row.evidence === '' ? [] : row.evidence.split(','),
    note: row.note,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

type ConsensusRow = {
  indicator_id: string;
  score: number | null;
  not_applicable: number;
  rationale: string;
  decided_by: number;
  updated_at: string;
  version: number;
};

function toConsensus(row: ConsensusRow): ConsensusRating {
  return {
    indicatorId: row.indicator_id,
    score: row.score,
    notApplicable: row.not_applicable === 1,
    rationale: row.rationale,
    decidedBy: row.decided_by,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function sameRating(stored: Rating, input: RatingInput): boolean {
  return (
    stored.score === input.score &&
    stored.notApplicable === input.notApplicable &&
    stored.note === input.note &&
    stored.evidence.join(',') === input.evidence.join(',')
  );
}

function sameConsensus(stored: ConsensusRating, input: ConsensusInput): boolean {
  return stored.score === input.score && stored.notApplicable === input.notApplicable && stored.rationale === input.rationale;
}

export type SaveOutcome<T> =
  | { readonly outcome: 'saved' }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'conflict'; readonly conflicts: readonly EditConflict<T>[] };

export type NewReview = {
  readonly programId: number;
  readonly rubric: LoadedRubric;
  readonly kind: ReviewKind;
  readonly visitStart: string | undefined;
  readonly visitEnd: string | undefined;
  readonly createdBy: number;
};

/** What became of a panel change: refused ones write nothing. */
export type PanelChangeOutcome = 'saved' | 'locked' | 'has-ratings' | 'self-addition' | 'reason-required';

/** One section's strengths and recommendations, one text a point, in order. */
export type FindingsInput = {
  readonly sectionId: string;
  readonly strengths: readonly string[];
  readonly recommendations: readonly string[];
  /** Each recommendation's priority and owner, in the same order; without it, a kept text keeps its stored ones. */
  readonly recommendationMeta?: readonly RecommendationMeta[] | undefined;
};

type FindingRow = { section_id: string; kind: FindingKind; position: number; text: string; priority: string; owner: string | null };

export type ReviewStore = ReturnType<typeof createReviewStore>;

export function createReviewStore(db: Db) {
  const loadSnapshot = createRubricSnapshotReader(db);
  const runAs = createActorScope(db);
  const snapshotByHashStmt = db.prepare('SELECT id FROM rubric_snapshots WHERE content_hash = ?');
  const insertSnapshotStmt = db.prepare(
    'INSERT INTO rubric_snapshots (rubric_id, version, content_hash, content_json, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertReviewStmt = db.prepare(
    `INSERT INTO reviews (program_id, rubric_snapshot_id, kind, visit_start, visit_end, created_by, created_at)
     VALUES (@programId, @snapshotId, @kind, @visitStart, @visitEnd, @createdBy, @createdAt)`,
  );
  const reviewByIdStmt = db.prepare(`${SELECT_REVIEW} WHERE r.id = ?`);
  const reviewsOfProgramStmt = db.prepare(
    `${SELECT_REVIEW} WHERE r.program_id = ? ORDER BY COALESCE(r.visit_start, r.created_at) DESC, r.id DESC`,
  );
  const reviewsOfMemberStmt = db.prepare(
    `${SELECT_REVIEW} JOIN panel_members pm ON pm.review_id = r.id AND pm.user_id = ? ORDER BY r.status = 'final', r.id DESC`,
  );
  const openReviewsStmt = db.prepare(`${SELECT_REVIEW} WHERE r.status <> 'final' ORDER BY r.id DESC`);
  const updateDetailsStmt = db.prepare(
    "UPDATE reviews SET kind = @kind, visit_start = @visitStart, visit_end = @visitEnd WHERE id = @id AND (status = 'draft' OR (status = 'rating' AND kind = @kind))",
  );
  const panelStmt = db.prepare(
    `SELECT pm.user_id, u.display_name, u.affiliation, pm.role, pm.submitted_at
     FROM panel_members pm JOIN users u ON u.id = pm.user_id
     WHERE pm.review_id = ?
     ORDER BY CASE pm.role WHEN 'lead' THEN 0 WHEN 'reviewer' THEN 1 ELSE 2 END, u.display_name COLLATE NOCASE`,
  );
  const statusStmt = db.prepare('SELECT status FROM reviews WHERE id = ?');
  const memberStmt = db.prepare('SELECT role, submitted_at FROM panel_members WHERE review_id = ? AND user_id = ?');
  // A late addition's reason is written with the membership change itself, so the audit log has one entry for both.
  const insertMemberStmt = db.prepare(
    'INSERT INTO panel_members (review_id, user_id, role, late_reason, late_added_at) VALUES (?, ?, ?, ?, ?)',
  );
  const updateMemberRoleStmt = db.prepare(
    `UPDATE panel_members SET role = ?, late_reason = COALESCE(?, late_reason), late_added_at = COALESCE(?, late_added_at)
     WHERE review_id = ? AND user_id = ?`,
  );
  const lateAdditionsStmt = db.prepare(
    'SELECT user_id, late_reason, late_added_at FROM panel_members WHERE review_id = ? AND late_reason IS NOT NULL',
  );
  const deleteMemberStmt = db.prepare('DELETE FROM panel_members WHERE review_id = ? AND user_id = ?');
  const ratingsOfRaterStmt = db.prepare(
    'SELECT rater_id, indicator_id, score, not_applicable, evidence, note, updated_at, version FROM ratings WHERE review_id = ? AND rater_id = ?',
  );
  const submittedRatingsStmt = db.prepare(
    `SELECT r.rater_id, r.indicator_id, r.score, r.not_applicable, r.evidence, r.note, r.updated_at, r.version
     FROM ratings r JOIN panel_members pm ON pm.review_id = r.review_id AND pm.user_id = r.rater_id
     WHERE r.review_id = ? AND pm.submitted_at IS NOT NULL`,
  );
  const submittedScoresStmt = db
    .prepare(
      `SELECT r.rater_id, r.indicator_id, r.score, r.not_applicable
     FROM ratings r JOIN panel_members pm ON pm.review_id = r.review_id AND pm.user_id = r.rater_id
     WHERE r.review_id = ? AND pm.submitted_at IS NOT NULL`,
    )
    .raw();
  const ratedCountsStmt = db.prepare(
    `SELECT rater_id, count(*) AS n FROM ratings
     WHERE review_id = ? AND (score IS NOT NULL OR not_applicable = 1) GROUP BY rater_id`,
  );
  const upsertRatingStmt = db.prepare(
    `INSERT INTO ratings (review_id, rater_id, indicator_id, score, not_applicable, evidence, note, updated_at)
     VALUES (@reviewId, @raterId, @indicatorId, @score, @notApplicable, @evidence, @note, @updatedAt)
     ON CONFLICT (review_id, rater_id, indicator_id) DO UPDATE SET
       version = CASE WHEN score IS excluded.score AND not_applicable = excluded.not_applicable
                       AND evidence = excluded.evidence AND note = excluded.note THEN version ELSE version + 1 END,
       score = excluded.score, not_applicable = excluded.not_applicable, evidence = excluded.evidence,
       note = excluded.note, updated_at = excluded.updated_at`,
  );
  const submitStmt = db.prepare('UPDATE panel_members SET submitted_at = ? WHERE review_id = ? AND user_id = ? AND submitted_at IS NULL');
  const transitionStmt = db.prepare('UPDATE reviews SET status = ? WHERE id = ? AND status = ?');
  // The time a review enters each status.
  const stampStmts = {
    rating: db.prepare('UPDATE reviews SET rating_started_at = ? WHERE id = ?'),
    consensus: db.prepare('UPDATE reviews SET consensus_started_at = ? WHERE id = ?'),
    final: db.prepare('UPDATE reviews SET finalised_at = ? WHERE id = ?'),
  } as const;
  const demoteLeadStmt = db.prepare("UPDATE panel_members SET role = 'reviewer' WHERE review_id = ? AND role = 'lead' AND user_id <> ?");
  const decidedStmt = db.prepare('SELECT indicator_id FROM consensus_ratings WHERE review_id = ?').pluck();
  const consensusStmt = db.prepare(
    'SELECT indicator_id, score, not_applicable, rationale, decided_by, updated_at, version FROM consensus_ratings WHERE review_id = ?',
  );
  const upsertConsensusStmt = db.prepare(
    `INSERT INTO consensus_ratings (review_id, indicator_id, score, not_applicable, rationale, decided_by, updated_at)
     VALUES (@reviewId, @indicatorId, @score, @notApplicable, @rationale, @decidedBy, @updatedAt)
     ON CONFLICT (review_id, indicator_id) DO UPDATE SET
       version = CASE WHEN score IS excluded.score AND not_applicable = excluded.not_applicable
                       AND rationale = excluded.rationale THEN version ELSE version + 1 END,
       score = excluded.score, not_applicable = excluded.not_applicable, rationale = excluded.rationale,
       decided_by = excluded.decided_by, updated_at = excluded.updated_at`,
  );
  const findingsStmt = db.prepare(
    'SELECT section_id, kind, position, text, priority, owner FROM findings WHERE review_id = ? ORDER BY section_id, kind, position',
  );
  const deleteFindingsStmt = db.prepare('DELETE FROM findings WHERE review_id = ? AND section_id = ?');
  const barriersStmt = db.prepare(
    "SELECT category, position, text FROM review_barriers WHERE review_id = ? ORDER BY CASE category WHEN 'systemic' THEN 0 WHEN 'organisational' THEN 1 ELSE 2 END, position",
  );
  const deleteBarriersStmt = db.prepare('DELETE FROM review_barriers WHERE review_id = ? AND category = ?');
  const insertBarrierStmt = db.prepare('INSERT INTO review_barriers (review_id, category, position, text) VALUES (?, ?, ?, ?)');
  const insertFindingStmt = db.prepare(
    'INSERT INTO findings (review_id, section_id, kind, position, text, priority, owner) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // One version for the whole findings form (strengths, recommendations and barriers; migration 11).
  const findingsVersionStmt = db.prepare('SELECT findings_version FROM reviews WHERE id = ?').pluck();
  const bumpFindingsVersionStmt = db.prepare('UPDATE reviews SET findings_version = findings_version + 1 WHERE id = ?');
  const clearFinalisedStmt = db.prepare('UPDATE reviews SET finalised_at = NULL WHERE id = ?');
  const insertReopeningStmt = db.prepare('INSERT INTO review_reopenings (review_id, reopened_by, reason, created_at) VALUES (?, ?, ?, ?)');
  const reopeningsStmt = db.prepare(
    `SELECT o.reopened_by, u.display_name, o.reason, o.created_at
     FROM review_reopenings o LEFT JOIN users u ON u.id = o.reopened_by WHERE o.review_id = ? ORDER BY o.id`,
  );
  // Who may see a self-assessment (migration 5): the program's people, and the panels it was shared with.
  const programPersonStmt = db.prepare('SELECT 1 FROM program_members WHERE program_id = ? AND user_id = ?');
  const importedRoundStmt = db.prepare('SELECT 1 FROM imported_reviews WHERE review_id = ?');
  const sharedPanelStmt = db.prepare(
    `SELECT 1 FROM self_assessment_shares s JOIN panel_members pm ON pm.review_id = s.peer_review_id
     WHERE s.self_assessment_id = ? AND pm.user_id = ?`,
  );

  function toSummary(row: ReviewRow): ReviewSummary {
    const rubric = loadSnapshot(row.snapshot_id);
    return {
      id: row.id,
      programId: row.program_id,
      programName: row.program_name,
      municipalityCode: row.municipality_code,
      municipalityName: row.municipality_name,
      kind: ReviewKindSchema.parse(row.kind),
      status: ReviewStatusSchema.parse(row.status),
      visitStart: row.visit_start ?? undefined,
      visitEnd: row.visit_end ?? undefined,
      rubricId: row.rubric_id,
      rubricVersion: row.rubric_version,
      rubricTitle: rubric.title,
      createdAt: row.created_at,
      finalisedAt: row.finalised_at ?? undefined,
    };
  }

  function toReview(row: ReviewRow): Review {
    return {
      ...toSummary(row),
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
    };
  }

  function readStatus(reviewId: number): ReviewStatus | undefined {
    const row = statusStmt.get(reviewId) as { status: string } | undefined;
    return row ? ReviewStatusSchema.parse(row.status) : undefined;
  }

  function readMember(reviewId: number, userId: number): { role: PanelRole; submitted: boolean } | undefined {
    const row = memberStmt.get(reviewId, userId) as { role: string; submitted_at: string | null } | undefined;
    return row ? { role: PanelRoleSchema.parse(row.role), submitted: row.submitted_at !== null } : undefined;
  }

  /** The id of the stored snapshot of this exact rubric content, storing it first if it is new. */
  function storeSnapshot(loaded: LoadedRubric, now: string): number {
    const { rubric, contentHash, canonicalJson } = loaded;
    const existing = snapshotByHashStmt.get(contentHash) as { id: number } | undefined;
    return existing?.id ?? Number(insertSnapshotStmt.run(rubric.id, rubric.version, contentHash, canonicalJson, now).lastInsertRowid);
  }

  const recordRubricSnapshot = db.transaction((loaded: LoadedRubric, now: string): number =>
    runAs(undefined, () => storeSnapshot(loaded, now)),
  );

  const insertReview = db.transaction((input: NewReview, now: string): number =>
    runAs(input.createdBy, () => {
      const snapshotId = storeSnapshot(input.rubric, now);
      return Number(
        insertReviewStmt.run({
          programId: input.programId,
          snapshotId,
          kind: input.kind,
          visitStart: input.visitStart ?? null,
          visitEnd: input.visitEnd ?? null,
          createdBy: input.createdBy,
          createdAt: now,
        }).lastInsertRowid,
      );
    }),
  );

  /**
   * Saves a rater's ratings only while the review is in rating and the rater has not submitted. When an input
   * carries the version its form was based on and the stored rating has since changed to something else,
   * nothing is written and the current values come back as conflicts.
   */
  const saveRatings = db.transaction(
    (reviewId: number, raterId: number, inputs: readonly RatingInput[], now: string): SaveOutcome<Rating> =>
      runAs(raterId, () => {
        const member = readMember(reviewId, raterId);
        if (readStatus(reviewId) !== 'rating' || !member || member.role === 'observer' || member.submitted) {
          return { outcome: 'locked' };
        }
        const stored = new Map((ratingsOfRaterStmt.all(reviewId, raterId) as RatingRow[]).map((row) => [row.indicator_id, toRating(row)]));
        const conflicts = inputs
          .filter((input) => {
            if (input.expectedVersion === undefined) return false;
            const current = stored.get(input.indicatorId);
            return (current?.version ?? 0) !== input.expectedVersion && !(current && sameRating(current, input));
          })
          .map((input) => ({ indicatorId: input.indicatorId, current: stored.get(input.indicatorId) }));
        if (conflicts.length > 0) return { outcome: 'conflict', conflicts };
        for (const input of inputs) {
          upsertRatingStmt.run({
            reviewId,
            raterId,
            indicatorId: input.indicatorId,
            score: input.score,
            notApplicable: input.notApplicable ? 1 : 0,
            evidence: input.evidence.join(','),
            note: input.note,
            updatedAt: now,
          });
        }
        return { outcome: 'saved' };
      }),
  );

  const submitRatings = db.transaction(
    (reviewId: number, raterId: number, indicatorIds: readonly string[], now: string): 'submitted' | 'incomplete' | 'locked' =>
      runAs(raterId, () => {
        const member = readMember(reviewId, raterId);
        if (readStatus(reviewId) !== 'rating' || !member || member.role === 'observer' || member.submitted) return 'locked';
        const rated = new Set(
          (ratingsOfRaterStmt.all(reviewId, raterId) as RatingRow[])
            .filter((row) => row.score !== null || row.not_applicable === 1)
            .map((row) => row.indicator_id),
        );
        if (indicatorIds.some((id) => !rated.has(id))) return 'incomplete';
        submitStmt.run(now, reviewId, raterId);
        return 'submitted';
      }),
  );

  const transition = db.transaction(
    (reviewId: number, from: ReviewStatus, to: Exclude<ReviewStatus, 'draft'>, now: string, actorId: number | undefined): boolean =>
      runAs(actorId, () => {
        const changed = transitionStmt.run(to, reviewId, from).changes === 1;
        if (changed) stampStmts[to].run(now, reviewId);
        return changed;
      }),
  );

  /** Final → consensus, with the reason kept for the record (and the report's method appendix). */
  const reopen = db.transaction((reviewId: number, actorId: number, reason: string, now: string): boolean =>
    runAs(actorId, () => {
      if (transitionStmt.run('consensus', reviewId, 'final').changes !== 1) return false;
      clearFinalisedStmt.run(reviewId);
      insertReopeningStmt.run(reviewId, actorId, reason, now);
      return true;
    }),
  );

  const saveConsensus = db.transaction(
    (reviewId: number, input: ConsensusInput, decidedBy: number, now: string): SaveOutcome<ConsensusRating> =>
      runAs(decidedBy, () => {
        if (readStatus(reviewId) !== 'consensus') return { outcome: 'locked' };
        if (input.expectedVersion !== undefined) {
          const current = (consensusStmt.all(reviewId) as ConsensusRow[]).map(toConsensus).find((c) => c.indicatorId === input.indicatorId);
          if ((current?.version ?? 0) !== input.expectedVersion && !(current && sameConsensus(current, input))) {
            return { outcome: 'conflict', conflicts: [{ indicatorId: input.indicatorId, current }] };
          }
        }
        upsertConsensusStmt.run({
          reviewId,
          indicatorId: input.indicatorId,
          score: input.score,
          notApplicable: input.notApplicable ? 1 : 0,
          rationale: input.rationale,
          decidedBy,
          updatedAt: now,
        });
        return { outcome: 'saved' };
      }),
  );

  /**
   * Whether the given sections and barrier categories already hold exactly these texts, in this order. Only what the
   * call would replace is compared.
   */
  function sameFindings(reviewId: number, sections: readonly FindingsInput[], barriers: readonly BarrierInput[]): boolean {
    const stored = new Map<string, string[]>();
    const add = (key: string, text: string) => stored.set(key, [...(stored.get(key) ?? []), text]);
    for (const row of findingsStmt.all(reviewId) as FindingRow[]) {
      add(`${row.section_id}/${row.kind}`, row.text);
      if (row.kind === 'recommendation') add(`${row.section_id}/meta`, `${row.priority}/${row.owner ?? ''}`);
    }
    for (const row of barriersStmt.all(reviewId) as { category: string; text: string }[]) add(`barrier/${row.category}`, row.text);
    const same = (key: string, texts: readonly string[]) => (stored.get(key) ?? []).join('\n') === texts.join('\n');
    return (
      sections.every(
        (s) =>
          same(`${s.sectionId}/strength`, s.strengths) &&
          same(`${s.sectionId}/recommendation`, s.recommendations) &&
          (s.recommendationMeta === undefined ||
            same(
              `${s.sectionId}/meta`,
              s.recommendationMeta.map((m) => `${m.priority}/${m.owner ?? ''}`),
            )),
      ) && barriers.every((b) => same(`barrier/${b.category}`, b.items))
    );
  }

  /**
   * Replaces findings only while the review is in consensus. When the form's version (expectedVersion) is not the
   * stored one and what it would write differs from what is stored, someone saved meanwhile: nothing is written
   * ('conflict'). A save that changes nothing writes nothing and keeps the version.
   */
  const replaceFindings = db.transaction(
    (
      reviewId: number,
      sections: readonly FindingsInput[],
      barriers: readonly BarrierInput[] | undefined,
      actorId: number | undefined,
      expectedVersion: number | undefined,
    ): 'saved' | 'locked' | 'conflict' =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return 'locked';
        if (sameFindings(reviewId, sections, barriers ?? [])) return 'saved';
        if (expectedVersion !== undefined && expectedVersion !== (findingsVersionStmt.get(reviewId) as number)) return 'conflict';
        bumpFindingsVersionStmt.run(reviewId);
        const storedMeta = (findingsStmt.all(reviewId) as FindingRow[]).filter((row) => row.kind === 'recommendation');
        for (const section of sections) {
          // A form without priorities and owners (the whole-review form) keeps each kept text's own.
          const kept = storedMeta.filter((row) => row.section_id === section.sectionId);
          const metaOf = (text: string, index: number): [string, string | null] => {
            const given = section.recommendationMeta?.[index];
            if (given) return [given.priority, given.owner ?? null];
            const found = kept.find((row) => row.text === text);
            return found ? [found.priority, found.owner] : ['medium', null];
          };
          deleteFindingsStmt.run(reviewId, section.sectionId);
          section.strengths.forEach((text, index) =>
            insertFindingStmt.run(reviewId, section.sectionId, 'strength', index + 1, text, 'medium', null),
          );
          section.recommendations.forEach((text, index) =>
            insertFindingStmt.run(reviewId, section.sectionId, 'recommendation', index + 1, text, ...metaOf(text, index)),
          );
        }
        for (const { category, items } of barriers ?? []) {
          deleteBarriersStmt.run(reviewId, category);
          items.forEach((text, index) => insertBarrierStmt.run(reviewId, category, index + 1, text));
        }
        return 'saved';
      }),
  );

  const changePanel = db.transaction(
    (
      reviewId: number,
      change: { userId: number; role: PanelRole; lateReason?: string | undefined } | { userId: number; remove: true },
      actorId: number | undefined,
    ): PanelChangeOutcome =>
      runAs(actorId, () => {
        const status = readStatus(reviewId);
        // Nobody puts themself on a panel (or changes their own place) once rating has started: they could rate after
        // the fact and then read the others' scores. Checked here too, so a review that moved on meanwhile is caught.
        if (status !== 'draft' && !('remove' in change) && actorId !== undefined && actorId === change.userId) return 'self-addition';
        if (status !== 'draft' && status !== 'rating') return 'locked';
        const member = readMember(reviewId, change.userId);
        if ('remove' in change) {
          if (!member) return 'saved';
          const ratings = ratingsOfRaterStmt.all(reviewId, change.userId) as RatingRow[];
          if (ratings.some((row) => row.score !== null || row.not_applicable === 1)) return 'has-ratings';
          deleteMemberStmt.run(reviewId, change.userId);
          return 'saved';
        }
        // A rater added once rating has started (new, or an observer who becomes a rater) needs a written reason.
        const lateAddition = status === 'rating' && isRaterRole(change.role) && !(member && isRaterRole(member.role));
        const lateReason = lateAddition ? (change.lateReason ?? '') : '';
        if (lateAddition && lateReason === '') return 'reason-required';
        const lateAt = lateAddition ? new Date().toISOString() : null;
        if (change.role === 'lead') {
          // One lead per review: the previous lead becomes a reviewer.
          demoteLeadStmt.run(reviewId, change.userId);
        }
        if (member) {
          // A rater who has saved ratings cannot become an observer: their ratings would be orphaned.
          const rows = ratingsOfRaterStmt.all(reviewId, change.userId) as RatingRow[];
          if (change.role === 'observer' && rows.some((row) => row.score !== null || row.not_applicable === 1)) {
            return 'has-ratings';
          }
        }
        if (member) {
          updateMemberRoleStmt.run(change.role, lateAddition ? lateReason : null, lateAt, reviewId, change.userId);
        } else {
          insertMemberStmt.run(reviewId, change.userId, change.role, lateAddition ? lateReason : null, lateAt);
        }
        return 'saved';
      }),
  );

  return {
    // The overall judgement, the evidence base and the factual check (review-report-store.ts).
    ...createReviewReportStore(db),
    insertReview: (input: NewReview): number => insertReview(input, new Date().toISOString()),
    /** Stores a loaded rubric's snapshot (once per content hash), so every rubric version the app saw is in the audit log. */
    recordRubricSnapshot: (loaded: LoadedRubric): number => recordRubricSnapshot(loaded, new Date().toISOString()),
    findReviewById: (id: number): Review | undefined => {
      const row = reviewByIdStmt.get(id) as ReviewRow | undefined;
      return row ? toReview(row) : undefined;
    },
    listReviewsForProgram: (programId: number): ReviewSummary[] => (reviewsOfProgramStmt.all(programId) as ReviewRow[]).map(toSummary),
    listReviewsOfPanelMember: (userId: number): ReviewSummary[] => (reviewsOfMemberStmt.all(userId) as ReviewRow[]).map(toSummary),
    listOpenReviews: (): ReviewSummary[] => (openReviewsStmt.all() as ReviewRow[]).map(toSummary),
    updateReviewDetails: (
      id: number,
      details: { kind: ReviewKind; visitStart: string | undefined; visitEnd: string | undefined },
      actorId?: number,
    ): boolean =>
      db.transaction(() =>
        runAs(
          actorId,
          () =>
            updateDetailsStmt.run({ id, kind: details.kind, visitStart: details.visitStart ?? null, visitEnd: details.visitEnd ?? null })
              .changes === 1,
        ),
      )(),
    listPanel: (reviewId: number): PanelMember[] =>
      (
        panelStmt.all(reviewId) as {
          user_id: number;
          display_name: string;
          affiliation: string;
          role: string;
          submitted_at: string | null;
        }[]
      ).map((row) => ({
        userId: row.user_id,
        displayName: row.display_name,
        affiliation: row.affiliation,
        role: PanelRoleSchema.parse(row.role),
        submittedAt: row.submitted_at ?? undefined,
      })),
    /** `lateReason`: why a rater is added once rating has started (required then; ignored otherwise). */
    setPanelMember: (reviewId: number, userId: number, role: PanelRole, actorId?: number, lateReason?: string) =>
      changePanel(reviewId, { userId, role, lateReason }, actorId),
    /** The reasons given for raters added after rating started, by user id. */
    listLateAdditions: (reviewId: number): ReadonlyMap<number, { reason: string; addedAt: string }> =>
      new Map(
        (lateAdditionsStmt.all(reviewId) as { user_id: number; late_reason: string; late_added_at: string }[]).map((row) => [
          row.user_id,
          { reason: row.late_reason, addedAt: row.late_added_at },
        ]),
      ),
    removePanelMember: (reviewId: number, userId: number, actorId?: number) => changePanel(reviewId, { userId, remove: true }, actorId),
    /** One rater's own ratings (drafts included). */
    listRatingsOfRater: (reviewId: number, raterId: number): Rating[] =>
      (ratingsOfRaterStmt.all(reviewId, raterId) as RatingRow[]).map(toRating),
    /** Ratings of raters who have submitted: drafts never leave their author. */
    listSubmittedRatings: (reviewId: number): Rating[] => (submittedRatingsStmt.all(reviewId) as RatingRow[]).map(toRating),
    /** The submitted ratings' scores only (no texts), for results, spreads and agreement. */
    listSubmittedScores: (reviewId: number): RatingScore[] =>
      (submittedScoresStmt.all(reviewId) as [number, string, number | null, number][]).map(
        ([raterId, indicatorId, score, notApplicable]) => ({
          raterId,
          indicatorId,
          score,
          notApplicable: notApplicable === 1,
        }),
      ),
    /** How many indicators each rater has rated (score or N/A), for progress: counts only, never scores. */
    countRatedByRater: (reviewId: number): ReadonlyMap<number, number> =>
      new Map((ratedCountsStmt.all(reviewId) as { rater_id: number; n: number }[]).map((row) => [row.rater_id, row.n])),
    saveRatings: (reviewId: number, raterId: number, inputs: readonly RatingInput[]) =>
      saveRatings(reviewId, raterId, inputs, new Date().toISOString()),
    submitRatings: (reviewId: number, raterId: number, indicatorIds: readonly string[]) =>
      submitRatings(reviewId, raterId, indicatorIds, new Date().toISOString()),
    /** Moves a review from one status to the next; false when it was no longer in `from` (someone else moved it). */
    transition: (reviewId: number, from: ReviewStatus, to: Exclude<ReviewStatus, 'draft'>, actorId?: number): boolean =>
      transition(reviewId, from, to, new Date().toISOString(), actorId),
    reopenReview: (reviewId: number, actorId: number, reason: string): boolean =>
      reopen(reviewId, actorId, reason, new Date().toISOString()),
    listReopenings: (reviewId: number): Reopening[] =>
      (
        reopeningsStmt.all(reviewId) as { reopened_by: number | null; display_name: string | null; reason: string; created_at: string }[]
      ).map((row) => ({
        reopenedBy: row.reopened_by ?? undefined,
        reopenedByName: row.display_name ?? undefined,
        reason: row.reason,
        createdAt: row.created_at,
      })),
    listConsensus: (reviewId: number): ConsensusRating[] => (consensusStmt.all(reviewId) as ConsensusRow[]).map(toConsensus),
    /** Just the ids of the indicators with a consensus, for the workflow guards: no rationale texts read. */
    listDecidedIndicators: (reviewId: number): { indicatorId: string }[] =>
      (decidedStmt.all(reviewId) as string[]).map((indicatorId) => ({ indicatorId })),
    saveConsensus: (reviewId: number, input: ConsensusInput, decidedBy: number) =>
      saveConsensus(reviewId, input, decidedBy, new Date().toISOString()),
    listFindings: (reviewId: number): Finding[] =>
      (findingsStmt.all(reviewId) as FindingRow[]).map((row) => ({
        sectionId: row.section_id,
        kind: row.kind,
        position: row.position,
        text: row.text,
        // Only recommendations have a priority and an owner.
        priority: row.kind === 'recommendation' ? RecommendationPrioritySchema.parse(row.priority) : undefined,
        owner: row.owner === null ? undefined : RecommendationOwnerSchema.parse(row.owner),
      })),
    /**
     * Replaces the strengths and recommendations of the given sections and, when given, the barriers of the given
     * categories. With expectedVersion (the findings form's), 'conflict' when someone saved other texts meanwhile.
     */
    replaceFindings: (
      reviewId: number,
      sections: readonly FindingsInput[],
      actorId?: number,
      barriers?: readonly BarrierInput[],
      expectedVersion?: number,
    ) => replaceFindings(reviewId, sections, barriers, actorId, expectedVersion),
    /** The version of the review's findings form: 0 until a save changes something. */
    findFindingsVersion: (reviewId: number): number => (findingsVersionStmt.get(reviewId) as number | undefined) ?? 0,
    /** The barriers the review names: systemic, organisational, individual, each in its order. */
    listBarriers: (reviewId: number): Barrier[] =>
      (barriersStmt.all(reviewId) as { category: string; position: number; text: string }[]).map((row) => ({
        category: BarrierCategorySchema.parse(row.category),
        position: row.position,
        text: row.text,
      })),
    /** How a user stands to a self-assessment; see SelfAssessmentRelation in review-access.ts. */
    findSelfAssessmentRelation: (review: { id: number; programId: number; createdBy: number }, userId: number) => ({
      programPerson: programPersonStmt.get(review.programId, userId) !== undefined,
      creator: review.createdBy === userId,
      sharedPanel: sharedPanelStmt.get(review.id, userId) !== undefined,
      importedRound: importedRoundStmt.get(review.id) !== undefined,
    }),
  };
}
