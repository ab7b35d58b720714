// A review scored on paper and imported (src/research/research-import-workflow.ts): its panel, every rating and the
// consensus as they were recorded, then the review final, in one transaction. The review itself is made as a draft by
// the review store first; nothing else writes these tables for an imported round.
import { type Clock, systemClock } from '../clock.js';
import { createActorScope } from '../db/audit-actor.js';
import type { Db } from '../db/open-database.js';
import type { PanelRole } from './review-types.js';

export type PaperRound = {
  readonly panel: readonly { readonly userId: number; readonly role: PanelRole }[];
  readonly ratings: readonly {
    readonly raterId: number;
    readonly indicatorId: string;
    readonly score: number | null;
    readonly notApplicable: boolean;
  }[];
  readonly consensus: readonly { readonly indicatorId: string; readonly score: number | null; readonly notApplicable: boolean }[];
};

export type PaperRoundStore = ReturnType<typeof createPaperRoundStore>;

export function createPaperRoundStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const insertPanelMemberStmt = db.prepare('INSERT INTO panel_members (review_id, user_id, role, submitted_at) VALUES (?, ?, ?, ?)');
  const insertRatingStmt = db.prepare(
    `INSERT INTO ratings (review_id, rater_id, indicator_id, score, not_applicable, evidence, note, updated_at)
     VALUES (?, ?, ?, ?, ?, '', '', ?)`,
  );
  const insertConsensusStmt = db.prepare(
    `INSERT INTO consensus_ratings (review_id, indicator_id, score, not_applicable, rationale, decided_by, updated_at)
     VALUES (?, ?, ?, ?, '', ?, ?)`,
  );
  const finaliseStmt = db.prepare("UPDATE reviews SET status = 'final', finalised_at = ? WHERE id = ? AND status = 'draft'");

  const write = db.transaction((reviewId: number, round: PaperRound, importedBy: number, now: string): void =>
    runAs(importedBy, () => {
      for (const member of round.panel) insertPanelMemberStmt.run(reviewId, member.userId, member.role, now);
      for (const rating of round.ratings) {
        insertRatingStmt.run(reviewId, rating.raterId, rating.indicatorId, rating.score, rating.notApplicable ? 1 : 0, now);
      }
      for (const decided of round.consensus) {
        insertConsensusStmt.run(reviewId, decided.indicatorId, decided.score, decided.notApplicable ? 1 : 0, importedBy, now);
      }
      if (finaliseStmt.run(now, reviewId).changes !== 1) throw new Error(`imported review ${reviewId} was not a draft`);
    }),
  );

  return {
    /** Writes the panel (all submitted), ratings and consensus of a draft review made for the import, and finalises it. */
    writePaperRound: (reviewId: number, round: PaperRound, importedBy: number): void =>
      write(reviewId, round, importedBy, clock().toISOString()),
  };
}
