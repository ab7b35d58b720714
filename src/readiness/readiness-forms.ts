// The readiness form of one rubric section: per indicator a status, a note and the day it was checked.
import { indicatorCode } from '../rubrics/rubric-schema.js';
import { z } from 'zod';
import { optionalDate, optionalText, versionField } from '../http/form-fields.js';
import type { FieldLabeller } from '../http/form-parsing.js';
import type { Translate } from '../i18n/messages.js';
import type { RubricSection } from '../rubrics/rubric-schema.js';
import { READINESS_STATUSES, type ReadinessCheck, type ReadinessInput } from './readiness-store.js';

export const READINESS_NOTE_MAX = 1000;
export const READINESS_CHOICES = [...READINESS_STATUSES, 'unchecked'] as const;
export const READINESS_ACTIONS = ['save', 'next', 'previous'] as const;
/** The `goto` of the checklist link above a section's form: saved first, then the checklist's summary. */
export const READINESS_SUMMARY_TARGET = '_summary';

export const readinessFieldNames = (indicatorId: string) =>
  ({
    status: `status__${indicatorId}`,
    note: `note__${indicatorId}`,
    checked: `checked__${indicatorId}`,
    version: `version__${indicatorId}`,
  }) as const;

/**
 * Whether an indicator left at "not checked" carries a note or a date the user typed, which saving would silently
 * drop ("not checked" removes the check). A date is always typed: the form never fills it in. The note field shows
 * the stored note, so a note equal to it is the form as shown (the check is removed on purpose); any other
 * non-empty note is new text. When the form is older than the stored check, what it showed is unknown: the save
 * is then a conflict anyway (409, see readiness-store.ts), which shows what is stored, so it is left to that.
 */
function dropsTypedText(values: Record<string, unknown>, indicatorId: string, current: ReadinessCheck | undefined): boolean {
  const names = readinessFieldNames(indicatorId);
  if (values[names.status] !== 'unchecked') return false;
  const date = values[names.checked];
  if (typeof date === 'string' && date.trim() !== '') return true;
  const note = values[names.note];
  if (typeof note !== 'string' || note.trim() === '') return false;
  if (current === undefined) return true;
  const formVersion = values[names.version];
  if (typeof formVersion === 'number' && formVersion !== current.version) return false;
  return note.replace(/\r\n?/g, '\n').trim() !== current.note;
}

/**
 * `today` (YYYY-MM-DD) bounds the checked date: evidence cannot have been checked in the future.
 * `stored` is what the section holds now, to tell the note the form showed from a note typed anew.
 */
export function createReadinessSectionSchema(
  section: RubricSection,
  today: string,
  stored: ReadonlyMap<string, ReadinessCheck> = new Map(),
) {
  const shape: Record<string, z.ZodType> = {
    action: z
      .enum(READINESS_ACTIONS)
      .optional()
      .transform((action) => action ?? 'save'),
    // A section link or the checklist link of the form (a submit button): where to go once saved. Unknown is ignored.
    goto: z.string().max(100).optional().catch(undefined),
  };
  for (const indicator of section.indicators) {
    const names = readinessFieldNames(indicator.id);
    shape[names.status] = z
      .enum(READINESS_CHOICES, { error: 'validation.invalidChoice' })
      .optional()
      .transform((status) => status ?? 'unchecked');
    shape[names.note] = optionalText(READINESS_NOTE_MAX);
    shape[names.checked] = optionalDate.refine((date) => date === undefined || date <= today, { error: 'readiness.checkedInFuture' });
    // Optional: a page loaded before versions existed saves as before.
    shape[names.version] = versionField.optional();
  }
  return z
    .object(shape)
    .superRefine(
      (form, ctx) => {
        if (typeof form !== 'object' || form === null) return;
        const values = form as Record<string, unknown>;
        for (const indicator of section.indicators) {
          if (dropsTypedText(values, indicator.id, stored.get(indicator.id))) {
            ctx.addIssue({ code: 'custom', path: [readinessFieldNames(indicator.id).status], message: 'readiness.statusNeededToSave' });
          }
        }
      },
      // Also next to other fields' errors, so everything to fix shows at once; the check reads the values defensively.
      { when: () => true },
    )
    .transform((form) => {
      const values = form as Record<string, unknown>;
      const inputs: ReadinessInput[] = section.indicators.map((indicator) => {
        const names = readinessFieldNames(indicator.id);
        return {
          indicatorId: indicator.id,
          status: values[names.status] as ReadinessInput['status'],
          note: values[names.note] as string,
          checkedOn: values[names.checked] as string | undefined,
          expectedVersion: values[names.version] as number | undefined,
        };
      });
      return { action: values.action as (typeof READINESS_ACTIONS)[number], goto: values.goto as string | undefined, inputs };
    });
}

/** Names each field of a section's form in its messages, with the indicator's code ("Välj status för A1.2."). */
export function createReadinessFieldLabeller(section: RubricSection, t: Translate): FieldLabeller {
  const labels = new Map<string, string>();
  section.indicators.forEach((indicator, index) => {
    const names = readinessFieldNames(indicator.id);
    const code = { indicator: indicatorCode(section, index) };
    labels.set(names.status, t('readiness.fieldNames.status', code));
    labels.set(names.note, t('readiness.fieldNames.note', code));
    labels.set(names.checked, t('readiness.fieldNames.checked', code));
  });
  return (field) => labels.get(field);
}
