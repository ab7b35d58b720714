// zod schemas for every review form. Rating and consensus forms are built from the pinned rubric,
// so any rubric shape (sections, indicators, scales) gets exactly the fields it needs.
import { z } from 'zod';
import { type FieldLabeller, inSentence } from '../http/form-parsing.js';
import type { MessageKey, Translate } from '../i18n/messages.js';
import { idParam, multiValue, optionalDate, optionalText, requiredText, versionField } from '../http/form-fields.js';
import {
  allowsNotApplicable,
  type Rubric,
  type RubricIndicator,
  type RubricScale,
  type RubricSection,
  indicatorCode,
} from '../rubrics/rubric-schema.js';
import {
  BARRIER_CATEGORIES,
  type BarrierCategory,
  type BarrierInput,
  PANEL_ROLES,
  REVIEW_KINDS,
  type ConsensusInput,
  type RatingInput,
} from './review-types.js';

export const NOTE_MAX = 2000;
export const RATIONALE_MAX = 4000;
/** The longest findings box (strengths, recommendations, a barrier category): every line together. */
export const FINDINGS_MAX = 8000;
const FINDING_ITEM_MAX = 1000;
const FINDING_ITEMS_MAX = 30;

function withVisitDates<T extends z.ZodType<{ visit_start: string | undefined; visit_end: string | undefined }>>(schema: T) {
  return schema.superRefine((value, ctx) => {
    if (value.visit_start && value.visit_end && value.visit_end < value.visit_start) {
      ctx.addIssue({ code: 'custom', path: ['visit_end'], message: 'validation.visitEndBeforeStart' });
    }
  });
}

export function createReviewFormSchema(rubricIds: readonly string[]) {
  return withVisitDates(
    z.object({
      rubric_id: z
        .string({ error: 'validation.invalidChoice' })
        .refine((id) => rubricIds.includes(id), { error: 'validation.invalidChoice' }),
      kind: z.enum(REVIEW_KINDS, { error: 'validation.invalidChoice' }),
      visit_start: optionalDate,
      visit_end: optionalDate,
    }),
  );
}

export const ReviewDetailsFormSchema = withVisitDates(
  z.object({
    /** Absent once rating has begun: the kind is fixed from then on (the form shows it as text). */
    kind: z.enum(REVIEW_KINDS, { error: 'validation.invalidChoice' }).optional(),
    visit_start: optionalDate,
    visit_end: optionalDate,
  }),
);

export const PanelMemberFormSchema = z.object({
  // The list starts with an empty "Välj person", so that a refused person (left out of the list) is not replaced by
  // the first one when the form comes back.
  user_id: z
    .string({ error: 'validation.invalidChoice' })
    .regex(/^[1-9]\d{0,14}$/, { error: 'validation.invalidChoice' })
    .transform(Number),
  role: z.enum(PANEL_ROLES, { error: 'validation.invalidChoice' }),
  /** Needed only to confirm a member despite a reciprocal-review warning. */
  warning_reason: optionalText(1000),
  /** Needed only to add a rater once rating has started: the lead sees it, the audit log keeps it. */
  late_reason: optionalText(1000),
});

/** How the review, details and panel forms name their fields in messages ("Välj bedömningsmall."). */
export const REVIEW_FIELD_LABELS = {
  rubric_id: 'validation.fields.rubric',
  kind: 'validation.fields.reviewKind',
  visit_start: 'validation.fields.visitStart',
  visit_end: 'validation.fields.visitEnd',
  user_id: 'validation.fields.person',
  role: 'validation.fields.panelRole',
  warning_reason: 'validation.fields.warningReason',
  late_reason: 'validation.fields.lateReason',
  reason: 'validation.fields.reason',
} as const satisfies Readonly<Record<string, MessageKey>>;

const INDICATOR_FIELD_LABELS = {
  score: 'validation.fields.scoreFor',
  evidence: 'validation.fields.evidenceFor',
  note: 'validation.fields.noteFor',
  rationale: 'validation.fields.rationaleFor',
} as const satisfies Readonly<Record<string, MessageKey>>;

/**
 * Names a rating or consensus field after its indicator's code ("poängen för A2.2"): `score__<id>` and the like on
 * the rating form, or a bare `score` / `rationale` on the consensus form of one indicator (`codeOfForm`).
 */
export function labelIndicatorFields(
  t: Translate,
  codeOf: (indicatorId: string) => string | undefined,
  codeOfForm?: string,
): FieldLabeller {
  return (field) => {
    const [kind = '', indicatorId] = field.split('__', 2);
    const key = Object.hasOwn(INDICATOR_FIELD_LABELS, kind)
      ? INDICATOR_FIELD_LABELS[kind as keyof typeof INDICATOR_FIELD_LABELS]
      : undefined;
    const code = indicatorId === undefined ? codeOfForm : codeOf(indicatorId);
    return key === undefined || code === undefined ? undefined : t(key, { code });
  };
}

const FINDINGS_FIELD_LABELS = {
  strengths: 'validation.fields.strengthsFor',
  recommendations: 'validation.fields.recommendationsFor',
} as const satisfies Readonly<Record<string, MessageKey>>;

