// Reading the audit log. Nothing here (or anywhere) writes it: the triggers of migration 2 do, and two more
// triggers refuse every UPDATE and DELETE on it. An entry a command-line tool wrote names the tool and its OS user
// (audit_log_commands, written by the tool's own TEMP trigger: src/db/audit-actor.ts).
// The log records every value, but what it shows of an individual rating follows blind rating: a rater's values
// only once the review has reached consensus, and only for changes logged after that rater submitted. What a rater
// saved before submitting is their draft, which nobody else sees; its entry shows who and when, its values are
// withheld. The rule is applied here, in the one query every reader of the log goes through.
// "After" is the log's own order (its ids), never a comparison of times: times have millisecond resolution and come
// from two clocks (the app's submitted_at, SQLite's log time), so a change in the submission's millisecond would be
// hidden, and a clock set back could show a draft.
import type { Db } from '../db/open-database.js';

export type AuditEntry = {
  readonly id: number;
  readonly at: string;
  readonly actorId: number | undefined;
  readonly actorName: string | undefined;
  /** The command-line tool that wrote the entry, and the OS user who ran it (migration 16). */
  readonly command: AuditCommand | undefined;
  readonly entity: string;
  readonly entityKey: string;
  readonly reviewId: number | undefined;
  readonly action: 'insert' | 'update' | 'delete';
  readonly oldValue: string | undefined;
  readonly newValue: string | undefined;
  /** A rating's values held back from this reader (a draft, or a review still in rating). */
  readonly valuesWithheld: boolean;
};

export type AuditCommand = { readonly name: string; readonly osUser: string };

type AuditRow = {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  command: string | null;
  os_user: string | null;
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
    command: row.command === null ? undefined : { name: row.command, osUser: row.os_user ?? '' },
    entity: row.entity,
    entityKey: row.entity_key,
    reviewId: row.review_id ?? undefined,
    action: row.action,
    oldValue: row.withheld === 1 ? undefined : (row.old_value ?? undefined),
    newValue: row.withheld === 1 ? undefined : (row.new_value ?? undefined),
    valuesWithheld: row.withheld === 1,
  };
}

// A rating entry's key is "<rater id>/<indicator id>". Its values show when it was logged after the rater's
// submission: the panel_member entry where submitted_at went from empty to set (the only way the app submits), or,
// for a member stored already submitted (a research import), the entry of that insert. Without the rater's panel row
// or a submission in the log the values stay withheld: every other case ends in ELSE 1, so the rule fails closed.
// The partial index audit_log_panel_members (migration 11) makes each lookup a few rows.
const SUBMISSION_LOG_ID = `
  COALESCE(
    (SELECT max(s.id) FROM audit_log s
     WHERE s.entity = 'panel_member' AND s.review_id = a.review_id AND s.entity_key = CAST(pm.user_id AS TEXT)
       AND s.action = 'update' AND json_extract(s.old_value, '$.submitted_at') IS NULL
       AND json_extract(s.new_value, '$.submitted_at') IS NOT NULL),
    (SELECT max(s.id) FROM audit_log s
     WHERE s.entity = 'panel_member' AND s.review_id = a.review_id AND s.entity_key = CAST(pm.user_id AS TEXT)
       AND s.action = 'insert'))`;

const SELECT = `
  SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, c.command, c.os_user, a.entity, a.entity_key, a.review_id,
         a.action, a.old_value, a.new_value,
         CASE WHEN a.entity <> 'rating' THEN 0
              WHEN r.status IN ('consensus', 'final') AND pm.submitted_at IS NOT NULL AND a.id > ${SUBMISSION_LOG_ID} THEN 0
              ELSE 1 END AS withheld
  FROM audit_log a
  LEFT JOIN users u ON u.id = a.actor_id
  LEFT JOIN audit_log_commands c ON c.audit_id = a.id
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
