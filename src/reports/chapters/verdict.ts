// Page 1's verdict: per program the level, figures, change, next review and overdue actions, then the panel's
// judgement and what matters most (verdict-actions.ts). Built from the figures the rest of the report prints, so
// nothing is recomputed.
import { isOpen, isOverdue } from '../../actions/action-status.js';
import { formatLongDate, MISSING } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import { cell, factsTable, p } from '../report-cells.js';
import type { Block, TableBlock, TableCell, TableColumn } from '../report-model-types.js';
import type { Context } from './chapter-context.js';
import { buildJudgementAndTop, estimateFactLines } from './verdict-actions.js';
import type { VerdictActions, VerdictInput } from './verdict-input.js';

/** Page 1: the result (a list of facts for one program, a table for several) and the judgement and what matters most. */
export function buildVerdictBlocks(programs: readonly VerdictInput[], ctx: Context): Block[] {
  const [only] = programs;
  const facts = programs.length === 1 && only ? buildResultFacts(only, ctx) : undefined;
  return [
    // A bookmark, so page 1's verdict can be reached like any chapter (the contents, which it precedes, do not list it).
    { type: 'heading', level: 2, text: ctx.t('reports.board.verdictHeading'), id: 'cover/verdict', outline: true },
    ...(facts ? [facts] : [buildResultTable(programs, ctx), ...buildOverdueLine(programs, ctx)]),
    // What the facts take of page 1 is left out of what its texts may take (ONE_PROGRAM_BUDGET).
    ...buildJudgementAndTop(programs, ctx, facts ? estimateFactLines(facts.rows.flatMap((row) => row[1] ?? [])) : 0),
  ];
}

/**
 * One program's result as a list of facts (one program compares with nothing, so it is no table of columns), in
 * sentences at the table's body size: the level with its figures and what capped it, the change since the last review
 * (of what, from what, the previous level), and the follow-up: when the next review is due and the overdue actions.
 */
function buildResultFacts(program: VerdictInput, ctx: Context): TableBlock {
  const { t } = ctx;
  const figures = [program.mean, program.percent, program.topTwo].filter((part) => part !== undefined).join(' · ');
  const facts: [string, TableCell][] = [
    [
      t('reports.board.level'),
      [p(program.level ?? t('reports.board.noLevel'), 'strong'), p(figures), ...(program.cap ? [p(program.cap)] : [])],
    ],
    [
      t('reports.board.change'),
      program.changeText === undefined
        ? cell(t('reports.board.noPrevious'), 'muted')
        : cell([program.changeText, program.previousLevel, program.largestDecline].filter((line) => line !== undefined).join(' ')),
    ],
    [t('reports.board.followUp'), describeFollowUp(program, ctx)],
  ];
  return factsTable(t('reports.board.resultCaption', { program: program.program }), facts, RESULT_LABEL_SHARE);
}

/** The labels of one program's result are short: its values, in sentences, get the room. */
const RESULT_LABEL_SHARE = 0.25;

/**
 * When the next review is due, said to be overdue when that is before the day the data describe (then in bold), and the
 * overdue actions: one paragraph, the row's lines being page 1's dearest.
 */
function describeFollowUp(program: VerdictInput, ctx: Context): TableCell {
  const { t, locale, actionsAsOf } = ctx;
  const nextDue =
    program.nextDue === undefined
      ? t('reports.board.nextDueNone')
      : program.nextDuePassed
        ? t('reports.board.nextDuePassed', { due: formatLongDate(program.nextDue, locale), asOf: formatLongDate(actionsAsOf, locale) })
        : t('reports.board.nextDueSentence', { date: program.nextDue });
  const actions = program.actions && describeActions(program.actions, ctx);
  return cell(actions === undefined ? nextDue : `${nextDue} ${actions}`, program.nextDuePassed ? 'strong' : 'body');
}

/** The compact table's date the next review is due, and "Försenad" under it when that is before the day the data describe. */
function nextDueCell(program: VerdictInput, { t }: Context): TableCell {
  if (!program.nextDue) return cell(MISSING);
  const due = p(t('reports.board.nextDueValue', { date: program.nextDue }));
  return program.nextDuePassed ? [due, p(t('reports.board.nextDuePassedShort'), 'strong')] : [due];
}

