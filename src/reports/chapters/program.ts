// One program's chapter: its facts, then its parts in the order the report prints them.
import { formatLongDate, MISSING, upperFirst } from '../../i18n/format.js';
import { buildActionBlocks } from '../action-blocks.js';
import { buildOutcomePart } from '../outcome-blocks.js';
import { cell, factsTable, freeText } from '../report-cells.js';
import type { Block, Chapter, TableCell } from '../report-model-types.js';
import { buildBarriers } from './barriers.js';
import { type Context, describeReviewPeriod, describeRound, headingId, type ProgramFigures } from './chapter-context.js';
import { buildFollowUp } from './follow-up.js';
import { buildRecommendationsByOwner } from './recommendations.js';
import { buildSection } from './sections.js';
import { buildSummary } from './summary.js';
import { buildTrend } from './trend.js';

/** The id of the `index`th program's chapter, the root of its headings' ids (page 1 points to them). */
export function programChapterId(index: number): string {
  return headingId('program', index + 1);
}

/**
 * `withJudgement`: page 1 gives only the opening of the panel's judgement (several programs, a long text), so the
 * chapter prints it whole, first, under a heading of its own.
 */
export function buildProgramChapter(
  figures: ProgramFigures,
  index: number,
  ctx: Context,
  { withJudgement }: { readonly withJudgement: boolean } = { withJudgement: false },
): Chapter {
  const { t, locale } = ctx;
  const { data, view } = figures;
  const chapterId = programChapterId(index);
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
      // Dated by when it took place, not by its finalisation (the day of the import, for a round imported from paper).
      data.previous ? cell(upperFirst(describeRound(data.previous, ctx), ctx.locale)) : cell(t('reports.chapter.noPrevious'), 'muted'),
    ],
  ];
  return {
    id: chapterId,
    runningTitle: data.program.name,
    blocks: [
      { type: 'heading', level: 1, text: data.program.name, id: chapterId, outline: true },
      factsTable(t('reports.chapter.factsCaption'), facts),
      ...(withJudgement && data.latest.judgement ? buildJudgement(data.latest.judgement.text, chapterId, ctx) : []),
      ...buildSummary(figures, ctx, chapterId),
      ...view.sections.flatMap((section) => buildSection(section, ctx, chapterId)),
      ...buildBarriers(view, ctx, chapterId),
      ...buildRecommendationsByOwner(data.latest.findings, data.latest.review.rubric.rubric.sections, chapterId, ctx),
      // Outcomes before the trend and the plans: what the program achieves, then what changes.
      ...buildOutcomePart(data.programWork, chapterId, locale),
      ...buildTrend(figures, ctx, chapterId),
      ...buildActionBlocks(
        data.programWork,
        chapterId,
        locale,
        ctx.actionsAsOf,
        data.previous && figures.previousScores && figures.comparison
          ? {
              previous: data.previous,
              latest: data.latest,
              previousScores: figures.previousScores,
              scores: figures.scores,
              comparison: figures.comparison,
            }
          : undefined,
      ),
      ...buildFollowUp(figures, ctx, chapterId),
    ],
  };
}

function buildJudgement(judgement: string, chapterId: string, { t, locale }: Context): Block[] {
  return [
    { type: 'heading', level: 2, text: t('reports.board.judgementHeading'), id: headingId(chapterId, 'judgement'), outline: true },
    { type: 'paragraph', paragraph: freeText(judgement, locale) },
  ];
}
