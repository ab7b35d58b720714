// One program's chapter: its facts, then its parts in the order the report prints them.
import { formatLongDate, MISSING } from '../../i18n/format.js';
import { buildActionBlocks, buildOutcomePart } from '../../program-work/report-part.js';
import { cell } from '../report-cells.js';
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
  const facts: TableCell[][] = [
    [cell(t('reports.chapter.provider'), 'strong'), cell(data.program.supportProvider)],
    [cell(t('reports.chapter.supportModel'), 'strong'), cell(t(`municipalities.supportModels.${data.program.supportModel}`))],
    [cell(t('reports.chapter.kind'), 'strong'), cell(t(`reviews.kind.${latest.kind}`))],
    [cell(t('reports.chapter.visit'), 'strong'), cell(describeReviewPeriod(data.latest, ctx))],
    [cell(t('reports.chapter.finalised'), 'strong'), cell(latest.finalisedAt ? formatLongDate(latest.finalisedAt, locale) : MISSING)],
    [
      cell(t('reports.chapter.rubric'), 'strong'),
      cell(t('reports.cover.rubricValue', { title: view.rubricTitle, version: view.rubricVersion })),
    ],
    [
      cell(t('reports.chapter.previous'), 'strong'),
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
      {
        type: 'table',
        caption: t('reports.chapter.factsCaption'),
        columns: [
          { header: t('reports.chapter.factsCaption'), share: 0.26, align: 'left' },
          { header: '', share: 0.74, align: 'left' },
        ],
        rows: facts,
        rowHeaders: true,
        columnHeaders: false,
      },
      ...buildSummary(figures, ctx, chapterId),
      ...view.sections.flatMap((section) => buildSection(section, ctx, chapterId)),
      ...buildBarriers(view, ctx, chapterId),
      ...buildRecommendationsByOwner(data.latest.findings, data.latest.review.rubric.rubric.sections, chapterId, ctx),
      // Outcomes before the trend and the plans: what the program achieves, then what changes.
      ...buildOutcomePart(data.programWork, chapterId, locale),
      ...buildTrend(figures, ctx, chapterId),
      ...buildActionBlocks(data.programWork, chapterId, locale),
      ...buildFollowUp(figures, ctx, chapterId),
    ],
  };
}
