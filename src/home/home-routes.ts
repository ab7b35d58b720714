// The start page: the signed-in user's reviews with their next step, and for coordinators the reviews in progress.
import { Router } from 'express';
import { hasRole } from '../accounts/access.js';
import type { CurrentUser } from '../accounts/user-store.js';
import { renderPage } from '../http/render-page.js';
import { formatLongDateRange } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import type { MessageKey, Translate } from '../i18n/messages.js';
import { canEditConsensus, canRate, canSeeOthersRatings, canViewResult, findMembership, type Viewer } from '../reviews/review-access.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { isListedFor } from '../reviews/review-context.js';
import type { DescribeHomePrograms } from './program-home-part.js';
import type { ReviewSummary } from '../reviews/review-types.js';

type NextAction = { readonly href: string; readonly labelKey: MessageKey };

/** The one link that takes the viewer onwards on a review, from its status and their place on the panel. */
function findNextAction(viewer: Viewer, review: ReviewSummary, ratedByViewer: number): NextAction {
  const base = `/reviews/${review.id}`;
  if (canRate(viewer, review.status)) {
    return { href: `${base}/rate`, labelKey: ratedByViewer > 0 ? 'reviews.continueRating' : 'reviews.rateNow' };
  }
  if (review.status === 'consensus' && (canEditConsensus(viewer, review.status) || canSeeOthersRatings(viewer, review.status))) {
    return { href: `${base}/consensus`, labelKey: 'reviews.openConsensus' };
  }
  if (review.status === 'final' && canViewResult(viewer, review.status)) {
    return { href: `${base}/result`, labelKey: 'reviews.openResult' };
  }
  return { href: base, labelKey: 'home.openOverview' };
}

function describeReview(review: ReviewSummary, t: Translate, locale: Locale) {
  return {
    id: review.id,
    programName: review.programName,
    // A program's rounds look alike in a list: the site visit tells them apart.
    when:
      review.visitStart === undefined && review.visitEnd === undefined
        ? undefined
        : `${t('reviews.visit')} ${formatLongDateRange(review.visitStart, review.visitEnd, locale)}`,
    municipalityName: review.municipalityName,
    kind: t(`reviews.kind.${review.kind}`),
    status: review.status,
    statusLabel: t(`reviews.status.${review.status}`),
  };
}

export function createHomeRouter({
  reviews,
  describeHomePrograms,
}: {
  reviews: ReviewStore;
  /** The programs the user belongs to, with their latest result, self-assessment, readiness and action plan. */
  describeHomePrograms?: DescribeHomePrograms | undefined;
}): Router {
  const router = Router();

  const listMyReviews = (user: CurrentUser, t: Translate, locale: Locale) =>
    reviews.listReviewsOfPanelMember(user.id).map((review) => {
      // One panel query per review: a start page lists a handful.
      const membership = findMembership(reviews.listPanel(review.id), user.id);
      const viewer: Viewer = { user, membership };
      const rated = canRate(viewer, review.status) ? (reviews.countRatedByRater(review.id).get(user.id) ?? 0) : 0;
      const action = findNextAction(viewer, review, rated);
      return {
        ...describeReview(review, t, locale),
        role: membership ? t(`reviews.panelRole.${membership.role}`) : '',
        action: { href: action.href, label: t(action.labelKey) },
      };
    });

  router.get('/', async (req, res) => {
    const user = req.user;
    if (!user) return res.redirect(303, '/login');
    const isCoordinator = hasRole(user, 'coordinator');
    await renderPage(res, 'home/index', {
      title: req.t('home.title'),
      myReviews: listMyReviews(user, req.t, req.locale),
      isCoordinator,
      openReviews: isCoordinator
        ? reviews
            .listOpenReviews()
            .filter((review) => isListedFor(reviews, review, user))
            .map((review) => describeReview(review, req.t, req.locale))
        : [],
      // The people of a program see its self-assessment, readiness and action plan here.
      myPrograms: describeHomePrograms?.(user, req.t, req.locale) ?? [],
    });
  });

  return router;
}
