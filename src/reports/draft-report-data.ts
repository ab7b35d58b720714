// The draft report of one peer review in consensus, for the program's factual check: the same
// report as the municipality's, built from this review alone (with the program's last final review for the trend),
// marked UTKAST on every page. Never cached or stored: it changes until the review is final.
import type { ReviewStore } from '../reviews/review-store.js';
import { listEarlierRounds, listFinalPeerReviews } from '../reviews/review-rounds.js';
import { gatherProgramWorkReportData, type ReportData, type ReportStores, readEarlierRounds, readReviewRecord } from './report-data.js';

export function gatherDraftReportData(stores: ReportStores & { readonly reviews: ReviewStore }, reviewId: number): ReportData | undefined {
  const review = stores.reviews.findReviewById(reviewId);
  if (review?.kind !== 'peer_review' || review.status !== 'consensus') return undefined;
  const municipality = stores.municipalities.findMunicipalityByCode(review.municipalityCode);
  if (!municipality) return undefined;
  const program = stores.municipalities.listProgramsOfMunicipality(municipality.id).find((candidate) => candidate.id === review.programId);
  if (!program) return undefined;
  const latest = readReviewRecord(stores.reviews, review.id);
  // The rounds before this one, as for a final review: a round imported with a later date is not its previous one.
  const finals = listFinalPeerReviews(stores.reviews, program.id);
  const previousSummary = listEarlierRounds(finals, review).find((candidate) => candidate.rubricId === review.rubricId);
  const previous = previousSummary ? readReviewRecord(stores.reviews, previousSummary.id) : undefined;
  return {
    municipality,
    programs: [
      {
        program,
        latest,
        previous,
        programWork: stores.programWork
          ? gatherProgramWorkReportData(stores.programWork, program.id, latest, previous, readEarlierRounds(stores.reviews, finals, review))
          : undefined,
      },
    ],
    programsWithoutFinalReview: [],
    draft: true,
  };
}
