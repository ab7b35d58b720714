// SQL for the individual ratings: each rater's drafts, their submission, and what of them others may read.
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import { createPanelMemberReader } from './panel-store.js';
import { createReviewStatusReader } from './review-record-store.js';
import type { Rating, RatingInput, RatingProgress, RatingScore, SaveOutcome } from './review-types.js';

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

/** A RatingRow's columns in its order, as a raw statement gives them. */
type RatingTuple = [number, string, number | null, number, string, string, string, number];

function toRatingOf(...[raterId, indicatorId, score, notApplicable, evidence, note, updatedAt, version]: RatingTuple): Rating {
  return {
    raterId,
    indicatorId,
    score,
    notApplicable: notApplicable === 1,
    evidence: evidence === '' ? [] : evidence.split(','),
    note,
    updatedAt,
    version,
  };
}

function toRating(row: RatingRow): Rating {
  return toRatingOf(row.rater_id, row.indicator_id, row.score, row.not_applicable, row.evidence, row.note, row.updated_at, row.version);
}

function sameRating(stored: Rating, input: RatingInput): boolean {
  return (
    stored.score === input.score &&
    stored.notApplicable === input.notApplicable &&
    stored.note === input.note &&
    stored.evidence.join(',') === input.evidence.join(',')
  );
}

