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

export const RubricSchema = z
  .strictObject({
    id: IdSchema,
    version: z.string().trim().min(1).max(40),
    title: LocalizedTextSchema,
    description: LocalizedTextSchema,
    evidence_sources: z.array(EvidenceSourceSchema).min(1),
    parts: z.array(PartSchema).min(1),
    /** Share of a section's indicators that must be rated for its score to count as sufficient. */
    min_rated_share: z.number().min(0).max(1).default(0),
    fidelity_levels: z.array(FidelityLevelSchema).min(1),
    sections: z.array(SectionSchema).min(1),
  })
  .superRefine((rubric, ctx) => {
    reportDuplicates(ctx, rubric.evidence_sources.map((s) => s.code), (i) => ['evidence_sources', i, 'code']);
    reportDuplicates(ctx, rubric.parts.map((p) => p.id), (i) => ['parts', i, 'id']);
    reportDuplicates(ctx, rubric.fidelity_levels.map((l) => l.id), (i) => ['fidelity_levels', i, 'id']);
    reportDuplicates(ctx, rubric.sections.map((s) => s.id), (i) => ['sections', i, 'id']);
    reportDuplicates(ctx, rubric.sections.map((s) => s.code), (i) => ['sections', i, 'code']);
    const indicatorPaths: (string | number)[][] = [];
    const indicatorIds: string[] = [];
    const partIds = new Set(rubric.parts.map((p) => p.id));
    const evidenceCodes = new Set(rubric.evidence_sources.map((s) => s.code));
    rubric.sections.forEach((section, s) => {
      if (!partIds.has(section.kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', s, 'kind'],
          message: `unknown part "${section.kind}" (parts: ${[...partIds].join(', ')})`,
        });
      }
      section.indicators.forEach((indicator, i) => {
        indicatorIds.push(indicator.id);
        indicatorPaths.push(['sections', s, 'indicators', i, 'id']);
        indicator.evidence.forEach((code, e) => {
          if (!evidenceCodes.has(code)) {
            ctx.addIssue({
              code: 'custom',
              path: ['sections', s, 'indicators', i, 'evidence', e],
              message: `unknown evidence source "${code}"`,
            });
          }
        });
      });
    });
    reportDuplicates(ctx, indicatorIds, (i) => indicatorPaths[i] ?? ['sections']);
    if (!rubric.fidelity_levels.some((level) => level.min_percent === 0)) {
      ctx.addIssue({ code: 'custom', path: ['fidelity_levels'], message: 'one level must start at min_percent 0' });
    }
  });

function reportDuplicates(
  ctx: z.RefinementCtx,
  values: readonly string[],
  pathOf: (index: number) => (string | number)[],
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({ code: 'custom', path: pathOf(index), message: `duplicate "${value}"` });
    }
    seen.add(value);
  });
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
