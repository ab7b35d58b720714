// The program's own work in the municipality's PDF report: last round's recommendations and what became of them
// (only where an earlier round exists), and the outcome indicators. report-data.ts gathers it through
// gatherProgramWorkReportData; report-model.ts adds buildProgramWorkBlocks to each program chapter and
// collectProgramWorkFacts to the verification hash.
import { createActionStore } from '../actions/action-store.js';
import { collectLastRound, buildLastRoundBlocks, type LastRoundReportData } from '../actions/report-part.js';
import type { Db } from '../db/open-database.js';
import type { Locale } from '../i18n/locale.js';
import { createOutcomeStore, type OutcomePeriod } from '../outcomes/outcome-store.js';
import { buildOutcomeBlocks } from '../outcomes/report-part.js';
import type { Block } from '../reports/report-model.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { Finding, Review } from '../reviews/review-types.js';
import type { ProgramWork } from './program-work.js';

export type ProgramWorkReportData = {
  /** Undefined when the program has no earlier round. */
  readonly lastRound: LastRoundReportData | undefined;
  readonly outcomes: readonly OutcomePeriod[];
};

/** What the report needs of a program's own work; `previous` is the report's previous round, if any. */
export function gatherProgramWorkReportData(
  programWork: Pick<ProgramWork, 'actions' | 'outcomes'>,
  programId: number,
  previous: { readonly review: Review; readonly findings: readonly Finding[] } | undefined,
): ProgramWorkReportData {
  return {
    lastRound: previous ? collectLastRound(previous.review, previous.findings, programWork.actions.listActionsOfReview(previous.review.id)) : undefined,
    outcomes: programWork.outcomes.listPeriods(programId),
  };
}

export function buildProgramWorkBlocks(data: ProgramWorkReportData | undefined, chapterId: string, locale: Locale): Block[] {
  if (!data) return [];
  return [...(data.lastRound ? buildLastRoundBlocks(data.lastRound, chapterId, locale) : []), ...buildOutcomeBlocks(data.outcomes, chapterId, locale)];
}

/** The facts the part states, for the report's verification hash: no language, no ids that differ between copies. */
export function collectProgramWorkFacts(data: ProgramWorkReportData | undefined): unknown {
  if (!data) return undefined;
  return {
    lastRound:
      data.lastRound?.recommendations.map((r) => ({
        sectionId: r.sectionId,
        position: r.position,
        text: r.text,
        status: r.status ?? null,
        ownerName: r.ownerName,
        dueOn: r.dueOn ?? null,
        latestNote: r.latestNote ?? null,
      })) ?? null,
    outcomes: data.outcomes.map((period) => ({
      periodStart: period.periodStart,
      periodEnd: period.periodEnd,
      movedIn: period.movedIn,
      stillFirstFlat: period.stillFirstFlat,
      stillInProgram: period.stillInProgram,
      firstHandLeases: period.firstHandLeases,
      evictions: period.evictions,
      complaints: period.complaints,
      clients: period.clients,
      caseManagers: period.caseManagers,
      note: period.note,
    })),
  };
}

/** The stores the report reads the program's own work from, for callers that have no ProgramWork (the report CLI). */
export function createProgramWorkReportSource(db: Db, reviews: ReviewStore): Pick<ProgramWork, 'actions' | 'outcomes'> {
  return { actions: createActionStore(db, reviews), outcomes: createOutcomeStore(db) };
}
