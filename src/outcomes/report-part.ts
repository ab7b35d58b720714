// What the report takes of a program's outcome indicators beside the periods themselves (laid out by
// reports/outcome-blocks.ts): the facts a period states, for the report's verification hash.
import { EXIT_REASONS, type OutcomePeriod } from './outcome-store.js';

/**
 * A period's facts for the report's verification hash. The figures of migration 14 are added only where recorded, so
 * the code of a report whose periods have none stays what it was.
 */
export function collectOutcomeFacts(period: OutcomePeriod): unknown {
  const { details } = period;
  const exits = Object.fromEntries(
    EXIT_REASONS.flatMap((reason) => (details.exits[reason] === null ? [] : [[reason, details.exits[reason]]])),
  );
  return {
    periodStart: period.periodStart,
    periodEnd: period.periodEnd,
    movedIn: period.movedIn,
    stillFirstFlat: period.stillFirstFlat,
    stillInProgram: period.stillInProgram,
    firstHandLeases: period.firstHandLeases,
    evictions: period.evictions,
    complaints: period.complaints,
    clients: period.clients,
    caseManagers: period.caseManagers,
    note: period.note,
    ...(period.kind !== 'period' ? { kind: period.kind } : {}),
    ...(details.offered !== null ? { offered: details.offered } : {}),
    ...(Object.keys(exits).length > 0 ? { exits } : {}),
    ...(details.evictionThreats !== null ? { evictionThreats: details.evictionThreats } : {}),
    ...(details.terminatedLeases !== null ? { terminatedLeases: details.terminatedLeases } : {}),
    ...(details.medianDaysToKeys !== null ? { medianDaysToKeys: details.medianDaysToKeys } : {}),
  };
}
