// The demo's story is written as loaded on 7 December 2026. Loaded on another day, every date it writes moves by the
// same whole number of months, so the demo shows the same picture whenever it is seeded: the same actions overdue, the
// next review not yet due, the review in rating recently started. Whole months keep each date's day of month (the
// last day of a shorter month stands in for a 29th to 31st it lacks); the demo's own texts name months, seasons and
// years only through DemoDates, so they always fit the moved dates.
import { formatLongDate } from '../i18n/format.js';

/** The newest day the story records (the latest progress note of the 2026 action plan); due dates lie beyond it. */
export const DEMO_STORY_NEWEST_DAY = '2026-11-16';

const MONTH_NAMES = new Intl.DateTimeFormat('sv-SE', { month: 'long', timeZone: 'UTC' });
/** Swedish seasons by month; winter (undefined) is named by its month, since "vintern 2026" could be either end of it. */
const SEASONS: readonly (string | undefined)[] = [
  undefined,
  undefined,
  'våren',
  'våren',
  'våren',
  'sommaren',
  'sommaren',
  'sommaren',
  'hösten',
  'hösten',
  'hösten',
  undefined,
];

export type DemoDates = {
  /** Whole months added to each of the story's dates. */
  readonly shift: number;
  /** An ISO day or UTC instant of the story ("2026-03-10", "2026-03-17T15:00:00.000Z"), moved by `shift` months. */
  day(iso: string): string;
  /** The year of a story day, moved: "2026". */
  year(iso: string): string;
  /** The month of a story day, moved, in Swedish: "oktober". */
  month(iso: string): string;
  /** The month and year of a story day, moved: "oktober 2025". */
  monthYear(iso: string): string;
  /** A story day, moved, in Swedish words: "20 april 2026". */
  date(iso: string): string;
  /** The season of a story day, moved: "hösten", or in winter (which spans two years) the month, "december". */
  season(iso: string): string;
  /**
   * Where a period starting on a story day begins, moved: its year when it starts on 1 January ("2024"), else its month
   * and year ("maj 2024"), so that "före 2024" never leaves out months the period lacks.
   */
  periodStart(iso: string): string;
  /** A period of the story, moved: its year when it is a calendar year ("2025"), else "april 2025–mars 2026". */
  period(startIso: string, endIso: string): string;
  /** The season and year of a story day, moved: "hösten 2025", or in winter the month and year, "januari 2026". */
  seasonYear(iso: string): string;
};

/**
 * The most whole months the story can move on and still have its newest day on or before `seedDay` (an ISO day in
 * Sweden): negative for a day before the story's newest one. The newest day is a 16th, which every month has.
 */
export function findDemoMonthShift(seedDay: string): number {
  const [year, month, day] = splitDay(seedDay);
  const [storyYear, storyMonth, storyDay] = splitDay(DEMO_STORY_NEWEST_DAY);
  const months = (year - storyYear) * 12 + (month - storyMonth);
  return day >= storyDay ? months : months - 1;
}

/**
 * `iso` (a day, or an instant whose time is kept) moved by `months` whole months: the day of month stays, or becomes
 * the month's last day where the month is shorter (31 March plus one month is 30 April; 31 January, 28 or 29 February).
 */
export function addMonths(iso: string, months: number): string {
  const [year, month, day] = splitDay(iso);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = index - newYear * 12 + 1;
  const lastDay = new Date(Date.UTC(newYear, newMonth, 0)).getUTCDate();
  const newDay = Math.min(day, lastDay);
  return `${String(newYear).padStart(4, '0')}-${pad(newMonth)}-${pad(newDay)}${iso.slice(10)}`;
}

export function createDemoDates(seedDay: string): DemoDates {
  const shift = findDemoMonthShift(seedDay);
  const day = (iso: string) => addMonths(iso, shift);
  const year = (iso: string) => day(iso).slice(0, 4);
  const month = (iso: string) => MONTH_NAMES.format(new Date(`${day(iso).slice(0, 10)}T00:00:00.000Z`));
  const season = (iso: string) => SEASONS[Number(day(iso).slice(5, 7)) - 1] ?? month(iso);
  return {
    shift,
    day,
    year,
    month,
    monthYear: (iso) => `${month(iso)} ${year(iso)}`,
    date: (iso) => formatLongDate(day(iso).slice(0, 10), 'sv'),
    periodStart: (iso) => (day(iso).slice(5, 10) === '01-01' ? year(iso) : `${month(iso)} ${year(iso)}`),
    period: (startIso, endIso) =>
      day(startIso).slice(5, 10) === '01-01' && day(endIso).slice(5, 10) === '12-31' && year(startIso) === year(endIso)
        ? year(startIso)
        : `${month(startIso)} ${year(startIso)}–${month(endIso)} ${year(endIso)}`,
    season,
    seasonYear: (iso) => `${season(iso)} ${year(iso)}`,
  };
}

function splitDay(iso: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) throw new Error(`demo seed: ${iso} is not an ISO day`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
