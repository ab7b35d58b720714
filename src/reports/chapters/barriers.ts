// A program chapter's barriers, grouped by category.
import type { ResultView } from '../../reviews/result-view.js';
import { p } from '../report-cells.js';
import type { Block } from '../report-model-types.js';
import { buildHeadedList, type Context, headingId } from './chapter-context.js';
/** The barriers the review names, for the whole program: after the sections' strengths and recommendations. */
export function buildBarriers(view: ResultView, ctx: Context, chapterId: string): Block[] {
  const { t } = ctx;
  return [
    { type: 'heading', level: 2, text: t('reports.barriers.heading'), id: headingId(chapterId, 'barriers'), outline: true },
    { type: 'paragraph', paragraph: p(t('reports.barriers.intro')) },
    ...view.barriers.flatMap((group) =>
      buildHeadedList(
        t(`reviews.consensus.barrierLabels.${group.category}`),
        headingId(chapterId, 'barriers', group.category),
        group.items,
        ctx,
      ),
    ),
  ];
}
