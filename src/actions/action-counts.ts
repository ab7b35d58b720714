// How the action plan page and the start page count actions in words. The counts never overlap: the overdue actions
// are a part of the open ones ("8 pågår …, varav 1 försenad"), and the open and the closed add up to the total. Each
// text says its scope where the two pages differ: the plan page counts the round it shows, the start page every round.
import type { Translate } from '../i18n/messages.js';
import { isOpen, isOverdue } from './action-status.js';

export type ActionCounts = {
  readonly total: number;
  /** Not started or in progress. */
  readonly open: number;
  /** Open and past their due date: a part of `open`. */
  readonly overdue: number;
};

/** The counts of the actions that follow a round's recommendations (a withdrawn recommendation's action is not one). */
export function countActions(
  actions: readonly { readonly status: Parameters<typeof isOpen>[0]; readonly dueOn: string | undefined }[],
  today: string,
): ActionCounts {
  return {
    total: actions.length,
    open: actions.filter((action) => isOpen(action.status)).length,
    overdue: actions.filter((action) => isOverdue(action, today)).length,
  };
}

/** The plan page's sentence on the round it shows: "15 åtgärder i den här omgången: 8 pågår … (varav 1 försenad) och 7 …". */
export function describeRoundCounts(counts: ActionCounts, t: Translate): string {
  if (counts.total === 0) return t('actions.counts.roundNone');
  if (counts.total === 1) {
    const state = counts.overdue > 0 ? 'actions.countsOneOverdue' : counts.open > 0 ? 'actions.countsOneOpen' : 'actions.countsOneClosed';
    return t('actions.counts.roundOne', { state: t(state) });
  }
  const closed = counts.total - counts.open;
  const open = counts.open === 1 ? t('actions.counts.openOne') : t('actions.counts.open', { count: counts.open });
  return t('actions.counts.round', {
    total: t('actions.counts.total', { count: counts.total }),
    open: counts.overdue > 0 ? t('actions.counts.openWithOverdue', { open, overdue: describeOverdue(counts.overdue, t) }) : open,
    closed: closed === 1 ? t('actions.counts.closedOne') : t('actions.counts.closed', { count: closed }),
  });
}

/** "varav 1 försenad" / "1 of them overdue": the overdue as a part of the open actions named just before. */
export function describeOverdue(overdue: number, t: Translate): string {
  return overdue === 1 ? t('actions.counts.overdueOne') : t('actions.counts.overdue', { count: overdue });
}

/**
 * The start page's open actions. With more than one round it names its scope ("från alla omgångar"), since the plan
 * page opens on one round and counts only that one. Followed by the overdue part when there is one, hence the comma.
 */
export function describeOpenActions(open: number, overdue: number, rounds: number, t: Translate): string {
  const text =
    rounds > 1
      ? open === 1
        ? t('actions.counts.allRoundsOpenOne')
        : t('actions.counts.allRoundsOpen', { count: open })
      : open === 1
        ? t('programMembers.homeActionsOne')
        : t('programMembers.homeActions', { count: open });
  return overdue > 0 ? t('actions.counts.beforeOverdue', { text }) : text;
}
