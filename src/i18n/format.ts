// Everything a page, an export or a report shows as text of a number, a percent, a share, a date, a time or a
// fidelity level, in both UI languages. One place, so that Swedish always gets its decimal comma, a no-break space
// before "%" and "10 mars 2026", and English "2.75", "69%" and "10 March 2026", wherever the figure appears.
// Formatting only: nothing here decides a score. How a fidelity figure is rounded against the level bands
// (roundFigure, formatFigurePercent) is scoring logic and stays in reviews/scoring.ts, which formats through here.
//
// The Intl formatters are built once, when the module loads: constructing an Intl.NumberFormat costs far more than
// using one (it was a third of a result page's CPU), so none is built per call.
import { swedishDayOf } from './calendar.js';
import type { Locale, LocalizedText } from './locale.js';

/** Placeholder shown for a missing value: an en dash, as in Swedish and English typography. */
export const MISSING = '–';
const NO_BREAK_SPACE = '\u00a0';
const MINUS_SIGN = '\u2212';

/** The BCP 47 tag of a UI language, for Intl and for a PDF's document language. */
export function intlLocale(locale: Locale): 'sv-SE' | 'en-GB' {
  return locale === 'sv' ? 'sv-SE' : 'en-GB';
}

/**
 * Formats a score for display with a fixed number of decimals: "2,75" in Swedish (decimal comma),
 * "2.75" in English, "–" for null. Throws on NaN/Infinity, which only a bug can produce.
 */
export function formatScore(value: number | null, locale: Locale, digits = 2): string {
  if (value === null) return MISSING;
  return formatNumber(value, locale, digits);
}

/** Formats a percent: "69 %" in Swedish (no-break space before %, per Swedish style), "69%" in English. */
export function formatPercent(value: number | null, locale: Locale, digits = 0): string {
  if (value === null) return MISSING;
  const number = formatNumber(value, locale, digits);
  return locale === 'sv' ? `${number}${NO_BREAK_SPACE}%` : `${number}%`;
}

/**
 * An exact quantity (posts of case managers, a level's threshold) with as many decimals as it has, at most two:
 * "2", "1,5", "0,25". Floating-point noise (0.1 + 0.2) does not add decimals.
 */
export function formatExactNumber(value: number, locale: Locale): string {
  return formatScore(value, locale, neededDecimals(value, 2));
}

/**
 * A percent that is a limit rather than a measured figure (a level's threshold, the lowest percent a scale allows),
 * with as many decimals as it needs, at most two: "75 %", "87,5 %", "33,33 %".
 */
export function formatThresholdPercent(value: number, locale: Locale): string {
  return formatPercent(value, locale, neededDecimals(value, 2));
}

/**
 * A signed difference, such as percentage points between two figures as shown: "+5", "−3,5" (a true minus sign),
 * and zero as "0" or, with `zeroSign` '±', "±0". The size has as many decimals as it has, at most `maxDigits`.
 */
export function formatSignedNumber(
  value: number,
  locale: Locale,
  options: { readonly maxDigits?: number; readonly zeroSign?: '' | '±' } = {},
): string {
  const { maxDigits = 3, zeroSign = '' } = options;
  const sign = value > 0 ? '+' : value < 0 ? MINUS_SIGN : zeroSign;
  const size = Math.abs(value);
  return `${sign}${formatScore(size, locale, neededDecimals(size, maxDigits))}`;
}

/**
 * A share (0–1) as a rubric means it: "50 %", or a simple fraction ("2/3") where a percent would be rounded, else a
 * percent at one decimal; "–" for null.
 */
export function formatShare(share: number | null, locale: Locale): string {
  if (share === null) return MISSING;
  const percent = share * 100;
  if (Math.abs(percent - Math.round(percent)) < 1e-9) return formatPercent(Math.round(percent), locale, 0);
  for (let denominator = 2; denominator <= 12; denominator++) {
    const numerator = Math.round(share * denominator);
    if (Math.abs(share * denominator - numerator) < 1e-9) return `${numerator}/${denominator}`;
  }
  return formatPercent(percent, locale, 1);
}

/**
 * "10 mars 2026" / "10 March 2026": an ISO day in words. A stored instant ("2026-03-15T23:30:00Z") is shown as its
 * Swedish day. Formatted in UTC, so the day never moves with the server's time zone. Text that is not a date comes
 * back as it is.
 */
export function formatLongDate(isoDate: string, locale: Locale): string {
  const date = parseIsoDay(swedishDayOf(isoDate));
  return date === undefined ? isoDate : LONG_DATES[locale].format(date);
}

/**
 * One dash style in both languages (ICU writes "10 – 11 March 2026" in English and "28 februari–2 mars 2026" in
 * Swedish): a closed dash between two day numbers ("10–11"), a spaced one where either side holds a space
 * ("28 februari – 2 mars 2026"), as Swedish and English typography both have it.
 */
function spaceRangeDash(range: string): string {
  const match = /^(.*?)\s*–\s*(.*)$/u.exec(range);
  if (!match) return range;
  const [, left = '', right = ''] = match;
  return /^\d+$/.test(left) ? `${left}–${right}` : `${left} – ${right}`;
}

