// A review round's date, one rule for the report, the action plan, the review pages and the research pages (whose SQL
// calls it as round_date(visit_start, created_at), registered on its connection by createResearchStore): the first visit
// day (the practice it observed), or else the Swedish day the review was created. Not the finalisation day: a draft
// has none, and a round's date must not move when it is finalised. Not the UTC day of created_at, which is a day
// early for a review created in the first one or two hours after Swedish midnight.
import { swedishDayOf } from '../i18n/calendar.js';
import type { ReviewSummary } from './review-types.js';

export function findRoundDate(review: Pick<ReviewSummary, 'visitStart' | 'createdAt'>): string {
  return review.visitStart ?? swedishDayOf(review.createdAt);
}
