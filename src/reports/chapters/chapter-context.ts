// What every chapter builder shares: the context (language, translator, report date), one program's figures,
// heading ids, and the dates, changes and levels as the whole report prints them.
import { swedishDayOf } from '../../i18n/calendar.js';
import type { Locale } from '../../i18n/locale.js';
import type { Translate } from '../../i18n/messages.js';
import type { ResultView } from '../../reviews/result-view.js';
import { differenceAsShown, formatScore, type ReviewScores } from '../../reviews/scoring.js';
import { findFidelityLevel, type Rubric } from '../../rubrics/rubric-schema.js';
import type { ProgramReportData, ReviewRecord } from '../report-data.js';

/** Added to a percent before it is compared with level thresholds, as scoring.ts does for the overall level. */
const LEVEL_TOLERANCE = 1e-9;

export function formatDate(isoDate: string, locale: Locale): string {
  // A stored instant (a finalisation) is shown as its Swedish day; a plain ISO day as it is.
  const date = parseIsoDate(swedishDayOf(isoDate));
  if (!date) return isoDate;
  return dateFormat(locale).format(date);
}

/** "10–11 mars 2026", one date when both are equal, "–" when none is set. */
export function formatDateRange(start: string | undefined, end: string | undefined, locale: Locale): string {
  const from = start === undefined ? undefined : parseIsoDate(start);
  const to = end === undefined ? undefined : parseIsoDate(end);
  if (from && to) return from.getTime() === to.getTime() ? dateFormat(locale).format(from) : dateFormat(locale).formatRange(from, to);
  const single = from ?? to;
  return single ? dateFormat(locale).format(single) : '–';
}

function dateFormat(locale: Locale): Intl.DateTimeFormat {
  // UTC: a date must not move a day with the server's time zone.
  return new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function parseIsoDate(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

const MINUS = '\u2212';

/** "+5 p.e.", "−3,5 p.e.", "±0 p.e." from the two percents as displayed, so the table adds up as printed. */
export function formatChange(
  before: number | null,
  now: number | null,
  t: Translate,
  locale: Locale,
  bands: readonly number[] = [],
): string {
  if (before === null || now === null) return '–';
  const change = differenceAsShown(now, before, bands);
  const sign = change > 0 ? '+' : change < 0 ? MINUS : '±';
  const size = Math.abs(change);
  const digits = Number.isInteger(size) ? 0 : Number.isInteger(size * 10) ? 1 : Number.isInteger(size * 100) ? 2 : 3;
  return t('reports.trend.points', { value: `${sign}${formatScore(size, locale, digits)}` });
}

export function levelOf(rubric: Rubric, percent: number | null) {
  return percent === null ? undefined : findFidelityLevel(rubric, percent + LEVEL_TOLERANCE);
}

export type Context = {
  readonly t: Translate;
  readonly locale: Locale;
  /** The report's date (ISO day): when its newest review was finalised. Never the day it is printed. */
  readonly reportDate?: string | undefined;
};

/** Ids for headings: stable, unique, readable in a debugger. */
export function headingId(...parts: (string | number)[]): string {
  return parts.join('/');
}

export function meanOfMax(mean: string | undefined, max: string | undefined, { t }: Context): string {
  return mean !== undefined && max !== undefined ? t('reports.chapter.scoreOfMax', { score: mean, max }) : '–';
}

export function describeReviewPeriod(record: ReviewRecord, ctx: Context): string {
  return formatDateRange(record.review.visitStart, record.review.visitEnd, ctx.locale);
}

export type ProgramFigures = {
  readonly data: ProgramReportData;
  readonly view: ResultView;
  readonly scores: ReviewScores;
  readonly previousScores: ReviewScores | undefined;
};

/** The non-empty lines of a text the panel or the program wrote, trimmed. */
export const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
