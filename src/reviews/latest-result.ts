// A program's latest result, for the pages that name the program: the level, the figure and the
// date of its latest final peer review, where its result page and its PDF report are, and when the next review is due.
// The figure and the level are the result page's (scoreReview, shown as formatFigurePercent shows it there); the due
// date is the report's follow-up (findFollowUp: the end of the window, counted as the PDF counts it).
import { findRoundDate, listFinalPeerReviews } from './review-rounds.js';
import { formatLevel, formatLongDate } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import { findFollowUp } from './follow-up.js';
import type { ReviewStore } from './review-store.js';
import { formatFigurePercent, type IndicatorScore, levelBands, scoreReview } from './scoring.js';
import type { LatestResult } from '../municipalities/program-page-parts.js';

export type { LatestResult } from '../municipalities/program-page-parts.js';

/** The latest final peer review of a program as its result, or undefined when it has none. `today` is an ISO day in Sweden. */
export function describeLatestResult(
  reviews: ReviewStore,
  program: { readonly id: number; readonly municipalityCode: string },
  t: Translate,
  locale: Locale,
  today: string,
): LatestResult | undefined {
  const latest = listFinalPeerReviews(reviews, program.id)[0];
  const review = latest ? reviews.findReviewById(latest.id) : undefined;
  if (!latest || !review) return undefined;
  const rubric = review.rubric.rubric;
  const scores = scoreReview(
    rubric,
    new Map<string, IndicatorScore>(
      reviews.listConsensus(review.id).map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }]),
    ),
  );
  const level = scores.overall.level;
  const levelText = formatLevel(level, locale);
  const percent = formatFigurePercent(scores.overall.percent, locale, levelBands(rubric));
  const date = findRoundDate(latest);
  const dateText = formatLongDate(date, locale);
  const due = findFollowUp(review, rubric, level).window?.due;
  const summaryKey = scores.overall.explanation.caps.some((cap) => cap.lowered)
    ? 'municipalities.latest.summaryCapped'
    : 'municipalities.latest.summary';
  return {
    reviewId: review.id,
    resultHref: `/reviews/${review.id}/result`,
    reportHref: `/municipalities/${program.municipalityCode}/report.pdf`,
    level: levelText,
    levelId: level?.id,
    percent,
    date,
    dateText,
    // A capped level says so, so that the figure beside it is not read as its band.
    summary: t(summaryKey, { level: levelText, percent, date: dateText }),
    tableSummary: t(summaryKey, { level: levelText, percent, date }),
    nextDue: due === undefined ? undefined : { date: due, dateText: formatLongDate(due, locale), overdue: due < today },
  };
}
