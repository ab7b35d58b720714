import { z } from 'zod';
import { idParam, optionalText, requiredText } from '../http/form-fields.js';
import type { MessageKey } from '../i18n/messages.js';
import { AFFILIATION_KINDS } from './conflict-rules.js';

/** An optional id from a select whose first option is empty. */
const optionalId = z
  .string({ error: 'validation.invalidChoice' })
  .optional()
  .transform((v) => (v ?? '').trim())
  .transform((v, ctx) => {
    if (v === '') return undefined;
    const id = idParam.safeParse(v);
    if (!id.success) {
      ctx.addIssue({ code: 'custom', message: 'validation.invalidChoice' });
      return z.NEVER;
    }
    return id.data;
  });

export const AffiliationFormSchema = z
  .object({
    affiliation_kind: z.enum(AFFILIATION_KINDS, { error: 'validation.invalidChoice' }),
    affiliation_municipality_id: optionalId,
    affiliation: optionalText(200),
  })
  .superRefine((value, ctx) => {
    if (value.affiliation_kind === 'municipality' && value.affiliation_municipality_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['affiliation_municipality_id'], message: 'conflicts.affiliationMunicipalityRequired' });
    }
  });

export const DeclareConflictFormSchema = z
  .object({
    user_id: idParam,
    municipality_id: optionalId,
    provider: optionalText(200),
    reason: requiredText(1000),
  })
  .superRefine((value, ctx) => {
    if ((value.municipality_id === undefined) === (value.provider === '')) {
      ctx.addIssue({ code: 'custom', path: ['municipality_id'], message: 'conflicts.partyRequired' });
    }
  });

export const DismissWarningFormSchema = z.object({
  user_id: idParam,
  municipality_id: idParam,
  reason: requiredText(1000),
});

/** Each field's name in a sentence, so every error message names its field (parseForm's FieldLabeller). */
export const CONFLICT_FIELD_LABELS = {
  user_id: 'conflicts.fieldNames.user_id',
  municipality_id: 'conflicts.fieldNames.municipality_id',
  provider: 'conflicts.fieldNames.provider',
  reason: 'conflicts.fieldNames.reason',
  affiliation_kind: 'conflicts.fieldNames.affiliation_kind',
  affiliation_municipality_id: 'conflicts.fieldNames.affiliation_municipality_id',
  affiliation: 'conflicts.fieldNames.affiliation',
} as const satisfies Readonly<Record<string, MessageKey>>;
