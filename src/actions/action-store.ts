// The action plan: one action per recommendation of a final peer review, with an owner (a user or a name), a due
// date, a status and dated progress notes.
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import type { Finding } from '../reviews/review-types.js';
import { matchActions, recommendationKey } from './action-matching.js';
import { type ActionStatus, ActionStatusSchema } from './action-status.js';

export type Action = {
  readonly id: number;
  readonly reviewId: number;
  readonly programId: number;
  readonly sectionId: string;
  readonly position: number;
  readonly recommendation: string;
  readonly ownerUserId: number | undefined;
  /** The owner's name: the user's display name, or the name typed in. Empty when nobody owns it yet. */
  readonly ownerName: string;
  readonly dueOn: string | undefined;
  readonly status: ActionStatus;
  readonly updatedAt: string;
  readonly version: number;
  readonly noteCount: number;
  /** The latest progress note, if any. */
  readonly latestNote: ActionNote | undefined;
};

export type ActionNote = { readonly id: number; readonly notedOn: string; readonly text: string; readonly authorName: string | undefined };

export type ActionUpdate = {
  readonly ownerUserId: number | undefined;
  readonly ownerName: string;
  readonly dueOn: string | undefined;
  readonly status: ActionStatus;
  /** The version the form was based on. */
  readonly expectedVersion: number;
  /** A progress note written with the change: stored with it, or not at all when the change is refused. */
  readonly note?: { readonly notedOn: string; readonly text: string } | undefined;
};

type ActionRow = {
  id: number;
  review_id: number;
  program_id: number;
  section_id: string;
  position: number;
  recommendation: string;
  owner_user_id: number | null;
  owner_name: string;
  owner_display_name: string | null;
  due_on: string | null;
  status: string;
  updated_at: string;
  version: number;
  note_count: number;
  note_id: number | null;
  noted_on: string | null;
  note_text: string | null;
  note_author: string | null;
};

// The latest note: the latest date, and of notes on the same day the one written last.
const SELECT_ACTION = `
  SELECT a.id, a.review_id, r.program_id, a.section_id, a.position, a.recommendation, a.owner_user_id, a.owner_name,
         ou.display_name AS owner_display_name, a.due_on, a.status, a.updated_at, a.version,
         (SELECT count(*) FROM action_notes n WHERE n.action_id = a.id) AS note_count,
         ln.id AS note_id, ln.noted_on, ln.text AS note_text, au.display_name AS note_author
  FROM actions a
  JOIN reviews r ON r.id = a.review_id
  LEFT JOIN users ou ON ou.id = a.owner_user_id
  LEFT JOIN action_notes ln ON ln.id = (SELECT n.id FROM action_notes n WHERE n.action_id = a.id ORDER BY n.noted_on DESC, n.id DESC LIMIT 1)
  LEFT JOIN users au ON au.id = ln.author_id`;

function toAction(row: ActionRow): Action {
  return {
    id: row.id,
    reviewId: row.review_id,
    programId: row.program_id,
    sectionId: row.section_id,
    position: row.position,
    recommendation: row.recommendation,
    ownerUserId: row.owner_user_id ?? undefined,
    ownerName: row.owner_display_name ?? row.owner_name,
    dueOn: row.due_on ?? undefined,
    status: ActionStatusSchema.parse(row.status),
    updatedAt: row.updated_at,
    version: row.version,
    noteCount: row.note_count,
    latestNote:
      row.note_id === null || row.noted_on === null || row.note_text === null
        ? undefined
        : { id: row.note_id, notedOn: row.noted_on, text: row.note_text, authorName: row.note_author ?? undefined },
  };
}

export type ActionStore = ReturnType<typeof createActionStore>;

