// The method chapter's evidence base: what each program's review rests on, and whether a factual check took place.
import { type EvidenceBase, type FactualCheck, INTERVIEW_KINDS } from '../../reviews/report-workflow.js';
import { cell, factsTable, freeTexts, p } from '../report-cells.js';
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
  { draft = false }: { readonly draft?: boolean } = {},
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
      // The documents and meetings are the panel's own words: marked with their language where it is not the report's.
      const written = freeTexts([...lines(evidence.documents), ...lines(evidence.meetings)], ctx.locale);
      const listCell = (text: string): TableCell =>
        lines(text).length > 0 ? lines(text).map((line) => written(line)) : cell(t('reports.board.none'), 'muted');
      blocks.push(
        factsTable(
          t('reports.board.evidenceBaseCaption', { program }),
          [
            [t('reports.board.interviewed'), cell(t('reports.board.interviewedValue', counts))],
            [t('reports.board.caseFiles'), cell(caseFiles)],
            [t('reports.board.documents'), listCell(evidence.documents)],
            [t('reports.board.meetings'), listCell(evidence.meetings)],
            [
              t('reports.board.oralDebrief'),
              cell(t(evidence.oralDebrief ? 'reports.board.oralDebriefYes' : 'reports.board.oralDebriefNo')),
            ],
          ],
          0.28,
        ),
      );
    }
    blocks.push({
      type: 'paragraph',
      paragraph:
        check && checkDate
          ? // A draft is what was sent: its response is not in it yet, and goes with the final report.
            p(t(draft ? 'reports.board.factualCheckDraft' : 'reports.board.factualCheckDone', { date: checkDate }))
          : p(t('reports.board.factualCheckNotDone'), 'muted'),
    });
  }
  return blocks;
}
