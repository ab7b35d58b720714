// Loads a review named in the URL together with the viewer's place on its panel. Unknown or malformed ids are 404s.
import type { Request } from 'express';
import { currentUser } from '../accounts/access.js';
import { NotFoundError } from '../errors.js';
import { idParam } from '../http/form-fields.js';
import type { CurrentUser } from '../accounts/user-store.js';
import { canSeeInLists, findMembership, type Viewer } from './review-access.js';
import type { ReviewStore } from './review-store.js';
import type { PanelMember, Review, ReviewSummary } from './review-types.js';

export type ReviewContext = {
  readonly review: Review;
  readonly panel: readonly PanelMember[];
  readonly viewer: Viewer;
};

export function loadReviewContext(req: Request, reviews: ReviewStore, rawId: unknown): ReviewContext {
  const id = idParam.safeParse(rawId);
  if (!id.success) throw new NotFoundError();
  const review = reviews.findReviewById(id.data);
  if (!review) throw new NotFoundError();
  const user = currentUser(req);
  const panel = reviews.listPanel(review.id);
  const membership = findMembership(panel, user.id);
  if (review.kind === 'self_assessment') {
    return { review, panel, viewer: { user, membership, selfAssessment: reviews.findSelfAssessmentRelation(review, user.id) } };
  }
  return { review, panel, viewer: { user, membership } };
}

/** Whether a review may be named to the user in a list: peer reviews always, self-assessments as canSeeInLists says. */
export function isListedFor(reviews: ReviewStore, summary: ReviewSummary, user: CurrentUser): boolean {
  if (summary.kind !== 'self_assessment') return true;
  const review = reviews.findReviewById(summary.id);
  if (!review) return false;
  const membership = findMembership(reviews.listPanel(review.id), user.id);
  return canSeeInLists({ user, membership, selfAssessment: reviews.findSelfAssessmentRelation(review, user.id) });
}
