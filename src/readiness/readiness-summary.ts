// How ready a program is for its review, per section and overall, from its readiness checks. Pure.
// Ready counts 1, partly ½, missing and unchecked 0; the share is over all the section's indicators, so an
// indicator nobody has looked at yet counts against readiness rather than disappearing from it.
import type { LocalizedText } from '../i18n/locale.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import type { ReadinessCheck } from './readiness-store.js';

export type ReadinessCounts = {
  readonly ready: number;
  readonly partly: number;
  readonly missing: number;
  readonly unchecked: number;
  readonly total: number;
  /** (ready + ½ partly) ÷ total × 100; null for a section without indicators. */
  readonly percent: number | null;
};

export type SectionReadiness = ReadinessCounts & { readonly sectionId: string; readonly code: string; readonly title: LocalizedText };

export type ReadinessSummary = { readonly sections: readonly SectionReadiness[]; readonly overall: ReadinessCounts };

function countChecks(indicatorIds: readonly string[], checks: ReadonlyMap<string, ReadinessCheck>): ReadinessCounts {
  let ready = 0;
  let partly = 0;
  let missing = 0;
  for (const id of indicatorIds) {
    const status = checks.get(id)?.status;
    if (status === 'ready') ready++;
    else if (status === 'partly') partly++;
    else if (status === 'missing') missing++;
  }
  const total = indicatorIds.length;
  return {
    ready,
    partly,
    missing,
    unchecked: total - ready - partly - missing,
    total,
    percent: total > 0 ? ((ready + partly / 2) * 100) / total : null,
  };
}

export function summarizeReadiness(rubric: Rubric, checks: ReadonlyMap<string, ReadinessCheck>): ReadinessSummary {
  const sections = rubric.sections.map((section) => ({
    sectionId: section.id,
    code: section.code,
    title: section.title,
    ...countChecks(
      section.indicators.map((indicator) => indicator.id),
      checks,
    ),
  }));
  return {
    sections,
    overall: countChecks(
      rubric.sections.flatMap((s) => s.indicators.map((i) => i.id)),
      checks,
    ),
  };
}
