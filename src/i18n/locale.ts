// The UI languages. Swedish is the default: the tool is built for Swedish municipalities.
import { z } from 'zod';

export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'sv';

export const LocaleSchema = z.enum(LOCALES);

/** Text given in every UI language, as rubric files and other data carry it. */
export const LocalizedTextSchema = z.strictObject({
  sv: z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export function parseLocale(value: unknown): Locale | undefined {
  const parsed = LocaleSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
