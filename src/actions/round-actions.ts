// The actions a program has to do, over every final peer review of it: each round's actions matched to its
// recommendations as they are now, so an action whose recommendation was withdrawn is not one to do. The start page
// counts the overdue ones and the action plan page lists them from this same list, so the two always agree.
import type { ReviewStore } from '../reviews/review-store.js';
import type { Finding, ReviewSummary } from '../reviews/review-types.js';
import { matchActions, recommendationKey } from './action-matching.js';
import { isOverdue } from './action-status.js';
import type { Action, ActionStore } from './action-store.js';

/** The anchor of the overdue actions' list on the action plan page, which the start page links to. */
export const OVERDUE_ANCHOR = 'overdue';

export type PlannedAction = { readonly recommendation: Finding; readonly action: Action };

export type RoundActions = {
  readonly round: ReviewSummary;
  readonly recommendations: readonly Finding[];
  /** The recommendations that have an action, each with it, in the recommendations' order. */
  readonly planned: readonly PlannedAction[];
};

export type OverdueAction = PlannedAction & { readonly round: ReviewSummary };

/** Each round (a final peer review) with its recommendations and the actions that follow them, in the rounds' order. */
export function listRoundActions(
  { reviews, actions }: { readonly reviews: ReviewStore; readonly actions: ActionStore },
  rounds: readonly ReviewSummary[],
): RoundActions[] {
  return rounds.map((round) => {
    const recommendations = reviews.listFindings(round.id).filter((finding) => finding.kind === 'recommendation');
    const match = matchActions(recommendations, actions.listActionsOfReview(round.id));
    const planned = recommendations.flatMap((recommendation) => {
      const action = match.byRecommendation.get(recommendationKey(recommendation));
      return action ? [{ recommendation, action }] : [];
    });
    return { round, recommendations, planned };
  });
}

/** The overdue actions of every round on `today` (an ISO day in Sweden), the longest overdue first. */
export function listOverdueActions(rounds: readonly RoundActions[], today: string): OverdueAction[] {
  return rounds
    .flatMap(({ round, planned }) => planned.filter(({ action }) => isOverdue(action, today)).map((item) => ({ ...item, round })))
    .sort((a, b) => (a.action.dueOn ?? '').localeCompare(b.action.dueOn ?? '') || a.action.id - b.action.id);
}
