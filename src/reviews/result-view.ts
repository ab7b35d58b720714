// What the result page shows, built from a review's consensus, submitted ratings and findings. Pure: no I/O.
// Every number is formatted here for the locale. Individual ratings appear only as a spread per indicator
// (lowest–highest and how many raters): the view model carries no rater names or ids, so a view cannot leak them.
import { formatScore } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { createTranslator, type Translate } from '../i18n/messages.js';
import { anchorFor, type Rubric, type RubricIndicator } from '../rubrics/rubric-schema.js';
import { summarizeSpread } from './rating-spread.js';
import { describeSpread } from './spread-text.js';
import {
  BARRIER_CATEGORIES,
  type Barrier,
  type BarrierCategory,
  type ConsensusRating,
  type Finding,
  type RatingScore,
  type Review,
  type ReviewKind,
  type ReviewStatus,
} from './review-types.js';
import { describeLevelPending, describeVerdict, type VerdictText } from './level-explanation.js';
import {
  type AggregateScore,
  formatFigurePercent,
  formatFigureScore,
  type IndicatorScore,
  levelBands,
  meanBands,
  scoreReview,
} from './scoring.js';

/** A score as the page shows it: "2,75 (skala 1–4)", "69 %" and a bar. */
export type FigureView = {
  /** The mean, formatted ("2,75"); undefined when there is none (nothing rated, or rated items on different scales). */
  readonly mean: string | undefined;
  /** The bottom of the scale the mean is on ("1"); undefined when there is no mean. */
  readonly scaleMin: string | undefined;
  /** The top of the scale the mean is on ("4"); undefined when there is no mean. */
  readonly scaleMax: string | undefined;
  /** Percent of maximum, formatted ("69 %"), or "–". */
  readonly percent: string;
  /** Percent of maximum clamped to 0–100 with one decimal, for the width of the bar; undefined when there is none. */
  readonly barPercent: number | undefined;
};

export type LevelView = { readonly id: string; readonly label: string; readonly definition: string };

export type OverallView = FigureView & {
  /** Undefined when there is none, and on the preview page until every section that decides it is sufficiently rated. */
  readonly level: LevelView | undefined;
  /** What decided the level, any cap with its reason, the parts beside it and the headline figures. */
  readonly verdict: VerdictText;
  /** On the preview page without a level yet: what it waits for ("Nivån visas när alla 8 avsnitt … : 6 kvar (A3, …)"). */
  readonly levelPending: string | undefined;
  readonly sectionsScored: number;
  readonly sections: number;
};

export type PartView = FigureView & {
  readonly id: string;
  /** False for a part reported beside the level (the rubric's decides_level). */
  readonly decidesLevel: boolean;
  readonly title: string;
  readonly sectionsScored: number;
  readonly sections: number;
};

export type ConsensusView =
  | { readonly state: 'scored'; readonly score: string; readonly scaleMax: string; readonly anchor: string }
  | { readonly state: 'notApplicable' }
  | { readonly state: 'undecided' };

/** The spread of the submitted individual ratings: counts and bounds only, never who gave what. */
export type SpreadView = {
  /** Raters who gave a score. */
  readonly raters: number;
  readonly min: string | undefined;
  readonly max: string | undefined;
  /** Raters who marked the indicator N/A. */
  readonly notApplicable: number;
  /** The scores in words (describeSpread): "2–4 (3 bedömare)". */
  readonly text: string;
};

export type IndicatorView = {
  readonly id: string;
  readonly number: number;
  readonly text: string;
  readonly consensus: ConsensusView;
  readonly rationale: string;
  readonly spread: SpreadView;
};

export type SectionView = FigureView & {
  readonly id: string;
  readonly code: string;
  readonly title: string;
  readonly description: string;
  readonly partTitle: string;
  readonly rated: number;
  readonly notApplicable: number;
  readonly unrated: number;
  readonly total: number;
  readonly sufficient: boolean;
  readonly indicators: readonly IndicatorView[];
  readonly strengths: readonly string[];
  readonly recommendations: readonly string[];
};

export type ResultView = {
  readonly reviewId: number;
  readonly programId: number;
  readonly programName: string;
  readonly municipalityCode: string;
  readonly municipalityName: string;
  readonly kind: ReviewKind;
  readonly status: ReviewStatus;
  /** True until the review is final: the figures may still change. */
  readonly preview: boolean;
  readonly visitStart: string | undefined;
  readonly visitEnd: string | undefined;
  /** YYYY-MM-DD. */
  readonly finalisedOn: string | undefined;
  readonly rubricTitle: string;
  readonly rubricVersion: string;
  readonly overall: OverallView;
  readonly parts: readonly PartView[];
  readonly sections: readonly SectionView[];
  /** The barriers the review names, per category in the domain's order (systemic, organisational, individual). */
  readonly barriers: readonly BarrierView[];
};

export type BarrierView = { readonly category: BarrierCategory; readonly items: readonly string[] };

