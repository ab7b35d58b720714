// The outcome form of one period. Counts are whole numbers; case managers may be part-time (one or two decimals,
// with a comma or a point); "1 000" in digit groups is a thousand. Moved in is the denominator of the retention figures
// and the first-hand lease share, so none of those may exceed it, and a period cannot end before it starts, nor today
// or later: its figures are entered once it has ended. The figures of migration 14 (offered a flat,
// exits by reason, eviction threats, terminated leases, the median days to keys) may be left empty: not recorded.
import { z } from 'zod';
import { optionalText, requiredDate } from '../http/form-fields.js';
import type { MessageKey } from '../i18n/messages.js';
import { EXIT_REASONS, type OutcomeInput } from './outcome-store.js';

export const OUTCOME_NOTE_MAX = 2000;

/** Digit groups as people type them ("1 000"): a space, a no-break space or a narrow no-break space every three digits. */
const DIGIT_GROUPS = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$/;
/** A negative number, with a hyphen or a true minus sign: refused with a message of its own ("0 eller fler"). */
const NEGATIVE = /^[-\u2212]\s*\d/;

/**
 * A typed count as a whole number: "1 000" (in digit groups) is 1000. One message per field: a negative number asks
 * for 0 or more, anything else that is not a whole number asks for one. The issue lets the checks across fields run
 * (`continue`), so every error shows at once; they see the refused field as no number (see `accepted`).
 */
function parseCount(value: string, ctx: z.RefinementCtx): number {
  const digits = DIGIT_GROUPS.test(value) ? value.replace(/\D/g, '') : value;
  if (/^\d{1,6}$/.test(digits)) return Number(digits);
  ctx.addIssue({ code: 'custom', message: NEGATIVE.test(value) ? 'outcomes.errors.negative' : 'validation.notANumber', continue: true });
  return z.NEVER;
}

// One message per field: an empty one is only required (zod runs the transform only on a value that passed).
const count = z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).transform(parseCount);

/**
 * A field refused above reaches the checks across fields as it was typed (zod skips its transform) or as no number
 * (a count refused in its transform), so those checks hold only accepted values to each other: "-1" or "" is never
 * the moved-in count the others may not exceed.
 */
const accepted = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const acceptedDate = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

const caseManagers = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .transform((value, ctx) => {
    if (/^\d{1,4}([.,]\d{1,2})?$/.test(value)) return Number(value.replace(',', '.'));
    ctx.addIssue({
      code: 'custom',
      message: NEGATIVE.test(value) ? 'outcomes.errors.negative' : 'outcomes.errors.caseManagers',
      continue: true,
    });
    return z.NEVER;
  });

/** A count that may be left empty (not recorded): null. */
const optionalCount = z
  .string({ error: 'validation.notANumber' })
  .optional()
  .transform((value, ctx) => {
    const trimmed = (value ?? '').trim();
    return trimmed === '' ? null : parseCount(trimmed, ctx);
  });

const kind = z
  .string({ error: 'validation.required' })
  .optional()
  .transform((value) => (value ?? '').trim() || 'period')
  .pipe(z.enum(['period', 'since_start'], { error: 'outcomes.errors.kind' }));

/** The counts that have moved in as their denominator. */
export const COUNTS_OF_MOVED_IN = ['still_first_flat', 'still_in_program', 'first_hand_leases'] as const;

const OutcomeFieldsSchema = z
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
    kind,
    offered: optionalCount,
    exits_own_lease: optionalCount,
    exits_care: optionalCount,
    exits_died: optionalCount,
    exits_left: optionalCount,
    exits_other: optionalCount,
    eviction_threats: optionalCount,
    terminated_leases: optionalCount,
    median_days_to_keys: optionalCount,
  })
  .superRefine((value, ctx) => {
    if (acceptedDate(value.period_start) && acceptedDate(value.period_end) && value.period_end < value.period_start) {
      ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'validation.endBeforeStart' });
    }
    for (const field of COUNTS_OF_MOVED_IN) {
      if (accepted(value[field]) && accepted(value.moved_in) && value[field] > value.moved_in) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'outcomes.errors.exceedsMovedIn', params: { max: value.moved_in } });
      }
    }
    // Nobody moves in without an offer: in a since-start count the offers include everyone who moved in.
    if (value.kind === 'since_start' && accepted(value.offered) && accepted(value.moved_in) && value.offered < value.moved_in) {
      ctx.addIssue({ code: 'custom', path: ['offered'], message: 'outcomes.errors.offeredBelowMovedIn', params: { min: value.moved_in } });
    }
  });

function toOutcomeInput(value: z.output<typeof OutcomeFieldsSchema>): OutcomeInput {
  return {
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
    kind: value.kind,
    details: {
      offered: value.offered,
      exits: Object.fromEntries(EXIT_REASONS.map((reason) => [reason, value[`exits_${reason}`]])) as Record<
        (typeof EXIT_REASONS)[number],
        number | null
      >,
      evictionThreats: value.eviction_threats,
      terminatedLeases: value.terminated_leases,
      medianDaysToKeys: value.median_days_to_keys,
    },
  };
}

/** The day before an ISO day ("2027-01-01" → "2026-12-31"). */
export function dayBefore(isoDay: string): string {
  const day = new Date(`${isoDay}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/**
 * The outcome form of one period. `today` is the app's day in Sweden: a period must have ended, so its last day is
 * yesterday at the latest (figures for a year entered in December would be read as the whole year's).
 * `lastDayText` is that latest last day as the message names it ("6 december 2026"). `storedEnd`, on an edit: the
 * period's last day as stored, which stands even if the period had not ended (one stored before this rule), so a typo
 * in its figures can still be mended without moving its end.
 */
export function createOutcomeFormSchema(today: string, lastDayText: string, storedEnd?: string) {
  return OutcomeFieldsSchema.superRefine((value, ctx) => {
    if (acceptedDate(value.period_end) && value.period_end >= today && value.period_end !== storedEnd) {
      ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'outcomes.errors.notEnded', params: { date: lastDayText } });
    }
  }).transform(toOutcomeInput);
}

/** The optional figures, in the form's order. */
export const OUTCOME_DETAIL_FIELDS = [
  'offered',
  'eviction_threats',
  'terminated_leases',
  'median_days_to_keys',
  'exits_own_lease',
  'exits_care',
  'exits_died',
  'exits_left',
  'exits_other',
] as const;

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
  kind: 'outcomes.fieldNames.kind',
  offered: 'outcomes.fieldNames.offered',
  exits_own_lease: 'outcomes.fieldNames.exits_own_lease',
  exits_care: 'outcomes.fieldNames.exits_care',
  exits_died: 'outcomes.fieldNames.exits_died',
  exits_left: 'outcomes.fieldNames.exits_left',
  exits_other: 'outcomes.fieldNames.exits_other',
  eviction_threats: 'outcomes.fieldNames.eviction_threats',
  terminated_leases: 'outcomes.fieldNames.terminated_leases',
  median_days_to_keys: 'outcomes.fieldNames.median_days_to_keys',
} as const satisfies Readonly<Record<string, MessageKey>>;
