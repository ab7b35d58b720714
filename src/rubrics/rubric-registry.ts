// The rubrics loaded from rubrics/*.yaml, by id. Reviews never read from here once created: they use their snapshot.
import type { LoadedRubric } from './load-rubrics.js';

export type RubricRegistry = ReadonlyMap<string, LoadedRubric>;
