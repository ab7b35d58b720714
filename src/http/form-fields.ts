// zod building blocks for form fields. Every message is a key into the validation messages,
// translated when the form is shown again (see form-parsing.ts).
import { z } from 'zod';
import { findPersonalIdentityNumbers } from '../privacy/personnummer.js';

// Control characters other than tab, line feed and carriage return have no place in form text.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function refuseUnsafeText(value: string, ctx: z.RefinementCtx): void {
  if (CONTROL_CHARACTERS.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'validation.controlCharacters' });
    return;
  }
  const numbers = findPersonalIdentityNumbers(value);
  if (numbers.length > 0) {
    ctx.addIssue({ code: 'custom', message: 'validation.personalIdentityNumber', params: { numbers: numbers.join(', ') } });
  }
}

/** A required single-line text: trimmed, length-limited, no control characters or personal identity numbers. */
export function requiredText(max = 200) {
  return z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(max).superRefine(refuseUnsafeText);
}

/** Optional free text (single line or textarea): empty is fine. Line endings are normalised to \n. */
export function optionalText(max = 4000) {
  return z
    .string({ error: 'validation.invalid' })
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max).superRefine(refuseUnsafeText));
}

// A date typed year first, as Swedes write it, where the browser shows a text box instead of a date picker: with one
// or two digits for the month and the day and a hyphen, slash or full stop between ("2027-3-31", "2027/03/31"), or
// eight digits together ("20270331").
const TYPED_DATE = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2}))$/;

/**
 * A date as typed into a text box, in the ISO form a date picker sends ("2027-3-31" → "2027-03-31"). Anything else
 * comes back as it was, for the date check to refuse; whether the day exists is that check's to say, too.
 */
export function normaliseTypedDate(value: string): string {
  const match = TYPED_DATE.exec(value);
  if (!match) return value;
  const [, year = '', , month = match[5] ?? '', day = match[6] ?? ''] = match;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * An ISO date (YYYY-MM-DD) that exists in the calendar, or undefined when left empty. A date picker sends that form;
 * a text box in its place may send a year-first date as Swedes type it (see normaliseTypedDate).
 */
export const optionalDate = z
  .string({ error: 'validation.invalidDate' })
  .optional()
  .transform((value) => normaliseTypedDate((value ?? '').trim()))
  .pipe(
    z.union([z.literal('').transform(() => undefined), z.iso.date({ error: 'validation.invalidDate' })], {
      error: 'validation.invalidDate',
    }),
  );

/** The same date as optionalDate, which may not be left empty (validation.required). */
export const requiredDate = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .transform(normaliseTypedDate)
  .pipe(z.iso.date({ error: 'validation.invalidDate' }));

/** A positive integer id from a form or route parameter. */
/** The version a form was based on (hidden field): 0 when there was nothing stored yet. */
export const versionField = z.coerce.number({ error: 'validation.invalid' }).int().min(0).max(Number.MAX_SAFE_INTEGER);

export const idParam = z.coerce.number({ error: 'validation.invalid' }).int().positive().max(Number.MAX_SAFE_INTEGER);

/** A checkbox: present (any value) means true. */
export const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => value !== undefined);

/** A field that may be sent several times (checkbox groups), always as an array. */
export function multiValue<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .pipe(z.array(item).max(50));
}
