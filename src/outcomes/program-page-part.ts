// What the program page shows of the program's outcomes (src/municipalities/program-page-parts.ts): every period's
// figures, for everyone logged in.
import type { ProgramPageParts } from '../municipalities/program-page-parts.js';
import type { OutcomeStore } from './outcome-store.js';
import { buildOutcomePeriodView, type OutcomePeriodView } from './outcome-view.js';

export function createProgramOutcomesPart({
  outcomes,
}: {
  readonly outcomes: OutcomeStore;
}): Pick<ProgramPageParts<OutcomePeriodView[]>, 'describeOutcomes'> {
  return {
    describeOutcomes: (programId, locale) => outcomes.listPeriods(programId).map((period) => buildOutcomePeriodView(period, locale)),
  };
}
