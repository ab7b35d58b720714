// The report's dates. Both come from its data, never from the day it is printed, so the same data gives the same PDF.
import { findNewestRecord } from '../actions/report-part.js';
import { swedishDayOf } from '../i18n/calendar.js';
import type { ReportData } from './report-data.js';

/** When the newest review in the report was finalised (reviews without a stamp fall back to their creation). */
export function findLastFinalised(data: ReportData): string {
  const stamps = data.programs.map(({ latest }) => latest.review.finalisedAt ?? latest.review.createdAt);
  // biome-ignore lint/complexity/useMathMinMax: ISO timestamps are strings, which Math.max would turn into NaN.
  return stamps.reduce((latest, stamp) => (stamp > latest ? stamp : latest));
}

export type ReportDates = {
  /** The report's date (ISO day): the Swedish day its newest review was finalised. */
  readonly reportDate: string;
  /**
   * The day the action parts describe (ISO day): the later of the report's date and the newest record on the actions
   * they show or count (a save or a progress note's date; earlier rounds' too, since page 1 counts their overdue ones). The program keeps its action plan after the review, so the parts
   * print statuses and notes recorded after the report's date: they are as of this day, and so is overdue.
   */
  readonly actionsAsOf: string;
};

export function findReportDates(data: ReportData): ReportDates {
  const reportDate = swedishDayOf(findLastFinalised(data));
  const newest = findNewestRecord(
    data.programs.flatMap(({ programWork }) =>
      programWork ? [...(programWork.lastRound ? [programWork.lastRound] : []), ...programWork.earlierRounds, programWork.actionPlan] : [],
    ),
  );
  return { reportDate, actionsAsOf: newest !== undefined && newest > reportDate ? newest : reportDate };
}
