import type { Response } from 'express';
import type { FieldErrors, RawForm } from './form-parsing.js';
import { formValue, formValues } from './form-parsing.js';

export type PageLocals = { readonly title: string } & Readonly<Record<string, unknown>>;

function renderView(res: Response, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (error: Error | null, html: string) => (error ? reject(error) : resolve(html)));
  });
}

/** Renders a view inside layouts/main and sends it. */
export async function renderPage(res: Response, view: string, locals: PageLocals, status = 200): Promise<void> {
  const body = await renderView(res, view, locals);
  const page = await renderView(res, 'layouts/main', { ...locals, body });
  res.status(status).type('html').send(page);
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
