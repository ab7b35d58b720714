// zod schemas for the self-assessment forms.
import { z } from 'zod';
import { idParam, multiValue, optionalDate } from '../http/form-fields.js';

export function createStartFormSchema(rubricIds: readonly string[], colleagueIds: readonly number[]) {
  return z.object({
    rubric_id: z.string({ error: 'validation.invalidChoice' }).refine((id) => rubricIds.includes(id), { error: 'validation.invalidChoice' }),
    date: optionalDate,
    co_raters: multiValue(z.string().regex(/^\d{1,15}$/, { error: 'validation.invalidChoice' }))
      .transform((ids) => [...new Set(ids.map(Number))])
      .refine((ids) => ids.every((id) => colleagueIds.includes(id)), { error: 'validation.invalidChoice' }),
  });
}

export const ShareFormSchema = z.object({ peer_review_id: idParam });

export const GapQuerySchema = z.object({ self: idParam.optional().catch(undefined) });
