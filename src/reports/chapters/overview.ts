// The overview chapter: every program's overall figures, level and change in one table.
import { MISSING } from '../../i18n/format.js';
import { levelBands } from '../../reviews/scoring.js';
import { cell, p } from '../report-cells.js';
import type { Chapter } from '../report-model-types.js';
import { type Context, formatChange, meanOnScale, type ProgramFigures } from './chapter-context.js';

export function buildOverview(programs: readonly ProgramFigures[], ctx: Context): Chapter {
  const { t, locale } = ctx;
  return {
    id: 'overview',
    runningTitle: t('reports.overview.heading'),
    blocks: [
      { type: 'heading', level: 1, text: t('reports.overview.heading'), id: 'overview', outline: true },
      { type: 'paragraph', paragraph: p(t('reports.overview.intro')) },
      // Said once, in the English report only: the panel's own texts are not translated.
      ...(locale === 'en' ? [{ type: 'paragraph' as const, paragraph: p(t('reports.overview.freeText'), 'muted') }] : []),
      {
        type: 'table',
        caption: t('reports.overview.caption'),
        columns: [
          { header: t('reports.overview.program'), share: 0.24, align: 'left' },
          { header: t('reports.overview.overall'), share: 0.21, align: 'right' },
          { header: t('reports.overview.percent'), share: 0.14, align: 'right' },
          { header: t('reports.overview.level'), share: 0.23, align: 'left' },
          { header: t('reports.overview.change'), share: 0.18, align: 'right' },
        ],
        rows: programs.map(({ data, view, scores, previousScores, comparison }) => [
          cell(data.program.name, 'strong'),
          cell(meanOnScale(view.overall, ctx)),
          cell(view.overall.percent),
          [p(view.overall.level?.label ?? MISSING), ...view.overall.verdict.caps.map((cap) => p(cap, 'small'))],
          // Across rubric versions whose overall is computed differently, no change: it would compare unlike figures.
          previousScores && data.previous && comparison && !comparison.overall
            ? cell(t('reports.overview.otherVersion', { version: data.previous.review.rubricVersion }), 'muted')
            : previousScores
              ? cell(
                  formatChange(
                    previousScores.overall.percent,
                    scores.overall.percent,
                    locale,
                    levelBands(data.latest.review.rubric.rubric),
                  ),
                )
              : cell(t('reports.overview.noPrevious'), 'muted'),
        ]),
        rowHeaders: true,
        columnHeaders: true,
      },
    ],
  };
}
