// Loads a review named in the URL together with the viewer's place on its panel. Unknown or malformed ids are 404s.
import type { Request } from 'express';
import { currentUser } from '../accounts/access.js';
import { NotFoundError } from '../errors.js';
import { idParam } from '../http/form-fields.js';
import { findMembership, type Viewer } from './review-access.js';
import type { ReviewStore } from './review-store.js';
import type { PanelMember, Review } from './review-types.js';

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
  return { review, panel, viewer: { user, membership: findMembership(panel, user.id) } };
}
