// The report's part on last round's recommendations and what became of them, and this round's action plan: the
// recommendations of a final review, each with its action's status, owner, due date and latest progress note
// (gathered by actions/report-part.ts). Pure, and deterministic like the rest of the report model: both parts describe
// the actions as of one day from the data (findReportDates' actionsAsOf), never the day the report is printed; each
// intro names that day, and an open action due before it is marked overdue.
import { isOverdue } from '../actions/action-status.js';
import type { LastRoundReportData } from '../actions/report-part.js';
import { formatLongDate } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import { cell, freeTexts, mixedParagraph, mixFreeText, p } from './report-cells.js';
import type { Block, TableCell } from './report-model-types.js';

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

/** The blocks of the part, for a program chapter: a short note when the review gave no recommendations. */
function buildRecommendationBlocks(
  data: LastRoundReportData,
  chapterId: string,
  locale: Locale,
  part: RecommendationsPart,
  asOf: string,
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
  const rows = data.recommendations.map((item): TableCell[] => {
    const section = sections.get(item.sectionId);
    const owner = [item.ownerName, item.dueOn ? t('actions.lastRound.dueText', { date: item.dueOn }) : '']
      .filter((part) => part !== '')
      .join(', ');
    return [
      [written(item.text)],
      cell(section ? `${section.code} ${section.title[locale]}` : item.sectionId),
      item.status === undefined
        ? cell(t('actions.lastRound.noAction'), 'muted')
        : [
            p(t(`actions.statuses.${item.status}`), 'strong'),
            ...(isOverdue({ status: item.status, dueOn: item.dueOn }, asOf)
              ? [p(t('actions.report.overdueAt', { date: asOf }), 'small')]
              : []),
          ],
      cell(owner === '' ? '–' : owner),
      item.latestNote ? [describeNote(item.latestNote)] : cell('–', 'muted'),
    ];
  });
  return [
    heading,
    { type: 'paragraph', paragraph: p(t(texts.intro, { date: formatLongDate(asOf, locale) })) },
    {
      type: 'table',
      caption: t(texts.caption),
      columns: [
        { header: t('actions.recommendation'), share: 0.32, align: 'left' },
        { header: t('actions.report.section'), share: 0.16, align: 'left' },
        { header: t('actions.status'), share: 0.13, align: 'left' },
        { header: t('actions.report.ownerAndDue'), share: 0.16, align: 'left' },
        { header: t('actions.latestNote'), share: 0.23, align: 'left' },
      ],
      rows,
      rowHeaders: true,
      columnHeaders: true,
    },
  ];
}

/** Last round's recommendations and what became of them (when there was a last round), then this round's action plan. */
export function buildActionBlocks(
  data: { readonly lastRound: LastRoundReportData | undefined; readonly actionPlan: LastRoundReportData } | undefined,
  chapterId: string,
  locale: Locale,
  /** The day both parts describe the actions as of (ISO day): the report model's actionsAsOf. */
  asOf: string,
): Block[] {
  if (!data) return [];
  return [
    ...(data.lastRound ? buildRecommendationBlocks(data.lastRound, chapterId, locale, 'lastRound', asOf) : []),
    ...buildRecommendationBlocks(data.actionPlan, chapterId, locale, 'actionPlan', asOf),
  ];
}
