// Reading the audit log. Nothing here (or anywhere) writes it: the triggers of migration 2 do, and two more
// triggers refuse every UPDATE and DELETE on it.
// The log records every value, but what it shows of an individual rating follows blind rating: a rater's values
// only once the review has reached consensus, and only for changes made after that rater submitted. What a rater
// saved before submitting is their draft, which nobody else sees; its entry shows who and when, its values are
// withheld. The rule is applied here, in the one query every reader of the log goes through.
import type { Db } from '../db/open-database.js';

export type AuditEntry = {
  readonly id: number;
  readonly at: string;
  readonly actorId: number | undefined;
  readonly actorName: string | undefined;
  readonly entity: string;
  readonly entityKey: string;
  readonly reviewId: number | undefined;
  readonly action: 'insert' | 'update' | 'delete';
  readonly oldValue: string | undefined;
  readonly newValue: string | undefined;
  /** A rating's values held back from this reader (a draft, or a review still in rating). */
  readonly valuesWithheld: boolean;
};

type AuditRow = {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  entity: string;
  entity_key: string;
  review_id: number | null;
  action: 'insert' | 'update' | 'delete';
  old_value: string | null;
  new_value: string | null;
  withheld: 0 | 1;
};

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id ?? undefined,
    actorName: row.actor_name ?? undefined,
    entity: row.entity,
    entityKey: row.entity_key,
    reviewId: row.review_id ?? undefined,
    action: row.action,
    oldValue: row.withheld === 1 ? undefined : (row.old_value ?? undefined),
    newValue: row.withheld === 1 ? undefined : (row.new_value ?? undefined),
    valuesWithheld: row.withheld === 1,
  };
}

// A rating entry's key is "<rater id>/<indicator id>". Without the rater's panel row (never there, or gone) the
// values stay withheld: the rule fails closed.
const SELECT = `
  SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.entity, a.entity_key, a.review_id, a.action,
         a.old_value, a.new_value,
         CASE WHEN a.entity = 'rating'
                   AND NOT (r.status IN ('consensus', 'final') AND pm.submitted_at IS NOT NULL AND a.at > pm.submitted_at)
              THEN 1 ELSE 0 END AS withheld
  FROM audit_log a
  LEFT JOIN users u ON u.id = a.actor_id
  LEFT JOIN reviews r ON a.entity = 'rating' AND r.id = a.review_id
  LEFT JOIN panel_members pm ON a.entity = 'rating' AND pm.review_id = a.review_id
    AND pm.user_id = CAST(substr(a.entity_key, 1, instr(a.entity_key, '/') - 1) AS INTEGER)`;

export type AuditStore = ReturnType<typeof createAuditStore>;

export function createAuditStore(db: Db) {
  const pageStmt = db.prepare(`${SELECT} ORDER BY a.id DESC LIMIT ? OFFSET ?`);
  const pageOfReviewStmt = db.prepare(`${SELECT} WHERE a.review_id = ? ORDER BY a.id DESC LIMIT ? OFFSET ?`);
  const countStmt = db.prepare('SELECT count(*) AS n FROM audit_log');
  const countOfReviewStmt = db.prepare('SELECT count(*) AS n FROM audit_log WHERE review_id = ?');
  const allStmt = db.prepare(`${SELECT} ORDER BY a.id`);
  const allOfReviewStmt = db.prepare(`${SELECT} WHERE a.review_id = ? ORDER BY a.id`);
  return {
    listEntries: (reviewId: number | undefined, limit: number, offset: number): { entries: AuditEntry[]; total: number } => ({
      entries: (reviewId === undefined ? pageStmt.all(limit, offset) : pageOfReviewStmt.all(reviewId, limit, offset)).map((row) =>
        toEntry(row as AuditRow),
      ),
      total: ((reviewId === undefined ? countStmt.get() : countOfReviewStmt.get(reviewId)) as { n: number }).n,
    }),
    /** Every entry, oldest first, one row at a time (for streaming exports). */
    *iterateEntries(reviewId: number | undefined): Generator<AuditEntry> {
      const rows = reviewId === undefined ? allStmt.iterate() : allOfReviewStmt.iterate(reviewId);
      for (const row of rows) yield toEntry(row as AuditRow);
    },
  };
}