export function createActionStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const actionsOfReviewStmt = db.prepare(`${SELECT_ACTION} WHERE a.review_id = ? ORDER BY a.section_id, a.position`);
  const actionByIdStmt = db.prepare(`${SELECT_ACTION} WHERE a.id = ?`);
  const existingStmt = db.prepare('SELECT id, section_id, position, recommendation FROM actions WHERE review_id = ?');
  const insertStmt = db.prepare(
    `INSERT INTO actions (review_id, section_id, position, recommendation, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const parkStmt = db.prepare('UPDATE actions SET position = -id WHERE id = ?');
  // A new text is a change to the action (its version goes up, so an open edit form of it is stale); a new position alone is not.
  const moveStmt = db.prepare(
    `UPDATE actions SET position = @position, updated_at = CASE WHEN recommendation IS @text THEN updated_at ELSE @now END,
       version = version + (recommendation IS NOT @text), recommendation = @text WHERE id = @id`,
  );
  const updateStmt = db.prepare(
    `UPDATE actions SET owner_user_id = @ownerUserId, owner_name = @ownerName, due_on = @dueOn, status = @status,
       updated_at = @now, version = version + 1
     WHERE id = @id AND version = @expectedVersion`,
  );
  const notesStmt = db.prepare(
    `SELECT n.id, n.noted_on, n.text, u.display_name AS author_name FROM action_notes n LEFT JOIN users u ON u.id = n.author_id
     WHERE n.action_id = ? ORDER BY n.noted_on DESC, n.id DESC`,
  );
  const insertNoteStmt = db.prepare('INSERT INTO action_notes (action_id, noted_on, text, author_id, created_at) VALUES (?, ?, ?, ?, ?)');

  /**
   * Makes an action of every recommendation that has none yet, and brings the stored actions in line with the
   * recommendations as they are now (after a reopening, see action-matching.ts): an action follows its recommendation
   * to its new position and takes a reworded text; an action whose recommendation was withdrawn keeps everything but
   * its position (it gets none, stored as minus its id), so a new recommendation there gets an action of its own.
   */
  const syncPlan = db.transaction((reviewId: number, recommendations: readonly Finding[], actorId: number, now: string): number =>
    runAs(actorId, () => {
      const existing = (existingStmt.all(reviewId) as { id: number; section_id: string; position: number; recommendation: string }[]).map(
        (row) => ({
          id: row.id,
          sectionId: row.section_id,
          position: row.position,
          recommendation: row.recommendation,
        }),
      );
      const match = matchActions(recommendations, existing);
      const moves: { id: number; position: number; text: string }[] = [];
      for (const recommendation of recommendations) {
        const action = match.byRecommendation.get(recommendationKey(recommendation));
        if (action && (action.position !== recommendation.position || action.recommendation !== recommendation.text)) {
          moves.push({ id: action.id, position: recommendation.position, text: recommendation.text });
        }
      }
      for (const action of match.withdrawn)
        if (action.position !== -action.id) moves.push({ id: action.id, position: -action.id, text: action.recommendation });
      // Positions are unique per section: park every moving action first, then put each in its place.
      for (const move of moves) parkStmt.run(move.id);
      for (const move of moves) moveStmt.run({ ...move, now });
      let created = 0;
      for (const recommendation of recommendations) {
        if (match.byRecommendation.has(recommendationKey(recommendation))) continue;
        insertStmt.run(reviewId, recommendation.sectionId, recommendation.position, recommendation.text, actorId, now, now);
        created++;
      }
      return created;
    }),
  );

  // The change and its note in one transaction: a stale change writes neither.
  const update = db.transaction((id: number, input: ActionUpdate, actorId: number, now: string): 'saved' | 'conflict' =>
    runAs(actorId, () => {
      const changed = updateStmt.run({
        id,
        ownerUserId: input.ownerUserId ?? null,
        ownerName: input.ownerUserId === undefined ? input.ownerName : '',
        dueOn: input.dueOn ?? null,
        status: input.status,
        now,
        expectedVersion: input.expectedVersion,
      }).changes;
      if (changed !== 1) return 'conflict';
      if (input.note) insertNoteStmt.run(id, input.note.notedOn, input.note.text, actorId, now);
      return 'saved';
    }),
  );

  return {
    /**
     * Brings the review's actions in line with its recommendations (the caller's, read from the review store) and
     * returns how many actions were made. Whether the review may have a plan is action-plan.ts's rule.
     */
    syncPlan: (reviewId: number, recommendations: readonly Finding[], actorId: number): number =>
      syncPlan(reviewId, recommendations, actorId, clock().toISOString()),
    listActionsOfReview: (reviewId: number): Action[] => (actionsOfReviewStmt.all(reviewId) as ActionRow[]).map(toAction),
    findAction: (id: number): Action | undefined => {
      const row = actionByIdStmt.get(id) as ActionRow | undefined;
      return row ? toAction(row) : undefined;
    },
    /** 'conflict' when someone else saved the action since the form was shown: nothing was written, not even the note. */
    updateAction: (id: number, input: ActionUpdate, actorId: number): 'saved' | 'conflict' =>
      update(id, input, actorId, clock().toISOString()),
    listNotes: (actionId: number): ActionNote[] =>
      (notesStmt.all(actionId) as { id: number; noted_on: string; text: string; author_name: string | null }[]).map((row) => ({
        id: row.id,
        notedOn: row.noted_on,
        text: row.text,
        authorName: row.author_name ?? undefined,
      })),
  };
}
