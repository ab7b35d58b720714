// Gathers what a municipality's report is built from: each program's latest final review and, for the
// trend, the final review before it with the same rubric id. Only final reviews are read: their data
// no longer changes, which is what makes the report reproducible.
import type { Municipality, MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { ConsensusRating, Finding, PanelMember, Rating, Review, ReviewSummary } from '../reviews/review-types.js';

export type ReviewRecord = {
  readonly review: Review;
  readonly panel: readonly PanelMember[];
  readonly consensus: readonly ConsensusRating[];
  /** Ratings of raters who submitted; the report shows only their spread. */
  readonly submittedRatings: readonly Rating[];
  readonly findings: readonly Finding[];
};

export type ProgramReportData = {
  readonly program: Program;
  readonly latest: ReviewRecord;
  /** The final review before `latest` with the same rubric id, for the trend; only its consensus is used. */
  readonly previous: ReviewRecord | undefined;
};

export type ReportData = {
  readonly municipality: Municipality;
  /** Programs with at least one final review, in the municipality's program order. */
  readonly programs: readonly ProgramReportData[];
  /** Names of the municipality's programs that have no final review yet: named in the report, not scored. */
  readonly programsWithoutFinalReview: readonly string[];
};

export type ReportDataResult =
  | { readonly kind: 'ok'; readonly data: ReportData }
  | { readonly kind: 'unknown-municipality' }
  | { readonly kind: 'no-final-review'; readonly municipality: Municipality };

export type ReportStores = { readonly municipalities: MunicipalityStore; readonly reviews: ReviewStore };

/** Latest first: by visit date (the time the practice was observed), then finalisation, then id. */
function compareLatestFirst(a: ReviewSummary, b: ReviewSummary): number {
  const dateA = a.visitStart ?? a.createdAt.slice(0, 10);
  const dateB = b.visitStart ?? b.createdAt.slice(0, 10);
  if (dateA !== dateB) return dateA < dateB ? 1 : -1;
  const finalA = a.finalisedAt ?? '';
  const finalB = b.finalisedAt ?? '';
  if (finalA !== finalB) return finalA < finalB ? 1 : -1;
  return b.id - a.id;
}

/** The final reviews of a program, latest first. */
export function listFinalReviews(reviews: ReviewStore, programId: number): ReviewSummary[] {
  return reviews
    .listReviewsForProgram(programId)
    .filter((review) => review.status === 'final')
    .sort(compareLatestFirst);
}

/** True when at least one of the municipality's programs has a final review, i.e. a report exists. */
export function hasFinalReview(stores: ReportStores, municipalityId: number): boolean {
  return stores.municipalities
    .listProgramsOfMunicipality(municipalityId)
    .some((program) => listFinalReviews(stores.reviews, program.id).length > 0);
}

function readReviewRecord(reviews: ReviewStore, reviewId: number): ReviewRecord {
  const review = reviews.findReviewById(reviewId);
  if (!review) throw new Error(`review ${reviewId} disappeared while the report was being gathered`);
  return {
    review,
    panel: reviews.listPanel(reviewId),
    consensus: reviews.listConsensus(reviewId),
    submittedRatings: reviews.listSubmittedRatings(reviewId),
    findings: reviews.listFindings(reviewId),
  };
}

export function gatherReportData(stores: ReportStores, municipalityCode: string): ReportDataResult {
  const municipality = stores.municipalities.findMunicipalityByCode(municipalityCode);
  if (!municipality) return { kind: 'unknown-municipality' };
  const programs: ProgramReportData[] = [];
  const programsWithoutFinalReview: string[] = [];
  for (const program of stores.municipalities.listProgramsOfMunicipality(municipality.id)) {
    const [latest, ...earlier] = listFinalReviews(stores.reviews, program.id);
    if (!latest) {
      programsWithoutFinalReview.push(program.name);
      continue;
    }
    const previous = earlier.find((review) => review.rubricId === latest.rubricId);
    programs.push({
      program,
      latest: readReviewRecord(stores.reviews, latest.id),
      previous: previous ? readReviewRecord(stores.reviews, previous.id) : undefined,
    });
  }
  if (programs.length === 0) return { kind: 'no-final-review', municipality };
  return { kind: 'ok', data: { municipality, programs, programsWithoutFinalReview } };
}
