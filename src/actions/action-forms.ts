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
 * `stored` is the owner as stored now, the person chosen or the name typed: what a form is judged against when it
 * does not say what it showed (one posted without its owner markers, e.g. from a page loaded before they existed).
 *
 * The action's form: status, owner (one of the program's people by id, or a name typed in), due date, and optionally
 * a progress note with its date, saved together with the change so one Save keeps everything typed. The list shows
 * the owner's person, so a name typed beside it replaces that person, and a person chosen beside a shown name
 * replaces the name; only a new person and a new name together are refused, since either may be meant. "Shown" is
 * the owner the page showed when it was loaded, carried in the hidden "owner_user_id_base" and "owner_name_base" (form
 * markers, see isFormMarker), not the one stored now: when someone else changed the owner meanwhile, the form is not
 * refused for it here but saved against its version, which gives the conflict. A refused or conflicting save gives
 * the markers back as posted, so the next Save is judged against the owner the person typed beside.
 */
export function createActionFormSchema(
  ownerIds: readonly number[],
  today: string,
  earliest: { readonly day: string; readonly text: string },
  stored: ShownOwner = { ownerUserId: undefined, ownerName: '' },
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
      // The owner the page showed (markers the page sets): a malformed one counts as missing, and the stored owner decides.
      owner_user_id_base: z
        .string()
        .regex(/^\d{0,15}$/)
        .optional()
        .catch(undefined),
      owner_name_base: z.string().max(OWNER_NAME_MAX).optional().catch(undefined),
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
      if (chooseOwner(value, shownOwner(value, stored)) === 'both') {
        ctx.addIssue({ code: 'custom', path: ['owner_name'], message: 'actions.ownerBoth' });
      }
      // A date alone would be dropped without a word: ask for the note instead.
      if (value.noted_on !== undefined && value.note === '') {
        ctx.addIssue({ code: 'custom', path: ['note'], message: 'actions.noteDateWithoutText' });
      }
    })
    .transform((value): ActionUpdate => {
      const owner = chooseOwner(value, shownOwner(value, stored));
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

/** The owner as the action form shows it before any change: the person chosen in the list, or the name typed. */
export type ShownOwner = { readonly ownerUserId: number | undefined; readonly ownerName: string };

/** The owner the posted form showed, from its markers; `stored` when it carries none. */
function shownOwner(
  value: { readonly owner_user_id_base?: string | undefined; readonly owner_name_base?: string | undefined },
  stored: ShownOwner,
): ShownOwner {
  if (value.owner_user_id_base === undefined && value.owner_name_base === undefined) return stored;
  return {
    ownerUserId: value.owner_user_id_base ? Number(value.owner_user_id_base) : undefined,
    // Trimmed as the name field is, so a name left as shown compares equal.
    ownerName: (value.owner_name_base ?? '').replace(/\r\n?/g, '\n').trim(),
  };
}

/**
 * Which of a person chosen and a name typed is the owner when the form holds both: the one that changed from what
 * the form showed. Both changed is 'both' (refused); otherwise at most one is set and it is the owner as it stands.
 */
function chooseOwner(
  value: { readonly owner_user_id: number | undefined; readonly owner_name: string },
  shown: ShownOwner,
): 'person' | 'name' | 'both' | 'one' {
  if (value.owner_user_id === undefined || value.owner_name === '') return 'one';
  if (value.owner_user_id === shown.ownerUserId) return 'name';
  if (value.owner_name === shown.ownerName) return 'person';
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