/** How many actions are overdue on the day the data describe, and what became of the one the capped level waits for. */
function describeActions(actions: VerdictActions, ctx: Context): string {
  const { t, locale, actionsAsOf } = ctx;
  const date = formatLongDate(actionsAsOf, locale);
  const plan = actions.overdue - actions.overdueEarlier;
  const fromPrevious = actions.overdueEarlierFromPrevious;
  const split =
    !actions.withEarlierRounds || actions.overdue === 0
      ? ''
      : plan === 0
        ? t(fromPrevious ? 'reports.board.overdueFromLastRound' : 'reports.board.overdueFromEarlierRounds')
        : actions.overdueEarlier === 0
          ? t('reports.board.overdueFromThisRound')
          : fromPrevious
            ? t('reports.board.overdueSplit', { lastRound: actions.overdueEarlier, plan })
            : t('reports.board.overdueSplitEarlier', { earlier: actions.overdueEarlier, plan });
  const count = !actions.anyAction
    ? t('reports.board.noActions')
    : actions.overdue === 0
      ? t('reports.board.overdueNone', { date })
      : t(actions.overdue === 1 ? 'reports.board.overdueOne' : 'reports.board.overdueMany', { date, count: actions.overdue, split });
  const capping = describeCapping(actions, ctx);
  return capping === undefined ? count : `${count} ${capping}`;
}

function describeCapping({ capping }: VerdictActions, { t, locale, actionsAsOf }: Context): string | undefined {
  if (capping === undefined) return undefined;
  const { numbers, recommendation } = capping;
  if (recommendation === undefined) return t('reports.board.cappingNoRecommendation', { numbers });
  const { outcome } = recommendation;
  if (outcome?.status === undefined) return t('reports.board.cappingNoAction', { numbers });
  const status = lowerFirst(t(`actions.statuses.${outcome.status}`), locale);
  if (!isOpen(outcome.status)) return t('reports.board.cappingClosed', { numbers, status });
  if (outcome.dueOn === undefined) return t('reports.board.cappingNoDue', { numbers, status });
  const due = formatLongDate(outcome.dueOn, locale);
  return outcome.dueOn < actionsAsOf
    ? t('reports.board.cappingOverdue', { numbers, due })
    : t('reports.board.cappingDue', { numbers, due, status });
}

const lowerFirst = (text: string, locale: Locale) => text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);

/**
 * Several programs: one line under the result table with each program's overdue actions on the day the data describe,
 * and whether the one the capped level waits for is among them. None when no program has an action.
 */
function buildOverdueLine(programs: readonly VerdictInput[], ctx: Context): Block[] {
  const { t, locale, actionsAsOf } = ctx;
  const items = programs.flatMap(({ program, actions }) => {
    if (!actions?.anyAction) return [];
    const outcome = actions.capping?.recommendation?.outcome;
    const cappingOverdue = outcome?.status !== undefined && isOverdue({ status: outcome.status, dueOn: outcome.dueOn }, actionsAsOf);
    return [
      t(cappingOverdue ? 'reports.board.overdueProgramCapping' : 'reports.board.overdueProgram', {
        program,
        count: actions.overdue,
        numbers: actions.capping?.numbers ?? '',
      }),
    ];
  });
  if (items.length === 0) return [];
  return [
    {
      type: 'paragraph',
      paragraph: p(t('reports.board.overduePrograms', { date: formatLongDate(actionsAsOf, locale), programs: items.join('; ') })),
    },
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

/**
 * The change as a figure with its unit on a line of its own under it (so neither is broken), then the largest fall; or
 * that the previous review used a rubric version whose overall is computed differently.
 */
const changeCell = (program: VerdictInput, { t }: Context): TableCell =>
  program.changeFigure === undefined
    ? program.otherVersion === undefined
      ? cell(t('reports.board.noPrevious'), 'muted')
      : cell(t('reports.board.otherVersionShort', { version: program.otherVersion }), 'muted')
    : [
        p(program.changeFigure),
        p(t('reports.board.changeUnit'), 'small'),
        ...(program.largestDeclineShort ? [p(program.largestDeclineShort, 'small')] : []),
      ];

const figuresCell = (program: VerdictInput): TableCell => [
  ...(program.mean !== undefined ? [p(program.mean)] : []),
  p(program.percent, 'small'),
  ...(program.topTwo !== undefined ? [p(program.topTwo, 'small')] : []),
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

/**
 * Page 1's result table for several programs, a row per program in the compact columns, each about three lines: a cap
 * named by its core elements (the program's summary gives its reason) and the section that fell most by its code. The
 * change's unit has a line of its own under the figure, so neither is broken.
 */
function buildResultTable(programs: readonly VerdictInput[], ctx: Context): TableBlock {
  const { t } = ctx;
  return {
    type: 'table',
    caption: t('reports.board.verdictCaption'),
    columns: columnsOf(COMPACT_SHARES[ctx.locale], ctx),
    rows: programs.map((program): TableCell[] => [
      cell(program.program, 'strong'),
      [p(program.level ?? t('reports.board.noLevel'), 'strong'), ...program.capsShort.map((cap) => p(cap, 'small'))],
      figuresCell(program),
      changeCell(program, ctx),
      nextDueCell(program, ctx),
    ]),
    rowHeaders: true,
    columnHeaders: true,
  };
}
