// A program chapter's recommendations grouped by owner, each group by priority.
import { groupByOwner, ownerKey } from '../../reviews/report-workflow.js';
import type { Finding } from '../../reviews/review-types.js';
import type { RubricSection } from '../../rubrics/rubric-schema.js';
import { cell, freeTexts, p } from '../report-cells.js';
import type { Block } from '../report-model-types.js';
import { type Context, headingId } from './chapter-context.js';

/** The id of a recommendation's row under Rekommendationer efter ansvarig: page 1 gives the page it lands on. */
export const recommendationRowId = (chapterId: string, finding: Pick<Finding, 'sectionId' | 'position'>): string =>
  headingId(chapterId, 'by-owner', 'row', finding.sectionId, finding.position);

/** The program's recommendations grouped by owner, each group by priority: after the barriers. */
export function buildRecommendationsByOwner(
  findings: readonly Finding[],
  sections: readonly RubricSection[],
  chapterId: string,
  ctx: Context,
): Block[] {
  const { t } = ctx;
  const groups = groupByOwner(
    findings,
    sections.map((s) => s.id),
  );
  if (groups.length === 0) return [];
  const codeOf = (finding: Finding) => sections.find((s) => s.id === finding.sectionId)?.code ?? finding.sectionId;
  const written = freeTexts(
    findings.map((finding) => finding.text),
    ctx.locale,
  );
  return [
    { type: 'heading', level: 2, text: t('reports.board.byOwnerHeading'), id: `${chapterId}/by-owner`, outline: true },
    { type: 'paragraph', paragraph: p(t('reports.board.byOwnerIntro')) },
    ...groups.flatMap((group): Block[] => [
      { type: 'heading', level: 3, text: t(ownerKey(group.owner)), id: `${chapterId}/by-owner/${group.owner ?? 'none'}`, outline: false },
      {
        type: 'table',
        caption: t('reports.board.byOwnerCaption', { owner: t(ownerKey(group.owner)) }),
        columns: [
          { header: t('reports.board.recommendation'), share: 0.66, align: 'left' },
          { header: t('reports.board.priority'), share: 0.18, align: 'left' },
          { header: t('reports.board.section'), share: 0.16, align: 'left' },
        ],
        rows: group.items.map((finding) => [
          [written(finding.text)],
          cell(t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`), finding.priority === 'high' ? 'strong' : 'body'),
          cell(codeOf(finding)),
        ]),
        rowHeaders: false,
        columnHeaders: true,
        rowIds: group.items.map((finding) => recommendationRowId(chapterId, finding)),
      },
    ]),
  ];
}
