// The shape of a rubric file (rubrics/<id>.yaml), checked at load so the rest of the app can rely on it.
// Nothing here assumes a number of sections, indicators or a particular scale.
import { z } from 'zod';
import { LocalizedTextSchema } from '../i18n/locale.js';

const IdSchema = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'use lower-case letters, digits, "-" or "_"');

const EvidenceSourceSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/, 'use 1-4 upper-case letters or digits'),
  label: LocalizedTextSchema,
});

const PartSchema = z.strictObject({
  id: IdSchema,
  title: LocalizedTextSchema,
  /**
   * Whether the part's sections decide the fidelity level (the default, so a rubric without the flag scores as it
   * always did) or are reported beside the level under `reported_as`.
   */
  decides_level: z.boolean().optional(),
  /** The heading a part that does not decide the level is reported under ("Stödets kvalitet enligt överenskommelsen"). */
  reported_as: LocalizedTextSchema.optional(),
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
  /** The indicator must be rated: it can never be marked not applicable (its scale must then not allow N/A). */
  required: z.boolean().optional(),
  /** A core element: the rubric's `caps` look at critical indicators. A critical indicator must be required. */
  critical: z.boolean().optional(),
});

/**
 * When a cap applies: any critical indicator rated at or below a score. `at_or_below: min` means each indicator's
 * own scale minimum; a number is a score on the critical indicators' scales. `critical_at_min` is the short form of
 * `{ critical_at_or_below: min }`. `min_count` (default 1) asks for that many critical indicators at or below it.
 */
const CapConditionSchema = z.union([
  z.literal('critical_at_min'),
  z.strictObject({
    critical_at_or_below: z.union([z.literal('min'), z.number().int()]),
    min_count: z.number().int().min(1).optional(),
  }),
]);

/** A ceiling on the fidelity level, applied after the band lookup: averages cannot buy a level a core element fails. */
const CapSchema = z.strictObject({
  id: IdSchema,
  when: CapConditionSchema,
  /** The highest fidelity level (an id of fidelity_levels) a review may reach when the condition holds. */
  max_level: IdSchema,
  /** Why, in both languages: shown beside the level with the indicators that triggered the cap. */
  reason: LocalizedTextSchema,
});

/**
 * Which indicator of an earlier version each indicator continues, so research trends can follow an item across
 * versions. Every indicator is listed: the id it continues in `from_version`, or null for a new one.
 */
