// When a program's next review is due, counted one way for the app (program and municipality pages) and the PDF
// report (follow-up chapter and page 1): the rubric's follow_up_months for the level reached, counted from the later
// of the site visit and the finalisation (a report finalised months after the visit must not print a window already
// half over), or, when no level was reached, the shortest interval any level sets. Pure, and deterministic: from the
// review's data, never from the day it is asked.
import { swedishDayOf } from '../i18n/calendar.js';
import type { FidelityLevel, Rubric } from '../rubrics/rubric-schema.js';

export type FollowUp = {
  /** The Swedish day the window is counted from. */
  readonly start: string;
  /** Whether `start` is the finalisation (it came after the visit); else it is the site visit. */
  readonly fromFinalisation: boolean;
  /**
   * The window, in months and as ISO days; undefined when the level reached sets no interval, or the rubric none at
   * all. Without a level, both ends are the rubric's shortest interval.
   */
  readonly window: { readonly minMonths: number; readonly maxMonths: number; readonly earliest: string; readonly due: string } | undefined;
};

type ReviewDates = {
  readonly visitStart: string | undefined;
  readonly visitEnd: string | undefined;
  readonly finalisedAt: string | undefined;
  readonly createdAt: string;
};

/** The follow-up of a review that reached `level` (undefined: no level) on `rubric`. */
export function findFollowUp(review: ReviewDates, rubric: Rubric, level: FidelityLevel | undefined): FollowUp {
  const visit = review.visitEnd ?? review.visitStart ?? swedishDayOf(review.finalisedAt ?? review.createdAt);
  const finalised = review.finalisedAt === undefined ? undefined : swedishDayOf(review.finalisedAt);
  const fromFinalisation = finalised !== undefined && finalised > visit;
  const start = fromFinalisation ? finalised : visit;
  const months = level ? level.follow_up_months : shortestInterval(rubric);
  return {
    start,
    fromFinalisation,
    window: months
      ? { minMonths: months.min, maxMonths: months.max, earliest: addMonths(start, months.min), due: addMonths(start, months.max) }
      : undefined,
  };
}

/** The shortest interval the rubric sets (each level's longest), for a review that reached no level. */
function shortestInterval(rubric: Rubric): { min: number; max: number } | undefined {
  const months = rubric.fidelity_levels.flatMap((level) => (level.follow_up_months ? [level.follow_up_months.max] : []));
  return months.length > 0 ? { min: Math.min(...months), max: Math.min(...months) } : undefined;
}

/** An ISO day `months` later, the day kept where the month has it (31 January + 1 month → 28/29 February). */
export function addMonths(isoDate: string, months: number): string {
  const [year = 0, month = 1, day = 1] = isoDate.slice(0, 10).split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
