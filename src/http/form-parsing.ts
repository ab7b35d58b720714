// Turns a raw form body into a typed value, or into field errors in the user's language
// plus the values as typed, so the form can come back with status 422 and nothing lost.
import type { z } from 'zod';
import { isMessageKey, type MessageKey, type MessageParams, type Translate } from '../i18n/messages.js';

export type RawForm = Readonly<Record<string, string | readonly string[]>>;
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

/**
 * The key of a form's errors that belong to no field (a wrong password, a lock-out, a refused file): the error summary
 * shows them as text, without a link, and they make the page's title start "Fel: " as a field's error does.
 */
export const FORM_ERROR = '_form';

/**
 * How a form names its fields inside messages: the field's name as it reads in a sentence ("antal som flyttat in"),
 * or undefined for a field the form does not name (its messages stay generic). With a name, every message names its
 * field ("Ange antal som flyttat in."), and messages of the form's own may use {field} and {Field} (capitalised).
 */
export type FieldLabeller = (field: string) => string | undefined;

/** A FieldLabeller from message keys per field name. */
export function labelFields(t: Translate, labels: Readonly<Record<string, MessageKey>>): FieldLabeller {
  return (field) => {
    const key = Object.hasOwn(labels, field) ? labels[field] : undefined;
    return key === undefined ? undefined : t(key);
  };
}

export type FormResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldErrors; readonly values: RawForm };

/** The request body as express.urlencoded gives it, keeping only string and string-array fields. */
export function toRawForm(body: unknown): RawForm {
  const form: Record<string, string | string[]> = {};
  if (body === null || typeof body !== 'object') return form;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') form[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) form[key] = value as string[];
  }
  return form;
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown, t: Translate, labelOf?: FieldLabeller): FormResult<z.output<S>> {
  const raw = toRawForm(body);
  // With the input in each issue, a text refused as too long can say how long it was (see localizeIssue).
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: localizeIssues(result.error.issues, raw, t, labelOf), values: raw };
}

export function localizeIssues(issues: readonly z.core.$ZodIssue[], raw: RawForm, t: Translate, labelOf?: FieldLabeller): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : FORM_ERROR;
    const label = labelOf?.(field);
    const message = localizeIssue(issue, raw[field], label === undefined ? t : namingTranslator(t, label));
    const list = errors[field] ?? [];
    errors[field] = list;
    if (!list.includes(message)) list.push(message);
  }
  return errors;
}

/**
 * A field's label as it reads inside a sentence: "Samlad bedömning" → "samlad bedömning" ("Ange samlad bedömning."),
 * but an abbreviation or a code keeps its capitals ("MI-utbildning", "B2.1", "IPS"): only a capital followed by a
 * small letter is lowered.
 */
export function inSentence(label: string): string {
  const [first = '', second = ''] = label;
  return second !== '' && second === second.toLowerCase() && second !== second.toUpperCase() ? first.toLowerCase() + label.slice(1) : label;
}

/**
 * A translator that names the field: a generic validation message becomes its named form ("validation.required" →
 * "validation.named.required": "Ange {field}."), and every message gets {field} and {Field} to use.
 */
function namingTranslator(t: Translate, label: string): Translate {
  const names = { field: inSentence(label), Field: label.charAt(0).toUpperCase() + label.slice(1) };
  return (key, params) => {
    const named = `validation.named.${key.slice('validation.'.length)}`;
    const chosen = key.startsWith('validation.') && isMessageKey(named) ? named : key;
    return t(chosen, { ...params, ...names });
  };
}

function localizeIssue(issue: z.core.$ZodIssue, rawValue: string | readonly string[] | undefined, t: Translate): string {
  const params: MessageParams = issue.code === 'custom' ? ((issue.params ?? {}) as MessageParams) : {};
  if (Array.isArray(rawValue) && issue.code === 'invalid_type') return t('validation.duplicateField');
  if (isMessageKey(issue.message) && issue.code !== 'too_big' && issue.code !== 'too_small') {
    return t(issue.message, params);
  }
  switch (issue.code) {
    case 'too_big': {
      const max = Number(issue.maximum);
      // A list field (one point a line, such as findings) is checked per line and by its number of lines.
      const line = issue.path[1];
      if (issue.origin === 'string') {
        if (typeof line === 'number') return t('validation.lineTooLong', { max: groupDigits(max, t), line: line + 1 });
        // The text as it was measured (trimmed, a line break one character), so the count is the one the limit refused.
        return typeof issue.input === 'string'
          ? t('validation.tooLongTyped', { max: groupDigits(max, t), count: groupDigits(issue.input.length, t) })
          : t('validation.tooLong', { max: groupDigits(max, t) });
      }
      return issue.origin === 'array' ? t('validation.tooManyLines', { max }) : t('validation.tooHigh', { max });
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.tooShort', { min: Number(issue.minimum) });
      }
      return t('validation.tooLow', { min: Number(issue.minimum) });
    case 'invalid_type':
      return rawValue === undefined ? t('validation.required') : t('validation.invalid');
    case 'invalid_value':
      return t('validation.invalidChoice');
    default:
      return isMessageKey(issue.message) ? t(issue.message, params) : t('validation.invalid');
  }
}

/**
 * A count in the user's language: "2 000" in Swedish (a no-break space between groups of three digits), "2,000" in
 * English. The separator is a message, since only the translator knows the language here.
 */
export function groupDigits(value: number, t: Translate): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, t('validation.digitGroupSeparator'));
}

/** A text box's limit as its hint says it, before any refusal: "Högst 2 000 tecken." (views: `lengthLimit(max)`). */
export function describeLengthLimit(max: number, t: Translate): string {
  return t('validation.lengthHint', { max: groupDigits(max, t) });
}

/** The value a field had as typed, for re-displaying a form. Arrays give their first value. */
export function formValue(values: RawForm, name: string): string {
  const value = values[name];
  if (value === undefined) return '';
  return typeof value === 'string' ? value : (value[0] ?? '');
}

export function formValues(values: RawForm, name: string): readonly string[] {
  const value = values[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
