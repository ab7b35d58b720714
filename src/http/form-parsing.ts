// Turns a raw form body into a typed value, or into field errors in the user's language
// plus the values as typed, so the form can come back with status 422 and nothing lost.
import type { z } from 'zod';
import { isMessageKey, type MessageParams, type Translate } from '../i18n/messages.js';

export type RawForm = Readonly<Record<string, string | readonly string[]>>;
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

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

export function parseForm<S extends z.ZodType>(schema: S, body: unknown, t: Translate): FormResult<z.output<S>> {
  const raw = toRawForm(body);
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: localizeIssues(result.error.issues, raw, t), values: raw };
}

export function localizeIssues(issues: readonly z.core.$ZodIssue[], raw: RawForm, t: Translate): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    const message = localizeIssue(issue, raw[field], t);
    const list = (errors[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return errors;
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
      if (issue.origin === 'string') return typeof line === 'number' ? t('validation.lineTooLong', { max, line: line + 1 }) : t('validation.tooLong', { max });
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