/**
 * Names a findings box as the rating form names its notes: after its section ("styrkorna för avsnitt A1"), or a
 * barriers box after its category ("hinder hos medarbetarna"). `codeOf` gives a section's code from its id.
 */
export function labelFindingsFields(t: Translate, codeOf: (sectionId: string) => string | undefined): FieldLabeller {
  return (field) => {
    const [kind = '', id] = field.split('__', 2);
    if (id === undefined) return undefined;
    if (kind === 'barriers') {
      const category = BARRIER_CATEGORIES.find((known) => known === id);
      return category === undefined
        ? undefined
        : t('validation.fields.barriersOf', { category: inSentence(t(`reviews.consensus.barrierLabels.${category}`)) });
    }
    const key = Object.hasOwn(FINDINGS_FIELD_LABELS, kind) ? FINDINGS_FIELD_LABELS[kind as keyof typeof FINDINGS_FIELD_LABELS] : undefined;
    const code = codeOf(id);
    return key === undefined || code === undefined ? undefined : t(key, { code });
  };
}

export const RemoveMemberFormSchema = z.object({ user_id: idParam });

export const ReopenFormSchema = z.object({ reason: requiredText(1000) });

export const TransitionFormSchema = z.object({
  to: z.enum(['rating', 'consensus', 'final'], { error: 'validation.invalidChoice' }),
});

export const NOT_APPLICABLE_VALUE = 'na';

/**
 * A score field: '' (not rated), 'na' where the indicator allows it (its scale does and it is not required), or a
 * level of the scale. N/A on an indicator that must be rated is refused with a message naming it by `label` ("A1.1").
 */
function scoreField(indicator: RubricIndicator, allowEmpty: boolean, label: string) {
  const scale: RubricScale = indicator.scale;
  const allowNa = allowsNotApplicable(indicator);
  const levels = new Set<string>();
  for (let level = scale.min; level <= scale.max; level++) levels.add(String(level));
  return z
    .string({ error: allowEmpty ? 'validation.invalidChoice' : 'validation.required' })
    .refine((value) => allowNa || value !== NOT_APPLICABLE_VALUE, {
      error: 'validation.notApplicableRefused',
      params: { indicator: label },
      abort: true,
    })
    .refine((value) => (allowEmpty && value === '') || (allowNa && value === NOT_APPLICABLE_VALUE) || levels.has(value), {
      error: allowEmpty ? 'validation.invalidChoice' : 'validation.required',
    })
    .transform((value) =>
      value === NOT_APPLICABLE_VALUE
        ? { score: null, notApplicable: true }
        : value === ''
          ? { score: null, notApplicable: false }
          : { score: Number(value), notApplicable: false },
    );
}

export const ratingFieldNames = (indicatorId: string) =>
  ({
    score: `score__${indicatorId}`,
    evidence: `evidence__${indicatorId}`,
    note: `note__${indicatorId}`,
    version: `version__${indicatorId}`,
  }) as const;

/** 'check' (the last section's primary button): saved, then on to checking the answers before submitting. */
export const RATING_ACTIONS = ['save', 'next', 'previous', 'check'] as const;

/** The form of one section of the rating form. */
export function createRatingSectionSchema(rubric: Rubric, section: RubricSection) {
  const codes = rubric.evidence_sources.map((source) => source.code);
  const shape: Record<string, z.ZodType> = {
    action: z
      .enum(RATING_ACTIONS)
      .optional()
      .transform((action) => action ?? 'save'),
  };
  for (const [index, indicator] of section.indicators.entries()) {
    const names = ratingFieldNames(indicator.id);
    shape[names.score] = z
      .string()
      .optional()
      .transform((v) => v ?? '')
      .pipe(scoreField(indicator, true, indicatorCode(section, index)));
    shape[names.evidence] = multiValue(z.enum(codes as [string, ...string[]], { error: 'validation.invalidChoice' }));
    shape[names.note] = optionalText(NOTE_MAX);
    shape[names.version] = versionField;
  }
  return z.object(shape).transform((form) => {
    const values = form as Record<string, unknown>;
    const ratings: RatingInput[] = section.indicators.map((indicator) => {
      const names = ratingFieldNames(indicator.id);
      const { score, notApplicable } = values[names.score] as { score: number | null; notApplicable: boolean };
      return {
        indicatorId: indicator.id,
        score,
        notApplicable,
        evidence: [...new Set(values[names.evidence] as string[])].sort(),
        note: values[names.note] as string,
        expectedVersion: values[names.version] as number,
      };
    });
    return { action: values.action as (typeof RATING_ACTIONS)[number], ratings };
  });
}

/** The consensus form of one indicator: a decided score (or N/A) and a rationale. `label` names it in messages ("A1.1"). */
export function createConsensusSchema(indicator: RubricIndicator, label: string = indicator.id) {
  return z.object({
    score: z.string({ error: 'validation.required' }).pipe(scoreField(indicator, false, label)),
    rationale: optionalText(RATIONALE_MAX),
    version: versionField,
  });
}

