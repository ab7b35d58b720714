// Agreement statistics as the result page and the comparison page show them: formatted for the locale, with
// their interpretation bands, and the indicators raters disagree on most, per scale when the indicators use
// several. Pure. Carries no rater ids or names:
// the figures summarise the panel, never who gave what.
import { indicatorCode } from '../rubrics/rubric-schema.js';
import { formatPercent, formatScore, MISSING } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import {
  type AgreementFigures,
  type AgreementStatistics,
  type AlphaBand,
  classifyAlpha,
  computeAgreement,
  type IccBand,
  type IccUninterpretable,
  interpretIcc,
  MIN_ICC_UNITS,
  relativeMeanAbsDiff,
  type Scale,
  type ScaleGroupStatistics,
  type Unit,
} from './agreement.js';

export type FigureView = {
  /** "ICC(2,1)", "ordinal". */
  readonly id: string;
  readonly value: string;
};

export type IccFigureView = FigureView & {
  readonly form: 'ICC1' | 'ICC2' | 'ICC3';
  readonly mean: boolean;
  /** The quality label, only for an ICC that can be interpreted (interpretIcc). */
  readonly band: IccBand | undefined;
  /** Why a computed ICC cannot be interpreted; then it has no band. */
  readonly uninterpretable: IccUninterpretable | undefined;
  /** The form's name ("two-way random, single rater") and the band or the reason it has none, as the page says them. */
  readonly formLabel: string;
  readonly interpretation: string;
};
export type AlphaFigureView = FigureView & {
  readonly band: AlphaBand | undefined;
  /** The metric's name and the band (or "none"), as the page says them. */
  readonly label: string;
  readonly interpretation: string;
};

/** How an item is named on the page, and its scale when the rubric knows it. */
export type IndicatorName = { readonly code: string; readonly text: string; readonly scale?: Scale };

export type ItemView = {
  readonly id: string;
  /** "A1.2" when the rubric knows the indicator, else the id. */
  readonly code: string;
  readonly text: string;
  readonly meanAbsDiff: string;
  readonly percentExact: string;
  readonly pairs: number;
  /** Whether the item's figures rest on fewer pairs than the caller's minimum (buildAgreementView's `minPairs`). */
  readonly fewPairs: boolean;
  /** Only when the items span several scales: "0–2" ('' for an item without a scale), and the mean absolute difference as a share of the scale's range. */
  readonly scale: string;
  readonly relativeMeanAbsDiff: string;
};

/** The figures of one set of units: all of them, or one scale group. */
export type FiguresView = {
  readonly units: number;
  readonly raters: number;
  readonly ratings: number;
  readonly unitsUsed: number;
  readonly iccRaters: number;
  readonly icc: readonly IccFigureView[];
  /** Whether any ICC could be computed at all. */
  readonly iccComputed: boolean;
  /** For the note under the table: the fewest complete units an ICC is read from. */
  readonly minIccUnits: number;
  readonly alpha: readonly AlphaFigureView[];
  readonly pairs: number;
  readonly percentExact: string;
  readonly percentWithin1: string;
  readonly meanAbsDiff: string;
};

export type ScaleGroupView = FiguresView & {
  /** "1–4"; '' for units without a known scale. */
  readonly scale: string;
  /** For element ids: "1-4", "0-2", "unknown". */
  readonly slug: string;
  /** The median of the reviews' own ICCs in this group, when a caller computed them (the research page). */
  readonly across:
    | { readonly icc2: string; readonly icc2k: string; readonly count: number; readonly reviews: string; readonly min: number }
    | undefined;
};

export type AgreementView = FiguresView & {
  readonly items: readonly ItemView[];
  readonly hasItems: boolean;
  /** The fewest pairs an item's figures are read from without a mark (0: no item is marked). */
  readonly minItemPairs: number;
  /**
   * True when the units span several scales: the figures are then in `scaleGroups`, one per scale, and the
   * top-level ICC, alpha, within ±1 and mean difference are "–" (never pooled across scales).
   */
  readonly mixedScales: boolean;
  readonly scaleGroups: readonly ScaleGroupView[];
  /** The known scales of the groups, "0–2, 1–5"; '' for one scale. */
  readonly scales: string;
};

