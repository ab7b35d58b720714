// zod schemas for the action plan's forms.
import { z } from 'zod';
import { idParam, optionalDate, optionalText, requiredText } from '../http/form-fields.js';
import { ACTION_STATUSES } from './action-status.js';

export const OWNER_NAME_MAX = 200;
export const NOTE_TEXT_MAX = 2000;

export const CreatePlanFormSchema = z.object({ review_id: idParam });

export const ActionQuerySchema = z.object({ review: idParam.optional().catch(undefined) });

/** The owner is one of the program's people (by id) or a name typed in, not both. */
export function createActionFormSchema(ownerIds: readonly number[]) {
  return z
    .object({
      owner_user_id: z
        .string({ error: 'validation.invalidChoice' })
        .optional()
        .transform((value) => (value ?? '').trim())
        .refine((value) => value === '' || (/^\d{1,15}$/.test(value) && ownerIds.includes(Number(value))), { error: 'validation.invalidChoice' })
        .transform((value) => (value === '' ? undefined : Number(value))),
      owner_name: optionalText(OWNER_NAME_MAX),
      due_on: optionalDate,
      status: z.enum(ACTION_STATUSES, { error: 'validation.invalidChoice' }),
      version: z.coerce.number({ error: 'validation.invalid' }).int().min(0).max(Number.MAX_SAFE_INTEGER),
    })
    .superRefine((value, ctx) => {
      if (value.owner_user_id !== undefined && value.owner_name !== '') {
        ctx.addIssue({ code: 'custom', path: ['owner_name'], message: 'actions.ownerBoth' });
      }
    });
}

/** A progress note: its date (today when left empty, never in the future) and its text. */
export function createNoteFormSchema(today: string) {
  return z.object({
    noted_on: optionalDate.refine((date) => date === undefined || date <= today, { error: 'readiness.checkedInFuture' }),
    text: requiredText(NOTE_TEXT_MAX),
  });
}
