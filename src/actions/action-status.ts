// Action statuses and when an action is overdue. Pure.
import { z } from 'zod';

export const ACTION_STATUSES = ['not_started', 'in_progress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ActionStatusSchema = z.enum(ACTION_STATUSES);

/** Done and dropped actions are closed: they are never overdue. */
export function isOpen(status: ActionStatus): boolean {
  return status === 'not_started' || status === 'in_progress';
}

/**
 * Overdue: still open after its due date. `today` and `dueOn` are ISO days (YYYY-MM-DD), which compare as text;
 * an action due today is not overdue yet, and one without a due date never is.
 */
export function isOverdue(action: { readonly status: ActionStatus; readonly dueOn: string | undefined }, today: string): boolean {
  return isOpen(action.status) && action.dueOn !== undefined && action.dueOn < today;
}