/** "1–4". */
export function formatScale(scale: Scale): string {
  return `${scale.min}–${scale.max}`;
}

function scaleSlug(scale: Scale | null | undefined): string {
  return scale ? `${String(scale.min).replace('-', 'm')}-${String(scale.max).replace('-', 'm')}` : 'unknown';
}

/** Indicator codes, texts and scales of a rubric, for naming items: "A1.2". */
export function createIndicatorNamer(rubric: Rubric, locale: Locale): (id: string) => IndicatorName {
  const names = new Map<string, IndicatorName>();
  for (const section of rubric.sections) {
    section.indicators.forEach((indicator, index) =>
      names.set(indicator.id, {
        code: indicatorCode(section, index),
        text: indicator.text[locale],
        scale: { min: indicator.scale.min, max: indicator.scale.max },
      }),
    );
  }
  return (id) => names.get(id) ?? { code: id, text: '' };
}

/** Each indicator's scale in a rubric, for computeReviewAgreement. */
export function createIndicatorScales(rubric: Rubric): (id: string) => Scale | undefined {
  const scales = new Map<string, Scale>();
  for (const section of rubric.sections) {
    for (const indicator of section.indicators) scales.set(indicator.id, { min: indicator.scale.min, max: indicator.scale.max });
  }
  return (id) => scales.get(id);
}

function buildFiguresView(figures: AgreementFigures, locale: Locale): FiguresView {
  const { icc, alpha, pairwise } = figures;
  // The labels' keys are built here, where tsc checks them, so the views print plain strings.
  const t = createTranslator(locale);
  const iccFigure = (form: 'ICC1' | 'ICC2' | 'ICC3', mean: boolean): IccFigureView => {
    const value = icc[mean ? (`${form}k` as const) : form];
    const model = form.slice(3);
    const interpretation = interpretIcc(value, icc.unitsUsed);
    return {
      id: `ICC(${model},${mean ? 'k' : '1'})`,
      form,
      mean,
      value: formatScore(value, locale, 3),
      band: interpretation?.band,
      uninterpretable: interpretation?.uninterpretable,
      formLabel: t(`research.agreement.form.${form}${mean ? 'k' : ''}`),
      interpretation: interpretation?.uninterpretable
        ? t(`research.agreement.uninterpretable.${interpretation.uninterpretable}`, { min: MIN_ICC_UNITS })
        : t(`research.agreement.band.${interpretation?.band ?? 'none'}`),
    };
  };
  const iccFigures = [
    iccFigure('ICC1', false),
    iccFigure('ICC2', false),
    iccFigure('ICC3', false),
    iccFigure('ICC1', true),
    iccFigure('ICC2', true),
    iccFigure('ICC3', true),
  ];
  return {
    units: figures.units,
    raters: figures.raters,
    ratings: figures.ratings,
    unitsUsed: icc.unitsUsed,
    iccRaters: icc.raters,
    icc: iccFigures,
    iccComputed: iccFigures.some((figure) => figure.value !== MISSING),
    minIccUnits: MIN_ICC_UNITS,
    alpha: (['nominal', 'ordinal', 'interval'] as const).map((metric) => {
      const band = classifyAlpha(alpha[metric]);
      return {
        id: metric,
        value: formatScore(alpha[metric], locale, 3),
        band,
        label: t(`research.agreement.metric.${metric}`),
        interpretation: t(`research.agreement.band.${band ?? 'none'}`),
      };
    }),
    pairs: pairwise.pairs,
    percentExact: formatPercent(pairwise.percentExact, locale, 1),
    percentWithin1: formatPercent(pairwise.percentWithin1, locale, 1),
    meanAbsDiff: formatScore(pairwise.meanAbsDiff, locale, 2),
  };
}

/** "1 granskning", "3 granskningar". */
export function countReviews(count: number, locale: Locale): string {
  const t = createTranslator(locale);
  return count === 1 ? t('research.agreement.reviewsOne') : t('research.agreement.reviews', { count });
}

