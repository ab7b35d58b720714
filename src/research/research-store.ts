// All SQL for research: final reviews by rubric, their consensus and ratings for comparison, statistics and
// exports, and the import of historical reviews.
//
// Streaming reads go review by review: each statement's iterate() is consumed to the end before the caller
// awaits anything. An iterator left open across an await would keep the connection busy, and better-sqlite3
// then refuses every write (logins, sessions) until it is closed.
import { createActorScope } from '../db/audit-actor.js';
import { resolveStoredSecret } from '../db/settings-store.js';
import { createRubricSnapshotReader } from '../rubrics/rubric-snapshot-store.js';
import { findRoundDate } from '../reviews/round-date.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import {
  type PanelRole,
  PanelRoleSchema,
  type ReviewKind,
  ReviewKindSchema,
  type ReviewPlace,
  toReviewPlace,
} from '../reviews/review-types.js';

export type ResearchFilter = {
  readonly rubricId: string;
  readonly kind: ReviewKind | undefined;
  /** Four digits: only reviews whose review date falls in this year. */
  readonly year: string | undefined;
};

export type FinalReview = ReviewPlace & {
  /** The round date (round-date.ts): the first visit day, else the Swedish day it was created: YYYY-MM-DD. */
  readonly reviewDate: string;
  readonly snapshotId: number;
  readonly rubricId: string;
  readonly rubricVersion: string;
  /** An imported round's review_id in the file it came from (H1, E1 …); undefined for a review made in the app. */
  readonly sourceReviewId?: string | undefined;
};

export type SnapshotInfo = {
  readonly id: number;
  readonly version: string;
  readonly contentHash: string;
  readonly createdAt: string;
};

export type ScoreRow = {
  readonly indicatorId: string;
  readonly score: number | null;
  readonly notApplicable: boolean;
};

export type ProgramName = {
  readonly programId: number;
  readonly programName: string;
  readonly municipalityCode: string;
  readonly municipalityName: string;
};

export type ReviewRater = { readonly userId: number; readonly role: PanelRole; readonly displayName: string };

/** One imported review, checked and ready to write. */
export type ImportReview = {
  readonly sourceReviewId: string;
  readonly programId: number;
  readonly reviewDate: string;
  /** From the file's kind column, else the kind chosen on the import form. */
  readonly kind: ReviewKind;
  readonly rubric: LoadedRubric;
  readonly raters: readonly { readonly label: string; readonly role: PanelRole }[];
  readonly ratings: readonly {
    readonly rater: string;
    readonly indicatorId: string;
    readonly score: number | null;
    readonly notApplicable: boolean;
  }[];
  readonly consensus: readonly { readonly indicatorId: string; readonly score: number | null; readonly notApplicable: boolean }[];
};

/**
 * The placeholder user that stands for a rater label of one imported review: labels are per review (the export's
 * pseudonyms are), so the same label in two reviews is two raters.
 */
export type ExternalRater = { readonly userId: number; readonly importId: number; readonly reviewId: number; readonly label: string };

export type ImportPlan = {
  readonly rubricId: string;
  /** The kind chosen on the import form: what rows without a kind column get. */
  readonly kind: ReviewKind;
  readonly contentHash: string;
  readonly rowCount: number;
  readonly importedBy: number;
  readonly reviews: readonly ImportReview[];
};

export type ImportSummary = {
  readonly id: number;
  readonly rubricId: string;
  readonly kind: ReviewKind;
  readonly rowCount: number;
  readonly importedAt: string;
  readonly reviews: readonly {
    readonly reviewId: number;
    readonly sourceReviewId: string;
    readonly programName: string;
    readonly municipalityName: string;
    readonly reviewDate: string;
    readonly kind: ReviewKind;
    readonly raters: number;
    readonly ratings: number;
  }[];
};

