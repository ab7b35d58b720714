// The report's part on last round's recommendations and what became of them, the overdue actions of the rounds before
// it (page 1 counts them, as the action plan page lists the overdue actions of every round), and this round's action plan: the
// recommendations of a final review, each with its action's status, owner, due date and latest progress note
// (gathered by actions/report-part.ts). Pure, and deterministic like the rest of the report model: both parts describe
// the actions as of one day from the data (findReportDates' actionsAsOf), never the day the report is printed; each
// intro names that day, and an open action due before it is marked overdue, in its status cell, since its due date.
// Last round's part also sets the panel's scores then and now beside each recommendation (recommendation-progress.ts)
// and words each status as the action's, so that a done action never reads as a goal reached.
import { type ActionStatus, isOverdue } from '../actions/action-status.js';
import type { EarlierRoundReportData, LastRoundReportData, RecommendationOutcome } from '../actions/report-part.js';
import { formatLongDate, formatScore } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { createTranslator, type Translate } from '../i18n/messages.js';
import { formatFigureScore } from '../reviews/scoring.js';
import { compareWithTop, findScoreProgress, type ScoreProgress, type ScoreRounds } from './recommendation-progress.js';
import { cell, freeTexts, mixedParagraph, mixFreeText, p } from './report-cells.js';
import type { Block, Paragraph, TableCell, TableColumn } from './report-model-types.js';

export type RecommendationsPart = 'lastRound' | 'actionPlan';

const PART_TEXTS = {
  lastRound: {
    heading: 'actions.report.heading',
    intro: 'actions.report.intro',
    caption: 'actions.report.caption',
    none: 'actions.lastRound.none',
    anchor: 'last-round',
  },
  actionPlan: {
    heading: 'actions.report.planHeading',
    intro: 'actions.report.planIntro',
    caption: 'actions.report.planCaption',
    none: 'actions.report.planNone',
    anchor: 'action-plan',
  },
} as const;

/**
 * An action's status as a cell: "Försenad, klar senast 2026-09-30" over its open status when it is overdue on `asOf` (the
 * date it was due, in the same weight as any other status), else its status. Last round's part words each status as
 * the action's ("Åtgärden klar"), beside the scores that say whether the goal was reached.
 */
function describeStatus(
  item: Pick<RecommendationOutcome, 'dueOn'> & { readonly status: ActionStatus },
  part: RecommendationsPart,
  asOf: string,
  t: Translate,
): Paragraph[] {
  const status = t(part === 'lastRound' ? `actions.report.actionStatuses.${item.status}` : `actions.statuses.${item.status}`);
  if (item.dueOn === undefined || !isOverdue({ status: item.status, dueOn: item.dueOn }, asOf)) return [p(status, 'strong')];
  return [p(t('actions.report.overdueSince', { date: item.dueOn }), 'strong'), p(status)];
}

/** The scores then and now ("A1.1: 2 → 3 av 4") and whether this round's reached the top of the scale. */
function describeProgress(progress: ScoreProgress | undefined, locale: Locale, t: Translate): TableCell {
  if (!progress) return cell('–', 'muted');
  const scores =
    progress.kind === 'indicator'
      ? t('actions.report.indicatorScores', {
          number: progress.label,
          before: formatScore(progress.before, locale, 0),
          now: formatScore(progress.now, locale, 0),
          max: formatScore(progress.scaleMax, locale, 0),
        })
      : t('actions.report.sectionMeanScores', {
          code: progress.label,
          before: formatFigureScore(progress.before, locale, 2, progress.bands),
          now: formatFigureScore(progress.now, locale, 2, progress.bands),
          min: formatScore(progress.scaleMin, locale, 0),
          max: formatScore(progress.scaleMax, locale, 0),
        });
  const outcome = compareWithTop(progress);
  return [
    p(scores),
    outcome === 'reached'
      ? p(t('actions.report.topReached'), 'strong')
      : outcome === 'notReached'
        ? p(t('actions.report.topNotReached', { max: formatScore(progress.scaleMax, locale, 0) }), 'strong')
        : p(t('actions.report.noScoreNow'), 'muted'),
  ];
}

