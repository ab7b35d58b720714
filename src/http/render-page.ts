import type { Response } from 'express';
import type { FieldErrors, RawForm } from './form-parsing.js';
import { formValue, formValues } from './form-parsing.js';
import { viewRendererOf } from './view-renderer.js';

export type PageLocals = { readonly title: string } & Readonly<Record<string, unknown>>;

/**
 * Renders a view inside layouts/main and sends it. The view sees res.locals (user, t, csrfToken, …) and its own locals.
 * The main pages name their locals' type (`renderPage<ResultPageLocals>(…)`), so a missing or misspelt local is a tsc error.
 */
export async function renderPage<L extends PageLocals>(res: Response, view: string, locals: L, status = 200): Promise<void> {
  const renderer = viewRendererOf(res.app);
  const viewLocals = { ...res.locals, ...locals };
  const body = renderer.render(view, viewLocals);
  const page = renderer.render('layouts/main', { ...viewLocals, body });
  // Every page carries a CSRF token and most hold review data: not for the browser's cache, a proxy or the back
  // button after logout. Nothing stored, so no ETag either (createApp turns ETags off).
  res.status(status).type('html').set('Cache-Control', 'no-store').send(page);
}

/** What a view needs to show a form again: the typed values and the errors per field. */
export type FormView = {
  readonly hasErrors: boolean;
  readonly errorList: readonly { field: string; message: string }[];
  value(name: string, fallback?: string | number | null): string;
  values(name: string): readonly string[];
  errors(name: string): readonly string[];
  has(name: string): boolean;
};

export function createFormView(values: RawForm = {}, errors: FieldErrors = {}, submitted = false): FormView {
  return {
    hasErrors: Object.keys(errors).length > 0,
    errorList: Object.entries(errors).flatMap(([field, messages]) => messages.map((message) => ({ field, message }))),
    value: (name, fallback) => (submitted || name in values ? formValue(values, name) : fallback == null ? '' : String(fallback)),
    values: (name) => formValues(values, name),
    errors: (name) => errors[name] ?? [],
    has: (name) => (errors[name]?.length ?? 0) > 0,
  };
}
