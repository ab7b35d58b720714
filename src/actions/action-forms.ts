// zod schemas for the action plan's forms.
import { z } from 'zod';
import { idParam, optionalDate, optionalText } from '../http/form-fields.js';
import { ACTION_STATUSES } from './action-status.js';
import type { MessageKey } from '../i18n/messages.js';
import type { ActionUpdate } from './action-store.js';

export const OWNER_NAME_MAX = 200;
export const NOTE_TEXT_MAX = 2000;

export const CreatePlanFormSchema = z.object({ review_id: idParam });

export const ActionQuerySchema = z.object({ review: idParam.optional().catch(undefined) });

/** A note's date: today when left empty, never in the future, and never before the review the action follows. */
function noteDate(today: string, earliest: { readonly day: string; readonly text: string }) {
  return optionalDate
    .refine((date) => date === undefined || date <= today, { error: 'readiness.checkedInFuture' })
    .refine((date) => date === undefined || date >= earliest.day, { error: 'actions.beforeReview', params: { date: earliest.text } });
}

/**
 * `earliest` is the first day of the review the action follows (its visit, or the day it was made), and that day as
 * the message names it.
 *
 * `stored` is the owner as the form shows it now: the person chosen in the list, or the name in the name field.
 *
 * The action's form: status, owner (one of the program's people by id, or a name typed in), due date, and optionally
 * a progress note with its date, saved together with the change so one Save keeps everything typed. The list shows
 * the stored person, so a name typed beside it replaces that person, and a person chosen beside a stored name
 * replaces the name; only a new person and a new name together are refused, since either may be meant.
 */
export function createActionFormSchema(
  ownerIds: readonly number[],
  today: string,
  earliest: { readonly day: string; readonly text: string },
  stored: StoredOwner = { ownerUserId: undefined, ownerName: '' },
) {
  return z
    .object({
      owner_user_id: z
        .string({ error: 'validation.invalidChoice' })
        .optional()
        .transform((value) => (value ?? '').trim())
        .refine((value) => value === '' || (/^\d{1,15}$/.test(value) && ownerIds.includes(Number(value))), {
          error: 'validation.invalidChoice',
        })
        .transform((value) => (value === '' ? undefined : Number(value))),
      owner_name: optionalText(OWNER_NAME_MAX),
      // An action follows its review: due before it, it would be overdue from the start.
      due_on: optionalDate.refine((date) => date === undefined || date >= earliest.day, {
        error: 'actions.beforeReview',
        params: { date: earliest.text },
      }),
      status: z.enum(ACTION_STATUSES, { error: 'validation.invalidChoice' }),
      version: z.coerce.number({ error: 'validation.invalid' }).int().min(0).max(Number.MAX_SAFE_INTEGER),
      noted_on: noteDate(today, earliest),
      note: optionalText(NOTE_TEXT_MAX),
    })
    .superRefine((value, ctx) => {
      if (chooseOwner(value, stored) === 'both') {
        ctx.addIssue({ code: 'custom', path: ['owner_name'], message: 'actions.ownerBoth' });
      }
      // A date alone would be dropped without a word: ask for the note instead.
      if (value.noted_on !== undefined && value.note === '') {
        ctx.addIssue({ code: 'custom', path: ['note'], message: 'actions.noteDateWithoutText' });
      }
    })
    .transform((value): ActionUpdate => {
      const owner = chooseOwner(value, stored);
      return {
        ownerUserId: owner === 'name' ? undefined : value.owner_user_id,
        ownerName: owner === 'person' ? '' : value.owner_name,
        dueOn: value.due_on,
        status: value.status,
        expectedVersion: value.version,
        note: value.note === '' ? undefined : { notedOn: value.noted_on ?? today, text: value.note },
      };
    });
}

/** The owner as the action form shows it before any change. */
export type StoredOwner = { readonly ownerUserId: number | undefined; readonly ownerName: string };

/**
 * Which of a person chosen and a name typed is the owner when the form holds both: the one that changed from what
 * the form showed. Both changed is 'both' (refused); otherwise at most one is set and it is the owner as it stands.
 */
function chooseOwner(
  value: { readonly owner_user_id: number | undefined; readonly owner_name: string },
  stored: StoredOwner,
): 'person' | 'name' | 'both' | 'one' {
  if (value.owner_user_id === undefined || value.owner_name === '') return 'one';
  if (value.owner_user_id === stored.ownerUserId) return 'name';
  if (value.owner_name === stored.ownerName) return 'person';
  return 'both';
}

/** Each field's name in a sentence, so every error message names its field (parseForm's FieldLabeller). */
export const ACTION_FIELD_LABELS = {
  review_id: 'actions.fieldNames.review_id',
  status: 'actions.fieldNames.status',
  owner_user_id: 'actions.fieldNames.owner_user_id',
  owner_name: 'actions.fieldNames.owner_name',
  due_on: 'actions.fieldNames.due_on',
  noted_on: 'actions.fieldNames.noted_on',
  note: 'actions.fieldNames.note',
} as const satisfies Readonly<Record<string, MessageKey>>;
