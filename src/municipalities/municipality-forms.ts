import { z } from 'zod';
import { optionalDate, optionalText, requiredText } from '../http/form-fields.js';
import type { MessageKey } from '../i18n/messages.js';
import { SUPPORT_MODELS } from './municipality-store.js';

/** The official four-digit municipality code (kommunkod), e.g. 0180 for Stockholm. Also the route parameter. */
export const MunicipalityCodeSchema = z
  .string({ error: 'validation.municipalityCode' })
  .trim()
  .regex(/^[0-9]{4}$/, { error: 'validation.municipalityCode' });

export const MunicipalityFormSchema = z.object({
  code: MunicipalityCodeSchema,
  name: requiredText(120),
});
export type MunicipalityForm = z.infer<typeof MunicipalityFormSchema>;

export const ProgramFormSchema = z.object({
  name: requiredText(160),
  support_provider: requiredText(200),
  housing_partners: optionalText(1000),
  support_model: z.enum(SUPPORT_MODELS, { error: 'validation.invalidChoice' }),
  start_date: optionalDate,
});
export type ProgramForm = z.infer<typeof ProgramFormSchema>;

/** Each field's name in a sentence, so every error message names its field (parseForm's FieldLabeller). */
export const MUNICIPALITY_FIELD_LABELS = {
  code: 'municipalities.fieldNames.code',
  name: 'municipalities.fieldNames.name',
} as const satisfies Readonly<Record<string, MessageKey>>;

export const PROGRAM_FIELD_LABELS = {
  name: 'municipalities.fieldNames.programName',
  support_provider: 'municipalities.fieldNames.support_provider',
  housing_partners: 'municipalities.fieldNames.housing_partners',
  support_model: 'municipalities.fieldNames.support_model',
  start_date: 'municipalities.fieldNames.start_date',
} as const satisfies Readonly<Record<string, MessageKey>>;
