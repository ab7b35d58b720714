// The report's part on a program's outcome indicators: the periods as counts and computed figures, with the
// definitions of the figures. Pure; the figures are formatted by outcome-view.ts, as on the program page.
import type { Locale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import { cell, p } from '../reports/report-cells.js';
import type { Block, TableCell } from '../reports/report-model.js';
import type { OutcomePeriod } from './outcome-store.js';
import { buildOutcomePeriodView } from './outcome-view.js';

/** The blocks of the part, for a program chapter: nothing when no period is recorded. */
export function buildOutcomeBlocks(periods: readonly OutcomePeriod[], chapterId: string, locale: Locale): Block[] {
  if (periods.length === 0) return [];
  const t = createTranslator(locale);
  const rows = periods.map((period): TableCell[] => {
    const view = buildOutcomePeriodView(period, locale);
    const number = (value: string | number): TableCell => cell(String(value));
    return [
      cell(`${view.periodStart} – ${view.periodEnd}`),
      number(view.movedIn),
      number(view.housingRetention),
      number(view.programRetention),
      number(view.firstHandLeaseShare),
      number(view.evictions),
      number(view.complaints),
      number(view.clientsPerCaseManager),
    ];
  });
  const right = 'right' as const;
  return [
    { type: 'heading', level: 2, text: t('outcomes.programSection'), id: `${chapterId}/outcomes`, outline: true },
    { type: 'paragraph', paragraph: p(t('outcomes.intro')) },
    {
      type: 'table',
      caption: t('outcomes.caption'),
      columns: [
        { header: t('outcomes.period'), share: 0.17, align: 'left' },
        { header: t('outcomes.fields.moved_in'), share: 0.08, align: right },
        { header: t('outcomes.columns.housingRetention'), share: 0.15, align: right },
        { header: t('outcomes.columns.programRetention'), share: 0.15, align: right },
        { header: t('outcomes.columns.firstHandLeaseShare'), share: 0.14, align: right },
        { header: t('outcomes.fields.evictions'), share: 0.09, align: right },
        { header: t('outcomes.fields.complaints'), share: 0.09, align: right },
        { header: t('outcomes.columns.clientsPerCaseManager'), share: 0.13, align: right },
      ],
      rows,
      rowHeaders: true,
      columnHeaders: true,
    },
    { type: 'heading', level: 3, text: t('outcomes.definitionsHeading'), id: `${chapterId}/outcome-definitions`, outline: false },
    {
      type: 'list',
      items: (['housingRetention', 'programRetention', 'firstHandLeaseShare', 'clientsPerCaseManager'] as const).map(
        (key) => `${t(`outcomes.columns.${key}`)}: ${t(`outcomes.definitions.${key}`)}`,
      ),
    },
  ];
}
