// The demo's story is written as loaded on 7 December 2026. Loaded on another day, every date it writes and every year
// its texts name move by the same whole number of years, so the demo looks current whenever it is seeded: whole years
// keep the month names of its texts ("10–11 mars", "i oktober") and the order of month and day; weekdays move.

/** The newest day the story records (the latest progress note of the 2026 action plan); due dates lie beyond it. */
export const DEMO_STORY_NEWEST_DAY = '2026-11-16';

export type DemoYears = {
  /** Whole years added to each of the story's dates. */
  readonly shift: number;
  /** An ISO day or UTC instant of the story ("2026-03-10", "2026-03-17T15:00:00.000Z"), moved by `shift` years. */
  day(iso: string): string;
  /** A text of the demo's own with every year it names moved by `shift` years. */
  text(text: string): string;
};

/**
 * The most years the story can move on and still have its newest day on or before `seedDay` (an ISO day in Sweden):
 * negative for a day before the story's newest one.
 */
export function findDemoYearShift(seedDay: string): number {
  const years = Number(seedDay.slice(0, 4)) - Number(DEMO_STORY_NEWEST_DAY.slice(0, 4));
  // ISO month-days ("-11-16") compare as text.
  return seedDay.slice(4, 10) >= DEMO_STORY_NEWEST_DAY.slice(4) ? years : years - 1;
}

export function createDemoYears(seedDay: string): DemoYears {
  const shift = findDemoYearShift(seedDay);
  return {
    shift,
    day: (iso) => {
      // 29 February moved by a year would be no day at all: the story keeps off it.
      if (iso.slice(4, 10) === '-02-29') throw new Error(`demo seed: ${iso} is 29 February, which a shifted year may lack`);
      return `${String(Number(iso.slice(0, 4)) + shift).padStart(4, '0')}${iso.slice(4)}`;
    },
    // In the demo's own texts every number from 2000 to 2099 is a year (the rubric's texts are never passed here).
    text: (text) => text.replace(/\b20\d\d\b/g, (year) => String(Number(year) + shift)),
  };
}