type FinalReviewRow = {
  id: number;
  program_id: number;
  program_name: string;
  municipality_code: string;
  municipality_name: string;
  kind: string;
  review_date: string;
  snapshot_id: number;
  rubric_id: string;
  version: string;
  source_review_id: string | null;
};

/** A review's date: the round date of review-rounds (round-date.ts findRoundDate, registered by openDatabase). */
const REVIEW_DATE = 'round_date(r.visit_start, r.created_at)';

/**
 * Which final reviews research sees: peer reviews, and imported historical rounds of either kind. A
 * self-assessment made in the app is for the people of its program only, so it never reaches
 * researchers or the comparison.
 */
const RESEARCH_VISIBLE = `r.status = 'final' AND (r.kind = 'peer_review' OR EXISTS (SELECT 1 FROM imported_reviews i WHERE i.review_id = r.id))`;

/**
 * Who counts as a rater of a final review, `pm` being the panel_members row: a lead or reviewer (an observer never
 * rates) who submitted (drafts never leave their author; in a final review everyone has submitted anyway) and has a
 * rating of the kind `rating` says. A panel member who rated nothing counts nowhere and gets no pseudonym: one would
 * leave a gap (R1, R3) that tells a silent rater was there.
 */
function submittedRater(rating: 'scoreOrNa' | 'score'): string {
  const rated = rating === 'score' ? 'g.score IS NOT NULL' : '(g.score IS NOT NULL OR g.not_applicable = 1)';
  return `pm.role <> 'observer' AND pm.submitted_at IS NOT NULL
    AND EXISTS (SELECT 1 FROM ratings g WHERE g.review_id = pm.review_id AND g.rater_id = pm.user_id AND ${rated})`;
}
/** The exports' raters (a column and a pseudonym each): a score or N/A, since their N/A ratings are data too. */
const EXPORTED_RATER = submittedRater('scoreOrNa');
/**
 * The research page's raters (its counts, the agreement statistics): at least one score, as on the result page and in
 * the agreement CLI. A member who marked every indicator N/A is no rater of any unit, and counting them would leave
 * every review's ICC without a unit that all its raters scored.
 */
const SCORING_RATER = submittedRater('score');

/** An imported round's id in its file: imported_reviews holds it, keyed by the review. */
const SOURCE_REVIEW_ID = '(SELECT i.source_review_id FROM imported_reviews i WHERE i.review_id = r.id) AS source_review_id';

const SELECT_FINAL = `
  SELECT r.id, r.program_id, p.name AS program_name, m.code AS municipality_code, m.name AS municipality_name,
         r.kind, ${REVIEW_DATE} AS review_date, s.id AS snapshot_id, s.rubric_id, s.version, ${SOURCE_REVIEW_ID}
  FROM reviews r
  JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id
  JOIN programs p ON p.id = r.program_id
  JOIN municipalities m ON m.id = p.municipality_id
  WHERE ${RESEARCH_VISIBLE} AND s.rubric_id = @rubricId
    AND (@kind IS NULL OR r.kind = @kind)
    AND (@year IS NULL OR substr(${REVIEW_DATE}, 1, 4) = @year)`;

function toFinalReview(row: FinalReviewRow): FinalReview {
  // Object.assign, not a spread: see toReviewPlace.
  return Object.assign(toReviewPlace(row), {
    reviewDate: row.review_date,
    snapshotId: row.snapshot_id,
    rubricId: row.rubric_id,
    rubricVersion: row.version,
    sourceReviewId: row.source_review_id ?? undefined,
  });
}

function filterParams(filter: ResearchFilter) {
  return { rubricId: filter.rubricId, kind: filter.kind ?? null, year: filter.year ?? null };
}

/** The app_settings key of the secret that orders researchers' per-review pseudonyms (long-format.ts). */
const PSEUDONYM_KEY_SETTING = 'research_pseudonym_key';

export type ResearchStore = ReturnType<typeof createResearchStore>;