/** The fields of one indicator on a consensus section's form (one form for the whole section). */
export const consensusFieldNames = (indicatorId: string) =>
  ({ score: `score__${indicatorId}`, rationale: `rationale__${indicatorId}`, version: `version__${indicatorId}` }) as const;

/** The findings' version and fingerprint on a consensus section's form (its indicators have versions of their own). */
export const SECTION_FINDINGS_VERSION = 'findings_version';
export const SECTION_FINDINGS_BASE = 'findings_base';

/**
 * A consensus section's form: for each indicator shown on it (`shownIds`; the page can hide the decided ones) a score
 * or N/A, a rationale and the version the form was based on; and, when the form has them (`withFindings`), the
 * section's strengths and recommendations with the findings' version. An indicator left with no score and no
 * rationale is simply not decided yet; a rationale without a score is refused, so nothing typed is quietly dropped.
 */
export function createConsensusSectionSchema(section: RubricSection, shownIds: ReadonlySet<string>, withFindings: boolean) {
  const shown = section.indicators.flatMap((indicator, index) =>
    shownIds.has(indicator.id) ? [{ indicator, code: indicatorCode(section, index) }] : [],
  );
  const shape: Record<string, z.ZodType> = {};
  for (const { indicator, code } of shown) {
    const names = consensusFieldNames(indicator.id);
    shape[names.score] = z
      .string()
      .optional()
      .transform((v) => v ?? '')
      .pipe(scoreField(indicator, true, code));
    shape[names.rationale] = optionalText(RATIONALE_MAX);
    shape[names.version] = versionField;
  }
  const findings = findingFieldNames(section.id);
  if (withFindings) {
    shape[findings.strengths] = findingList;
    shape[findings.recommendations] = findingList;
    shape[SECTION_FINDINGS_VERSION] = versionField;
  }
  return z
    .object(shape)
    .superRefine((form, ctx) => {
      const values = form as Record<string, unknown>;
      for (const { indicator } of shown) {
        const names = consensusFieldNames(indicator.id);
        const { score, notApplicable } = values[names.score] as { score: number | null; notApplicable: boolean };
        if (score === null && !notApplicable && values[names.rationale] !== '') {
          ctx.addIssue({ code: 'custom', path: [names.score], message: 'validation.invalidChoice' });
        }
      }
    })
    .transform((form) => {
      const values = form as Record<string, unknown>;
      const decisions: ConsensusInput[] = shown.flatMap(({ indicator }) => {
        const names = consensusFieldNames(indicator.id);
        const { score, notApplicable } = values[names.score] as { score: number | null; notApplicable: boolean };
        if (score === null && !notApplicable) return [];
        const rationale = values[names.rationale] as string;
        return [{ indicatorId: indicator.id, score, notApplicable, rationale, expectedVersion: values[names.version] as number }];
      });
      const ownFindings = withFindings
        ? {
            sectionId: section.id,
            strengths: values[findings.strengths] as string[],
            recommendations: values[findings.recommendations] as string[],
            version: values[SECTION_FINDINGS_VERSION] as number,
          }
        : undefined;
      return { decisions, findings: ownFindings };
    });
}

export const findingFieldNames = (sectionId: string) =>
  ({ strengths: `strengths__${sectionId}`, recommendations: `recommendations__${sectionId}` }) as const;

const findingList = optionalText(FINDINGS_MAX)
  .transform((text) =>
    text
      .split('\n')
      .map((line) => line.replace(/^\s*[-•*]\s*/, '').trim())
      .filter((line) => line !== ''),
  )
  .pipe(z.array(z.string().max(FINDING_ITEM_MAX, { error: 'validation.tooLong' })).max(FINDING_ITEMS_MAX, { error: 'validation.invalid' }));

export const barrierFieldName = (category: BarrierCategory) => `barriers__${category}`;

/**
 * The findings form: strengths and recommendations per section, the review's barriers per category, and the version
 * the form was based on. Every findings form sends it, so it is required: without it a save could overwrite what
 * someone else saved meanwhile. Store callers that are not forms (demo seed, import) pass no version explicitly.
 */
export function createFindingsSchema(rubric: Rubric) {
  const shape: Record<string, z.ZodType> = { version: versionField };
  for (const section of rubric.sections) {
    const names = findingFieldNames(section.id);
    shape[names.strengths] = findingList;
    shape[names.recommendations] = findingList;
  }
  for (const category of BARRIER_CATEGORIES) shape[barrierFieldName(category)] = findingList;
  return z.object(shape).transform((form) => {
    const values = form as Record<string, string[]>;
    return {
      sections: rubric.sections.map((section) => {
        const names = findingFieldNames(section.id);
        return { sectionId: section.id, strengths: values[names.strengths] ?? [], recommendations: values[names.recommendations] ?? [] };
      }),
      barriers: BARRIER_CATEGORIES.map((category): BarrierInput => ({ category, items: values[barrierFieldName(category)] ?? [] })),
      version: (form as Record<string, unknown>).version as number,
    };
  });
}
