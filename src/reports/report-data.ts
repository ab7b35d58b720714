// Gathers what a municipality's report is built from: each program's latest final peer review and, for
// the trend, the final peer review before it with the same rubric id. Only final reviews are read: their
// data no longer changes, which is what makes the report reproducible. Self-assessments stay out: they
// are the program's own and shown only to those it shares them with, while anyone logged in may download
// the report.
import type { Municipality, MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { listFinalPeerReviews } from '../reviews/review-rounds.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { Barrier, ConsensusRating, Finding, PanelMember, RatingScore, Review } from '../reviews/review-types.js';
import type { EvidenceBase, FactualCheck, Judgement } from '../reviews/report-workflow.js';
import type { ActionStore } from '../actions/action-store.js';
import { collectLastRound, collectRecommendationFacts, type LastRoundReportData } from '../actions/report-part.js';
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

/** What the report needs of a program's own work: `latest` is the report's round, `previous` the one before, if any. */
export function gatherProgramWorkReportData(
  source: ProgramWorkSource,
  programId: number,
  latest: ReviewRecord,
  previous: ReviewRecord | undefined,
): ProgramWorkReportData {
  const collect = (round: ReviewRecord) =>
    collectLastRound(round.review, round.findings, source.actions.listActionsOfReview(round.review.id));
  return {
    lastRound: previous ? collect(previous) : undefined,
    actionPlan: collect(latest),
    outcomes: source.outcomes.listPeriods(programId),
  };
}

/** The facts the program's own work states, for the report's verification hash: no language, no ids that differ between copies. */
export function collectProgramWorkFacts(data: ProgramWorkReportData | undefined): unknown {
  if (!data) return undefined;
  return {
    lastRound: data.lastRound ? collectRecommendationFacts(data.lastRound.recommendations) : null,
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
    const [latest, ...earlier] = listFinalPeerReviews(stores.reviews, program.id);
    if (!latest) {
      programsWithoutFinalReview.push(program.name);
      continue;
    }
    const previous = earlier.find((review) => review.rubricId === latest.rubricId);
    const previousRecord = previous ? readReviewRecord(stores.reviews, previous.id) : undefined;
    const latestRecord = readReviewRecord(stores.reviews, latest.id);
    programs.push({
      program,
      latest: latestRecord,
      previous: previousRecord,
      programWork: stores.programWork
        ? gatherProgramWorkReportData(stores.programWork, program.id, latestRecord, previousRecord)
        : undefined,
    });
  }
  if (programs.length === 0) return { kind: 'no-final-review', municipality };
  return { kind: 'ok', data: { municipality, programs, programsWithoutFinalReview } };
}
