// The program's own work in the municipality's PDF report: last round's recommendations and what became of them
// (only where an earlier round exists), this round's action plan, and the outcome indicators. report-data.ts
// gathers it through gatherProgramWorkReportData; report-model.ts adds buildActionBlocks and buildOutcomePart to
// each program chapter and collectProgramWorkFacts to the verification hash.
import { createActionStore } from '../actions/action-store.js';
import {
  buildRecommendationBlocks,
  collectLastRound,
  type LastRoundReportData,
  type RecommendationOutcome,
} from '../actions/report-part.js';
import type { Db } from '../db/open-database.js';
import type { Locale } from '../i18n/locale.js';
import { createOutcomeStore, type OutcomePeriod } from '../outcomes/outcome-store.js';
import { buildOutcomeBlocks, collectOutcomeFacts } from '../outcomes/report-part.js';
import type { Block } from '../reports/report-model.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { Finding, Review } from '../reviews/review-types.js';
import type { ProgramWork } from './program-work.js';

export type ProgramWorkReportData = {
  /** Undefined when the program has no earlier round. */
  readonly lastRound: LastRoundReportData | undefined;
  /** This round's recommendations and the actions planned for them (the action plan after the review). */
  readonly actionPlan: LastRoundReportData;
  readonly outcomes: readonly OutcomePeriod[];
};

type RoundRecord = { readonly review: Review; readonly findings: readonly Finding[] };

/** What the report needs of a program's own work: `latest` is the report's round, `previous` the one before, if any. */
export function gatherProgramWorkReportData(
  programWork: Pick<ProgramWork, 'actions' | 'outcomes'>,
  programId: number,
  latest: RoundRecord,
  previous: RoundRecord | undefined,
): ProgramWorkReportData {
  const collect = (round: RoundRecord) =>
    collectLastRound(round.review, round.findings, programWork.actions.listActionsOfReview(round.review.id));
  return {
    lastRound: previous ? collect(previous) : undefined,
    actionPlan: collect(latest),
    outcomes: programWork.outcomes.listPeriods(programId),
  };
}

/** Last round's recommendations and what became of them (when there was a last round), then this round's action plan. */
export function buildActionBlocks(data: ProgramWorkReportData | undefined, chapterId: string, locale: Locale): Block[] {
  if (!data) return [];
  return [
    ...(data.lastRound ? buildRecommendationBlocks(data.lastRound, chapterId, locale, 'lastRound') : []),
    ...buildRecommendationBlocks(data.actionPlan, chapterId, locale, 'actionPlan'),
  ];
}

export function buildOutcomePart(data: ProgramWorkReportData | undefined, chapterId: string, locale: Locale): Block[] {
  return data ? buildOutcomeBlocks(data.outcomes, chapterId, locale) : [];
}

const recommendationFacts = (items: readonly RecommendationOutcome[]) =>
  items.map((r) => ({
    sectionId: r.sectionId,
    position: r.position,
    text: r.text,
    status: r.status ?? null,
    ownerName: r.ownerName,
    dueOn: r.dueOn ?? null,
    latestNote: r.latestNote ?? null,
  }));

/** The facts the part states, for the report's verification hash: no language, no ids that differ between copies. */
export function collectProgramWorkFacts(data: ProgramWorkReportData | undefined): unknown {
  if (!data) return undefined;
  return {
    lastRound: data.lastRound ? recommendationFacts(data.lastRound.recommendations) : null,
    actionPlan: recommendationFacts(data.actionPlan.recommendations),
    outcomes: data.outcomes.map(collectOutcomeFacts),
  };
}

/** The stores the report reads the program's own work from, for callers that have no ProgramWork (the report CLI). */
export function createProgramWorkReportSource(db: Db, reviews: ReviewStore): Pick<ProgramWork, 'actions' | 'outcomes'> {
  return { actions: createActionStore(db, reviews), outcomes: createOutcomeStore(db) };
}
