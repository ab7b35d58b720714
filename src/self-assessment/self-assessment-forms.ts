// zod schemas for the self-assessment forms.
import { z } from 'zod';
import { idParam, multiValue, optionalDate } from '../http/form-fields.js';
import type { MessageKey } from '../i18n/messages.js';

/** `today` is the ISO day in Sweden: a self-assessment rates current practice, so it is not dated in the future. */
export function createStartFormSchema(rubricIds: readonly string[], colleagueIds: readonly number[], today: string) {
  return z.object({
    rubric_id: z
      .string({ error: 'validation.invalidChoice' })
      .refine((id) => rubricIds.includes(id), { error: 'validation.invalidChoice' }),
    date: optionalDate.refine((date) => date === undefined || date <= today, { error: 'readiness.checkedInFuture' }),
    co_raters: multiValue(z.string().regex(/^\d{1,15}$/, { error: 'validation.invalidChoice' }))
      .transform((ids) => [...new Set(ids.map(Number))])
      .refine((ids) => ids.every((id) => colleagueIds.includes(id)), { error: 'validation.invalidChoice' }),
  });
}

export const ShareFormSchema = z.object({ peer_review_id: idParam });

/** The gap view's query: the self-assessment to compare, and `below_top=1` to show only the indicators below the top score. */
export const GapQuerySchema = z.object({
  self: idParam.optional().catch(undefined),
  below_top: z.literal('1').optional().catch(undefined),
});

/** Each field's name in a sentence, so every error message names its field (parseForm's FieldLabeller). */
export const SELF_ASSESSMENT_FIELD_LABELS = {
  rubric_id: 'selfAssessment.fieldNames.rubric_id',
  date: 'selfAssessment.fieldNames.date',
  co_raters: 'selfAssessment.fieldNames.co_raters',
  peer_review_id: 'selfAssessment.fieldNames.peer_review_id',
} as const satisfies Readonly<Record<string, MessageKey>>;
