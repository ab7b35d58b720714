// Gathers what a municipality's report is built from: each program's latest final peer review and, for
// the trend, the final peer review before it with the same rubric id. Rounds are in the app's order (review-rounds.ts):
// by when they took place, so a historical round imported today falls where its date puts it. The actions of every
// earlier round are read too, for the overdue count, as the action plan page lists them. Only final reviews are read: their
// data no longer changes, which is what makes the report reproducible. Self-assessments stay out: they
// are the program's own and shown only to those it shares them with, while anyone logged in may download
// the report.
import type { Municipality, MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { findRoundDate, listEarlierRounds, listFinalPeerReviews } from '../reviews/review-rounds.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { Barrier, ConsensusRating, Finding, PanelMember, RatingScore, Review } from '../reviews/review-types.js';
import type { EvidenceBase, FactualCheck, Judgement } from '../reviews/report-workflow.js';
import type { ActionStore } from '../actions/action-store.js';
import {
  collectLastRound,
  collectRecommendationFacts,
  type EarlierRoundReportData,
  type LastRoundReportData,
} from '../actions/report-part.js';
import type { OutcomePeriod, OutcomeStore } from '../outcomes/outcome-store.js';
import { collectOutcomeFacts } from '../outcomes/report-part.js';

export type ReviewRecord = {
  readonly review: Review;
  readonly panel: readonly PanelMember[];
  readonly consensus: readonly ConsensusRating[];
  /** Ratings of raters who submitted; the report shows only their spread. */
  readonly submittedRatings: readonly RatingScore[];
  readonly findings: readonly Finding[];
  /** Systemic, organisational and individual barriers the review names. */
  readonly barriers: readonly Barrier[];
  /** The panel's overall judgement, the evidence base and the factual check, where recorded. */
  readonly judgement?: Judgement | undefined;
  readonly evidenceBase?: EvidenceBase | undefined;
  readonly factualCheck?: FactualCheck | undefined;
};

/** The program's own work in its chapter: last round's recommendations, this round's action plan, the outcomes. */
export type ProgramWorkReportData = {
  /** Undefined when the program has no earlier round. */
  readonly lastRound: LastRoundReportData | undefined;
  /**
   * Every final peer review before the report's round, latest first, `lastRound`'s included, whatever its rubric: their
   * open actions count on page 1, as the action plan page lists the overdue actions of every round, and those of rounds
   * other than `lastRound` (which the chapter shows whole) are listed when overdue.
   */
  readonly earlierRounds: readonly EarlierRoundReportData[];
  /** This round's recommendations and the actions planned for them (the action plan after the review). */
  readonly actionPlan: LastRoundReportData;
  readonly outcomes: readonly OutcomePeriod[];
};

export type ProgramReportData = {
  readonly program: Program;
  readonly latest: ReviewRecord;
  /** The final review before `latest` with the same rubric id, for the trend; only its consensus is used. */
  readonly previous: ReviewRecord | undefined;
  /** Last round's recommendations and what became of them, and the outcome indicators. */
  readonly programWork?: ProgramWorkReportData | undefined;
};

export type ReportData = {
  readonly municipality: Municipality;
  /** Programs with at least one final review, in the municipality's program order. */
  readonly programs: readonly ProgramReportData[];
  /** Names of the municipality's programs that have no final review yet: named in the report, not scored. */
  readonly programsWithoutFinalReview: readonly string[];
  /** A draft for the factual check: one program's review in consensus, marked UTKAST on every page. */
  readonly draft?: boolean | undefined;
};

export type ReportDataResult =
  | { readonly kind: 'ok'; readonly data: ReportData }
  | { readonly kind: 'unknown-municipality' }
  | { readonly kind: 'no-final-review'; readonly municipality: Municipality };

export type ReportStores = {
  readonly municipalities: MunicipalityStore;
  readonly reviews: ReviewStore;
  /** Where the program's own work is read from (the services' action and outcome stores). */
  readonly programWork?: ProgramWorkSource | undefined;
};

export type ProgramWorkSource = {
  readonly actions: Pick<ActionStore, 'listActionsOfReview'>;
  readonly outcomes: Pick<OutcomeStore, 'listPeriods'>;
};

/** A round as the program's work reads it: the review and its findings. */
type Round = Pick<ReviewRecord, 'review' | 'findings'>;

/**
 * What the report needs of a program's own work: `latest` is the report's round, `previous` the one before with the
 * same rubric, if any, and `earlier` every final peer review before `latest`, latest first.
 */
export function gatherProgramWorkReportData(
  source: ProgramWorkSource,
  programId: number,
  latest: ReviewRecord,
  previous: ReviewRecord | undefined,
  earlier: readonly Round[],
): ProgramWorkReportData {
  const collect = (round: Round) => collectLastRound(round.review, round.findings, source.actions.listActionsOfReview(round.review.id));
  const lastRound = previous ? collect(previous) : undefined;
  return {
    lastRound,
    earlierRounds: earlier.map((round) => ({
      ...(round.review.id === lastRound?.reviewId ? lastRound : collect(round)),
      roundDate: findRoundDate(round.review),
    })),
    actionPlan: collect(latest),
    outcomes: source.outcomes.listPeriods(programId),
  };
}

/** The rounds before `latest` as the program's work reads them, latest first (listEarlierRounds). */
export function readEarlierRounds(reviews: ReviewStore, finals: readonly Review[], latest: Review): Round[] {
  return listEarlierRounds(finals, latest).map((review) => ({ review, findings: reviews.listFindings(review.id) }));
}

/** The facts the program's own work states, for the report's verification hash: no language, no ids that differ between copies. */
export function collectProgramWorkFacts(data: ProgramWorkReportData | undefined): unknown {
  if (!data) return undefined;
  // The rounds before last round, only when there are some, so reports of programs without them keep their code.
  const older = data.earlierRounds.filter((round) => round.reviewId !== data.lastRound?.reviewId);
  return {
    lastRound: data.lastRound ? collectRecommendationFacts(data.lastRound.recommendations) : null,
    ...(older.length > 0
      ? {
          earlierRounds: older.map((round) => ({
            roundDate: round.roundDate,
            recommendations: collectRecommendationFacts(round.recommendations),
          })),
        }
      : {}),
    actionPlan: collectRecommendationFacts(data.actionPlan.recommendations),
    outcomes: data.outcomes.map(collectOutcomeFacts),
  };
}

export function readReviewRecord(reviews: ReviewStore, reviewId: number): ReviewRecord {
  const review = reviews.findReviewById(reviewId);
  if (!review) throw new Error(`review ${reviewId} disappeared while the report was being gathered`);
  return {
    review,
    panel: reviews.listPanel(reviewId),
    consensus: reviews.listConsensus(reviewId),
    submittedRatings: reviews.listSubmittedScores(reviewId),
    findings: reviews.listFindings(reviewId),
    barriers: reviews.listBarriers(reviewId),
    judgement: reviews.findJudgement(reviewId),
    evidenceBase: reviews.findEvidenceBase(reviewId),
    factualCheck: reviews.findFactualCheck(reviewId),
  };
}

export function gatherReportData(stores: ReportStores, municipalityCode: string): ReportDataResult {
  const municipality = stores.municipalities.findMunicipalityByCode(municipalityCode);
  if (!municipality) return { kind: 'unknown-municipality' };
  const programs: ProgramReportData[] = [];
  const programsWithoutFinalReview: string[] = [];
  for (const program of stores.municipalities.listProgramsOfMunicipality(municipality.id)) {
    const finals = listFinalPeerReviews(stores.reviews, program.id);
    const [latest] = finals;
    if (!latest) {
      programsWithoutFinalReview.push(program.name);
      continue;
    }
    const previous = listEarlierRounds(finals, latest).find((review) => review.rubricId === latest.rubricId);
    const previousRecord = previous ? readReviewRecord(stores.reviews, previous.id) : undefined;
    const latestRecord = readReviewRecord(stores.reviews, latest.id);
    programs.push({
      program,
      latest: latestRecord,
      previous: previousRecord,
      programWork: stores.programWork
        ? gatherProgramWorkReportData(
            stores.programWork,
            program.id,
            latestRecord,
            previousRecord,
            readEarlierRounds(stores.reviews, finals, latest),
          )
        : undefined,
    });
  }
  if (programs.length === 0) return { kind: 'no-final-review', municipality };
  return { kind: 'ok', data: { municipality, programs, programsWithoutFinalReview } };
}
