// The start page: the signed-in user's reviews with their next step, and for coordinators the reviews in progress.
import { Router } from 'express';
import { hasRole } from '../accounts/access.js';
import type { CurrentUser } from '../accounts/user-store.js';
import { renderPage } from '../http/render-page.js';
import { formatLongDateRange } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import type { MessageKey, Translate } from '../i18n/messages.js';
import {
  canEditConsensus,
  canRate,
  canSeeOthersRatings,
  canTransition,
  canViewResult,
  findMembership,
  isLoneSubmittedLead,
  type Viewer,
} from '../reviews/review-access.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { isListedFor } from '../reviews/review-context.js';
import type { DescribeHomePrograms } from './program-home-part.js';
import { isRaterRole, type PanelMember, type ReviewSummary } from '../reviews/review-types.js';
import { findTransitionBlockers } from '../reviews/review-workflow.js';

type NextAction = { readonly href: string; readonly labelKey: MessageKey };

/** Where the review stands beyond its status: who has submitted, and whether every indicator has a consensus. */
type ReviewState = {
  readonly panel: readonly PanelMember[];
  readonly ratedByViewer: number;
  /** Read only where it decides the link: during consensus, for one who may finalise. */
  readonly allDecided: () => boolean;
};

/** The one link that takes the viewer onwards on a review, from its state and their place on the panel. */
function findNextAction(viewer: Viewer, review: ReviewSummary, state: ReviewState): NextAction {
  const base = `/reviews/${review.id}`;
  if (canRate(viewer, review.status)) {
    return { href: `${base}/rate`, labelKey: state.ratedByViewer > 0 ? 'reviews.continueRating' : 'reviews.rateNow' };
  }
  // Every rater has submitted: the one who may start the consensus is sent to the button that does (on the task list;
  // a lone self-assessor's adoption, which starts it too, stands at the consensus step).
  const startConsensus = { from: 'rating', to: 'consensus' } as const;
  if (review.status === 'rating' && canTransition(viewer, startConsensus) && allRatersSubmitted(state.panel)) {
    const lone = review.kind === 'self_assessment' && isLoneSubmittedLead(state.panel, viewer.user.id);
    return {
      href: `${base}#${lone ? 'task-consensus' : 'task-rating'}`,
      labelKey: review.kind === 'self_assessment' ? 'reviews.self.transition.consensus' : 'reviews.transition.consensus',
    };
  }
  const finalise = { from: 'consensus', to: 'final' } as const;
  if (review.status === 'consensus' && canTransition(viewer, finalise) && state.allDecided()) {
    return { href: `${base}/finalise`, labelKey: 'reviews.tasks.finaliseCheck' };
  }
  if (review.status === 'consensus' && (canEditConsensus(viewer, review.status) || canSeeOthersRatings(viewer, review.status))) {
    return { href: `${base}/consensus`, labelKey: 'reviews.openConsensus' };
  }
  if (review.status === 'final' && canViewResult(viewer, review.status)) {
    return { href: `${base}/result`, labelKey: 'reviews.openResult' };
  }
  return { href: base, labelKey: 'home.openOverview' };
}

/** Whether every rater on the panel has submitted (the consensus may start), as the task list decides it. */
function allRatersSubmitted(panel: readonly PanelMember[]): boolean {
  return (
    panel.some((member) => isRaterRole(member.role)) &&
    panel.every((member) => !isRaterRole(member.role) || member.submittedAt !== undefined)
  );
}

function describeReview(review: ReviewSummary, t: Translate, locale: Locale) {
  return {
    id: review.id,
    programName: review.programName,
    // A program's rounds look alike in a list: the site visit tells them apart (a self-assessment has a date, no visit).
    when:
      review.visitStart === undefined && review.visitEnd === undefined
        ? undefined
        : `${t(review.kind === 'self_assessment' ? 'reviews.self.date' : 'reviews.visit')} ${formatLongDateRange(review.visitStart, review.visitEnd, locale)}`,
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
      const panel = reviews.listPanel(review.id);
      const membership = findMembership(panel, user.id);
      const viewer: Viewer = { user, membership };
      const rated = canRate(viewer, review.status) ? (reviews.countRatedByRater(review.id).get(user.id) ?? 0) : 0;
      const allDecided = () => {
        const full = reviews.findReviewById(review.id);
        if (!full) return false;
        // The judgement is not asked for here (hasJudgement left out): the check page the link leads to lists it.
        const state = { rubric: full.rubric.rubric, panel, consensus: reviews.listDecidedIndicators(review.id), kind: review.kind };
        return findTransitionBlockers(state, { from: 'consensus', to: 'final' }).length === 0;
      };
      const action = findNextAction(viewer, review, { panel, ratedByViewer: rated, allDecided });
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