const CrosswalkSchema = z.strictObject({
  from_version: z.string().trim().min(1).max(40),
  continues: z.record(z.string(), z.union([z.string().min(1), z.null()])),
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
    /** Ceilings on the level when critical indicators fail; none by default. */
    caps: z.array(CapSchema).optional(),
    sections: z.array(SectionSchema).min(1),
    crosswalk: CrosswalkSchema.optional(),
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
  problems.push(...findVerdictProblems(value));
  return problems;
}

/**
 * The checks on what decides the verdict: required and critical indicators, caps, deciding parts and the crosswalk.
 */
function findVerdictProblems(value: unknown): CrossReferenceProblem[] {
  const problems: CrossReferenceProblem[] = [];
  const parts = asArray(field(value, 'parts'));
  const levels = asArray(field(value, 'fidelity_levels'));
  const sections = asArray(field(value, 'sections'));
  const caps = asArray(field(value, 'caps'));
  parts.forEach((part, p) => {
    if (field(part, 'decides_level') === false && field(part, 'reported_as') === undefined) {
      problems.push({
        path: ['parts', p, 'reported_as'],
        message: 'a part that does not decide the level needs reported_as, the heading it is reported under',
      });
    }
    if (field(part, 'decides_level') !== false && field(part, 'reported_as') !== undefined) {
      problems.push({ path: ['parts', p, 'reported_as'], message: 'only a part with decides_level: false is reported beside the level' });
    }
  });
  if (parts.length > 0 && parts.every((part) => field(part, 'decides_level') === false)) {
    problems.push({ path: ['parts'], message: 'at least one part must decide the level (decides_level not false)' });
  }
  const critical: { id: string; min: unknown; max: unknown }[] = [];
  const indicatorIds = new Set<string>();
  sections.forEach((section, s) => {
    asArray(field(section, 'indicators')).forEach((indicator, i) => {
      const id = field(indicator, 'id');
      if (typeof id === 'string') indicatorIds.add(id);
      const scale = field(indicator, 'scale');
      const path = ['sections', s, 'indicators', i];
      if (field(indicator, 'required') === true && field(scale, 'allow_na') === true) {
        problems.push({ path: [...path, 'scale', 'allow_na'], message: 'a required indicator cannot allow N/A (set allow_na: false)' });
      }
      if (field(indicator, 'critical') === true) {
        if (field(indicator, 'required') !== true) {
          problems.push({
            path: [...path, 'required'],
            message: 'a critical indicator must be required (required: true), or marking it N/A would dodge the caps',
          });
        }
        if (typeof id === 'string') critical.push({ id, min: field(scale, 'min'), max: field(scale, 'max') });
      }
    });
  });
  const levelIds = levels.map((level) => field(level, 'id')).filter((id): id is string => typeof id === 'string');
  const topLevel = [...levels].sort((a, b) => Number(field(b, 'min_percent')) - Number(field(a, 'min_percent')))[0];
  if (caps.length > 0 && critical.length === 0) {
    problems.push({ path: ['caps'], message: 'caps look at critical indicators, but no indicator is critical: true' });
  }
  caps.forEach((cap, c) => {
    const maxLevel = field(cap, 'max_level');
    if (typeof maxLevel === 'string' && levelIds.length > 0 && !levelIds.includes(maxLevel)) {
      problems.push({ path: ['caps', c, 'max_level'], message: `unknown fidelity level "${maxLevel}" (levels: ${levelIds.join(', ')})` });
    } else if (typeof maxLevel === 'string' && topLevel !== undefined && field(topLevel, 'id') === maxLevel) {
      problems.push({
        path: ['caps', c, 'max_level'],
        message: `"${maxLevel}" is the highest level, so the cap would never lower anything`,
      });
    }
    const when = field(cap, 'when');
    const threshold = field(when, 'critical_at_or_below');
    if (
      typeof threshold === 'number' &&
      critical.length > 0 &&
      critical.every((ind) => typeof ind.min === 'number' && threshold < ind.min)
    ) {
      problems.push({
        path: ['caps', c, 'when', 'critical_at_or_below'],
        message: `${threshold} is below every critical indicator's scale, so the cap never applies`,
      });
    }
    const minCount = field(when, 'min_count');
    if (typeof minCount === 'number' && critical.length > 0 && minCount > critical.length) {
      problems.push({
        path: ['caps', c, 'when', 'min_count'],
        message: `only ${critical.length} indicator(s) are critical, so ${minCount} can never be reached`,
      });
    }
  });
  const idsOfCaps = caps.map((cap, c) => ({ value: field(cap, 'id'), path: ['caps', c, 'id'] as (string | number)[] }));
  const seenCapIds = new Set<string>();
  for (const item of idsOfCaps) {
    if (typeof item.value !== 'string') continue;
    if (seenCapIds.has(item.value)) problems.push({ path: item.path, message: `duplicate "${item.value}"` });
    seenCapIds.add(item.value);
  }
  const crosswalk = field(value, 'crosswalk');
  const continues = field(crosswalk, 'continues');
  if (continues !== null && typeof continues === 'object' && !Array.isArray(continues)) {
    const entries = Object.entries(continues as Record<string, unknown>);
    const continued = new Map<string, string>();
    for (const [id, from] of entries) {
      if (!indicatorIds.has(id)) {
        problems.push({ path: ['crosswalk', 'continues', id], message: `unknown indicator "${id}"` });
      }
      if (typeof from === 'string') {
        const earlier = continued.get(from);
        if (earlier !== undefined) {
          problems.push({
            path: ['crosswalk', 'continues', id],
            message: `"${from}" is already continued by "${earlier}"; an earlier indicator continues in one indicator only`,
          });
        } else {
          continued.set(from, id);
        }
      }
    }
    for (const id of indicatorIds) {
      if (!entries.some(([key]) => key === id)) {
        problems.push({
          path: ['crosswalk', 'continues', id],
          message: `indicator "${id}" is missing: give the indicator it continues, or null when it is new`,
        });
      }
    }
    if (field(crosswalk, 'from_version') === field(value, 'version')) {
      problems.push({ path: ['crosswalk', 'from_version'], message: 'the crosswalk must point at an earlier version, not this one' });
    }
  }
  return problems;
}

export type Rubric = z.infer<typeof RubricSchema>;
export type RubricSection = Rubric['sections'][number];
export type RubricIndicator = RubricSection['indicators'][number];
export type RubricScale = RubricIndicator['scale'];
export type RubricPart = Rubric['parts'][number];
export type FidelityLevel = Rubric['fidelity_levels'][number];
export type RubricCap = NonNullable<Rubric['caps']>[number];

/** Whether the part's sections decide the level. Without the flag every part decides, as before caps existed. */
export function partDecidesLevel(part: RubricPart): boolean {
  return part.decides_level !== false;
}

/** Whether the panel may mark the indicator not applicable: its scale allows it and it is not required. */
export function allowsNotApplicable(indicator: RubricIndicator): boolean {
  return indicator.scale.allow_na && indicator.required !== true;
}

/** The score at or below which a cap's condition counts a critical indicator, on that indicator's scale. */
export function capThreshold(cap: RubricCap, scale: RubricScale): number {
  if (cap.when === 'critical_at_min') return scale.min;
  return cap.when.critical_at_or_below === 'min' ? scale.min : cap.when.critical_at_or_below;
}

/** How many critical indicators must be at or below the threshold for the cap to apply. */
export function capMinCount(cap: RubricCap): number {
  return cap.when === 'critical_at_min' ? 1 : (cap.when.min_count ?? 1);
}

/** An indicator's display number, "A1.3": its section's code and its place (from 0) in the section. */
export function indicatorCode(section: Pick<RubricSection, 'code'>, index: number): string {
  return `${section.code}.${index + 1}`;
}

/** The display number of each indicator, "A1.3": its section code and its place in the section. */
export function indicatorNumbers(rubric: Rubric): ReadonlyMap<string, string> {
  return new Map(
    rubric.sections.flatMap((section) =>
      section.indicators.map((indicator, index) => [indicator.id, indicatorCode(section, index)] as const),
    ),
  );
}

/** The numbers ("B2.1") of the core elements (critical indicators) in `sections`, in rubric order. */
export function coreElementNumbers(rubric: Rubric, sections: readonly RubricSection[] = rubric.sections): string[] {
  return sections.flatMap((section) =>
    section.indicators.flatMap((indicator, index) => (indicator.critical === true ? [indicatorCode(section, index)] : [])),
  );
}

/** Fidelity levels sorted from the highest threshold down: the first whose threshold is met applies. */
export function findFidelityLevel(rubric: Rubric, percent: number): FidelityLevel | undefined {
  return [...rubric.fidelity_levels].sort((a, b) => b.min_percent - a.min_percent).find((level) => percent >= level.min_percent);
}

/**
 * The level whose band a percent of maximum falls in under a rubric, before any cap; undefined for null. 1e-9 of
 * floating-point noise is allowed, so a percent exactly at a threshold on paper (but 74.99999999999999 after
 * averaging) reaches that level. The one band lookup of scoring, pages and the report.
 */
export function findBandLevel(rubric: Rubric, percent: number | null): FidelityLevel | undefined {
  return percent === null ? undefined : findFidelityLevel(rubric, percent + LEVEL_TOLERANCE);
}

const LEVEL_TOLERANCE = 1e-9;

/** An indicator with the section it belongs to. */
export type IndicatorPlace = { readonly section: RubricSection; readonly indicator: RubricIndicator };

// A rubric is not changed once parsed (a review's snapshot never changes, and the snapshot reader keeps one object
// per snapshot), so each rubric object's list is made once. Keyed weakly: it goes with its rubric.
const indicatorsByRubric = new WeakMap<Rubric, readonly IndicatorPlace[]>();

/** Every indicator of the rubric with its section, in the rubric's order. Frozen: the same list serves every caller. */
export function listIndicators(rubric: Rubric): readonly IndicatorPlace[] {
  const known = indicatorsByRubric.get(rubric);
  if (known) return known;
  const places = Object.freeze(
    rubric.sections.flatMap((section) => section.indicators.map((indicator): IndicatorPlace => Object.freeze({ section, indicator }))),
  );
  indicatorsByRubric.set(rubric, places);
  return places;
}

export function anchorFor(scale: RubricScale, level: number): { sv: string; en: string } | undefined {
  return scale.anchors[String(level)];
}

/** Where a section form's "save and next/previous" goes: the neighbouring section, the same one for a plain save, undefined past either end. */
export function stepSection<S extends { readonly id: string }>(
  sections: readonly S[],
  current: S,
  action: 'save' | 'next' | 'previous',
): S | undefined {
  const index = sections.findIndex((section) => section.id === current.id);
  return action === 'next' ? sections[index + 1] : action === 'previous' ? sections[index - 1] : current;
}
