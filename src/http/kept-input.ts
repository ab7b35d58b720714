// The page for a form that could not be saved through no fault of the user's (a full or read-only database; later
// an ended session): it says that nothing was saved and why, gives back every field as typed, and posts them again
// to the same address with a fresh CSRF token, so nothing typed is lost.
import type { Response } from 'express';
import type { Translate } from '../i18n/messages.js';
import type { RawForm } from './form-parsing.js';
import { safeLocalPath } from './locale-middleware.js';
import { renderPage } from './render-page.js';

export type KeptInput = {
  readonly status: number;
  /** Why nothing was saved and what to do, in the user's language. */
  readonly reason: string;
  /** Where the form is posted again: the address it was posted to. */
  readonly action: string;
  /** The fields as posted; the old CSRF token among them is dropped. */
  readonly fields: RawForm;
  /** The page's heading; "Nothing was saved" when not given. */
  readonly heading?: string | undefined;
};

export type KeptField =
  | { readonly kind: 'hidden'; readonly name: string; readonly value: string }
  | { readonly kind: 'password'; readonly id: string; readonly name: string; readonly label: string }
  | { readonly kind: 'text' | 'textarea'; readonly id: string; readonly name: string; readonly label: string; readonly value: string };

/** The version a form was based on ("version", "version__A1.1"): sent again as it was, but not shown. */
const VERSION_FIELD = /(^|_)version(__|$)/i;
/** Not typed by the user and not theirs to see as text (the setup link's token). */
const CARRIED_FIELDS = new Set(['token']);
const PASSWORD_FIELD = /password/i;
const LONG_TEXT = 80;

/** A readable label from a field name: "note__A1.1" → "note A1.1", "support_provider" → "support provider". */
export function labelFromFieldName(name: string): string {
  return name.replace(/_+/g, ' ').trim() || name;
}

/** The fields to give back, in the order posted: a field sent several times (checkboxes) gives one input per value. */
export function keptFields(fields: RawForm): readonly KeptField[] {
  const kept: KeptField[] = [];
  for (const [name, raw] of Object.entries(fields)) {
    if (name === '_csrf') continue;
    const values = typeof raw === 'string' ? [raw] : raw;
    for (const value of values) {
      const id = `kept-${kept.length}`;
      if (VERSION_FIELD.test(name) || CARRIED_FIELDS.has(name)) kept.push({ kind: 'hidden', name, value });
      // A password is never written into a page: it is typed again.
      else if (PASSWORD_FIELD.test(name)) kept.push({ kind: 'password', id, name, label: labelFromFieldName(name) });
      else {
        const kind = value.includes('\n') || value.length > LONG_TEXT ? 'textarea' : 'text';
        kept.push({ kind, id, name, label: labelFromFieldName(name), value });
      }
    }
  }
  return kept;
}

/** Renders views/errors/not-saved.ejs with the given status. */
export async function renderKeptInput(res: Response, input: KeptInput): Promise<void> {
  const t = res.locals.t as Translate | undefined;
  const heading = input.heading ?? t?.('errors.notSavedTitle') ?? 'Nothing was saved';
  await renderPage(
    res,
    'errors/not-saved',
    { title: heading, heading, reason: input.reason, action: safeLocalPath(input.action), fields: keptFields(input.fields) },
    input.status,
  );
}