function buildScaleGroupView(group: ScaleGroupStatistics, locale: Locale): ScaleGroupView {
  const median = group.medianIcc;
  return {
    ...buildFiguresView(group, locale),
    scale: group.scale ? formatScale(group.scale) : '',
    slug: scaleSlug(group.scale),
    across:
      median && median.designs > 0
        ? {
            icc2: formatScore(median.medianIcc2, locale, 3),
            icc2k: formatScore(median.medianIcc2k, locale, 3),
            count: median.designs,
            reviews: countReviews(median.designs, locale),
            min: MIN_ICC_UNITS,
          }
        : undefined,
  };
}

/**
 * The figures as the page shows them. When the statistics span several scales, each scale is a group and the
 * items are ranked by their mean difference relative to their scale's range (computeReviewAgreement groups by
 * scale when it is given the scales, see createIndicatorScales). With `minPairs`, an item resting on fewer pairs of
 * ratings is marked (`fewPairs`): across reviews, where an item's few pairs say little (the research page).
 */
export function buildAgreementView(
  statistics: AgreementStatistics,
  nameOf: (id: string) => IndicatorName,
  locale: Locale,
  topItems = 5,
  minPairs = 0,
): AgreementView {
  const mixedScales = statistics.scaleGroups !== undefined;
  const items = statistics.items
    .filter((item) => (item.meanAbsDiff ?? 0) > 0)
    .slice(0, topItems)
    .map((item): ItemView => {
      const name = nameOf(item.item);
      return {
        id: item.item,
        code: name.code,
        text: name.text,
        meanAbsDiff: formatScore(item.meanAbsDiff, locale, 2),
        percentExact: formatPercent(item.percentExact, locale, 1),
        pairs: item.pairs,
        fewPairs: item.pairs < minPairs,
        scale: mixedScales && item.scale ? formatScale(item.scale) : '',
        relativeMeanAbsDiff: mixedScales
          ? formatPercent(
              mapNull(relativeMeanAbsDiff(item), (share) => share * 100),
              locale,
              1,
            )
          : MISSING,
      };
    });
  const scaleGroups = (statistics.scaleGroups ?? []).map((group) => buildScaleGroupView(group, locale));
  return {
    ...buildFiguresView(statistics, locale),
    items,
    hasItems: items.length > 0,
    minItemPairs: minPairs,
    mixedScales,
    scaleGroups,
    scales: scaleGroups
      .map((group) => group.scale)
      .filter((scale) => scale !== '')
      .join(', '),
  };
}

function mapNull(value: number | null, map: (value: number) => number): number | null {
  return value === null ? null : map(value);
}

/**
 * The raters of some ratings who gave at least one score: those the agreement counts (N/A and missing ratings are
 * no scores). The result page, the research page and the CLI all count a panel member who scored nothing this way:
 * not at all.
 */
export function countScoringRaters(
  ratings: readonly { readonly raterId: number; readonly score: number | null; readonly notApplicable: boolean }[],
): number {
  const raters = new Set<number>();
  for (const rating of ratings) if (!rating.notApplicable && rating.score !== null) raters.add(rating.raterId);
  return raters.size;
}

/**
 * The agreement of one review's submitted individual ratings: each indicator is a unit, each rater a rater.
 * N/A and missing ratings are left out (Krippendorff's alpha copes; the ICC uses the indicators every rater scored).
 * With `scaleOf` (createIndicatorScales), indicators on different scales are computed in separate groups; without
 * it, buildAgreementView groups them by the scales its namer knows.
 */
export function computeReviewAgreement(
  ratings: readonly {
    readonly raterId: number;
    readonly indicatorId: string;
    readonly score: number | null;
    readonly notApplicable: boolean;
  }[],
  scaleOf?: (indicatorId: string) => Scale | undefined,
): AgreementStatistics {
  const byIndicator = new Map<string, { rater: string; value: number }[]>();
  for (const rating of ratings) {
    if (rating.notApplicable || rating.score === null) continue;
    const list = byIndicator.get(rating.indicatorId) ?? [];
    list.push({ rater: String(rating.raterId), value: rating.score });
    byIndicator.set(rating.indicatorId, list);
  }
  const units: Unit[] = [...byIndicator.entries()].map(([item, unitRatings]) => {
    const scale = scaleOf?.(item);
    return scale ? { item, scale, ratings: unitRatings } : { item, ratings: unitRatings };
  });
  const statistics = computeAgreement(units);
  return statistics;
}
