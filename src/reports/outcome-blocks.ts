// The report's part on a program's outcome indicators: the periods as counts and computed figures, with the
// definitions of the figures. Pure; the figures are formatted by outcomes/outcome-view.ts, as on the program page.
// Offered a flat stands beside moved in; a since-start period is labelled as cumulative; the caseload shows its basis;
// exits by reason, eviction threats, terminated leases and the median days to keys follow in a further table when
// any period records them.
import type { Locale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import type { OutcomePeriod } from '../outcomes/outcome-store.js';
import { buildOutcomePeriodView } from '../outcomes/outcome-view.js';
import { cell, freeTextLang, mixFreeText, p } from './report-cells.js';
import type { Block, TableCell } from './report-model-types.js';

/** The blocks of the part, for a program chapter: nothing when no period is recorded. */
function buildOutcomeBlocks(periods: readonly OutcomePeriod[], chapterId: string, locale: Locale): Block[] {
  if (periods.length === 0) return [];
  const t = createTranslator(locale);
  const views = periods.map((period) => buildOutcomePeriodView(period, locale));
  const number = (value: string | number): TableCell => cell(String(value));
  const right = 'right' as const;
  // The program page's nine columns do not fit a portrait page without hyphenating their headers ("Erbju-dits",
  // "Av-hys-ningar"): the report sets them as two tables of the same periods and headers, the housing figures (the
  // shares of those who moved in), then evictions, complaints and the caseload. The period column is as wide in
  // every table of the part, so the periods line up.
  const periodColumn = { header: t('outcomes.period'), share: 0.19, align: 'left' as const };
  return [
    { type: 'heading', level: 2, text: t('outcomes.programSection'), id: `${chapterId}/outcomes`, outline: true },
    { type: 'paragraph', paragraph: p(t('outcomes.intro')) },
    {
      type: 'table',
      caption: t('outcomes.caption'),
      columns: [
        periodColumn,
        { header: t('outcomes.fields.offered'), share: 0.13, align: right },
        { header: t('outcomes.fields.moved_in'), share: 0.12, align: right },
        { header: t('outcomes.columns.housingRetention'), share: 0.17, align: right },
        { header: t('outcomes.columns.programRetention'), share: 0.165, align: right },
        // Wide enough for "Förstahandskontrakt" whole.
        { header: t('outcomes.columns.firstHandLeaseShare'), share: 0.225, align: right },
      ],
      rows: views.map((view): TableCell[] => [
        cell(view.periodLabel),
        number(view.offered),
        number(view.movedIn),
        number(view.housingRetention),
        number(view.programRetention),
        number(view.firstHandLeaseShare),
      ]),
      rowHeaders: true,
      columnHeaders: true,
    },
    {
      type: 'table',
      caption: t('outcomes.caseloadCaption'),
      columns: [
        periodColumn,
        { header: t('outcomes.fields.evictions'), share: 0.19, align: right },
        { header: t('outcomes.fields.complaints'), share: 0.19, align: right },
        { header: t('outcomes.columns.clientsPerCaseManager'), share: 0.43, align: right },
      ],
      rows: views.map((view): TableCell[] => [
        cell(view.periodLabel),
        number(view.evictions),
        number(view.complaints),
        // With its basis, as on the program's page: a since-start period's ratio is the caseload at its end, not
        // an average over the years.
        cell(`${view.clientsPerCaseManager} (${t('outcomes.caseloadParts', { clients: view.clients, managers: view.caseManagers })})`),
      ]),
      rowHeaders: true,
      columnHeaders: true,
    },
    ...(views.some((view) => view.hasDetails)
      ? [
          {
            type: 'heading' as const,
            level: 3 as const,
            text: t('outcomes.detailsHeading'),
            id: `${chapterId}/outcome-details`,
            outline: false,
          },
          {
            type: 'table' as const,
            caption: t('outcomes.detailsCaption'),
            // Each header wraps between its words in both languages: a narrower column hyphenates "Avhysningar", and
            // a line left short ("nycklar", "Days from") fills with the head of the next long word.
            columns: [
              periodColumn,
              { header: t('outcomes.fields.eviction_threats'), share: 0.12, align: right },
              { header: t('outcomes.fields.terminated_leases'), share: 0.13, align: right },
              { header: t('outcomes.fields.evictions'), share: 0.145, align: right },
              { header: t('outcomes.fields.median_days_to_keys'), share: 0.185, align: right },
              { header: t('outcomes.exitsColumn'), share: 0.23, align: 'left' as const },
            ],
            rows: views.map((view): TableCell[] => [
              cell(view.periodLabel),
              number(view.evictionThreats),
              number(view.terminatedLeases),
              number(view.evictions),
              number(view.medianDaysToKeys),
              view.exitsRecorded ? view.exits.map((exit) => p(`${exit.label}: ${exit.count}`)) : cell(t('outcomes.notRecorded')),
            ]),
            rowHeaders: true,
            columnHeaders: true,
          },
        ]
      : []),
    // The program's own comments on its figures (a vacancy, a change of counting), as the program page shows them.
    ...buildNoteBlocks(periods, views, chapterId, locale),
    { type: 'heading', level: 3, text: t('outcomes.definitionsHeading'), id: `${chapterId}/outcome-definitions`, outline: false },
    {
      type: 'list',
      items: [
        ...(['housingRetention', 'programRetention', 'firstHandLeaseShare', 'clientsPerCaseManager'] as const).map(
          (key) => `${t(`outcomes.columns.${key}`)}: ${t(`outcomes.definitions.${key}`)}`,
        ),
        ...(views.some((view) => view.offered !== t('outcomes.notRecorded'))
          ? [`${t('outcomes.fields.offered')}: ${t('outcomes.definitions.offered')}`]
          : []),
        ...(views.some((view) => view.exitsRecorded) ? [`${t('outcomes.exitsColumn')}: ${t('outcomes.definitions.exits')}`] : []),
        ...(views.some((view) => view.kind === 'since_start')
          ? [`${t('outcomes.kinds.since_start')}: ${t('outcomes.definitions.sinceStart')}`]
          : []),
      ],
    },
  ];
}

function buildNoteBlocks(
  periods: readonly OutcomePeriod[],
  views: readonly { readonly periodLabel: string }[],
  chapterId: string,
  locale: Locale,
): Block[] {
  const t = createTranslator(locale);
  const noted = periods.flatMap((period, index) =>
    period.note.trim() === '' ? [] : [{ label: views[index]?.periodLabel ?? '', note: period.note.trim() }],
  );
  if (noted.length === 0) return [];
  // The period is the report's words, the comment the program's: only the comment is marked with its language.
  const lang = freeTextLang(
    noted.map(({ note }) => note),
    locale,
  );
  return [
    { type: 'heading', level: 3, text: t('outcomes.notesHeading'), id: `${chapterId}/outcome-notes`, outline: false },
    { type: 'list', items: noted.map(({ label, note }) => mixFreeText((slot) => `${label}: ${slot}`, note, lang)) },
  ];
}

/** The outcome part of a program chapter: nothing when the report has no program work for it. */
export function buildOutcomePart(
  data: { readonly outcomes: readonly OutcomePeriod[] } | undefined,
  chapterId: string,
  locale: Locale,
): Block[] {
  return data ? buildOutcomeBlocks(data.outcomes, chapterId, locale) : [];
}
