// Reading the audit log. Nothing here (or anywhere) writes it: the triggers of migration 2 do, and two more
// triggers refuse every UPDATE and DELETE on it.
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
    oldValue: row.old_value ?? undefined,
    newValue: row.new_value ?? undefined,
  };
}

const SELECT = `
  SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.entity, a.entity_key, a.review_id, a.action, a.old_value, a.new_value
  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id`;

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
