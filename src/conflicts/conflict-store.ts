// SQL for conflicts of interest: affiliations, declared conflicts, dismissed warnings, confirmations,
// and the search for reciprocal reviews.
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import { swedishDayOf } from '../i18n/calendar.js';
import type { Db } from '../db/open-database.js';
import type { DeclaredConflict, ReciprocalReview } from './conflict-rules.js';

export type DeclaredConflictListItem = DeclaredConflict & {
  readonly userId: number;
  readonly userName: string;
  readonly createdAt: string;
};
export type DismissalListItem = {
  readonly id: number;
  readonly userId: number;
  readonly userName: string;
  readonly municipalityId: number;
  readonly municipalityName: string;
  readonly reason: string;
  readonly createdAt: string;
};

type DeclaredRow = {
  id: number;
  user_id: number;
  user_name: string;
  municipality_id: number | null;
  municipality_name: string | null;
  provider: string | null;
  reason: string;
  created_at: string;
};

function toDeclared(row: DeclaredRow): DeclaredConflictListItem {
  return {
    id: row.id,
    userId: row.user_id,
    userName: row.user_name,
    municipalityId: row.municipality_id ?? undefined,
    municipalityName: row.municipality_name ?? undefined,
    provider: row.provider ?? undefined,
    reason: row.reason,
    createdAt: row.created_at,
  };
}

const SELECT_DECLARED = `
  SELECT d.id, d.user_id, u.display_name AS user_name, d.municipality_id, m.name AS municipality_name, d.provider, d.reason, d.created_at
  FROM declared_conflicts d JOIN users u ON u.id = d.user_id LEFT JOIN municipalities m ON m.id = d.municipality_id`;

type ReciprocalRow = {
  review_id: number;
  reviewed_municipality: number;
  program_name: string;
  visit_start: string | null;
  rating_started_at: string | null;
};

