// The demo's story is written as loaded on 7 December 2026. Loaded on another day, every date it writes moves by the
// same whole number of months, so the demo shows the same picture whenever it is seeded: the same actions overdue, the
// next review not yet due, the review in rating recently started. Whole months keep each date's day of month (the
// last day of a shorter month stands in for a 29th to 31st it lacks). The outcome periods alone move by whole years,
// since municipalities report such figures per calendar year. The demo's own texts name months, seasons, years and
// periods only through DemoDates, so they always fit the moved dates.
import { formatLongDate } from '../i18n/format.js';

/** The newest day the story records (the latest progress note of the 2026 action plan); due dates lie beyond it. */
export const DEMO_STORY_NEWEST_DAY = '2026-11-16';
/**
 * The first day of the story's 2026 Stockholm visit. The panel read that year's plan and the outcome follow-up of the
 * year before it; the outcome periods stay the calendar years before the moved visit's year.
 */
export const DEMO_STORY_VISIT_DAY = '2026-03-10';

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
  /** Whole months added to each of the story's dates but its outcome periods'. */
  readonly shift: number;
  /** Whole years added to the story's outcome periods and the instants they were entered (findDemoYearShift). */
  readonly periodShift: number;
  /** An ISO day or UTC instant of the story ("2026-03-10", "2026-03-17T15:00:00.000Z"), moved by `shift` months. */
  day(iso: string): string;
  /** A day of an outcome period, or the instant it was entered, moved by `periodShift` years: "2025-12-31". */
  periodDay(iso: string): string;
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
   * Where an outcome period starting on a story day begins, moved by `periodShift` years: its year when it starts on
   * 1 January ("2024"), else its month and year ("maj 2024"), so that "före 2024" never leaves out months it lacks.
   */
  periodStart(iso: string): string;
  /** An outcome period, moved by `periodShift` years: its year when it is a calendar year ("2025"), else "april 2025–mars 2026". */
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
 * The whole years the story's outcome periods move on when its other dates move `monthShift` months: as many as the
 * moved visit's year is after the story's. The periods stay calendar years, and the ones before the visit's year, as the
 * story has them: each ended before the visit, and so before the day the demo is seeded on. Seeded on 15 March 2027
 * (three months on, the visit in June 2026) they stay 2024 and 2025; on 2 October 2027 (ten months, the visit in
 * January 2027) they are 2025 and 2026.
 */
export function findDemoYearShift(monthShift: number): number {
  return splitDay(addMonths(DEMO_STORY_VISIT_DAY, monthShift))[0] - splitDay(DEMO_STORY_VISIT_DAY)[0];
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
  const periodShift = findDemoYearShift(shift);
  const day = (iso: string) => addMonths(iso, shift);
  const periodDay = (iso: string) => addMonths(iso, periodShift * 12);
  const year = (iso: string) => day(iso).slice(0, 4);
  const monthOf = (moved: string) => MONTH_NAMES.format(new Date(`${moved.slice(0, 10)}T00:00:00.000Z`));
  const month = (iso: string) => monthOf(day(iso));
  const season = (iso: string) => SEASONS[Number(day(iso).slice(5, 7)) - 1] ?? month(iso);
  const monthYearOf = (moved: string) => `${monthOf(moved)} ${moved.slice(0, 4)}`;
  return {
    shift,
    periodShift,
    day,
    periodDay,
    year,
    month,
    monthYear: (iso) => monthYearOf(day(iso)),
    date: (iso) => formatLongDate(day(iso).slice(0, 10), 'sv'),
    periodStart: (iso) => {
      const start = periodDay(iso);
      return start.slice(5, 10) === '01-01' ? start.slice(0, 4) : monthYearOf(start);
    },
    period: (startIso, endIso) => {
      const [start, end] = [periodDay(startIso), periodDay(endIso)];
      return start.slice(5, 10) === '01-01' && end.slice(5, 10) === '12-31' && start.slice(0, 4) === end.slice(0, 4)
        ? start.slice(0, 4)
        : `${monthYearOf(start)}–${monthYearOf(end)}`;
    },
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
