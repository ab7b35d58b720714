// What the start page shows of a program's action plan (src/home/program-home-part.ts): over every final peer review
// of the program, its actions still open and how many of them are overdue (actions whose recommendation was withdrawn
// are not counted), and per round the recommendations with no action yet. The overdue ones link to their list on the
// plan page.
import { formatLongDate } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import { findRoundDate } from '../reviews/review-rounds.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { ReviewSummary } from '../reviews/review-types.js';
import { describeOpenActions, describeOverdue } from './action-counts.js';
import { isOpen } from './action-status.js';
import type { ActionStore } from './action-store.js';
import { listOverdueActions, listRoundActions, OVERDUE_ANCHOR } from './round-actions.js';

export type HomeActions = {
  readonly href: string;
  readonly open: number;
  readonly openText: string;
  readonly overdue: number;
  readonly overdueText: string;
  /** The plan page's list of overdue actions, whichever round it opens on. */
  readonly overdueHref: string;
  /** Rounds with recommendations that have no action, latest first, each linking to its own plan. */
  readonly unplanned: readonly { readonly href: string; readonly count: number; readonly text: string }[];
};

export function createHomeActionsPart({ reviews, actions }: { readonly reviews: ReviewStore; readonly actions: ActionStore }) {
  /** The start page's action plan line: open and overdue actions of every round, and what each round still lacks. */
  return (programId: number, finals: readonly ReviewSummary[], t: Translate, today: string, locale: Locale): HomeActions => {
    const href = `/programs/${programId}/actions`;
    const rounds = listRoundActions({ reviews, actions }, finals);
    const unplanned: { href: string; count: number; text: string }[] = [];
    for (const { round, recommendations, planned } of rounds) {
      const count = recommendations.length - planned.length;
      if (count === 0) continue;
      const text = count === 1 ? t('programMembers.homeUnplannedOne') : t('programMembers.homeUnplanned', { count });
      unplanned.push({
        href: `${href}?review=${round.id}`,
        count,
        // With more than one round the date says which plan lacks them, written as in prose ("1 mars 2027").
        text:
          finals.length > 1
            ? t('programMembers.homeRound', {
                text,
                round: t('actions.reviewOption', { date: formatLongDate(findRoundDate(round), locale) }),
              })
            : text,
      });
    }
    const open = rounds.flatMap((round) => round.planned).filter(({ action }) => isOpen(action.status)).length;
    const overdue = listOverdueActions(rounds, today).length;
    return {
      href,
      open,
      // "14 åtgärder från alla omgångar pågår …, ⚠ varav 2 försenade": the overdue are a part of the open ones.
      openText: describeOpenActions(open, overdue, finals.length, t),
      overdue,
      overdueText: describeOverdue(overdue, t),
      overdueHref: `${href}#${OVERDUE_ANCHOR}`,
      unplanned,
    };
  };
}
