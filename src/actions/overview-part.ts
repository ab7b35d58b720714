// What a review's overview shows of the action plan (src/reviews/overview-part.ts): the round before it, with each of
// its recommendations and what became of it.
import type { Clock } from '../clock.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { LastRoundView, OverviewParts } from '../reviews/overview-part.js';
import { findPreviousRound, findRoundDate, listFinalPeerReviews } from '../reviews/review-rounds.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { Review } from '../reviews/review-types.js';
import { matchActions, recommendationKey } from './action-matching.js';
import { isOverdue } from './action-status.js';
import { todayInSweden } from '../i18n/calendar.js';
import type { ActionStore } from './action-store.js';

export function createLastRoundPart({
  reviews,
  actions,
  clock,
}: {
  readonly reviews: ReviewStore;
  readonly actions: ActionStore;
  readonly clock: Clock;
}): Pick<OverviewParts, 'describeLastRound'> {
  const describe = (previous: Review, t: Translate, locale: Locale): LastRoundView => {
    const today = todayInSweden(clock());
    const recommendations = reviews.listRecommendations(previous.id);
    const planned = matchActions(recommendations, actions.listActionsOfReview(previous.id)).byRecommendation;
    return {
      reviewId: previous.id,
      programId: previous.programId,
      date: findRoundDate(previous),
      sections: previous.rubric.rubric.sections
        .map((section) => ({
          code: section.code,
          title: section.title[locale],
          items: recommendations
            .filter((finding) => finding.sectionId === section.id)
            .sort((a, b) => a.position - b.position)
            .map((finding) => {
              const action = planned.get(recommendationKey(finding));
              return {
                text: finding.text,
                statusLabel: action ? t(`actions.statuses.${action.status}`) : t('actions.lastRound.noAction'),
                overdue: action ? isOverdue(action, today) : false,
                dueOn: action?.dueOn,
                owner: action?.ownerName ?? '',
                latestNote: action?.latestNote ? `${action.latestNote.notedOn}: ${action.latestNote.text}` : undefined,
              };
            }),
        }))
        .filter((section) => section.items.length > 0),
    };
  };
  return {
    describeLastRound: (review, t, locale) => {
      // The program's reviews are read whole (with their pinned rubrics), so last round is not read a second time.
      const previous = findPreviousRound(listFinalPeerReviews(reviews, review.programId), review);
      return previous ? describe(previous, t, locale) : undefined;
    },
  };
}