export function createRatingStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const readStatus = createReviewStatusReader(db);
  const readMember = createPanelMemberReader(db);
  const ratingsOfRaterStmt = db.prepare(
    'SELECT rater_id, indicator_id, score, not_applicable, evidence, note, updated_at, version FROM ratings WHERE review_id = ? AND rater_id = ?',
  );
  // One rater's ratings of some indicators only (the section on their form), sought by the primary key; raw rows.
  const ratingsOfRaterInStmt = db
    .prepare(
      `SELECT rater_id, indicator_id, score, not_applicable, evidence, note, updated_at, version FROM ratings
       WHERE review_id = ? AND rater_id = ? AND indicator_id IN (SELECT value FROM json_each(?))`,
    )
    .raw();
  // Where each of a rater's indicators stands, without its texts: what the form's section list needs of every section.
  // One JSON object ({"a1-…": "rated"}), which costs about two thirds of the same 70 rows handed over one by one.
  const progressOfRaterStmt = db
    .prepare(
      `SELECT json_group_object(indicator_id, CASE WHEN score IS NOT NULL OR not_applicable = 1 THEN 'rated' ELSE 'begun' END)
       FROM ratings
       WHERE review_id = ? AND rater_id = ? AND (score IS NOT NULL OR not_applicable = 1 OR note <> '' OR evidence <> '')`,
    )
    .pluck();
  const submittedRatingsStmt = db.prepare(
    `SELECT r.rater_id, r.indicator_id, r.score, r.not_applicable, r.evidence, r.note, r.updated_at, r.version
     FROM ratings r JOIN panel_members pm ON pm.review_id = r.review_id AND pm.user_id = r.rater_id
     WHERE r.review_id = ? AND pm.submitted_at IS NOT NULL`,
  );
  // The same rows for some indicators only (a consensus section's): one statement for any number of ids. CROSS JOIN
  // keeps the panel first, so each submitted rater's rows are sought by the primary key (review, rater, indicator)
  // instead of scanning every rating of the review. The rows come as one JSON array of tuples: a section's two dozen
  // rows of eight columns cost less than half as much as one JSON text than as values handed over one by one
  // (measured over the benchmark's data: 22 against 39-57 µs).
  const submittedRatingsOfStmt = db
    .prepare(
      `SELECT json_group_array(json_array(r.rater_id, r.indicator_id, r.score, r.not_applicable, r.evidence, r.note,
         r.updated_at, r.version))
     FROM panel_members pm CROSS JOIN ratings r ON r.review_id = pm.review_id AND r.rater_id = pm.user_id
     WHERE pm.review_id = ? AND pm.submitted_at IS NOT NULL AND r.indicator_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck();
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
  // Submitting is the rater's own act on their ratings; it is kept on their panel membership (panel_members.submitted_at).
  const submitStmt = db.prepare('UPDATE panel_members SET submitted_at = ? WHERE review_id = ? AND user_id = ? AND submitted_at IS NULL');

  const listRatingsOfRater = (reviewId: number, raterId: number): Rating[] =>
    (ratingsOfRaterStmt.all(reviewId, raterId) as RatingRow[]).map(toRating);

  /** Only a rater (not an observer) who has not submitted, while the review is in rating, may change their ratings. */
  const mayRate = (reviewId: number, raterId: number): boolean => {
    const member = readMember(reviewId, raterId);
    return readStatus(reviewId) === 'rating' && member !== undefined && member.role !== 'observer' && !member.submitted;
  };

  /**
   * Saves a rater's ratings only while the review is in rating and the rater has not submitted. When an input
   * carries the version its form was based on and the stored rating has since changed to something else,
   * nothing is written and the current values come back as conflicts.
   */
  const saveRatings = db.transaction(
    (reviewId: number, raterId: number, inputs: readonly RatingInput[]): SaveOutcome<Rating> =>
      runAs(raterId, () => {
        if (!mayRate(reviewId, raterId)) return { outcome: 'locked' };
        const stored = new Map(listRatingsOfRater(reviewId, raterId).map((rating) => [rating.indicatorId, rating]));
        const conflicts = inputs
          .filter((input) => {
            if (input.expectedVersion === undefined) return false;
            const current = stored.get(input.indicatorId);
            return (current?.version ?? 0) !== input.expectedVersion && !(current && sameRating(current, input));
          })
          .map((input) => ({ indicatorId: input.indicatorId, current: stored.get(input.indicatorId) }));
        if (conflicts.length > 0) return { outcome: 'conflict', conflicts };
        const updatedAt = clock().toISOString();
        for (const input of inputs) {
          upsertRatingStmt.run({
            reviewId,
            raterId,
            indicatorId: input.indicatorId,
            score: input.score,
            notApplicable: input.notApplicable ? 1 : 0,
            evidence: input.evidence.join(','),
            note: input.note,
            updatedAt,
          });
        }
        return { outcome: 'saved' };
      }),
  );

  const submitRatings = db.transaction(
    (reviewId: number, raterId: number, indicatorIds: readonly string[]): 'submitted' | 'incomplete' | 'locked' =>
      runAs(raterId, () => {
        if (!mayRate(reviewId, raterId)) return 'locked';
        const rated = new Set(
          (ratingsOfRaterStmt.all(reviewId, raterId) as RatingRow[])
            .filter((row) => row.score !== null || row.not_applicable === 1)
            .map((row) => row.indicator_id),
        );
        if (indicatorIds.some((id) => !rated.has(id))) return 'incomplete';
        submitStmt.run(clock().toISOString(), reviewId, raterId);
        return 'submitted';
      }),
  );

  return {
    /** One rater's own ratings (drafts included). */
    listRatingsOfRater,
    /** One rater's own ratings of the given indicators only (a section of their form). */
    listRatingsOfRaterIn: (reviewId: number, raterId: number, indicatorIds: readonly string[]): Rating[] =>
      (ratingsOfRaterInStmt.all(reviewId, raterId, JSON.stringify(indicatorIds)) as RatingTuple[]).map((tuple) => toRatingOf(...tuple)),
    /**
     * Where each of one rater's indicators stands: 'rated' (a score or N/A) or 'begun' (only a note or a source);
     * an indicator with neither is absent. Texts are not read, so the form's list of sections stays cheap.
     */
    readRatingProgress: (reviewId: number, raterId: number): ReadonlyMap<string, RatingProgress> =>
      new Map(Object.entries(JSON.parse(progressOfRaterStmt.get(reviewId, raterId) as string) as Record<string, RatingProgress>)),
    /** Ratings of raters who have submitted: drafts never leave their author. */
    listSubmittedRatings: (reviewId: number): Rating[] => (submittedRatingsStmt.all(reviewId) as RatingRow[]).map(toRating),
    /** The submitted ratings of the given indicators only (a consensus section's), drafts never included. */
    listSubmittedRatingsOf: (reviewId: number, indicatorIds: readonly string[]): Rating[] =>
      (JSON.parse(submittedRatingsOfStmt.get(reviewId, JSON.stringify(indicatorIds)) as string) as RatingTuple[]).map((tuple) =>
        toRatingOf(...tuple),
      ),
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
    saveRatings: (reviewId: number, raterId: number, inputs: readonly RatingInput[]) => saveRatings(reviewId, raterId, inputs),
    submitRatings: (reviewId: number, raterId: number, indicatorIds: readonly string[]) => submitRatings(reviewId, raterId, indicatorIds),
  };
}
