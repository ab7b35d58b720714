// zod schemas for the research pages: the comparison filters (a GET query) and the import form.
import { z } from 'zod';
import { REVIEW_KINDS, type ReviewKind } from '../reviews/review-types.js';

/** Rubric ids as the rubric schema allows them. */
const RubricIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { error: 'validation.invalidChoice' })
  .max(100);

/** An empty field means "not chosen". */
function optional<T extends z.ZodType<unknown, string>>(schema: T) {
  return z
    .string({ error: 'validation.invalid' })
    .optional()
    .transform((value) => {
      const trimmed = (value ?? '').trim();
      return trimmed === '' ? undefined : trimmed;
    })
    .pipe(schema.optional());
}

/** The comparison's kind filter: one kind, or every kind ("all"). */
export const ALL_KINDS = 'all';
type KindChoice = ReviewKind | typeof ALL_KINDS;
const KIND_CHOICES = [...REVIEW_KINDS, ALL_KINDS] as const;
/** What the comparison shows when no kind is chosen (also for an empty choice, as older links have it). */
export const DEFAULT_KIND: ReviewKind = 'peer_review';

export const kindOfChoice = (choice: KindChoice): ReviewKind | undefined => (choice === ALL_KINDS ? undefined : choice);

export function createComparisonQuerySchema(rubricIds: readonly string[]) {
  return z.object({
    rubric: optional(RubricIdSchema.refine((id) => rubricIds.includes(id), { error: 'validation.invalidChoice' })),
    year: optional(z.string().regex(/^(19|20)\d{2}$/, { error: 'research.filters.invalidYear' })),
    kind: z
      .string({ error: 'validation.invalid' })
      .optional()
      .transform((value) => (value ?? '').trim())
      .pipe(z.enum(['', ...KIND_CHOICES], { error: 'validation.invalidChoice' }))
      .transform((value): KindChoice => (value === '' ? DEFAULT_KIND : value)),
    program: optional(
      z
        .string()
        .regex(/^[1-9][0-9]{0,14}$/, { error: 'validation.invalid' })
        .transform(Number),
    ),
  });
}
export type ComparisonQuery = z.output<ReturnType<typeof createComparisonQuerySchema>>;

/** The export links take the same filters; the rubric is required there. */
export function createExportQuerySchema(rubricIds: readonly string[]) {
  return z.object({
    rubric: RubricIdSchema.refine((id) => rubricIds.includes(id), { error: 'validation.invalidChoice' }),
    year: optional(z.string().regex(/^(19|20)\d{2}$/, { error: 'research.filters.invalidYear' })),
    kind: optional(z.enum(REVIEW_KINDS, { error: 'validation.invalidChoice' })),
    names: optional(z.literal('1')),
    bom: optional(z.literal('1')),
  });
}

export const MatrixQuerySchema = z.object({
  names: optional(z.literal('1')),
  bom: optional(z.literal('1')),
});

/** The largest CSV the import form takes: the app's urlencoded body limit is 256 kB. */
export const IMPORT_CSV_MAX = 250_000;

export function createImportFormSchema(rubricIds: readonly string[]) {
  return z
    .object({
      rubric: z.string({ error: 'validation.invalidChoice' }).refine((id) => rubricIds.includes(id), { error: 'validation.invalidChoice' }),
      kind: z.enum(REVIEW_KINDS, { error: 'validation.invalidChoice' }),
      // Pasted text, or the uploaded file's text (put here by the route): one of them, not both.
      csv: z
        .string()
        .optional()
        .transform((text) => (text?.trim() ? text : undefined))
        .pipe(z.string().max(IMPORT_CSV_MAX).optional()),
      csv_file: z
        .string()
        .optional()
        .transform((text) => (text?.trim() ? text : undefined)),
    })
    .superRefine((form, context) => {
      if (form.csv === undefined && form.csv_file === undefined)
        context.addIssue({ code: 'custom', path: ['csv'], message: 'research.import.csvOrFile' });
      if (form.csv !== undefined && form.csv_file !== undefined)
        context.addIssue({ code: 'custom', path: ['csv_file'], message: 'research.import.notBoth' });
    })
    .transform(({ rubric, kind, csv, csv_file }) => ({ rubric, kind, csv: csv_file ?? csv ?? '' }));
}
export type ImportForm = z.output<ReturnType<typeof createImportFormSchema>>;
