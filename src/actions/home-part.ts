// What the start page shows of a program's action plan (src/home/program-home-part.ts): over every final peer review
// of the program, its actions still open or overdue (actions whose recommendation was withdrawn are not counted),
// and per round the recommendations with no action yet.
import type { Translate } from '../i18n/messages.js';
import { findRoundDate } from '../reviews/review-rounds.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { ReviewSummary } from '../reviews/review-types.js';
import { matchActions } from './action-matching.js';
import { isOpen, isOverdue } from './action-status.js';
import type { Action, ActionStore } from './action-store.js';

export type HomeActions = {
  readonly href: string;
  readonly open: number;
  readonly openText: string;
  readonly overdue: number;
  readonly overdueText: string;
  /** Rounds with recommendations that have no action, latest first, each linking to its own plan. */
  readonly unplanned: readonly { readonly href: string; readonly count: number; readonly text: string }[];
};

export function createHomeActionsPart({ reviews, actions }: { readonly reviews: ReviewStore; readonly actions: ActionStore }) {
  /** The start page's action plan line: open and overdue actions of every round, and what each round still lacks. */
  return (programId: number, finals: readonly ReviewSummary[], t: Translate, today: string): HomeActions => {
    const href = `/programs/${programId}/actions`;
    const current: Action[] = [];
    const unplanned: { href: string; count: number; text: string }[] = [];
    for (const round of finals) {
      const recommendations = reviews.listFindings(round.id).filter((finding) => finding.kind === 'recommendation');
      // Matched as the plan page matches them: an action whose recommendation was withdrawn is not one to do.
      const matched = [...matchActions(recommendations, actions.listActionsOfReview(round.id)).byRecommendation.values()];
      current.push(...matched);
      const count = recommendations.length - matched.length;
      if (count === 0) continue;
      const text = count === 1 ? t('programMembers.homeUnplannedOne') : t('programMembers.homeUnplanned', { count });
      unplanned.push({
        href: `${href}?review=${round.id}`,
        count,
        // With more than one round the date says which plan lacks them.
        text:
          finals.length > 1
            ? t('programMembers.homeRound', { text, round: t('actions.reviewOption', { date: findRoundDate(round) }) })
            : text,
      });
    }
    const open = current.filter((action) => isOpen(action.status)).length;
    const overdue = current.filter((action) => isOverdue(action, today)).length;
    return {
      href,
      open,
      openText: open === 1 ? t('programMembers.homeActionsOne') : t('programMembers.homeActions', { count: open }),
      overdue,
      overdueText: t('programMembers.homeOverdue', { count: overdue }),
      unplanned,
    };
  };
}
