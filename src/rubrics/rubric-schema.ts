// The shape of a rubric file (rubrics/<id>.yaml), checked at load so the rest of the app can rely on it.
// Nothing here assumes a number of sections, indicators or a particular scale.
import { z } from 'zod';
import { LocalizedTextSchema } from '../i18n/locale.js';

const IdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'use lower-case letters, digits, "-" or "_"');

const EvidenceSourceSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/, 'use 1-4 upper-case letters or digits'),
  label: LocalizedTextSchema,
});

const PartSchema = z.strictObject({
  id: IdSchema,
  title: LocalizedTextSchema,
});

const FidelityLevelSchema = z.strictObject({
  id: IdSchema,
  /** The lowest percent of maximum that reaches this level. */
  min_percent: z.number().min(0).max(100),
  label: LocalizedTextSchema,
  definition: LocalizedTextSchema,
  /** When the next review should follow at this level, in months after the site visit (the report's follow-up). */
  follow_up_months: z
    .strictObject({ min: z.number().int().min(1).max(120), max: z.number().int().min(1).max(120) })
    .refine((months) => months.min <= months.max, { error: 'min must not be above max', path: ['max'] })
    .optional(),
});

const ScaleSchema = z
  .strictObject({
    min: z.number().int(),
    max: z.number().int(),
    allow_na: z.boolean(),
    /** One anchor text per level, keyed by the level. YAML keys are strings, so "1" and 1 both work. */
    anchors: z.record(z.string().regex(/^-?\d+$/, 'anchor keys are whole numbers'), LocalizedTextSchema),
  })
  .superRefine((scale, ctx) => {
    if (scale.max <= scale.min) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must be greater than min' });
      return;
    }
    if (scale.max - scale.min > 20) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'a scale has at most 21 levels' });
      return;
    }
    for (let level = scale.min; level <= scale.max; level++) {
      if (!(String(level) in scale.anchors)) {
        ctx.addIssue({ code: 'custom', path: ['anchors', String(level)], message: `missing anchor for level ${level}` });
      }
    }
    for (const key of Object.keys(scale.anchors)) {
      const level = Number(key);
      if (level < scale.min || level > scale.max) {
        ctx.addIssue({ code: 'custom', path: ['anchors', key], message: `level ${key} is outside ${scale.min}-${scale.max}` });
      }
    }
  });

const IndicatorSchema = z.strictObject({
  id: IdSchema,
  text: LocalizedTextSchema,
  /** Codes of the evidence sources the panel should use, from the rubric's evidence_sources. */
  evidence: z.array(z.string()).min(1),
  guidance: LocalizedTextSchema.optional(),
  scale: ScaleSchema,
});

const SectionSchema = z.strictObject({
  id: IdSchema,
  code: z.string().trim().min(1).max(8),
  /** The part this section belongs to: one of the rubric's parts[].id. */
  kind: IdSchema,
  title: LocalizedTextSchema,
  description: LocalizedTextSchema,
  indicators: z.array(IndicatorSchema).min(1),
});

/**
 * A share from 0 to 1: a number, or a fraction written as text ("2/3"), which is exact where a decimal is not
 * (with 0.67, two rated indicators out of three would fall short of two thirds).
 */
const ShareSchema = z.union([
  z.number().min(0).max(1),
  z
    .string()
    .regex(/^\s*\d+\s*\/\s*[1-9]\d*\s*$/, { error: 'a share is a number from 0 to 1 or a fraction such as "2/3"' })
    .transform((text) => {
      const [numerator = '0', denominator = '1'] = text.split('/');
      return Number(numerator) / Number(denominator);
    })
    .pipe(z.number().min(0).max(1)),
]);

