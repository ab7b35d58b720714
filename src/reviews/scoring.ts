// Turns a review's indicator scores into section, part and overall results. Pure: no I/O, no rounding.
//
// Scoring rules (docs/scoring.md quotes these):
//
// Indicator
// - Each indicator is either rated (a score on its own scale), not applicable (N/A) or not rated yet.
// - A score outside the indicator's scale (below min, above max, or not a whole level), N/A on an
//   indicator whose scale does not allow N/A, a score together with N/A, or an indicator id that is
//   not in the rubric throws an Error. Input has been validated before it gets here, so any of these
//   is a programming error, and a silently wrong fidelity score is worse than a crash.
//
// Section
// - `rated`, `notApplicable`, `unrated` count the section's indicators; `total` is all of them.
//   N/A and unrated indicators are left out of every denominator.
// - `mean` is the mean of the rated scores. It is null when nothing is rated, and also when the rated
//   indicators do not all share the same scale min and max: a raw mean across scales (say a 3 on 1–5
//   and a 2 on 0–2) means nothing.
// - `minScore`/`maxScore` give the scale the mean is on, so a view can show "2,75 of 4": the shared
//   scale of the rated indicators, or when none is rated, the shared scale of all the section's
//   indicators. Null when that scale is not shared.
// - `percent` is percent of maximum: sum(score) / sum(scale max) × 100 over the rated indicators.
//   This stays comparable across scales. Note that a scale's minimum is not 0 %: on 1–4 a 1 is 25 %.
//   Null when nothing is rated (or, for a rubric with scales whose max is not above 0, when the sum of
//   maxima is not positive, since there is no maximum to take a percent of).
// - `sufficient` is rated ≥ min_rated_share × (total − notApplicable), and rated > 0. So a section
//   that is entirely N/A is never sufficient. A tolerance of 1e-9 absorbs floating-point noise in the
//   product (e.g. a share that is not exact in binary times an indicator count).
// - A section that is not sufficient has no score: `mean` and `percent` are null, so it is shown as "–"
//   with its counts, and it does not count towards its part or the overall score and level. (A dimension
//   score is shown only when enough of its items are rated; a mean of one item out of five would stand
//   for the whole dimension.)
//
// Part (one per rubric part, in rubric order) and Overall (all sections)
// - Computed over the sections that have a percent (the sufficient ones); `sectionsScored` counts them,
//   `sections` counts all sections in the part (or the rubric).
// - `percent` is the mean of those sections' percents: each section weighs the same, however many
//   indicators it has. Null when no section has a percent.
// - `mean` is the mean of those sections' means, when every one of them has a mean and all are on the
//   same scale (`minScore`/`maxScore` then give it); otherwise null. `percent` is the cross-scale figure.
// - Overall is computed over the sections of the parts that decide the level (`decides_level`, true unless
//   the rubric says false: a rubric without the flag scores exactly as before). Parts that do not decide are
//   still scored in `parts`, to be reported beside the level.
// - The band level is findBandLevel(rubric, percent) (rubrics/rubric-schema.ts), or undefined when percent is null. The
//   threshold comparison allows 1e-9 of floating-point noise so that a percent that is exactly at a
//   threshold on paper (but 74.99999999999999 after averaging) reaches that level. The percent itself
//   is not changed.
// - Caps apply after the band lookup. A cap holds when at least `min_count` (default 1) critical indicators,
//   in any part, are rated at or below its threshold (N/A and unrated never trigger one). Overall `level` is
//   then the lowest of the band level and the `max_level` of every cap that holds. `explanation` says what
//   decided the level: the figure and its band, and every cap that holds with the indicators that set it off.
// - `topTwo` counts the rated indicators of the deciding parts scored in the top two levels of their scale.
//
// Formatting: nothing is rounded above; `formatScore` and `formatPercent` (i18n/format.ts) round only for display. Fidelity
// figures (the means and percents of sections, parts and the whole review, which a level is decided on) are
// shown by `roundFigure`: rounded to the nearest like a hand calculation, with one more decimal where rounding would
// carry the figure into the next band or the value is exactly halfway (74.96 % is "74,96 %", not "75 %";
// 68.75 % stays "68,75 %").
import {
  findBandLevel,
  capMinCount,
  capThreshold,
  type FidelityLevel,
  indicatorNumbers,
  partDecidesLevel,
  type Rubric,
  type RubricCap,
  type RubricScale,
} from '../rubrics/rubric-schema.js';
import { formatPercent, formatScore } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';

/** One indicator's result. `score` null and `notApplicable` false means not rated (yet). */
export type IndicatorScore = { readonly score: number | null; readonly notApplicable: boolean };

