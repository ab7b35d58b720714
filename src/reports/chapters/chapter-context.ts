// What every chapter builder shares: the context (language, translator, the report's dates), one program's figures,
// heading ids, the review period and the change between two reviews as the whole report prints them.
import { formatLongDate, formatLongDateRange, formatSignedNumber, MISSING } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import type { Translate } from '../../i18n/messages.js';
import type { ResultView } from '../../reviews/result-view.js';
import { findRoundDate } from '../../reviews/review-rounds.js';
import type { RubricComparison } from '../../rubrics/rubric-comparison.js';
import { differenceAsShown, type ReviewScores } from '../../reviews/scoring.js';
import { freeTextLang, p } from '../report-cells.js';
import type { ProgramReportData, ReviewRecord } from '../report-data.js';
import type { Block } from '../report-model-types.js';

/**
 * The change between two percents as displayed, signed ("+5", "−3,5", "±0"), so a table adds up as printed. The unit
 * (percentage points) is named once, by the column header or the sentence, never after each figure.
 */
export function formatChange(before: number | null, now: number | null, locale: Locale, bands: readonly number[] = []): string {
  if (before === null || now === null) return MISSING;
  return formatSignedNumber(differenceAsShown(now, before, bands), locale, { zeroSign: '±' });
}

export type Context = {
  readonly t: Translate;
  readonly locale: Locale;
  /** The report's date (ISO day): when its newest review was finalised. Never the day it is printed. */
  readonly reportDate?: string | undefined;
  /** The day the action parts describe (ISO day), from the data like the report's date: see findReportDates. */
  readonly actionsAsOf: string;
};

/** Ids for headings: stable, unique, readable in a debugger. */
export function headingId(...parts: (string | number)[]): string {
  return parts.join('/');
}

export function meanOnScale(
  figure: { readonly mean: string | undefined; readonly scaleMin: string | undefined; readonly scaleMax: string | undefined },
  { t }: Context,
): string {
  const { mean, scaleMin: min, scaleMax: max } = figure;
  return mean !== undefined && min !== undefined && max !== undefined ? t('reports.chapter.meanCell', { mean, min, max }) : MISSING;
}

export function describeReviewPeriod(record: ReviewRecord, ctx: Context): string {
  return formatLongDateRange(record.review.visitStart, record.review.visitEnd, ctx.locale);
}

/**
 * When a round took place, as the app dates rounds (review-rounds.ts): "platsbesök 12–13 mars 2024", or the day it was
 * made when it has no visit. Never its finalisation: a round imported from paper is finalised on the day of the import.
 */
export function describeRound(record: ReviewRecord, ctx: Context): string {
  const { review } = record;
  return review.visitStart === undefined
    ? ctx.t('reports.round.made', { date: formatLongDate(findRoundDate(review), ctx.locale) })
    : ctx.t('reports.round.visit', { visit: describeReviewPeriod(record, ctx) });
}

export type ProgramFigures = {
  readonly data: ProgramReportData;
  readonly view: ResultView;
  readonly scores: ReviewScores;
  readonly previousScores: ReviewScores | undefined;
  /**
   * What of the previous round's figures may be set beside this round's (undefined without a previous round): all of
   * them on the same rubric; on another version only the sections whose indicators stayed the same, and the overall
   * only where it is computed the same way (rubric-comparison.ts).
   */
  readonly comparison: RubricComparison | undefined;
};

/** The non-empty lines of a text the panel or the program wrote, trimmed. */
export const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A level-3 heading over a list of what the panel wrote, or over "none" when it wrote nothing. */
/** A heading over a list of free texts (strengths, recommendations, barriers), marked with their language. */
export function buildHeadedList(text: string, id: string, items: readonly string[], { t, locale }: Context): Block[] {
  return [
    { type: 'heading', level: 3, text, id, outline: false },
    items.length > 0
      ? { type: 'list', items, lang: freeTextLang(items, locale) }
      : { type: 'paragraph', paragraph: p(t('reports.section.none'), 'muted') },
  ];
}
