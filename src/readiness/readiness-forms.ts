// The readiness form of one rubric section: per indicator a status, a note and the day it was checked.
import { z } from 'zod';
import { optionalDate, optionalText, versionField } from '../http/form-fields.js';
import type { RubricSection } from '../rubrics/rubric-schema.js';
import { READINESS_STATUSES, type ReadinessInput } from './readiness-store.js';

export const READINESS_NOTE_MAX = 1000;
export const READINESS_CHOICES = [...READINESS_STATUSES, 'unchecked'] as const;
export const READINESS_ACTIONS = ['save', 'next', 'previous'] as const;

export const readinessFieldNames = (indicatorId: string) =>
  ({ status: `status__${indicatorId}`, note: `note__${indicatorId}`, checked: `checked__${indicatorId}`, version: `version__${indicatorId}` }) as const;

/** `today` (YYYY-MM-DD) bounds the checked date: evidence cannot have been checked in the future. */
export function createReadinessSectionSchema(section: RubricSection, today: string) {
  const shape: Record<string, z.ZodType> = {
    action: z.enum(READINESS_ACTIONS).optional().transform((action) => action ?? 'save'),
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
  return z.object(shape).transform((form) => {
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
    return { action: values.action as (typeof READINESS_ACTIONS)[number], inputs };
  });
}
