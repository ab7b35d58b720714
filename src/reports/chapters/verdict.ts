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
    programs.length > 1 ? buildCompactTable(programs, ctx) : buildFullTable(programs, ctx),
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
 * One program, with the page to itself: each cap with its whole reason, the section that fell most named in words.
 * A capped level's reason is the longest text of the table, so its column is then the widest; else the columns are
 * the compact table's, which keep each figure and the change's unit whole.
 */
function buildFullTable(programs: readonly VerdictInput[], ctx: Context): TableBlock {
  const { t } = ctx;
  const capped = programs.some((program) => program.caps.length > 0);
  return {
    type: 'table',
    caption: t('reports.board.verdictCaption'),
    columns: columnsOf(capped ? [0.16, 0.32, 0.22, 0.16, 0.14] : COMPACT_SHARES[ctx.locale], ctx),
    rows: programs.map((program): TableCell[] => [
      cell(program.program, 'strong'),
      [p(program.level ?? t('reports.board.noLevel'), 'strong'), ...program.caps.map((cap) => p(cap, 'small'))],
      figuresCell(program),
      changeCell(program, program.largestDecline, ctx),
      nextDueCell(program, ctx),
    ]),
    rowHeaders: true,
    columnHeaders: true,
  };
}

/**
 * The compact table's column shares, per language, as measured in the report's font: the level's name on one line
 * ("Godtagbar modelltrohet"), the mean on its scale on one line and the share in the top two levels on two, the unit
 * of the change ("percentage points") on one, the date of the next review unbroken.
 */
const COMPACT_SHARES: Record<Locale, readonly [number, number, number, number, number]> = {
  sv: [0.15, 0.27, 0.295, 0.155, 0.13],
  en: [0.15, 0.24, 0.295, 0.185, 0.13],
};

/**
 * Several programs, a row each in about three lines: the figures get the widest column, so that the mean on its scale
 * and the percent of maximum each keep to a line; a cap is named by its core elements (the program's summary gives
 * its reason); the change's unit has a line of its own under the figure, so neither is broken; the section that fell
 * most is named by its code.
 */
function buildCompactTable(programs: readonly VerdictInput[], ctx: Context): TableBlock {
  const { t } = ctx;
  return {
    type: 'table',
    caption: t('reports.board.verdictCaption'),
    columns: columnsOf(COMPACT_SHARES[ctx.locale], ctx),
    rows: programs.map((program): TableCell[] => [
      cell(program.program, 'strong'),
      [p(program.level ?? t('reports.board.noLevel'), 'strong'), ...program.capsShort.map((cap) => p(cap, 'small'))],
      figuresCell(program),
      changeCell(program, program.largestDeclineShort, ctx),
      nextDueCell(program, ctx),
    ]),
    rowHeaders: true,
    columnHeaders: true,
  };
}
