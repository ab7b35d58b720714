// Page 1: a header block (the report's basis, the rubric, each program's visit and panel), then the verdict.
import { formatLongDate } from '../../i18n/format.js';
import type { ResultView } from '../../reviews/result-view.js';
import { factsTable, p } from '../report-cells.js';
import type { ReportData } from '../report-data.js';
import type { Block, TableCell } from '../report-model-types.js';
import { type Context, describeReviewPeriod } from './chapter-context.js';
import { buildVerdictBlocks } from './verdict.js';
import type { VerdictInput } from './verdict-input.js';

/**
 * Page 1: a header block (the report's basis, the rubric, each program's visit and panel),
 * then the verdict. The raters are named here, the whole panel with roles and organisations in the method part.
 */
export function buildCover(
  data: ReportData,
  views: readonly ResultView[],
  lastFinalised: string,
  ctx: Context,
  verdict: readonly VerdictInput[],
): Block[] {
  const { t, locale } = ctx;
  const rubrics = data.programs.map(({ latest }, index) =>
    t('reports.cover.rubricValue', { title: views[index]?.rubricTitle ?? latest.review.rubricId, version: latest.review.rubricVersion }),
  );
  // Reviewed with one rubric and version, the programs share one line naming it; else each program's row names its own.
  const [shared] = new Set(rubrics).size === 1 ? rubrics : [];
  const blocks: Block[] = [
    // The municipality is the cover's title, its code in the line below: the table starts with the basis.
    factsTable(t('reports.cover.factsCaption'), [
      [
        t('reports.cover.basis'),
        [
          p(
            t(data.programs.length === 1 ? 'reports.cover.basisValue' : 'reports.cover.basisValueSeveral', {
              date: formatLongDate(lastFinalised, locale),
            }),
          ),
          ...(shared === undefined ? [] : [p(t('reports.cover.rubricShared', { rubric: shared }), 'small')]),
        ],
      ],
      // The day the report's data describe, which can be months after the finalisation (the action plan is kept after
      // the review): the action parts, the overdue actions and whether the next review is overdue are as of it.
      [
        t('reports.cover.asOf'),
        [p(t('reports.cover.asOfValue', { date: formatLongDate(ctx.actionsAsOf, locale) })), p(t('reports.cover.asOfNote'), 'small')],
      ],
      ...data.programs.map(({ program, latest }, index): [string, TableCell] => [
        program.name,
        [
          p(
            shared === undefined
              ? `${t('reports.cover.visit')} ${describeReviewPeriod(latest, ctx)} · ${rubrics[index]}`
              : `${t('reports.cover.visit')} ${describeReviewPeriod(latest, ctx)}`,
          ),
          // Who reviewed, on page 1: the raters, the lead first (observers are in the method part's panel table).
          p(
            t('reports.cover.panelLine', {
              names: [...latest.panel]
                .filter((member) => member.role !== 'observer')
                .sort((a, b) => Number(b.role === 'lead') - Number(a.role === 'lead'))
                .map((member) => (member.role === 'lead' ? t('reports.cover.leadName', { name: member.displayName }) : member.displayName))
                .join(', '),
            }),
            'small',
          ),
        ],
      ]),
    ]),
  ];
  if (data.programsWithoutFinalReview.length > 0) {
    blocks.push({
      type: 'paragraph',
      paragraph: p(t('reports.cover.withoutFinalReview', { programs: data.programsWithoutFinalReview.join(', ') }), 'muted'),
    });
  }
  if (data.draft) blocks.push({ type: 'paragraph', paragraph: p(t('reports.board.draftNote'), 'strong') });
  blocks.push(...buildVerdictBlocks(verdict, ctx));
  return blocks;
}
