// What a form shows after a save based on stale data (someone else saved meanwhile): nothing was written, so the
// user's own values come back, each conflicting item's hidden version is set to what is stored now (saving again
// then replaces it, knowingly), and a message next to its field says what is stored.
import { type FieldErrors, type RawForm, toRawForm } from './form-parsing.js';

export type EditConflict<T extends { readonly version: number }> = { readonly current: T | undefined };

export type ConflictPlacement = {
  /** The hidden field that carries the version the form is based on. */
  readonly versionField: string;
  /** The field the message is shown next to. */
  readonly errorField: string;
  readonly message: string;
};

export function formAfterConflicts<T extends { readonly version: number }, C extends EditConflict<T>>(
  body: unknown,
  conflicts: readonly C[],
  place: (conflict: C) => ConflictPlacement,
): { values: RawForm; errors: FieldErrors } {
  const values: Record<string, string | readonly string[]> = { ...toRawForm(body) };
  const errors: Record<string, string[]> = {};
  for (const conflict of conflicts) {
    const placement = place(conflict);
    values[placement.versionField] = String(conflict.current?.version ?? 0);
    errors[placement.errorField] = [placement.message];
  }
  return { values, errors };
}