export type SectionScore = {
  readonly sectionId: string;
  /** The part (rubric `parts[].id`) the section belongs to: its `kind`. */
  readonly partId: string;
  readonly rated: number;
  readonly notApplicable: number;
  readonly unrated: number;
  readonly total: number;
  readonly mean: number | null;
  readonly minScore: number | null;
  readonly maxScore: number | null;
  readonly percent: number | null;
  readonly sufficient: boolean;
};

/** Shared shape of a part's and the whole review's result: an aggregate over sections. */
export type AggregateScore = {
  readonly percent: number | null;
  readonly mean: number | null;
  readonly minScore: number | null;
  readonly maxScore: number | null;
  /** Sections that have a percent, i.e. enough rated indicators (see `sufficient`). */
  readonly sectionsScored: number;
  /** All sections in the part (or rubric). */
  readonly sections: number;
};

export type PartScore = AggregateScore & { readonly partId: string };

/** A critical indicator that set off a cap: its display number ("A1.3") and its score on its scale. */
export type CapTrigger = {
  readonly indicatorId: string;
  readonly number: string;
  readonly score: number;
  readonly scaleMax: number;
};

/** A cap whose condition holds. `lowered` says whether it brought the level below the band level. */
export type AppliedCap = {
  readonly cap: RubricCap;
  readonly maxLevel: FidelityLevel;
  readonly triggers: readonly CapTrigger[];
  readonly lowered: boolean;
};

/** What decided the level: the figure and the band it falls in, then any caps. */
export type LevelExplanation = {
  /** The parts whose sections make up the figure, in rubric order. */
  readonly decidingPartIds: readonly string[];
  /** The level of the band the percent falls in, before caps. */
  readonly bandLevel: FidelityLevel | undefined;
  /** The band's lower bound and the next level's (null at the top), in percent of maximum. */
  readonly bandFrom: number | undefined;
  readonly bandTo: number | null;
  /** Caps that hold, the one that set the level first. */
  readonly caps: readonly AppliedCap[];
};

export type OverallScore = AggregateScore & {
  /** The level after caps. */
  readonly level: FidelityLevel | undefined;
  readonly explanation: LevelExplanation;
  /** Rated indicators of the deciding parts scored in the top two levels of their scale, and how many were rated. */
  readonly topTwo: { readonly count: number; readonly rated: number };
};

export type ReviewScores = {
  /** In rubric order. */
  readonly sections: readonly SectionScore[];
  /** One per rubric part, in rubric order, also for parts without sections. */
  readonly parts: readonly PartScore[];
  readonly overall: OverallScore;
};

type ScaleBounds = { readonly min: number; readonly max: number };

const SHARE_TOLERANCE = 1e-9;

export function scoreReview(rubric: Rubric, scores: ReadonlyMap<string, IndicatorScore>): ReviewScores {
  const knownIds = new Set(rubric.sections.flatMap((section) => section.indicators.map((indicator) => indicator.id)));
  for (const id of scores.keys()) {
    if (!knownIds.has(id)) {
      throw new Error(`score for unknown indicator "${id}" in rubric "${rubric.id}"`);
    }
  }

  const sections = rubric.sections.map((section): SectionScore => {
    const ratedScores: number[] = [];
    const ratedScales: ScaleBounds[] = [];
    let notApplicable = 0;
    for (const indicator of section.indicators) {
      const entry = scores.get(indicator.id);
      if (entry === undefined) continue;
      assertValidScore(indicator.id, indicator.scale, entry);
      if (entry.notApplicable) {
        notApplicable++;
      } else if (entry.score !== null) {
        ratedScores.push(entry.score);
        ratedScales.push(indicator.scale);
      }
    }
    const total = section.indicators.length;
    const rated = ratedScores.length;
    const ratedScale = findSharedScale(ratedScales);
    const displayScale = rated > 0 ? ratedScale : findSharedScale(section.indicators.map((i) => i.scale));
    const maxSum = sum(ratedScales.map((scale) => scale.max));
    const sufficient = meetsRatedShare(rated, total - notApplicable, rubric.min_rated_share);
    return {
      sectionId: section.id,
      partId: section.kind,
      rated,
      notApplicable,
      unrated: total - rated - notApplicable,
      total,
      mean: sufficient && ratedScale !== null ? sum(ratedScores) / rated : null,
      minScore: displayScale?.min ?? null,
      maxScore: displayScale?.max ?? null,
      percent: sufficient && maxSum > 0 ? (sum(ratedScores) * 100) / maxSum : null,
      sufficient,
    };
  });

  const parts = rubric.parts.map(
    (part): PartScore => ({ partId: part.id, ...aggregateSections(sections.filter((s) => s.partId === part.id)) }),
  );
  const decidingPartIds = rubric.parts.filter(partDecidesLevel).map((part) => part.id);
  const deciding = new Set(decidingPartIds);
  const overallAggregate = aggregateSections(sections.filter((s) => deciding.has(s.partId)));
  const bandLevel = findBandLevel(rubric, overallAggregate.percent);
  const caps = bandLevel === undefined ? [] : findHoldingCaps(rubric, scores, bandLevel);
  const level = caps.find((cap) => cap.lowered)?.maxLevel ?? bandLevel;
  const above = bandLevel === undefined ? [] : rubric.fidelity_levels.filter((l) => l.min_percent > bandLevel.min_percent);
  const explanation: LevelExplanation = {
    decidingPartIds,
    bandLevel,
    bandFrom: bandLevel?.min_percent,
    bandTo: above.length === 0 ? null : Math.min(...above.map((l) => l.min_percent)),
    caps,
  };
  let topCount = 0;
  let topRated = 0;
  for (const section of rubric.sections) {
    if (!deciding.has(section.kind)) continue;
    for (const indicator of section.indicators) {
      const entry = scores.get(indicator.id);
      if (entry === undefined || entry.notApplicable || entry.score === null) continue;
      topRated++;
      if (entry.score >= indicator.scale.max - 1) topCount++;
    }
  }
  return { sections, parts, overall: { ...overallAggregate, level, explanation, topTwo: { count: topCount, rated: topRated } } };
}

