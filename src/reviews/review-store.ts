// The review store the rest of the app uses: the review record, its panel, the ratings, consensus and findings, and
// the report's own parts, each a store of its own that prepares its statements and writes its own tables.
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import type { FindSelfAssessmentRelation } from './review-access.js';
import { createConsensusStore } from './consensus-store.js';
import { createPanelStore } from './panel-store.js';
import { createRatingStore } from './rating-store.js';
import { createReviewRecordStore } from './review-record-store.js';
import { createReviewReportStore } from './review-report-store.js';

export type ReviewStore = ReturnType<typeof createReviewStore>;

/**
 * `findSelfAssessmentRelation` answers from other capabilities' tables (program members, shares, imports); the
 * services pass the one they compose. Without it the store works for everything but that question.
 */
export function createReviewStore(db: Db, clock: Clock = systemClock, findSelfAssessmentRelation?: FindSelfAssessmentRelation) {
  return {
    // The review, its details and status, the pinned rubric snapshot and reopenings (review-record-store.ts).
    ...createReviewRecordStore(db, clock, findSelfAssessmentRelation),
    // Who is on the panel, and the raters added late (panel-store.ts).
    ...createPanelStore(db, clock),
    // Each rater's ratings and their submission (rating-store.ts).
    ...createRatingStore(db, clock),
    // Consensus ratings, findings and barriers (consensus-store.ts).
    ...createConsensusStore(db, clock),
    // The overall judgement, the evidence base and the factual check (review-report-store.ts).
    ...createReviewReportStore(db, clock),
  };
}
