// Which figures of a round scored on one rubric version compare with a round scored on another: only what both
// measured the same way. Bostad först 1.1 against 2.0 is the case the report meets.
import { describe, expect, it } from 'vitest';
import { compareRubrics } from '../../src/rubrics/rubric-comparison.js';
import type { Rubric } from '../../src/rubrics/rubric-schema.js';
import { FROZEN_1_1_RUBRIC_FILE, loadTestRubrics, MINI_RUBRIC_FILE, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';

function rubricOf(file: string): Rubric {
  const loaded = loadTestRubrics([file]).values().next().value;
  if (!loaded) throw new Error(`no rubric in ${file}`);
  return loaded.rubric;
}

/** A deep copy, to change: the test rubrics are frozen. */
const copyOf = (rubric: Rubric): Rubric => structuredClone(rubric);

const codesOf = (rubric: Rubric, ids: ReadonlySet<string>) =>
  rubric.sections.filter((section) => ids.has(section.id)).map((section) => section.code);

describe('compareRubrics', () => {
  it('when both rounds used the same rubric, then every section, every indicator and the overall compare', () => {
    const rubric = rubricOf(SHIPPED_RUBRIC_FILE);
    const comparison = compareRubrics(rubric, rubric);
    expect(codesOf(rubric, comparison.sectionIds)).toEqual(rubric.sections.map((section) => section.code));
    expect(comparison.indicatorIds.size).toBe(rubric.sections.flatMap((section) => section.indicators).length);
    expect(comparison.overall).toBe(true);
  });

  it('when the previous round used 1.1 and this one 2.0, then only the sections whose indicators 2.0 kept compare, and not the overall', () => {
    const before = rubricOf(FROZEN_1_1_RUBRIC_FILE);
    const now = rubricOf(SHIPPED_RUBRIC_FILE);
    const comparison = compareRubrics(before, now);
    // A1, A3, A6, A7, B3, B5 and B6 gained or lost indicators in 2.0.
    expect(codesOf(now, comparison.sectionIds)).toEqual(['A2', 'A4', 'A5', 'A8', 'B1', 'B2', 'B4']);
    // 1.1's overall is over all 14 sections, 2.0's over the principles alone.
    expect(comparison.overall).toBe(false);
    expect(comparison.indicatorIds.has('a1-lease-type')).toBe(true);
    expect(comparison.indicatorIds.has('a1-target-group')).toBe(false);
  });

  it('when the crosswalk says an indicator of the same id does not continue itself, then it and its section do not compare', () => {
    const before = rubricOf(FROZEN_1_1_RUBRIC_FILE);
    const now = copyOf(rubricOf(SHIPPED_RUBRIC_FILE));
    if (!now.crosswalk) throw new Error('2.0 has a crosswalk');
    now.crosswalk.continues['a2-choice-of-home'] = null;
    const comparison = compareRubrics(before, now);
    expect(comparison.indicatorIds.has('a2-choice-of-home')).toBe(false);
    expect(codesOf(now, comparison.sectionIds)).not.toContain('A2');
  });

  it('when a new version changes an indicator’s scale, then its section does not compare; a version that changes nothing scored compares whole', () => {
    const before = rubricOf(MINI_RUBRIC_FILE);
    const same = { ...copyOf(before), version: `${before.version}-b` };
    expect(compareRubrics(before, same).overall).toBe(true);
    expect(compareRubrics(before, same).sectionIds.size).toBe(before.sections.length);
    const rescaled = copyOf(same);
    const [first] = rescaled.sections;
    const [indicator] = first?.indicators ?? [];
    if (!first || !indicator) throw new Error('mini-five has sections');
    indicator.scale.max += 1;
    const comparison = compareRubrics(before, rescaled);
    expect(comparison.indicatorIds.has(indicator.id)).toBe(false);
    expect(comparison.sectionIds.has(first.id)).toBe(false);
    expect(comparison.sectionIds.size).toBe(before.sections.length - 1);
  });
});