/**
 * The caps whose condition holds, the lowest ceiling first (so the first that lowers the level sets it). A cap
 * lowers the level when its ceiling is below the band level.
 */
function findHoldingCaps(rubric: Rubric, scores: ReadonlyMap<string, IndicatorScore>, bandLevel: FidelityLevel): AppliedCap[] {
  const numbers = indicatorNumbers(rubric);
  const held: AppliedCap[] = [];
  for (const cap of rubric.caps ?? []) {
    const maxLevel = rubric.fidelity_levels.find((l) => l.id === cap.max_level);
    if (maxLevel === undefined) throw new Error(`cap "${cap.id}" names unknown level "${cap.max_level}"`);
    const triggers: CapTrigger[] = [];
    for (const section of rubric.sections) {
      for (const indicator of section.indicators) {
        if (indicator.critical !== true) continue;
        const entry = scores.get(indicator.id);
        if (entry === undefined || entry.notApplicable || entry.score === null) continue;
        if (entry.score <= capThreshold(cap, indicator.scale)) {
          triggers.push({
            indicatorId: indicator.id,
            number: numbers.get(indicator.id) ?? indicator.id,
            score: entry.score,
            scaleMax: indicator.scale.max,
          });
        }
      }
    }
    if (triggers.length >= capMinCount(cap)) held.push({ cap, maxLevel, triggers, lowered: maxLevel.min_percent < bandLevel.min_percent });
  }
  return held.sort((a, b) => a.maxLevel.min_percent - b.maxLevel.min_percent);
}

/**
 * The sections of the parts that decide the level whose score does not count yet (not `sufficient`), in rubric order.
 * The overall figure and level leave them out, so while any is left they stand on part of the review only.
 */
export function listSectionsShortOfLevel(scores: ReviewScores): readonly SectionScore[] {
  const deciding = new Set(scores.overall.explanation.decidingPartIds);
  return scores.sections.filter((section) => deciding.has(section.partId) && !section.sufficient);
}

/**
 * Whether `rated` of `applicable` indicators reach a rubric's min_rated_share (and at least one is rated). The
 * tolerance absorbs floating-point noise in share × count. The gap view holds its comparisons to the same rule.
 */
export function meetsRatedShare(rated: number, applicable: number, share: number): boolean {
  return rated > 0 && rated >= share * applicable - SHARE_TOLERANCE;
}

function assertValidScore(indicatorId: string, scale: RubricScale, entry: IndicatorScore): void {
  if (entry.notApplicable) {
    if (entry.score !== null) {
      throw new Error(`indicator "${indicatorId}" is both N/A and scored ${entry.score}`);
    }
    if (!scale.allow_na) {
      throw new Error(`indicator "${indicatorId}" does not allow N/A`);
    }
    return;
  }
  if (entry.score === null) return;
  if (!Number.isInteger(entry.score) || entry.score < scale.min || entry.score > scale.max) {
    throw new Error(`score ${entry.score} for indicator "${indicatorId}" is not a level of its ${scale.min}–${scale.max} scale`);
  }
}

function aggregateSections(sections: readonly SectionScore[]): AggregateScore {
  const scored = sections.filter((s): s is SectionScore & { percent: number } => s.percent !== null);
  const percent = scored.length > 0 ? sum(scored.map((s) => s.percent)) / scored.length : null;
  // A mean of means is only meaningful when every scored section has one, all on the same scale.
  const means: number[] = [];
  const meanScales: ScaleBounds[] = [];
  for (const section of scored) {
    if (section.mean !== null && section.minScore !== null && section.maxScore !== null) {
      means.push(section.mean);
      meanScales.push({ min: section.minScore, max: section.maxScore });
    }
  }
  const scale = means.length === scored.length ? findSharedScale(meanScales) : null;
  return {
    percent,
    mean: scale === null ? null : sum(means) / means.length,
    minScore: scale?.min ?? null,
    maxScore: scale?.max ?? null,
    sectionsScored: scored.length,
    sections: sections.length,
  };
}

