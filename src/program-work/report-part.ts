// Transitional: the program-work hub is dissolved, and what the report took from here now lives with its owners
// (reports/action-blocks.ts, reports/outcome-blocks.ts, reports/report-data.ts). Kept only for the imports in
// src/reports/chapters/program.ts, src/reports/report-facts.ts, test/reports/* and test/bench/report-bench.ts,
// which are another engineer's files; delete it once they import from the owners.
import { createActionStore } from '../actions/action-store.js';
import type { Db } from '../db/open-database.js';
import { createOutcomeStore } from '../outcomes/outcome-store.js';
import type { ProgramWorkSource } from '../reports/report-data.js';
import type { ReviewStore } from '../reviews/review-store.js';

export { buildActionBlocks } from '../reports/action-blocks.js';
export { buildOutcomePart } from '../reports/outcome-blocks.js';
export { collectProgramWorkFacts, gatherProgramWorkReportData, type ProgramWorkReportData } from '../reports/report-data.js';

/** For those tests only: the app and the CLI read the services' action and outcome stores (src/services.ts). */
export function createProgramWorkReportSource(db: Db, _reviews?: ReviewStore): ProgramWorkSource {
  return { actions: createActionStore(db), outcomes: createOutcomeStore(db) };
}