export function buildResultView(
  review: Review,
  consensus: readonly ConsensusRating[],
  submittedRatings: readonly RatingScore[],
  findings: readonly Finding[],
  locale: Locale,
  barriers: readonly Barrier[] = [],
  options: {
    /**
     * In a preview, no level until every section that decides it is sufficiently rated (the result page during the
     * consensus). The draft report, a preview too, is built without it.
     */
    readonly levelWhenComplete?: boolean;
  } = {},
): ResultView {
  const rubric = review.rubric.rubric;
  const consensusById = new Map(consensus.map((c) => [c.indicatorId, c]));
  const scores = scoreReview(
    rubric,
    new Map<string, IndicatorScore>(consensus.map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }])),
  );
  const ratingsById = groupBy(submittedRatings, (rating) => rating.indicatorId);
  const findingsOfSection = groupBy(
    [...findings].sort((a, b) => a.position - b.position),
    (finding) => finding.sectionId,
  );
  const partTitles = new Map(rubric.parts.map((part) => [part.id, part.title[locale]]));
  const figureOf = (score: Pick<AggregateScore, 'mean' | 'minScore' | 'maxScore' | 'percent'>) => figureOfScore(score, locale, rubric);
  const t = createTranslator(locale);

  const sections = rubric.sections.map((section, index): SectionView => {
    // scoreReview returns the sections in rubric order.
    const score = scores.sections[index];
    if (score?.sectionId !== section.id) throw new Error(`no score for section "${section.id}"`);
    const sectionFindings = findingsOfSection.get(section.id) ?? [];
    return {
      ...figureOf(score),
      id: section.id,
      code: section.code,
      title: section.title[locale],
      description: section.description[locale],
      partTitle: partTitles.get(section.kind) ?? section.kind,
      rated: score.rated,
      notApplicable: score.notApplicable,
      unrated: score.unrated,
      total: score.total,
      sufficient: score.sufficient,
      indicators: section.indicators.map((indicator, index) =>
        buildIndicator(indicator, index + 1, consensusById.get(indicator.id), ratingsById.get(indicator.id) ?? [], locale, t),
      ),
      strengths: sectionFindings.filter((f) => f.kind === 'strength').map((f) => f.text),
      recommendations: sectionFindings.filter((f) => f.kind === 'recommendation').map((f) => f.text),
    };
  });

  // One from the sections decided so far would be read, on the meeting's shared screen, as the program's level. A final
  // review's shows its level as it stands.
  const levelPending =
    options.levelWhenComplete === true && review.status !== 'final' ? describeLevelPending(rubric, scores, locale) : undefined;
  const verdict = describeVerdict(rubric, scores, locale);
  const level = levelPending === undefined ? scores.overall.level : undefined;
  return {
    reviewId: review.id,
    programId: review.programId,
    programName: review.programName,
    municipalityCode: review.municipalityCode,
    municipalityName: review.municipalityName,
    kind: review.kind,
    status: review.status,
    preview: review.status !== 'final',
    visitStart: review.visitStart,
    visitEnd: review.visitEnd,
    finalisedOn: review.finalisedAt?.slice(0, 10),
    rubricTitle: rubric.title[locale],
    rubricVersion: review.rubricVersion,
    overall: {
      ...figureOf(scores.overall),
      level: level ? { id: level.id, label: level.label[locale], definition: level.definition[locale] } : undefined,
      // Without a level, nothing that names one: neither the band the figure falls in nor a cap.
      verdict:
        levelPending === undefined ? verdict : { ...verdict, level: undefined, basis: undefined, caps: [], capped: false, capReasons: [] },
      levelPending,
      sectionsScored: scores.overall.sectionsScored,
      sections: scores.overall.sections,
    },
    parts: scores.parts.map((part) => ({
      ...figureOf(part),
      id: part.partId,
      decidesLevel: rubric.parts.find((p) => p.id === part.partId)?.decides_level !== false,
      title: partTitles.get(part.partId) ?? part.partId,
      sectionsScored: part.sectionsScored,
      sections: part.sections,
    })),
    sections,
    barriers: BARRIER_CATEGORIES.map((category) => ({
      category,
      items: barriers
        .filter((barrier) => barrier.category === category)
        .sort((a, b) => a.position - b.position)
        .map((barrier) => barrier.text),
    })),
  };
}

function buildIndicator(
  indicator: RubricIndicator,
  number: number,
  decided: ConsensusRating | undefined,
  ratings: readonly RatingScore[],
  locale: Locale,
  t: Translate,
): IndicatorView {
  const spread = summarizeSpread(
    indicator.scale,
    ratings.map((r) => ({ raterId: r.raterId, score: r.score, notApplicable: r.notApplicable })),
  );
  const min = spread.min === null ? undefined : formatScore(spread.min, locale, 0);
  const max = spread.max === null ? undefined : formatScore(spread.max, locale, 0);
  return {
    id: indicator.id,
    number,
    text: indicator.text[locale],
    consensus: consensusOf(indicator, decided, locale),
    rationale: decided?.rationale ?? '',
    spread: { raters: spread.count, min, max, notApplicable: spread.naCount, text: describeSpread({ count: spread.count, min, max }, t) },
  };
}

function consensusOf(indicator: RubricIndicator, decided: ConsensusRating | undefined, locale: Locale): ConsensusView {
  if (decided === undefined) return { state: 'undecided' };
  if (decided.notApplicable) return { state: 'notApplicable' };
  if (decided.score === null) return { state: 'undecided' };
  return {
    state: 'scored',
    score: formatScore(decided.score, locale, 0),
    scaleMax: formatScore(indicator.scale.max, locale, 0),
    anchor: anchorFor(indicator.scale, decided.score)?.[locale] ?? '',
  };
}

function figureOfScore(
  score: Pick<AggregateScore, 'mean' | 'minScore' | 'maxScore' | 'percent'>,
  locale: Locale,
  rubric: Rubric,
): FigureView {
  const { mean, minScore, maxScore } = score;
  const hasMean = mean !== null && maxScore !== null && minScore !== null;
  return {
    mean: hasMean ? formatFigureScore(mean, locale, 2, meanBands(rubric, maxScore)) : undefined,
    scaleMin: hasMean ? formatScore(minScore, locale, 0) : undefined,
    scaleMax: hasMean ? formatScore(maxScore, locale, 0) : undefined,
    percent: formatFigurePercent(score.percent, locale, levelBands(rubric)),
    barPercent: score.percent === null ? undefined : Math.round(Math.min(100, Math.max(0, score.percent)) * 10) / 10,
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