/** "10–11 mars 2026" for two ISO days, one date when both are equal or only one is set, "–" when none is. */
export function formatLongDateRange(start: string | undefined, end: string | undefined, locale: Locale): string {
  const from = start === undefined ? undefined : parseIsoDay(swedishDayOf(start));
  const to = end === undefined ? undefined : parseIsoDay(swedishDayOf(end));
  if (from && to)
    return from.getTime() === to.getTime() ? LONG_DATES[locale].format(from) : spaceRangeDash(LONG_DATES[locale].formatRange(from, to));
  const single = from ?? to;
  return single ? LONG_DATES[locale].format(single) : MISSING;
}

/**
 * A stored UTC time ("2026-03-10T13:05:12.345Z" or SQLite's "2026-03-10 13:05:12") as Stockholm's local time,
 * "2026-03-10 14:05:12", summer time included; the same in both languages. Text that is not a time comes back as it is.
 */
export function formatStockholmTime(at: string): string {
  const normalised = /[zZ]|[+-]\d{2}:?\d{2}$/.test(at) ? at : `${at.replace(' ', 'T')}Z`;
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime())) return at;
  const parts = Object.fromEntries(STOCKHOLM_TIME.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A fidelity level's name in the language ("Delvis modelltrohet"), "–" when there is no level. */
export function formatLevel(level: { readonly label: LocalizedText } | undefined, locale: Locale): string {
  return level === undefined ? MISSING : level.label[locale];
}

/** The fewest decimals, at most `max`, that show the value exactly: floating-point noise (0.07 × 100) adds none. */
function neededDecimals(value: number, max: number): number {
  for (let digits = 0; digits < max; digits++) {
    const scaled = value * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6) return digits;
  }
  return max;
}

function parseIsoDay(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function createLongDateFormat(locale: Locale): Intl.DateTimeFormat {
  // UTC: the Date is midnight UTC of the day, and must not move a day with the server's time zone.
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const LONG_DATES: Readonly<Record<Locale, Intl.DateTimeFormat>> = Object.freeze({
  sv: createLongDateFormat('sv'),
  en: createLongDateFormat('en'),
});

const LISTS: Readonly<Record<Locale, Intl.ListFormat>> = Object.freeze({
  sv: new Intl.ListFormat(intlLocale('sv'), { type: 'conjunction' }),
  en: new Intl.ListFormat(intlLocale('en'), { type: 'conjunction' }),
});

/** Names as a list of the language: "Anna, Bertil och Cecilia", "Anna, Bertil and Cecilia". */
export function formatList(items: readonly string[], locale: Locale): string {
  return LISTS[locale].format(items);
}

/** The text with its first letter a capital, in the language's rules: a phrase made to open a sentence or a cell. */
export function upperFirst(text: string, locale: Locale): string {
  return text.charAt(0).toLocaleUpperCase(intlLocale(locale)) + text.slice(1);
}

// sv-SE only for its parts (numeric, 24 hours); the text is put together in formatStockholmTime.
const STOCKHOLM_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function createNumberFormat(locale: Locale, digits: number): Intl.NumberFormat {
  // Intl rounds the number as written (1.005 → "1.01"), where toFixed rounds its binary value ("1.00").
  // No grouping: scores and percents are small, and this keeps the output predictable.
  // signDisplay 'negative' avoids "-0,00" for tiny negative values.
  return new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
    signDisplay: 'negative',
  });
}

const MAX_PRECOMPUTED_DIGITS = 4;
const NUMBER_FORMATS: Readonly<Record<Locale, readonly Intl.NumberFormat[]>> = Object.freeze({
  sv: Object.freeze(Array.from({ length: MAX_PRECOMPUTED_DIGITS + 1 }, (_, d) => createNumberFormat('sv', d))),
  en: Object.freeze(Array.from({ length: MAX_PRECOMPUTED_DIGITS + 1 }, (_, d) => createNumberFormat('en', d))),
});

// Whole numbers from 0 to 100 without decimals (scale points, most percents) are the numbers a result page formats
// over and over; their texts are made once here, since Intl's format() is far slower than an array read.
const MAX_PREFORMATTED = 100;
const WHOLE_NUMBERS: Readonly<Record<Locale, readonly string[]>> = Object.freeze({
  sv: Object.freeze(Array.from({ length: MAX_PREFORMATTED + 1 }, (_, n) => NUMBER_FORMATS.sv[0]?.format(n) ?? String(n))),
  en: Object.freeze(Array.from({ length: MAX_PREFORMATTED + 1 }, (_, n) => NUMBER_FORMATS.en[0]?.format(n) ?? String(n))),
});

function formatNumber(value: number, locale: Locale, digits: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`cannot format ${value} as a score`);
  }
  if (digits === 0 && Number.isInteger(value) && value >= 0 && value <= MAX_PREFORMATTED)
    return WHOLE_NUMBERS[locale][value] ?? String(value);
  return (NUMBER_FORMATS[locale][digits] ?? createNumberFormat(locale, digits)).format(value);
}