/** The scale every entry shares, or null when they differ or there are none. */
function findSharedScale(scales: readonly ScaleBounds[]): ScaleBounds | null {
  const first = scales[0];
  if (first === undefined) return null;
  return scales.every((scale) => scale.min === first.min && scale.max === first.max) ? { min: first.min, max: first.max } : null;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Rounds down to `digits` decimals; the small tolerance keeps floating-point noise (74.99999999999999) from costing a whole step. */
function roundDown(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.floor(value * factor + 1e-6) / factor;
}

/** Rounds to the nearest at `digits` decimals, a tie upwards, as a hand calculation would. */
function roundNearest(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.floor(value * factor + 0.5 + 1e-9) / factor;
}

const MAX_FIGURE_EXTRA_DIGITS = 2;

/**
 * How a fidelity figure is shown, the one rule for every page and the report: rounded to the nearest at `digits`
 * decimals, so it agrees with a hand calculation at the printed precision. Where that would be misleading, one more
 * decimal is shown instead (up to two more): when rounding up would carry the figure into the next band (a
 * threshold in `bands` that the value has not reached: 74.96 % is "74,96 %", not "75,0 %"), and when the value is
 * exactly halfway (2.75 of 4 is "68,75 %", where "68,7" and "68,8" are both a hand calculation's answer). If no
 * precision is safe, the last is rounded down, so a figure never shows a band its value has not reached.
 */
export function roundFigure(
  value: number,
  digits: number,
  bands: readonly number[] = [],
): { readonly value: number; readonly digits: number } {
  const exact = Math.round(value * 1e9) / 1e9;
  for (let d = digits; d <= digits + MAX_FIGURE_EXTRA_DIGITS; d++) {
    const shown = roundNearest(exact, d);
    const crosses = bands.some((band) => exact < band && shown >= band);
    const tie = Math.abs(exact * 10 ** d - Math.floor(exact * 10 ** d) - 0.5) < 1e-6;
    if (!crosses && !tie) return { value: shown, digits: d };
  }
  const last = digits + MAX_FIGURE_EXTRA_DIGITS;
  const nearest = roundNearest(exact, last);
  const crosses = bands.some((band) => exact < band && nearest >= band);
  return { value: crosses ? roundDown(exact, last) : nearest, digits: last };
}

/** A fidelity mean as shown: see roundFigure. `bands` are the level thresholds on the mean's scale. */
export function formatFigureScore(value: number | null, locale: Locale, digits = 2, bands: readonly number[] = []): string {
  if (value === null) return formatScore(null, locale, digits);
  const shown = roundFigure(value, digits, bands);
  return formatScore(shown.value, locale, shown.digits);
}

/**
 * A fidelity percent as shown: see roundFigure, at one decimal, which is left out for a whole number ("80 %",
 * "87,5 %", "74,96 %" below a band at 75). `bands` are the rubric's level thresholds (levelBands).
 */
export function formatFigurePercent(value: number | null, locale: Locale, bands: readonly number[] = []): string {
  if (value === null) return formatPercent(null, locale);
  const shown = roundFigure(value, 1, bands);
  return formatPercent(shown.value, locale, Number.isInteger(shown.value) ? 0 : shown.digits);
}

/** A fidelity percent as formatFigurePercent shows it, as a number. */
export function roundFigurePercent(value: number, bands: readonly number[] = []): number {
  return roundFigure(value, 1, bands).value;
}

/** The level thresholds of a rubric, in percent of maximum, for formatFigurePercent. */
export function levelBands(rubric: Rubric): readonly number[] {
  return rubric.fidelity_levels.map((level) => level.min_percent).filter((band) => band > 0);
}

/** The level thresholds on a mean's scale (a mean m of max M is m / M × 100 percent), for formatFigureScore. */
export function meanBands(rubric: Rubric, scaleMax: number): readonly number[] {
  return levelBands(rubric).map((band) => (band * scaleMax) / 100);
}

/**
 * now − before in percentage points, from the two percents as formatFigurePercent shows them, exact at the finer of
 * their precisions (87.5 − 80 is 7.5), so a difference adds up as printed.
 */
export function differenceAsShown(now: number, before: number, bands: readonly number[] = []): number {
  const a = roundFigure(now, 1, bands);
  const b = roundFigure(before, 1, bands);
  const factor = 10 ** Math.max(a.digits, b.digits);
  return (Math.round(a.value * factor) - Math.round(b.value * factor)) / factor;
}
