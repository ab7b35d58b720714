// A program's latest result, for the pages that name the program (issue 14, item 10): the level, the figure and the
// date of its latest final peer review, where its result page and its PDF report are, and when the next review is due.
// The figure and the level are the result page's (scoreReview, rounded down as shown there); the due date is the
// report's follow-up: the rubric's follow_up_months for the level reached (the longest of its interval), counted from
// the site visit, or the shortest interval any level sets when no level was reached.
import { findRoundDate, listFinalPeerReviews } from '../actions/review-rounds.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { formatFigurePercent, type IndicatorScore, levelBands, scoreReview } from '../reviews/scoring.js';

export type LatestResult = {
  readonly reviewId: number;
  readonly resultHref: string;
  /** The municipality's PDF report, which has a chapter per program built from its latest final peer review. */
  readonly reportHref: string;
  /** "Godtagbar modelltrohet", or a dash when the review reached no level. */
  readonly level: string;
  readonly levelId: string | undefined;
  /** "78,3 %". */
  readonly percent: string;
  /** The round's date (its site visit), ISO and in words. */
  readonly date: string;
  readonly dateText: string;
  /** "Godtagbar modelltrohet, 78,3 % (10 mars 2026)". */
  readonly summary: string;
  /** When the next review is due, in words, and whether that day has passed. */
  readonly nextDue: { readonly date: string; readonly dateText: string; readonly overdue: boolean } | undefined;
};

/** "10 mars 2026": a day in words. UTC, so a date never moves with the server's time zone. */
export function formatLongDate(isoDate: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** An ISO date `months` later, the day kept where the month has it (31 January + 1 month → 28/29 February), as the report counts. */
function addMonths(isoDate: string, months: number): string {
  const [year = 0, month = 1, day = 1] = isoDate.slice(0, 10).split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

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
    new Map<string, IndicatorScore>(reviews.listConsensus(review.id).map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }])),
  );
  const level = scores.overall.level;
  const levelText = level ? level.label[locale] : '–';
  const percent = formatFigurePercent(scores.overall.percent, locale, levelBands(rubric));
  const date = findRoundDate(latest);
  const dateText = formatLongDate(date, locale);
  const visit = review.visitEnd ?? review.visitStart ?? (review.finalisedAt ?? review.createdAt).slice(0, 10);
  const intervals = rubric.fidelity_levels.flatMap((candidate) => (candidate.follow_up_months ? [candidate.follow_up_months.max] : []));
  const months = level ? level.follow_up_months?.max : intervals.length > 0 ? Math.min(...intervals) : undefined;
  const due = months === undefined ? undefined : addMonths(visit, months);
  return {
    reviewId: review.id,
    resultHref: `/reviews/${review.id}/result`,
    reportHref: `/municipalities/${program.municipalityCode}/report.pdf`,
    level: levelText,
    levelId: level?.id,
    percent,
    date,
    dateText,
    summary: t('municipalities.latest.summary', { level: levelText, percent, date: dateText }),
    nextDue: due === undefined ? undefined : { date: due, dateText: formatLongDate(due, locale), overdue: due < today },
  };
}