export const RubricSchema = z
  .strictObject({
    id: IdSchema,
    version: z.string().trim().min(1).max(40),
    title: LocalizedTextSchema,
    description: LocalizedTextSchema,
    evidence_sources: z.array(EvidenceSourceSchema).min(1),
    parts: z.array(PartSchema).min(1),
    /** Share of a section's indicators that must be rated for its score to count as sufficient. */
    min_rated_share: ShareSchema.default(0),
    fidelity_levels: z.array(FidelityLevelSchema).min(1),
    sections: z.array(SectionSchema).min(1),
  })
  .superRefine((rubric, ctx) => {
    for (const problem of findCrossReferenceProblems(rubric)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  });

export type CrossReferenceProblem = { readonly path: (string | number)[]; readonly message: string };

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The checks that span the whole rubric: unique ids and codes, sections in known parts, evidence codes that exist,
 * a fidelity level starting at 0. Written against an unchecked value, so rubric:check can list these problems
 * even when the file also has shape errors (zod skips refinements while the shape is wrong).
 */
export function findCrossReferenceProblems(value: unknown): CrossReferenceProblem[] {
  const problems: CrossReferenceProblem[] = [];
  const reportDuplicates = (values: { value: unknown; path: (string | number)[] }[]) => {
    const seen = new Set<string>();
    for (const item of values) {
      if (typeof item.value !== 'string') continue;
      if (seen.has(item.value)) problems.push({ path: item.path, message: `duplicate "${item.value}"` });
      seen.add(item.value);
    }
  };
  const evidenceSources = asArray(field(value, 'evidence_sources'));
  const parts = asArray(field(value, 'parts'));
  const levels = asArray(field(value, 'fidelity_levels'));
  const sections = asArray(field(value, 'sections'));
  reportDuplicates(evidenceSources.map((s, i) => ({ value: field(s, 'code'), path: ['evidence_sources', i, 'code'] })));
  reportDuplicates(parts.map((p, i) => ({ value: field(p, 'id'), path: ['parts', i, 'id'] })));
  reportDuplicates(levels.map((l, i) => ({ value: field(l, 'id'), path: ['fidelity_levels', i, 'id'] })));
  reportDuplicates(sections.map((s, i) => ({ value: field(s, 'id'), path: ['sections', i, 'id'] })));
  reportDuplicates(sections.map((s, i) => ({ value: field(s, 'code'), path: ['sections', i, 'code'] })));
  const partIds = new Set(parts.map((p) => field(p, 'id')).filter((id): id is string => typeof id === 'string'));
  const evidenceCodes = new Set(evidenceSources.map((s) => field(s, 'code')).filter((c): c is string => typeof c === 'string'));
  const indicators: { value: unknown; path: (string | number)[] }[] = [];
  sections.forEach((section, s) => {
    const kind = field(section, 'kind');
    if (typeof kind === 'string' && partIds.size > 0 && !partIds.has(kind)) {
      problems.push({ path: ['sections', s, 'kind'], message: `unknown part "${kind}" (parts: ${[...partIds].join(', ')})` });
    }
    asArray(field(section, 'indicators')).forEach((indicator, i) => {
      indicators.push({ value: field(indicator, 'id'), path: ['sections', s, 'indicators', i, 'id'] });
      asArray(field(indicator, 'evidence')).forEach((code, e) => {
        if (typeof code === 'string' && evidenceCodes.size > 0 && !evidenceCodes.has(code)) {
          problems.push({ path: ['sections', s, 'indicators', i, 'evidence', e], message: `unknown evidence source "${code}"` });
        }
      });
    });
  });
  reportDuplicates(indicators);
  if (levels.length > 0 && !levels.some((level) => field(level, 'min_percent') === 0)) {
    problems.push({ path: ['fidelity_levels'], message: 'one level must start at min_percent 0' });
  }
  return problems;
}

export type Rubric = z.infer<typeof RubricSchema>;
export type RubricSection = Rubric['sections'][number];
export type RubricIndicator = RubricSection['indicators'][number];
export type RubricScale = RubricIndicator['scale'];
export type RubricPart = Rubric['parts'][number];
export type FidelityLevel = Rubric['fidelity_levels'][number];

/** Fidelity levels sorted from the highest threshold down: the first whose threshold is met applies. */
export function findFidelityLevel(rubric: Rubric, percent: number): FidelityLevel | undefined {
  return [...rubric.fidelity_levels]
    .sort((a, b) => b.min_percent - a.min_percent)
    .find((level) => percent >= level.min_percent);
}

export function listIndicators(rubric: Rubric): { section: RubricSection; indicator: RubricIndicator }[] {
  return rubric.sections.flatMap((section) => section.indicators.map((indicator) => ({ section, indicator })));
}

export function anchorFor(scale: RubricScale, level: number): { sv: string; en: string } | undefined {
  return scale.anchors[String(level)];
}

/** Where a section form's "save and next/previous" goes: the neighbouring section, the same one for a plain save, undefined past either end. */
export function stepSection<S extends { readonly id: string }>(sections: readonly S[], current: S, action: 'save' | 'next' | 'previous'): S | undefined {
  const index = sections.findIndex((section) => section.id === current.id);
  return action === 'next' ? sections[index + 1] : action === 'previous' ? sections[index - 1] : current;
}
