// Agreement statistics as the result page and the comparison page show them: formatted for the locale, with
// their interpretation bands, and the indicators raters disagree on most. Pure. Carries no rater ids or names:
// the figures summarise the panel, never who gave what.
import type { Locale } from '../i18n/locale.js';
import { formatScore } from '../reviews/scoring.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import {
  type AgreementStatistics,
  type AlphaBand,
  classifyAlpha,
  classifyIcc,
  computeAgreement,
  type IccBand,
  type Unit,
} from './agreement.js';

export type FigureView = {
  /** "ICC(2,1)", "ordinal". */
  readonly id: string;
  readonly value: string;
};

export type IccFigureView = FigureView & { readonly form: 'ICC1' | 'ICC2' | 'ICC3'; readonly mean: boolean; readonly band: IccBand | undefined };
export type AlphaFigureView = FigureView & { readonly band: AlphaBand | undefined };

export type ItemView = {
  readonly id: string;
  /** "A1.2" when the rubric knows the indicator, else the id. */
  readonly code: string;
  readonly text: string;
  readonly meanAbsDiff: string;
  readonly percentExact: string;
  readonly pairs: number;
};

export type AgreementView = {
  readonly units: number;
  readonly raters: number;
  readonly ratings: number;
  readonly unitsUsed: number;
  readonly iccRaters: number;
  readonly icc: readonly IccFigureView[];
  readonly alpha: readonly AlphaFigureView[];
  readonly pairs: number;
  readonly percentExact: string;
  readonly percentWithin1: string;
  readonly meanAbsDiff: string;
  readonly items: readonly ItemView[];
  readonly hasItems: boolean;
};

const MISSING = '–';

function formatDecimal(value: number | null, locale: Locale, digits: number): string {
  return value === null ? MISSING : formatScore(value, locale, digits);
}

function formatShare(value: number | null, locale: Locale): string {
  if (value === null) return MISSING;
  const number = formatScore(value, locale, 1);
  return locale === 'sv' ? `${number}\u00a0%` : `${number}%`;
}

/** Indicator codes and texts of a rubric, for naming items: "A1.2". */
export function createIndicatorNamer(rubric: Rubric, locale: Locale): (id: string) => { code: string; text: string } {
  const names = new Map<string, { code: string; text: string }>();
  for (const section of rubric.sections) {
    section.indicators.forEach((indicator, index) =>
      names.set(indicator.id, { code: `${section.code}.${index + 1}`, text: indicator.text[locale] }),
    );
  }
  return (id) => names.get(id) ?? { code: id, text: '' };
}

export function buildAgreementView(
  statistics: AgreementStatistics,
  nameOf: (id: string) => { code: string; text: string },
  locale: Locale,
  topItems = 5,
): AgreementView {
  const { icc, alpha, pairwise } = statistics;
  const iccFigure = (form: 'ICC1' | 'ICC2' | 'ICC3', mean: boolean): IccFigureView => {
    const value = icc[mean ? (`${form}k` as const) : form];
    const model = form.slice(3);
    return { id: `ICC(${model},${mean ? 'k' : '1'})`, form, mean, value: formatDecimal(value, locale, 3), band: classifyIcc(value) };
  };
  const items = statistics.items
    .filter((item) => (item.meanAbsDiff ?? 0) > 0)
    .slice(0, topItems)
    .map((item): ItemView => {
      const name = nameOf(item.item);
      return {
        id: item.item,
        code: name.code,
        text: name.text,
        meanAbsDiff: formatDecimal(item.meanAbsDiff, locale, 2),
        percentExact: formatShare(item.percentExact, locale),
        pairs: item.pairs,
      };
    });
  return {
    units: statistics.units,
    raters: statistics.raters,
    ratings: statistics.ratings,
    unitsUsed: icc.unitsUsed,
    iccRaters: icc.raters,
    icc: [iccFigure('ICC1', false), iccFigure('ICC2', false), iccFigure('ICC3', false), iccFigure('ICC1', true), iccFigure('ICC2', true), iccFigure('ICC3', true)],
    alpha: (['nominal', 'ordinal', 'interval'] as const).map((metric) => ({
      id: metric,
      value: formatDecimal(alpha[metric], locale, 3),
      band: classifyAlpha(alpha[metric]),
    })),
    pairs: pairwise.pairs,
    percentExact: formatShare(pairwise.percentExact, locale),
    percentWithin1: formatShare(pairwise.percentWithin1, locale),
    meanAbsDiff: formatDecimal(pairwise.meanAbsDiff, locale, 2),
    items,
    hasItems: items.length > 0,
  };
}

/**
 * The agreement of one review's submitted individual ratings: each indicator is a unit, each rater a rater.
 * N/A and missing ratings are left out (Krippendorff's alpha copes; the ICC uses the indicators every rater scored).
 */
export function computeReviewAgreement(
  ratings: readonly { readonly raterId: number; readonly indicatorId: string; readonly score: number | null; readonly notApplicable: boolean }[],
): AgreementStatistics {
  const byIndicator = new Map<string, { rater: string; value: number }[]>();
  for (const rating of ratings) {
    if (rating.notApplicable || rating.score === null) continue;
    const list = byIndicator.get(rating.indicatorId) ?? [];
    list.push({ rater: String(rating.raterId), value: rating.score });
    byIndicator.set(rating.indicatorId, list);
  }
  const units: Unit[] = [...byIndicator.entries()].map(([item, unitRatings]) => ({ item, ratings: unitRatings }));
  return computeAgreement(units);
}
