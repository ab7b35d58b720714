// The appendix: each program's response to the factual check.
import type { FactualCheck } from '../../reviews/report-workflow.js';
import { freeText, p } from '../report-cells.js';
import type { Block, Chapter } from '../report-model-types.js';
import { type Context, lines } from './chapter-context.js';
/** The appendix with each program's response to the factual check; undefined when no program was sent a draft. */
export function buildResponseChapter(
  programs: readonly { readonly program: string; readonly check: FactualCheck | undefined }[],
  ctx: Context,
): Chapter | undefined {
  const { t } = ctx;
  const checked = programs.filter((entry) => entry.check !== undefined);
  if (checked.length === 0) return undefined;
  const text = (value: string): Block[] =>
    lines(value).length > 0
      ? lines(value).map((line): Block => ({ type: 'paragraph', paragraph: freeText(line, ctx.locale) }))
      : [{ type: 'paragraph', paragraph: p(t('reports.board.noneWritten'), 'muted') }];
  return {
    id: 'response',
    runningTitle: t('reports.board.responseHeading'),
    blocks: [
      { type: 'heading', level: 1, text: t('reports.board.responseHeading'), id: 'response', outline: true },
      { type: 'paragraph', paragraph: p(t('reports.board.responseIntro')) },
      ...checked.flatMap(({ program, check }, index): Block[] => [
        { type: 'heading', level: 2, text: t('reports.board.responseOf', { program }), id: `response/${index + 1}`, outline: true },
        { type: 'heading', level: 3, text: t('reports.board.corrections'), id: `response/${index + 1}/corrections`, outline: false },
        ...text(check?.corrections ?? ''),
        { type: 'heading', level: 3, text: t('reports.board.response'), id: `response/${index + 1}/response`, outline: false },
        ...text(check?.response ?? ''),
        { type: 'heading', level: 3, text: t('reports.board.changes'), id: `response/${index + 1}/changes`, outline: false },
        ...text(check?.changes ?? ''),
      ]),
    ],
  };
}
