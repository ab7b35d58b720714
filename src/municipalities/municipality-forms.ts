import { z } from 'zod';
import { optionalDate, optionalText, requiredText } from '../http/form-fields.js';
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
