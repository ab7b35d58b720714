// Review rounds of a program: its final peer reviews in time order, and which of them was "last round" for a review.
// A round's date is findRoundDate's (round-date.ts).
import type { ReviewStore } from './review-store.js';
import type { Review, ReviewSummary } from './review-types.js';
import { findRoundDate } from './round-date.js';

export { findRoundDate };

/** Later rounds first: by round date, then finalisation, then id. */
export function compareLatestFirst(a: ReviewSummary, b: ReviewSummary): number {
  const dateA = findRoundDate(a);
  const dateB = findRoundDate(b);
  if (dateA !== dateB) return dateA < dateB ? 1 : -1;
  const finalA = a.finalisedAt ?? '';
  const finalB = b.finalisedAt ?? '';
  if (finalA !== finalB) return finalA < finalB ? 1 : -1;
  return b.id - a.id;
}

/** A program's final peer reviews, latest first. Self-assessments are not rounds: their recommendations are the program's own. */
export function listFinalPeerReviews(reviews: ReviewStore, programId: number): Review[] {
  return reviews.listFinalPeerReviewsOfProgram(programId).sort(compareLatestFirst);
}

/** Whether `candidate` is a round that came before `review`: an earlier round date, or the same date and made first. */
function isEarlierRound(candidate: ReviewSummary, review: ReviewSummary): boolean {
  if (candidate.id === review.id) return false;
  const date = findRoundDate(review);
  const candidateDate = findRoundDate(candidate);
  return candidateDate < date || (candidateDate === date && candidate.id < review.id);
}

/** The final peer review of the same program that came before `review`: the round whose recommendations it follows up. */
export function findPreviousRound<T extends ReviewSummary>(finals: readonly T[], review: ReviewSummary): T | undefined {
  return finals.find((candidate) => isEarlierRound(candidate, review));
}

/** The rounds of `finals` (latest first) that came before `review`, which need not be one of them (a draft), latest first. */
export function listEarlierRounds<T extends ReviewSummary>(finals: readonly T[], review: ReviewSummary): T[] {
  return finals.filter((candidate) => isEarlierRound(candidate, review));
}
