// One program's chapter: its facts, then its parts in the order the report prints them.
import { formatLongDate, MISSING } from '../../i18n/format.js';
import { buildActionBlocks } from '../action-blocks.js';
import { buildOutcomePart } from '../outcome-blocks.js';
import { cell, factsTable } from '../report-cells.js';
import type { Chapter, TableCell } from '../report-model-types.js';
import { buildBarriers } from './barriers.js';
import { type Context, describeReviewPeriod, headingId, type ProgramFigures } from './chapter-context.js';
import { buildFollowUp } from './follow-up.js';
import { buildRecommendationsByOwner } from './recommendations.js';
import { buildSection } from './sections.js';
import { buildSummary } from './summary.js';
import { buildTrend } from './trend.js';

export function buildProgramChapter(figures: ProgramFigures, index: number, ctx: Context): Chapter {
  const { t, locale } = ctx;
  const { data, view } = figures;
  const chapterId = headingId('program', index + 1);
  const latest = data.latest.review;
  const facts: [string, TableCell][] = [
    [t('reports.chapter.provider'), cell(data.program.supportProvider)],
    [t('reports.chapter.supportModel'), cell(t(`municipalities.supportModels.${data.program.supportModel}`))],
    [t('reports.chapter.kind'), cell(t(`reviews.kind.${latest.kind}`))],
    [t('reports.chapter.visit'), cell(describeReviewPeriod(data.latest, ctx))],
    [t('reports.chapter.finalised'), cell(latest.finalisedAt ? formatLongDate(latest.finalisedAt, locale) : MISSING)],
    [t('reports.chapter.rubric'), cell(t('reports.cover.rubricValue', { title: view.rubricTitle, version: view.rubricVersion }))],
    [
      t('reports.chapter.previous'),
      data.previous
        ? cell(
            t('reports.chapter.previousValue', {
              date: data.previous.review.finalisedAt ? formatLongDate(data.previous.review.finalisedAt, locale) : MISSING,
              visit: describeReviewPeriod(data.previous, ctx),
            }),
          )
        : cell(t('reports.chapter.noPrevious'), 'muted'),
    ],
  ];
  return {
    id: chapterId,
    runningTitle: data.program.name,
    blocks: [
      { type: 'heading', level: 1, text: data.program.name, id: chapterId, outline: true },
      factsTable(t('reports.chapter.factsCaption'), facts),
      ...buildSummary(figures, ctx, chapterId),
      ...view.sections.flatMap((section) => buildSection(section, ctx, chapterId)),
      ...buildBarriers(view, ctx, chapterId),
      ...buildRecommendationsByOwner(data.latest.findings, data.latest.review.rubric.rubric.sections, chapterId, ctx),
      // Outcomes before the trend and the plans: what the program achieves, then what changes.
      ...buildOutcomePart(data.programWork, chapterId, locale),
      ...buildTrend(figures, ctx, chapterId),
      ...buildActionBlocks(data.programWork, chapterId, locale, ctx.reportDate),
      ...buildFollowUp(figures, ctx, chapterId),
    ],
  };
}