/** The reviews that took place inside the window, the latest first. */
function toReciprocalReviews(rows: readonly ReciprocalRow[], window: { since: string; today: string }): ReciprocalReview[] {
  return rows
    .flatMap((row) => {
      const date = row.visit_start ?? (row.rating_started_at === null ? undefined : swedishDayOf(row.rating_started_at));
      return date !== undefined && date >= window.since && date <= window.today
        ? [{ reviewId: row.review_id, programName: row.program_name, date }]
        : [];
    })
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

export type ConflictStore = ReturnType<typeof createConflictStore>;

export function createConflictStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const declaredOfUserStmt = db.prepare(`${SELECT_DECLARED} WHERE d.user_id = ? ORDER BY d.id`);
  const declaredAllStmt = db.prepare(`${SELECT_DECLARED} ORDER BY u.display_name COLLATE NOCASE, d.id`);
  const insertDeclaredStmt = db.prepare(
    'INSERT INTO declared_conflicts (user_id, municipality_id, provider, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const deleteDeclaredStmt = db.prepare('DELETE FROM declared_conflicts WHERE id = ?');
  // Only reviews that took place count: past draft (a draft may never happen), and a visit inside the window, not
  // in the future. A review without visit dates took place on the Swedish day its rating started: that day is
  // computed in TypeScript (swedishDayOf), since the stored instant is UTC and SQLite knows no Swedish time.
  const reciprocalSql = (reviewed: string) =>
    `SELECT DISTINCT r.id AS review_id, p.municipality_id AS reviewed_municipality, p.name AS program_name, r.visit_start, r.rating_started_at
     FROM reviews r
     JOIN programs p ON p.id = r.program_id${reviewed}
     JOIN panel_members pm ON pm.review_id = r.id
     JOIN users u ON u.id = pm.user_id AND u.affiliation_kind = 'municipality' AND u.affiliation_municipality_id = @reviewingMunicipality
     WHERE r.kind = 'peer_review' AND r.status <> 'draft' AND r.id <> @exceptReview
     ORDER BY r.id`;
  const reciprocalStmt = db.prepare(reciprocalSql(' AND p.municipality_id = @reviewedMunicipality'));
  // The same search for every reviewed municipality at once, for checking many people in one go.
  const reciprocalByReviewedStmt = db.prepare(reciprocalSql(''));
  const dismissedStmt = db.prepare('SELECT 1 FROM conflict_dismissals WHERE user_id = ? AND municipality_id = ?');
  const dismissedUsersStmt = db.prepare('SELECT user_id FROM conflict_dismissals WHERE municipality_id = ?');
  const dismissalsStmt = db.prepare(
    `SELECT c.id, c.user_id, u.display_name AS user_name, c.municipality_id, m.name AS municipality_name, c.reason, c.created_at
     FROM conflict_dismissals c JOIN users u ON u.id = c.user_id JOIN municipalities m ON m.id = c.municipality_id
     ORDER BY u.display_name COLLATE NOCASE, c.id`,
  );
  const insertDismissalStmt = db.prepare(
    `INSERT INTO conflict_dismissals (user_id, municipality_id, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_id, municipality_id) DO NOTHING`,
  );
  const confirmationStmt = db.prepare('SELECT reason FROM panel_warning_confirmations WHERE review_id = ? AND user_id = ?');
  const confirmedUsersStmt = db.prepare('SELECT user_id FROM panel_warning_confirmations WHERE review_id = ?');
  // The first confirmation stands, as the first dismissal does: the table's audit trigger logs inserts only, so a
  // second one (two coordinators confirming at once) must not replace the logged reason unseen.
  const insertConfirmationStmt = db.prepare(
    `INSERT INTO panel_warning_confirmations (review_id, user_id, reason, confirmed_by, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (review_id, user_id) DO NOTHING`,
  );

  return {
    listDeclaredConflictsOfUser: (userId: number): DeclaredConflictListItem[] =>
      (declaredOfUserStmt.all(userId) as DeclaredRow[]).map(toDeclared),
    listDeclaredConflicts: (): DeclaredConflictListItem[] => (declaredAllStmt.all() as DeclaredRow[]).map(toDeclared),
    insertDeclaredConflict: (
      input: { userId: number; municipalityId: number | undefined; provider: string | undefined; reason: string },
      actorId: number,
    ): number =>
      db.transaction(() =>
        runAs(actorId, () =>
          Number(
            insertDeclaredStmt.run(
              input.userId,
              input.municipalityId ?? null,
              input.provider ?? null,
              input.reason,
              actorId,
              clock().toISOString(),
            ).lastInsertRowid,
          ),
        ),
      )(),
    deleteDeclaredConflict: (id: number, actorId: number): boolean =>
      db.transaction(() => runAs(actorId, () => deleteDeclaredStmt.run(id).changes === 1))(),
    findReciprocalReviews: (input: {
      reviewedMunicipality: number;
      reviewingMunicipality: number;
      since: string;
      /** The last day that counts (today): a visit planned for later has not taken place. */
      today: string;
      exceptReview: number;
    }): ReciprocalReview[] =>
      toReciprocalReviews(
        reciprocalStmt.all({
          reviewedMunicipality: input.reviewedMunicipality,
          reviewingMunicipality: input.reviewingMunicipality,
          exceptReview: input.exceptReview,
        }) as ReciprocalRow[],
        input,
      ),
    /** findReciprocalReviews for every reviewed municipality at once, by that municipality's id. */
    findReciprocalReviewsByReviewed: (input: {
      reviewingMunicipality: number;
      since: string;
      today: string;
      exceptReview: number;
    }): ReadonlyMap<number, ReciprocalReview[]> => {
      const rows = reciprocalByReviewedStmt.all({
        reviewingMunicipality: input.reviewingMunicipality,
        exceptReview: input.exceptReview,
      }) as ReciprocalRow[];
      const byReviewed = new Map<number, ReciprocalRow[]>();
      for (const row of rows) byReviewed.set(row.reviewed_municipality, [...(byReviewed.get(row.reviewed_municipality) ?? []), row]);
      return new Map([...byReviewed].map(([municipality, group]) => [municipality, toReciprocalReviews(group, input)]));
    },
    isWarningDismissed: (userId: number, municipalityId: number): boolean => dismissedStmt.get(userId, municipalityId) !== undefined,
    /** The people whose reciprocal-review warning about this municipality an administrator dismissed. */
    listDismissedUsers: (municipalityId: number): ReadonlySet<number> =>
      new Set((dismissedUsersStmt.all(municipalityId) as { user_id: number }[]).map((row) => row.user_id)),
    listDismissals: (): DismissalListItem[] =>
      (
        dismissalsStmt.all() as {
          id: number;
          user_id: number;
          user_name: string;
          municipality_id: number;
          municipality_name: string;
          reason: string;
          created_at: string;
        }[]
      ).map((row) => ({
        id: row.id,
        userId: row.user_id,
        userName: row.user_name,
        municipalityId: row.municipality_id,
        municipalityName: row.municipality_name,
        reason: row.reason,
        createdAt: row.created_at,
      })),
    insertDismissal: (input: { userId: number; municipalityId: number; reason: string }, actorId: number): void => {
      db.transaction(() =>
        runAs(actorId, () => insertDismissalStmt.run(input.userId, input.municipalityId, input.reason, actorId, clock().toISOString())),
      )();
    },
    findConfirmation: (reviewId: number, userId: number): string | undefined =>
      (confirmationStmt.get(reviewId, userId) as { reason: string } | undefined)?.reason,
    /** The people whose warning a coordinator has confirmed for this review. */
    listConfirmedUsers: (reviewId: number): ReadonlySet<number> =>
      new Set((confirmedUsersStmt.all(reviewId) as { user_id: number }[]).map((row) => row.user_id)),
    confirmWarning: (reviewId: number, userId: number, reason: string, actorId: number): void => {
      db.transaction(() => runAs(actorId, () => insertConfirmationStmt.run(reviewId, userId, reason, actorId, clock().toISOString())))();
    },
  };
}
