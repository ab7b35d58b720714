// A program chapter's follow-up: when the next review should come, and what it checks.
import { formatLongDate } from '../../i18n/format.js';
import { findFollowUp } from '../../reviews/follow-up.js';
import { p } from '../report-cells.js';
import type { Block } from '../report-model-types.js';
import type { Context, ProgramFigures } from './chapter-context.js';
/**
 * When the next review should come: the rubric's follow_up_months for the level reached, counted from the later of
 * the site visit and the finalisation (a report finalised months after the visit must not print a window already half
 * over), and what it checks. A window that ends before the day the report's data describe (actionsAsOf) says that it
 * has passed. Deterministic: from the review's data, never from the day the report is printed.
 */
export function buildFollowUp(figures: ProgramFigures, ctx: Context, chapterId: string): Block[] {
  const { t, locale } = ctx;
  const review = figures.data.latest.review;
  const level = figures.scores.overall.level;
  const { start, fromFinalisation, window } = findFollowUp(review, review.rubric.rubric, level);
  const from = t(fromFinalisation ? 'reports.followUp.fromFinalised' : 'reports.followUp.fromVisit', {
    date: formatLongDate(start, locale),
  });
  const latest = window?.due;
  let timing: string | undefined;
  if (window && level) {
    timing =
      window.minMonths === window.maxMonths
        ? t('reports.followUp.after', {
            level: level.label[locale],
            months: window.minMonths,
            from,
            date: formatLongDate(window.due, locale),
          })
        : t('reports.followUp.within', {
            level: level.label[locale],
            min: window.minMonths,
            max: window.maxMonths,
            from,
            earliest: formatLongDate(window.earliest, locale),
            latest: formatLongDate(window.due, locale),
          });
  } else if (window) {
    timing = t('reports.followUp.noLevel', { months: window.maxMonths, from, date: formatLongDate(window.due, locale) });
  }
  // Judged on the day the report's data describe, as page 1 and the action parts are: a report whose action plan was
  // kept after the review can say that the next review is overdue.
  const passed =
    latest !== undefined && latest < ctx.actionsAsOf
      ? t('reports.followUp.passed', { latest: formatLongDate(latest, locale), asOf: formatLongDate(ctx.actionsAsOf, locale) })
      : undefined;
  return [
    { type: 'heading', level: 2, text: t('reports.followUp.heading'), id: `${chapterId}/follow-up`, outline: true },
    ...(timing ? [{ type: 'paragraph' as const, paragraph: p(timing) }] : []),
    ...(passed ? [{ type: 'paragraph' as const, paragraph: p(passed, 'strong') }] : []),
    { type: 'paragraph', paragraph: p(t('reports.followUp.checks')) },
  ];
}

/**
 * The last day of the follow-up window (ISO day), for page 1's table: counted as buildFollowUp counts it (the later of
 * the visit and the finalisation, the level's longest interval, or the rubric's shortest one without a level).
 */
export function findNextReviewDue(figures: ProgramFigures): string | undefined {
  const review = figures.data.latest.review;
  return findFollowUp(review, review.rubric.rubric, figures.scores.overall.level).window?.due;
}