export function createResearchStore(db: Db, clock: Clock = systemClock) {
  // REVIEW_DATE's round_date(), on this connection before any statement is prepared: the stored instant is UTC and
  // SQLite knows no Swedish time, so the round date's rule is the TypeScript one (reviews/round-date.ts).
  db.function('round_date', { deterministic: true }, (visitStart: unknown, createdAt: unknown) =>
    findRoundDate({ visitStart: typeof visitStart === 'string' ? visitStart : undefined, createdAt: String(createdAt) }),
  );
  const loadSnapshot = createRubricSnapshotReader(db);
  const runAs = createActorScope(db);

  const rubricIdsStmt = db.prepare(
    `SELECT DISTINCT s.rubric_id FROM rubric_snapshots s
     WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.rubric_snapshot_id = s.id AND ${RESEARCH_VISIBLE}) ORDER BY s.rubric_id`,
  );
  const snapshotsStmt = db.prepare('SELECT id, version, content_hash, created_at FROM rubric_snapshots WHERE rubric_id = ? ORDER BY id');
  const snapshotByVersionStmt = db.prepare(
    'SELECT id, content_hash, content_json FROM rubric_snapshots WHERE rubric_id = ? AND version = ? ORDER BY id DESC LIMIT 1',
  );
  const finalReviewsStmt = db.prepare(`${SELECT_FINAL} ORDER BY r.program_id, review_date, r.id`);
  const finalReviewsOfProgramStmt = db.prepare(`${SELECT_FINAL} AND r.program_id = @programId ORDER BY review_date, r.id`);
  const finalReviewsPageStmt = db.prepare(`${SELECT_FINAL} AND r.id > @afterId ORDER BY r.id LIMIT @limit`);
  const finalReviewByIdStmt = db.prepare(
    `SELECT r.id, r.program_id, p.name AS program_name, m.code AS municipality_code, m.name AS municipality_name,
            r.kind, ${REVIEW_DATE} AS review_date, s.id AS snapshot_id, s.rubric_id, s.version, ${SOURCE_REVIEW_ID}
     FROM reviews r
     JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id
     JOIN programs p ON p.id = r.program_id
     JOIN municipalities m ON m.id = p.municipality_id
     WHERE r.id = ? AND ${RESEARCH_VISIBLE}`,
  );
  const yearsStmt = db.prepare(
    `SELECT DISTINCT substr(${REVIEW_DATE}, 1, 4) AS year
     FROM reviews r JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id
     WHERE ${RESEARCH_VISIBLE} AND s.rubric_id = ? ORDER BY year DESC`,
  );
  const programsStmt = db.prepare(
    `SELECT p.id, p.name AS program_name, m.code AS municipality_code, m.name AS municipality_name
     FROM programs p JOIN municipalities m ON m.id = p.municipality_id
     ORDER BY m.name, m.code, p.name`,
  );
  const consensusOfReviewsStmt = db.prepare(
    `SELECT review_id, indicator_id, score, not_applicable FROM consensus_ratings
     WHERE review_id IN (SELECT value FROM json_each(?))`,
  );
  const consensusOfReviewStmt = db
    .prepare('SELECT indicator_id, score, not_applicable FROM consensus_ratings WHERE review_id = ? ORDER BY indicator_id')
    .raw(true);
  const ratersOfReviewStmt = db.prepare(
    `SELECT pm.user_id, pm.role, u.display_name FROM panel_members pm JOIN users u ON u.id = pm.user_id
     WHERE pm.review_id = ? AND ${EXPORTED_RATER}
     ORDER BY pm.user_id`,
  );
  // Every research-visible final review's raters (as ratersOfReviewStmt counts them), each once, in the order they
  // first rated a finalised review: administrators' pseudonyms number them so, the same in every file.
  const ratersInFinalOrderStmt = db
    .prepare(
      `SELECT user_id FROM (
         SELECT pm.user_id, row_number() OVER (ORDER BY r.finalised_at, r.id, pm.user_id) AS seq
         FROM panel_members pm JOIN reviews r ON r.id = pm.review_id
         WHERE ${RESEARCH_VISIBLE} AND ${EXPORTED_RATER})
       GROUP BY user_id ORDER BY min(seq)`,
    )
    .pluck(true);
  // The streaming reads return plain arrays (raw) and leave the submitted-rater check to the caller, who has the
  // review's raters anyway: both matter when hundreds of thousands of rows go through. A row with neither a score
  // nor N/A (a note or a source only) is no rating: it is left out, as a rating never made is.
  const ratingsOfReviewStmt = db
    .prepare(
      `SELECT rater_id, indicator_id, score, not_applicable FROM ratings
       WHERE review_id = ? AND (score IS NOT NULL OR not_applicable = 1) ORDER BY rater_id, indicator_id`,
    )
    .raw(true);
  // Scores only, for a batch of reviews, one row per (review, indicator) with its "rater:score" pairs joined:
  // what the agreement statistics read. Handing SQLite's rows to JavaScript is the cost here, and this sends a
  // quarter as many (the index ratings_review_indicator covers the query).
  const scoresOfReviewsStmt = db
    .prepare(
      `SELECT review_id, indicator_id, group_concat(rater_id || ':' || score) FROM ratings
       WHERE review_id IN (SELECT value FROM json_each(?)) AND score IS NOT NULL
       GROUP BY review_id, indicator_id ORDER BY review_id, indicator_id`,
    )
    .raw(true);
  // The agreement's raters (SCORING_RATER).
  const ratersOfReviewsStmt = db
    .prepare(
      `SELECT pm.review_id, pm.user_id FROM panel_members pm
       WHERE pm.review_id IN (SELECT value FROM json_each(?)) AND ${SCORING_RATER}`,
    )
    .raw(true);
  const distinctRatersStmt = db.prepare(
    `SELECT DISTINCT pm.user_id FROM panel_members pm
     JOIN reviews r ON r.id = pm.review_id JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id
     WHERE ${RESEARCH_VISIBLE} AND s.rubric_id = @rubricId AND ${SCORING_RATER}
       AND (@kind IS NULL OR r.kind = @kind)
       AND (@year IS NULL OR substr(${REVIEW_DATE}, 1, 4) = @year)`,
  );
  // Final reviews only change by being finalised (a new finalised_at) or reopened (the count drops).
  const fingerprintStmt = db.prepare(
    "SELECT count(*) AS n, COALESCE(max(finalised_at), '') AS latest, COALESCE(max(id), 0) AS max_id FROM reviews WHERE status = 'final'",
  );

  // Any final review, seen by research or not: an imported round must not repeat one the app already has.
  const finalReviewOnStmt = db.prepare(
    `SELECT 1 FROM reviews r WHERE r.status = 'final' AND r.program_id = ? AND r.kind = ? AND ${REVIEW_DATE} = ? LIMIT 1`,
  );

  const programByCodeAndNameStmt = db.prepare(
    `SELECT p.id FROM programs p JOIN municipalities m ON m.id = p.municipality_id WHERE m.code = ? AND p.name = ?`,
  );
  const municipalityByCodeStmt = db.prepare('SELECT id FROM municipalities WHERE code = ?');
  const importByHashStmt = db.prepare('SELECT id, imported_at FROM review_imports WHERE content_hash = ?');
  const insertImportStmt = db.prepare(
    `INSERT INTO review_imports (rubric_id, kind, content_hash, row_count, imported_by, imported_at)
     VALUES (@rubricId, @kind, @contentHash, @rowCount, @importedBy, @importedAt)`,
  );
  const insertExternalRaterStmt = db.prepare('INSERT INTO external_raters (user_id, import_id, review_id, label) VALUES (?, ?, ?, ?)');
  const insertImportedReviewStmt = db.prepare('INSERT INTO imported_reviews (review_id, import_id, source_review_id) VALUES (?, ?, ?)');
  const importStmt = db.prepare('SELECT id, rubric_id, kind, row_count, imported_at FROM review_imports WHERE id = ?');
  const importedReviewsStmt = db.prepare(
    `SELECT ir.review_id, ir.source_review_id, p.name AS program_name, m.name AS municipality_name, r.visit_start, r.kind,
            (SELECT count(*) FROM panel_members pm WHERE pm.review_id = r.id) AS raters,
            (SELECT count(*) FROM ratings ra WHERE ra.review_id = r.id) AS ratings
     FROM imported_reviews ir JOIN reviews r ON r.id = ir.review_id
     JOIN programs p ON p.id = r.program_id JOIN municipalities m ON m.id = p.municipality_id
     WHERE ir.import_id = ? ORDER BY ir.review_id`,
  );

  const toScore = (row: { indicator_id: string; score: number | null; not_applicable: number }): ScoreRow => ({
    indicatorId: row.indicator_id,
    score: row.score,
    notApplicable: row.not_applicable === 1,
  });

  const insertImport = db.transaction((plan: Omit<ImportPlan, 'reviews'>, now: string): number =>
    runAs(plan.importedBy, () =>
      Number(
        insertImportStmt.run({
          rubricId: plan.rubricId,
          kind: plan.kind,
          contentHash: plan.contentHash,
          rowCount: plan.rowCount,
          importedBy: plan.importedBy,
          importedAt: now,
        }).lastInsertRowid,
      ),
    ),
  );

  // An imported review's link to its import, with one runAs so the audit log names the importer.
  const insertImportedReview = db.transaction((reviewId: number, importId: number, sourceReviewId: string, importedBy: number): void =>
    runAs(importedBy, () => {
      insertImportedReviewStmt.run(reviewId, importId, sourceReviewId);
    }),
  );
  const insertExternalRater = db.transaction((rater: ExternalRater, importedBy: number): void =>
    runAs(importedBy, () => {
      insertExternalRaterStmt.run(rater.userId, rater.importId, rater.reviewId, rater.label);
    }),
  );

  const importedRoundStmt = db.prepare('SELECT 1 FROM imported_reviews WHERE review_id = ?');

  return {
    /** Whether the review is a historical paper round imported by research. */
    isImportedRound: (reviewId: number): boolean => importedRoundStmt.get(reviewId) !== undefined,
    /** Rubric ids that have at least one final review. */
    listRubricIdsWithFinalReviews: (): string[] => (rubricIdsStmt.all() as { rubric_id: string }[]).map((row) => row.rubric_id),
    listSnapshots: (rubricId: string): SnapshotInfo[] =>
      (snapshotsStmt.all(rubricId) as { id: number; version: string; content_hash: string; created_at: string }[]).map((row) => ({
        id: row.id,
        version: row.version,
        contentHash: row.content_hash,
        createdAt: row.created_at,
      })),
    loadSnapshot,
    /** The newest stored snapshot of a rubric version, ready to pin to a new review. */
    findSnapshotByVersion: (rubricId: string, version: string): LoadedRubric | undefined => {
      const row = snapshotByVersionStmt.get(rubricId, version) as { id: number; content_hash: string; content_json: string } | undefined;
      return row ? { rubric: loadSnapshot(row.id), contentHash: row.content_hash, canonicalJson: row.content_json } : undefined;
    },
    /** Final reviews matching the filter, by program and then by date. */
    listFinalReviews: (filter: ResearchFilter): FinalReview[] =>
      (finalReviewsStmt.all(filterParams(filter)) as FinalReviewRow[]).map(toFinalReview),
    listFinalReviewsOfProgram: (filter: ResearchFilter, programId: number): FinalReview[] =>
      (finalReviewsOfProgramStmt.all({ ...filterParams(filter), programId }) as FinalReviewRow[]).map(toFinalReview),
    /** A page of final reviews in id order, after `afterId`: for streaming without holding a cursor open. */
    listFinalReviewsAfter: (filter: ResearchFilter, afterId: number, limit: number): FinalReview[] =>
      (finalReviewsPageStmt.all({ ...filterParams(filter), afterId, limit }) as FinalReviewRow[]).map(toFinalReview),
    findFinalReview: (id: number): FinalReview | undefined => {
      const row = finalReviewByIdStmt.get(id) as FinalReviewRow | undefined;
      return row ? toFinalReview(row) : undefined;
    },
    listReviewYears: (rubricId: string): string[] => (yearsStmt.all(rubricId) as { year: string }[]).map((row) => row.year),
    /** Every program with its municipality, by municipality name: to say which have no final review in a selection. */
    listPrograms: (): ProgramName[] =>
      (programsStmt.all() as { id: number; program_name: string; municipality_code: string; municipality_name: string }[]).map((row) => ({
        programId: row.id,
        programName: row.program_name,
        municipalityCode: row.municipality_code,
        municipalityName: row.municipality_name,
      })),
    listConsensusOfReviews: (reviewIds: readonly number[]): Map<number, ScoreRow[]> => {
      const byReview = new Map<number, ScoreRow[]>();
      const rows = consensusOfReviewsStmt.all(JSON.stringify(reviewIds)) as {
        review_id: number;
        indicator_id: string;
        score: number | null;
        not_applicable: number;
      }[];
      for (const row of rows) {
        const list = byReview.get(row.review_id);
        if (list) list.push(toScore(row));
        else byReview.set(row.review_id, [toScore(row)]);
      }
      return byReview;
    },
    /** Consensus rows of one review, read as they come (iterate), in indicator id order. */
    forEachConsensus: (reviewId: number, visit: (indicatorId: string, score: number | null, notApplicable: boolean) => void): void => {
      for (const row of consensusOfReviewStmt.iterate(reviewId) as IterableIterator<[string, number | null, number]>) {
        visit(row[0], row[1], row[2] === 1);
      }
    },
    /**
     * Ratings (a score or N/A) of one review by the given raters (its submitted raters, from listRatersOfReview), by
     * rater and indicator, read as they come (iterate). An indicator a rater has no score or N/A for is not visited.
     */
    forEachRating: (
      reviewId: number,
      raterIds: ReadonlySet<number>,
      visit: (raterId: number, indicatorId: string, score: number | null, notApplicable: boolean) => void,
    ): void => {
      for (const row of ratingsOfReviewStmt.iterate(reviewId) as IterableIterator<[number, string, number | null, number]>) {
        if (raterIds.has(row[0])) visit(row[0], row[1], row[2], row[3] === 1);
      }
    },
    /** The submitted raters of each of some reviews. */
    listRatersOfReviews: (reviewIds: readonly number[]): Map<number, Set<number>> => {
      const byReview = new Map<number, Set<number>>(reviewIds.map((id) => [id, new Set<number>()]));
      for (const [reviewId, userId] of ratersOfReviewsStmt.all(JSON.stringify(reviewIds)) as [number, number][]) {
        byReview.get(reviewId)?.add(userId);
      }
      return byReview;
    },
    /**
     * Scores (N/A and missing left out) of some reviews, one call per review and indicator, by review, read as they
     * come (iterate). The caller keeps only its reviews' submitted raters (listRatersOfReviews).
     */
    forEachScoredIndicator: (
      reviewIds: readonly number[],
      visit: (reviewId: number, indicatorId: string, scores: readonly { raterId: number; score: number }[]) => void,
    ): void => {
      for (const row of scoresOfReviewsStmt.iterate(JSON.stringify(reviewIds)) as IterableIterator<[number, string, string]>) {
        const scores = row[2].split(',').map((pair) => {
          const colon = pair.indexOf(':');
          return { raterId: Number(pair.slice(0, colon)), score: Number(pair.slice(colon + 1)) };
        });
        visit(row[0], row[1], scores);
      }
    },
    listRatersOfReview: (reviewId: number): ReviewRater[] =>
      (ratersOfReviewStmt.all(reviewId) as { user_id: number; role: string; display_name: string }[]).map((row) => ({
        userId: row.user_id,
        role: PanelRoleSchema.parse(row.role),
        displayName: row.display_name,
      })),
    /**
     * The user ids of every rater of a research-visible final review (listRatersOfReview's raters), each once, in the
     * order they first rated a review that was finalised (then by review id): a review finalised later adds its new
     * raters at the end, so those before keep their places.
     */
    listRatersInFinalOrder: (): number[] => ratersInFinalOrderStmt.all() as number[],
    listDistinctRaters: (filter: ResearchFilter): number[] =>
      (distinctRatersStmt.all(filterParams(filter)) as { user_id: number }[]).map((row) => row.user_id),
    /** Changes whenever the set of final reviews changes: a cache key for figures computed over them. */
    readFinalReviewsFingerprint: (): string => {
      const row = fingerprintStmt.get() as { n: number; latest: string; max_id: number };
      return `${row.n}/${row.latest}/${row.max_id}`;
    },
    /** Whether the program has a final review of this kind on this review date (see REVIEW_DATE). */
    hasFinalReviewOn: (programId: number, reviewDate: string, kind: ReviewKind): boolean =>
      finalReviewOnStmt.get(programId, kind, reviewDate) !== undefined,
    /**
     * The database's secret for ordering researchers' per-review pseudonyms: made on first use and kept in
     * app_settings, so every export of the same data gives the same pseudonyms (a backup keeps it too).
     */
    readPseudonymKey: (): string => resolveStoredSecret(db, PSEUDONYM_KEY_SETTING, 32),
    hasMunicipality: (code: string): boolean => municipalityByCodeStmt.get(code) !== undefined,
    findProgramId: (municipalityCode: string, programName: string): number | undefined =>
      (programByCodeAndNameStmt.get(municipalityCode, programName) as { id: number } | undefined)?.id,
    findImportByHash: (contentHash: string): { id: number; importedAt: string } | undefined => {
      const row = importByHashStmt.get(contentHash) as { id: number; imported_at: string } | undefined;
      return row ? { id: row.id, importedAt: row.imported_at } : undefined;
    },
    /** Records an import (its rubric, kind, hash and size); research-import-workflow.ts writes its reviews. */
    insertImport: (plan: Omit<ImportPlan, 'reviews'>): number => insertImport(plan, clock().toISOString()),
    /** Links a review made for an import to it, with its id in the imported file. */
    insertImportedReview: (reviewId: number, importId: number, sourceReviewId: string, importedBy: number): void =>
      insertImportedReview(reviewId, importId, sourceReviewId, importedBy),
    /** Names the placeholder user that stands for a rater label of one review of the import's file. */
    insertExternalRater: (rater: ExternalRater, importedBy: number): void => insertExternalRater(rater, importedBy),
    findImport: (id: number): ImportSummary | undefined => {
      const row = importStmt.get(id) as { id: number; rubric_id: string; kind: string; row_count: number; imported_at: string } | undefined;
      if (!row) return undefined;
      const reviewRows = importedReviewsStmt.all(id) as {
        review_id: number;
        source_review_id: string;
        program_name: string;
        municipality_name: string;
        visit_start: string | null;
        kind: string;
        raters: number;
        ratings: number;
      }[];
      return {
        id: row.id,
        rubricId: row.rubric_id,
        kind: ReviewKindSchema.parse(row.kind),
        rowCount: row.row_count,
        importedAt: row.imported_at,
        reviews: reviewRows.map((review) => ({
          reviewId: review.review_id,
          sourceReviewId: review.source_review_id,
          programName: review.program_name,
          municipalityName: review.municipality_name,
          reviewDate: review.visit_start ?? '',
          kind: ReviewKindSchema.parse(review.kind),
          raters: review.raters,
          ratings: review.ratings,
        })),
      };
    },
  };
}
