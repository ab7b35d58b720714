// Which figures of a round scored on one version of a rubric may be set beside a round scored on another: the same
// number means the same only where both measured the same thing. Pure.
import { partDecidesLevel, type Rubric } from './rubric-schema.js';

export type RubricComparison = {
  /**
   * Indicators in both versions with the same id and scale bounds that the later version's crosswalk, where it has one
   * from the earlier version, says continue themselves.
   */
  readonly indicatorIds: ReadonlySet<string>;
  /** Sections in both versions whose indicators are the same comparable ones, no more and no fewer. */
  readonly sectionIds: ReadonlySet<string>;
  /**
   * Whether the overall percent is computed the same way in both: over the same sections (those of the parts that decide
   * the level), each comparable. Not so from 1.1 to 2.0 of Bostad först, whose 1.1 overall is over all 14 sections and
   * 2.0's over the principles (A1–A8) alone.
   */
  readonly overall: boolean;
};

/** The ids of the sections the overall percent is computed over, sorted. */
function listDecidingSectionIds(rubric: Rubric): string[] {
  const deciding = new Set(rubric.parts.filter(partDecidesLevel).map((part) => part.id));
  return rubric.sections
    .filter((section) => deciding.has(section.kind))
    .map((section) => section.id)
    .sort();
}

/** What `later`'s figures have in common with `earlier`'s. The same rubric compares whole with itself. */
export function compareRubrics(earlier: Rubric, later: Rubric): RubricComparison {
  const continues = later.crosswalk?.from_version === earlier.version ? later.crosswalk.continues : undefined;
  const before = new Map(earlier.sections.flatMap((section) => section.indicators.map((indicator) => [indicator.id, indicator] as const)));
  const indicatorIds = new Set(
    later.sections.flatMap((section) =>
      section.indicators
        .filter((indicator) => {
          const was = before.get(indicator.id);
          return (
            was !== undefined &&
            was.scale.min === indicator.scale.min &&
            was.scale.max === indicator.scale.max &&
            (continues === undefined || continues[indicator.id] === indicator.id)
          );
        })
        .map((indicator) => indicator.id),
    ),
  );
  const sectionIds = new Set(
    later.sections
      .filter((section) => {
        const was = earlier.sections.find((candidate) => candidate.id === section.id);
        return (
          was !== undefined &&
          was.indicators.length === section.indicators.length &&
          section.indicators.every(
            (indicator) => indicatorIds.has(indicator.id) && was.indicators.some((candidate) => candidate.id === indicator.id),
          )
        );
      })
      .map((section) => section.id),
  );
  const decidingBefore = listDecidingSectionIds(earlier);
  const decidingNow = listDecidingSectionIds(later);
  const overall =
    decidingBefore.length === decidingNow.length && decidingNow.every((id, index) => id === decidingBefore[index] && sectionIds.has(id));
  return { indicatorIds, sectionIds, overall };
}