/** The blocks of the part, for a program chapter: a short note when the review gave no recommendations. */
function buildRecommendationBlocks(
  data: LastRoundReportData,
  chapterId: string,
  locale: Locale,
  part: RecommendationsPart,
  asOf: string,
  /** Last round's part only: the two rounds whose scores it sets beside each recommendation. */
  rounds: ScoreRounds | undefined,
): Block[] {
  const t = createTranslator(locale);
  const texts = PART_TEXTS[part];
  const sections = new Map(data.sections.map((section) => [section.id, section]));
  const heading: Block = { type: 'heading', level: 2, text: t(texts.heading), id: `${chapterId}/${texts.anchor}`, outline: true };
  if (data.recommendations.length === 0) {
    return [heading, { type: 'paragraph', paragraph: p(t(texts.none), 'muted') }];
  }
  // A plan without a single action would be a table of dashes: one line says so instead.
  if (part === 'actionPlan' && data.recommendations.every((item) => item.status === undefined)) {
    return [
      heading,
      { type: 'paragraph', paragraph: p(t('reports.actionPlan.noActions', { count: data.recommendations.length }), 'muted') },
    ];
  }
  // The recommendations and the program's notes are free text, marked with their language where it is not the report's.
  const written = freeTexts(
    data.recommendations.flatMap((item) => [item.text, item.latestNote?.text ?? '']),
    locale,
  );
  // The note's date is the report's, its text the program's: only the text is marked with its language.
  const describeNote = (note: { readonly notedOn: string; readonly text: string }) =>
    mixedParagraph(mixFreeText((slot) => `${note.notedOn}: ${slot}`, note.text, written(note.text).lang));
  const withScores = part === 'lastRound' && rounds !== undefined;
  const rows = data.recommendations.map((item): TableCell[] => {
    const section = sections.get(item.sectionId);
    const owner = [item.ownerName, item.dueOn ? t('actions.lastRound.dueText', { date: item.dueOn }) : '']
      .filter((part) => part !== '')
      .join(', ');
    const { status } = item;
    return [
      [written(item.text)],
      cell(section ? `${section.code} ${section.title[locale]}` : item.sectionId),
      ...(withScores ? [describeProgress(findScoreProgress(item, rounds), locale, t)] : []),
      status === undefined ? cell(t('actions.lastRound.noAction'), 'muted') : describeStatus({ ...item, status }, part, asOf, t),
      cell(owner === '' ? '–' : owner),
      item.latestNote ? [describeNote(item.latestNote)] : cell('–', 'muted'),
    ];
  });
  // With the scores, a sixth column: the others give it room, the notes most. A status column narrower than 0.15 breaks
  // an overdue status's date ("2026-09-" / "30") in bold.
  const columns: TableColumn[] = withScores
    ? [
        { header: t('actions.recommendation'), share: 0.25, align: 'left' },
        { header: t('actions.report.section'), share: 0.12, align: 'left' },
        { header: t('actions.report.scoresThenNow'), share: 0.14, align: 'left' },
        { header: t('actions.status'), share: 0.15, align: 'left' },
        { header: t('actions.report.ownerAndDue'), share: 0.13, align: 'left' },
        { header: t('actions.latestNote'), share: 0.21, align: 'left' },
      ]
    : [
        { header: t('actions.recommendation'), share: 0.31, align: 'left' },
        { header: t('actions.report.section'), share: 0.15, align: 'left' },
        { header: t('actions.status'), share: 0.15, align: 'left' },
        { header: t('actions.report.ownerAndDue'), share: 0.16, align: 'left' },
        { header: t('actions.latestNote'), share: 0.23, align: 'left' },
      ];
  return [
    heading,
    {
      type: 'paragraph',
      paragraph: p(t(withScores ? 'actions.report.introWithScores' : texts.intro, { date: formatLongDate(asOf, locale) })),
    },
    { type: 'table', caption: t(texts.caption), columns, rows, rowHeaders: true, columnHeaders: true },
  ];
}

