// The rubrics loaded from rubrics/*.yaml, by id. Reviews never read from here once created: they use their snapshot.
import type { LoadedRubric } from './load-rubrics.js';

export type RubricRegistry = ReadonlyMap<string, LoadedRubric>;

/** The rubric the program's work starts from when none is chosen: the shipped Bostad först rubric. */
const PREFERRED_RUBRIC_ID = 'bostad-forst';

/** The rubric offered first (new reviews, self-assessments, readiness): bostad-forst when loaded, else the first one. */
export function defaultRubricId(rubrics: RubricRegistry): string | undefined {
  return rubrics.has(PREFERRED_RUBRIC_ID) ? PREFERRED_RUBRIC_ID : rubrics.keys().next().value;
}
