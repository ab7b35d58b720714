// How an outcome period reads on a page and in the report: the counts, and the computed figures formatted for the
// locale with their fractions ("18 av 29 (62 %)"). Pure.
import { formatExactNumber, formatPercent, formatScore } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import { EXIT_REASONS, type ExitReason, type OutcomeKind, type OutcomePeriod } from './outcome-store.js';
import { computeOutcomeFigures } from './retention.js';

export type OutcomePeriodView = {
  readonly id: number;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly kind: OutcomeKind;
  /** "2010-01-01 – 2014-12-31" (a no-break space before the dash), with "(sedan start, kumulativt)" on a since-start period. */
  readonly periodLabel: string;
  /** "–" when not recorded. */
  readonly offered: string;
  readonly evictionThreats: string;
  readonly terminatedLeases: string;
  readonly medianDaysToKeys: string;
  /** Each reason with its count, or "–" when none is recorded. */
  readonly exits: readonly { readonly reason: ExitReason; readonly label: string; readonly count: string }[];
  readonly exitsRecorded: boolean;
  /** Whether any of the figures of migration 14 is recorded. */
  readonly hasDetails: boolean;
  readonly movedIn: number;
  readonly evictions: number;
  readonly complaints: number;
  readonly clients: number;
  readonly caseManagers: string;
  readonly housingRetention: string;
  readonly programRetention: string;
  readonly firstHandLeaseShare: string;
  readonly clientsPerCaseManager: string;
  readonly note: string;
};

/** "18 / 29 (62 %)", or the count alone when nobody moved in. */
function describeShare(part: number, whole: number, percent: number | null, locale: Locale): string {
  return percent === null ? `${part} / ${whole}` : `${part} / ${whole} (${formatPercent(percent, locale)})`;
}

export function buildOutcomePeriodView(period: OutcomePeriod, locale: Locale): OutcomePeriodView {
  const figures = computeOutcomeFigures(period);
  const t = createTranslator(locale);
  const details = period.details;
  const recorded = (value: number | null): string => (value === null ? t('outcomes.notRecorded') : String(value));
  const exitsRecorded = EXIT_REASONS.some((reason) => details.exits[reason] !== null);
  // A no-break space keeps the dash with the start date, so a narrow column never sets the dash on a line of its own.
  const range = `${period.periodStart}\u00a0– ${period.periodEnd}`;
  return {
    id: period.id,
    periodStart: period.periodStart,
    periodEnd: period.periodEnd,
    kind: period.kind,
    periodLabel: period.kind === 'since_start' ? `${range} (${t('outcomes.sinceStartMark')})` : range,
    offered: recorded(details.offered),
    evictionThreats: recorded(details.evictionThreats),
    terminatedLeases: recorded(details.terminatedLeases),
    medianDaysToKeys:
      details.medianDaysToKeys === null ? t('outcomes.notRecorded') : t('outcomes.daysValue', { days: details.medianDaysToKeys }),
    exits: EXIT_REASONS.map((reason) => ({ reason, label: t(`outcomes.fields.exits_${reason}`), count: recorded(details.exits[reason]) })),
    exitsRecorded,
    hasDetails:
      exitsRecorded ||
      details.offered !== null ||
      details.evictionThreats !== null ||
      details.terminatedLeases !== null ||
      details.medianDaysToKeys !== null,
    movedIn: period.movedIn,
    evictions: period.evictions,
    complaints: period.complaints,
    clients: period.clients,
    // Whole people or part-time posts, with at most two decimals: as many as there are.
    caseManagers: formatExactNumber(period.caseManagers, locale),
    housingRetention: describeShare(period.stillFirstFlat, period.movedIn, figures.housingRetention, locale),
    programRetention: describeShare(period.stillInProgram, period.movedIn, figures.programRetention, locale),
    firstHandLeaseShare: describeShare(period.firstHandLeases, period.movedIn, figures.firstHandLeaseShare, locale),
    clientsPerCaseManager: formatScore(figures.clientsPerCaseManager, locale, 1),
    note: period.note,
  };
}