/**
 * The overdue actions of the rounds before last round (or of every earlier round, when there is no last round with this
 * round's rubric), the longest overdue first, as the action plan page lists them: a round between them and this one,
 * imported without a plan, must not hide them. None when none is overdue.
 */
function buildEarlierOverdueBlocks(rounds: readonly EarlierRoundReportData[], chapterId: string, locale: Locale, asOf: string): Block[] {
  const t = createTranslator(locale);
  const overdue = rounds
    .flatMap((round) =>
      round.recommendations.flatMap((item) =>
        item.status !== undefined && isOverdue({ status: item.status, dueOn: item.dueOn }, asOf)
          ? [{ round, item, status: item.status }]
          : [],
      ),
    )
    .sort((a, b) => (a.item.dueOn ?? '').localeCompare(b.item.dueOn ?? ''));
  if (overdue.length === 0) return [];
  const written = freeTexts(
    overdue.flatMap(({ item }) => [item.text, item.latestNote?.text ?? '']),
    locale,
  );
  const rows = overdue.map(({ round, item, status }): TableCell[] => {
    const section = round.sections.find((candidate) => candidate.id === item.sectionId);
    const owner = [item.ownerName, item.dueOn ? t('actions.lastRound.dueText', { date: item.dueOn }) : '']
      .filter((part) => part !== '')
      .join(', ');
    const note = item.latestNote;
    return [
      [written(item.text)],
      [p(round.roundDate), p(section ? `${section.code} ${section.title[locale]}` : item.sectionId)],
      describeStatus({ ...item, status }, 'lastRound', asOf, t),
      cell(owner === '' ? '–' : owner),
      note ? [mixedParagraph(mixFreeText((slot) => `${note.notedOn}: ${slot}`, note.text, written(note.text).lang))] : cell('–', 'muted'),
    ];
  });
  return [
    { type: 'heading', level: 2, text: t('actions.report.earlierHeading'), id: `${chapterId}/earlier-overdue`, outline: true },
    { type: 'paragraph', paragraph: p(t('actions.report.earlierIntro', { date: formatLongDate(asOf, locale) })) },
    {
      type: 'table',
      caption: t('actions.report.earlierCaption'),
      columns: [
        { header: t('actions.recommendation'), share: 0.28, align: 'left' },
        { header: t('actions.report.roundAndSection'), share: 0.17, align: 'left' },
        { header: t('actions.status'), share: 0.15, align: 'left' },
        { header: t('actions.report.ownerAndDue'), share: 0.15, align: 'left' },
        { header: t('actions.latestNote'), share: 0.25, align: 'left' },
      ],
      rows,
      rowHeaders: true,
      columnHeaders: true,
    },
  ];
}

/**
 * Last round's recommendations and what became of them (when there was a last round), the overdue actions of the rounds
 * before it, then this round's action plan.
 */
export function buildActionBlocks(
  data:
    | {
        readonly lastRound: LastRoundReportData | undefined;
        /** Every earlier round, latest first (ProgramWorkReportData); only those other than `lastRound` are listed here. */
        readonly earlierRounds?: readonly EarlierRoundReportData[] | undefined;
        readonly actionPlan: LastRoundReportData;
      }
    | undefined,
  chapterId: string,
  locale: Locale,
  /** The day both parts describe the actions as of (ISO day): the report model's actionsAsOf. */
  asOf: string,
  /** The round last round's recommendations came from and the report's, with their scores; undefined leaves the scores out. */
  rounds: ScoreRounds | undefined,
): Block[] {
  if (!data) return [];
  return [
    ...(data.lastRound ? buildRecommendationBlocks(data.lastRound, chapterId, locale, 'lastRound', asOf, rounds) : []),
    ...buildEarlierOverdueBlocks(
      (data.earlierRounds ?? []).filter((round) => round.reviewId !== data.lastRound?.reviewId),
      chapterId,
      locale,
      asOf,
    ),
    ...buildRecommendationBlocks(data.actionPlan, chapterId, locale, 'actionPlan', asOf, undefined),
  ];
}
