// The outcome form of one period. Counts are whole numbers; case managers may be part-time (one or two decimals,
// with a comma or a point). Moved in is the denominator of the retention figures and the first-hand lease share,
// so none of those may exceed it, and a period cannot end before it starts.
import { z } from 'zod';
import { optionalText } from '../http/form-fields.js';
import type { MessageKey } from '../i18n/messages.js';
import type { OutcomeInput } from './outcome-store.js';

export const OUTCOME_NOTE_MAX = 2000;
const COUNT_MAX = 999_999;

const requiredDate = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .pipe(z.iso.date({ error: 'validation.invalidDate' }));

const count = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .regex(/^\d{1,6}$/, { error: 'validation.notANumber' })
  .transform(Number)
  .pipe(z.number().int().min(0).max(COUNT_MAX));

const caseManagers = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .regex(/^\d{1,4}([.,]\d{1,2})?$/, { error: 'outcomes.errors.caseManagers' })
  .transform((value) => Number(value.replace(',', '.')));

/** The counts that have moved in as their denominator. */
export const COUNTS_OF_MOVED_IN = ['still_first_flat', 'still_in_program', 'first_hand_leases'] as const;

export const OutcomeFormSchema = z
  .object({
    period_start: requiredDate,
    period_end: requiredDate,
    moved_in: count,
    still_first_flat: count,
    still_in_program: count,
    first_hand_leases: count,
    evictions: count,
    complaints: count,
    clients: count,
    case_managers: caseManagers,
    note: optionalText(OUTCOME_NOTE_MAX),
  })
  .superRefine((value, ctx) => {
    if (value.period_end < value.period_start) {
      ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'validation.endBeforeStart' });
    }
    for (const field of COUNTS_OF_MOVED_IN) {
      if (value[field] > value.moved_in) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'outcomes.errors.exceedsMovedIn', params: { max: value.moved_in } });
      }
    }
  })
  .transform(
    (value): OutcomeInput => ({
      periodStart: value.period_start,
      periodEnd: value.period_end,
      movedIn: value.moved_in,
      stillFirstFlat: value.still_first_flat,
      stillInProgram: value.still_in_program,
      firstHandLeases: value.first_hand_leases,
      evictions: value.evictions,
      complaints: value.complaints,
      clients: value.clients,
      caseManagers: value.case_managers,
      note: value.note,
    }),
  );

export const OUTCOME_FIELDS = [
  'moved_in',
  'still_first_flat',
  'still_in_program',
  'first_hand_leases',
  'evictions',
  'complaints',
  'clients',
  'case_managers',
] as const;

/** Each field's name in a sentence, so every error message names its field (parseForm's FieldLabeller). */
export const OUTCOME_FIELD_LABELS = {
  period_start: 'outcomes.fieldNames.period_start',
  period_end: 'outcomes.fieldNames.period_end',
  moved_in: 'outcomes.fieldNames.moved_in',
  still_first_flat: 'outcomes.fieldNames.still_first_flat',
  still_in_program: 'outcomes.fieldNames.still_in_program',
  first_hand_leases: 'outcomes.fieldNames.first_hand_leases',
  evictions: 'outcomes.fieldNames.evictions',
  complaints: 'outcomes.fieldNames.complaints',
  clients: 'outcomes.fieldNames.clients',
  case_managers: 'outcomes.fieldNames.case_managers',
  note: 'outcomes.fieldNames.note',
} as const satisfies Readonly<Record<string, MessageKey>>;
