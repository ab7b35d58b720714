// SQL for a review's panel: who is on it in which role, and the raters added once rating had started (late additions,
// each with its reason and time).
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import { createReviewStatusReader } from './review-record-store.js';
import { isRaterRole, type PanelChangeOutcome, type PanelMember, type PanelRole, PanelRoleSchema } from './review-types.js';

/** One panel member's role and whether they have submitted their ratings (undefined: not on the panel). */
export function createPanelMemberReader(db: Db): (reviewId: number, userId: number) => { role: PanelRole; submitted: boolean } | undefined {
  const memberStmt = db.prepare('SELECT role, submitted_at FROM panel_members WHERE review_id = ? AND user_id = ?');
  return (reviewId, userId) => {
    const row = memberStmt.get(reviewId, userId) as { role: string; submitted_at: string | null } | undefined;
    return row ? { role: PanelRoleSchema.parse(row.role), submitted: row.submitted_at !== null } : undefined;
  };
}

type PanelChange = { userId: number; role: PanelRole; lateReason?: string | undefined } | { userId: number; remove: true };

export function createPanelStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const readStatus = createReviewStatusReader(db);
  const readMember = createPanelMemberReader(db);
  const panelStmt = db.prepare(
    `SELECT pm.user_id, u.display_name, u.affiliation, pm.role, pm.submitted_at
     FROM panel_members pm JOIN users u ON u.id = pm.user_id
     WHERE pm.review_id = ?
     ORDER BY CASE pm.role WHEN 'lead' THEN 0 WHEN 'reviewer' THEN 1 ELSE 2 END, u.display_name COLLATE NOCASE`,
  );
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
  const demoteLeadStmt = db.prepare("UPDATE panel_members SET role = 'reviewer' WHERE review_id = ? AND role = 'lead' AND user_id <> ?");
  // Whether a member has given any rating (a score or N/A): then they can neither leave nor become an observer. Read only.
  const hasRatingsStmt = db.prepare(
    'SELECT 1 FROM ratings WHERE review_id = ? AND rater_id = ? AND (score IS NOT NULL OR not_applicable = 1) LIMIT 1',
  );
  const hasRatings = (reviewId: number, userId: number): boolean => hasRatingsStmt.get(reviewId, userId) !== undefined;

  const changePanel = db.transaction(
    (reviewId: number, change: PanelChange, actorId: number | undefined): PanelChangeOutcome =>
      runAs(actorId, () => {
        const status = readStatus(reviewId);
        // Nobody puts themself on a panel (or changes their own place) once rating has started: they could rate after
        // the fact and then read the others' scores. Checked here too, so a review that moved on meanwhile is caught.
        if (status !== 'draft' && !('remove' in change) && actorId !== undefined && actorId === change.userId) return 'self-addition';
        if (status !== 'draft' && status !== 'rating') return 'locked';
        const member = readMember(reviewId, change.userId);
        if ('remove' in change) {
          if (!member) return 'saved';
          if (hasRatings(reviewId, change.userId)) return 'has-ratings';
          deleteMemberStmt.run(reviewId, change.userId);
          return 'saved';
        }
        // A rater added once rating has started (new, or an observer who becomes a rater) needs a written reason.
        const lateAddition = status === 'rating' && isRaterRole(change.role) && !(member && isRaterRole(member.role));
        const lateReason = lateAddition ? (change.lateReason ?? '') : '';
        if (lateAddition && lateReason === '') return 'reason-required';
        const lateAt = lateAddition ? clock().toISOString() : null;
        if (change.role === 'lead') {
          // One lead per review: the previous lead becomes a reviewer.
          demoteLeadStmt.run(reviewId, change.userId);
        }
        // A rater who has saved ratings cannot become an observer: their ratings would be orphaned.
        if (member && change.role === 'observer' && hasRatings(reviewId, change.userId)) return 'has-ratings';
        if (member) {
          updateMemberRoleStmt.run(change.role, lateAddition ? lateReason : null, lateAt, reviewId, change.userId);
        } else {
          insertMemberStmt.run(reviewId, change.userId, change.role, lateAddition ? lateReason : null, lateAt);
        }
        return 'saved';
      }),
  );

  return {
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
  };
}
