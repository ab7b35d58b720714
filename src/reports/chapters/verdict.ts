// Page 1's verdict: per program the level, figures, change and next review, then the panel's judgement and what
// matters most (verdict-actions.ts). Built from the figures the rest of the report prints, so nothing is recomputed.
import { MISSING } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import { cell, p } from '../report-cells.js';
import type { Block, TableBlock, TableCell, TableColumn } from '../report-model-types.js';
import type { Context } from './chapter-context.js';
import { buildJudgementAndTop } from './verdict-actions.js';
import type { VerdictInput } from './verdict-input.js';

/** Page 1: the result table and, per program, the judgement and the most important recommendations. */
export function buildVerdictBlocks(programs: readonly VerdictInput[], ctx: Context): Block[] {
  return [
    // A bookmark, so page 1's verdict can be reached like any chapter (the contents, which it precedes, do not list it).
    { type: 'heading', level: 2, text: ctx.t('reports.board.verdictHeading'), id: 'cover/verdict', outline: true },
    buildResultTable(programs, ctx),
    ...buildJudgementAndTop(programs, ctx),
  ];
}

function columnsOf(shares: readonly [number, number, number, number, number], { t }: Context): TableColumn[] {
  const [program, level, figures, change, nextDue] = shares;
  return [
    { header: t('reports.board.program'), share: program, align: 'left' },
    { header: t('reports.board.level'), share: level, align: 'left' },
    { header: t('reports.board.figures'), share: figures, align: 'left' },
    { header: t('reports.board.change'), share: change, align: 'right' },
    { header: t('reports.board.nextDue'), share: nextDue, align: 'left' },
  ];
}

const nextDueCell = (program: VerdictInput, { t }: Context): TableCell =>
  cell(program.nextDue ? t('reports.board.nextDueValue', { date: program.nextDue }) : MISSING);

/** The change as a figure with its unit on a line of its own under it (so neither is broken), then the largest fall. */
const changeCell = (program: VerdictInput, largestDecline: string | undefined, { t }: Context): TableCell =>
  program.changeFigure === undefined
    ? cell(t('reports.board.noPrevious'), 'muted')
    : [p(program.changeFigure), p(t('reports.board.changeUnit'), 'small'), ...(largestDecline ? [p(largestDecline, 'small')] : [])];

const figuresCell = (program: VerdictInput): TableCell => [
  ...(program.mean !== undefined ? [p(program.mean)] : []),
  ...(program.topTwo !== undefined ? [p(program.topTwo, 'small')] : []),
  p(program.percent, 'small'),
];

/**
 * The compact columns' shares, per language, as measured in the report's font: the level's name on one line
 * ("Godtagbar modelltrohet"), the mean on its scale on one line and the share in the top two levels on two, the unit
 * of the change ("percentage points") on one, the date of the next review unbroken.
 */
const COMPACT_SHARES: Record<Locale, readonly [number, number, number, number, number]> = {
  sv: [0.15, 0.27, 0.295, 0.155, 0.13],
  en: [0.15, 0.24, 0.295, 0.185, 0.13],
};
/** One program's capped level: its reason, the longest text of the table, gets the widest column. */
const CAPPED_SHARES = [0.16, 0.32, 0.22, 0.16, 0.14] as const;

/**
 * Page 1's result table, a row per program in the compact columns. One program has the page to itself: each cap with
 * its whole reason (then in the capped columns), the section that fell most named in words. Several programs keep to
 * about three lines a row: a cap is named by its core elements (the program's summary gives its reason) and the
 * section that fell most by its code. The change's unit has a line of its own under the figure, so neither is broken.
 */
function buildResultTable(programs: readonly VerdictInput[], ctx: Context): TableBlock {
  const { t } = ctx;
  const whole = programs.length === 1;
  const capped = whole && programs.some((program) => program.caps.length > 0);
  return {
    type: 'table',
    caption: t('reports.board.verdictCaption'),
    columns: columnsOf(capped ? CAPPED_SHARES : COMPACT_SHARES[ctx.locale], ctx),
    rows: programs.map((program): TableCell[] => [
      cell(program.program, 'strong'),
      [
        p(program.level ?? t('reports.board.noLevel'), 'strong'),
        ...(whole ? program.caps : program.capsShort).map((cap) => p(cap, 'small')),
      ],
      figuresCell(program),
      changeCell(program, whole ? program.largestDecline : program.largestDeclineShort, ctx),
      nextDueCell(program, ctx),
    ]),
    rowHeaders: true,
    columnHeaders: true,
  };
}
