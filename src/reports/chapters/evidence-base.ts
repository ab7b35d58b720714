// The method chapter's evidence base: what each program's review rests on, and whether a factual check took place.
import { type EvidenceBase, type FactualCheck, INTERVIEW_KINDS } from '../../reviews/report-workflow.js';
import { cell, p } from '../report-cells.js';
import type { Block, TableCell } from '../report-model-types.js';
import { type Context, lines } from './chapter-context.js';
/** The evidence base of each program's review, for the method part; and whether a factual check took place. */
export function buildEvidenceBaseBlocks(
  programs: readonly {
    readonly program: string;
    readonly evidence: EvidenceBase | undefined;
    readonly check: FactualCheck | undefined;
    readonly checkDate: string | undefined;
  }[],
  ctx: Context,
): Block[] {
  const { t } = ctx;
  const blocks: Block[] = [
    { type: 'heading', level: 2, text: t('reports.board.evidenceBaseHeading'), id: 'method/evidence-base', outline: true },
  ];
  for (const { program, evidence, check, checkDate } of programs) {
    if (programs.length > 1)
      blocks.push({
        type: 'heading',
        level: 3,
        text: t('reports.board.evidenceBaseOf', { program }),
        id: `method/evidence-base/${program}`,
        outline: false,
      });
    if (!evidence) {
      blocks.push({ type: 'paragraph', paragraph: p(t('reports.board.evidenceNotRecorded', { program }), 'muted') });
    } else {
      const counts = Object.fromEntries(INTERVIEW_KINDS.map((kind) => [kind, evidence[kind]]));
      const caseFiles =
        evidence.caseFiles === 0
          ? t('reports.board.caseFilesNone')
          : `${t('reports.board.caseFilesValue', { count: evidence.caseFiles })}${evidence.caseFileAccess ? `, ${t(`reports.board.access.${evidence.caseFileAccess}`)}` : ''}`;
      const listCell = (text: string): TableCell =>
        lines(text).length > 0 ? lines(text).map((line) => p(line)) : cell(t('reports.board.none'), 'muted');
      blocks.push({
        type: 'table',
        caption: t('reports.board.evidenceBaseCaption', { program }),
        columns: [
          { header: t('reports.board.evidenceBaseCaption', { program }), share: 0.28, align: 'left' },
          { header: '', share: 0.72, align: 'left' },
        ],
        rows: [
          [cell(t('reports.board.interviewed'), 'strong'), cell(t('reports.board.interviewedValue', counts))],
          [cell(t('reports.board.caseFiles'), 'strong'), cell(caseFiles)],
          [cell(t('reports.board.documents'), 'strong'), listCell(evidence.documents)],
          [cell(t('reports.board.meetings'), 'strong'), listCell(evidence.meetings)],
          [
            cell(t('reports.board.oralDebrief'), 'strong'),
            cell(t(evidence.oralDebrief ? 'reports.board.oralDebriefYes' : 'reports.board.oralDebriefNo')),
          ],
        ],
        rowHeaders: true,
        columnHeaders: false,
      });
    }
    blocks.push({
      type: 'paragraph',
      paragraph:
        check && checkDate
          ? p(t('reports.board.factualCheckDone', { date: checkDate }))
          : p(t('reports.board.factualCheckNotDone'), 'muted'),
    });
  }
  return blocks;
}
