// Turns a review's indicator scores into section, part and overall results. Pure: no I/O, no rounding.
//
// Scoring rules (the README quotes these):
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
// - Overall `level` is findFidelityLevel(rubric, percent), or undefined when percent is null. The
//   threshold comparison allows 1e-9 of floating-point noise so that a percent that is exactly at a
//   threshold on paper (but 74.99999999999999 after averaging) reaches that level. The percent itself
//   is not changed.
//
// Formatting: nothing is rounded above; `formatScore` and `formatPercent` round only for display. Fidelity
// figures (the means and percents of sections, parts and the whole review, which a level is decided on) are
// shown rounded down by `formatFigureScore` (two decimals) and `formatFigurePercent` (one decimal, when not 0), so a printed
// figure never reaches a band its value has not: a mean of 3.4964 is "3,49", not "3,50" next to a level defined as
// "3,0–3,49", and 74.96 % is "74,9 %", not "75 %".
import { findFidelityLevel, type FidelityLevel, type Rubric, type RubricScale } from '../rubrics/rubric-schema.js';
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

export type OverallScore = AggregateScore & { readonly level: FidelityLevel | undefined };

export type ReviewScores = {
  /** In rubric order. */
  readonly sections: readonly SectionScore[];
  /** One per rubric part, in rubric order, also for parts without sections. */
  readonly parts: readonly PartScore[];
  readonly overall: OverallScore;
};

type ScaleBounds = { readonly min: number; readonly max: number };

const SHARE_TOLERANCE = 1e-9;
const LEVEL_TOLERANCE = 1e-9;

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
  const overallAggregate = aggregateSections(sections);
  const level =
    overallAggregate.percent === null ? undefined : findFidelityLevel(rubric, overallAggregate.percent + LEVEL_TOLERANCE);
  return { sections, parts, overall: { ...overallAggregate, level } };
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
  return scales.every((scale) => scale.min === first.min && scale.max === first.max)
    ? { min: first.min, max: first.max }
    : null;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Placeholder shown for a missing value: an en dash, as in Swedish and English typography. */
const MISSING = '–';
const NO_BREAK_SPACE = '\u00a0';

/**
 * Formats a score for display with a fixed number of decimals: "2,75" in Swedish (decimal comma),
 * "2.75" in English, "–" for null. Throws on NaN/Infinity, which only a bug can produce.
 */
export function formatScore(value: number | null, locale: Locale, digits = 2): string {
  if (value === null) return MISSING;
  return formatNumber(value, locale, digits);
}

/** Formats a percent: "69 %" in Swedish (no-break space before %, per Swedish style), "69%" in English. */
export function formatPercent(value: number | null, locale: Locale, digits = 0): string {
  if (value === null) return MISSING;
  const number = formatNumber(value, locale, digits);
  return locale === 'sv' ? `${number}${NO_BREAK_SPACE}%` : `${number}%`;
}

/** Rounds down to `digits` decimals; the small tolerance keeps floating-point noise (74.99999999999999) from costing a whole step. */
function roundDown(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.floor(value * factor + 1e-6) / factor;
}

/** A fidelity mean as shown next to its level: rounded down to `digits` decimals ("3,49" for 3.4964). */
export function formatFigureScore(value: number | null, locale: Locale, digits = 2): string {
  return formatScore(value === null ? null : roundDown(value, digits), locale, digits);
}

/**
 * A fidelity percent as shown next to its level: rounded down to one decimal, which is shown only when it is not
 * zero ("80 %", "87,5 %", "87,4 %" for 87.46), since levels start at percents such as 87.5 that a whole number
 * cannot show on the right side of.
 */
export function formatFigurePercent(value: number | null, locale: Locale): string {
  if (value === null) return formatPercent(null, locale);
  const shown = roundFigurePercent(value);
  return formatPercent(shown, locale, Number.isInteger(shown) ? 0 : 1);
}

/** A fidelity percent as formatFigurePercent shows it, as a number. */
export function roundFigurePercent(value: number): number {
  return roundDown(value, 1);
}

/**
 * now − before in percentage points, from the two percents as formatFigurePercent shows them, exact to the tenth
 * (87.5 − 80 is 7.5), so a difference adds up as printed.
 */
export function differenceAsShown(now: number, before: number): number {
  return (Math.round(roundFigurePercent(now) * 10) - Math.round(roundFigurePercent(before) * 10)) / 10;
}

function createNumberFormat(locale: Locale, digits: number): Intl.NumberFormat {
  // Intl rounds the number as written (1.005 → "1.01"), where toFixed rounds its binary value ("1.00").
  // No grouping: scores and percents are small, and this keeps the output predictable.
  // signDisplay 'negative' avoids "-0,00" for tiny negative values.
  return new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
    signDisplay: 'negative',
  });
}

// Built once: constructing an Intl.NumberFormat costs far more than using one (a third of a result page's CPU).
const MAX_PRECOMPUTED_DIGITS = 4;
const NUMBER_FORMATS: Readonly<Record<Locale, readonly Intl.NumberFormat[]>> = Object.freeze({
  sv: Object.freeze(Array.from({ length: MAX_PRECOMPUTED_DIGITS + 1 }, (_, d) => createNumberFormat('sv', d))),
  en: Object.freeze(Array.from({ length: MAX_PRECOMPUTED_DIGITS + 1 }, (_, d) => createNumberFormat('en', d))),
});

// Whole numbers from 0 to 100 without decimals (scale points, most percents) are the numbers a result page formats
// over and over; their texts are made once here, since Intl's format() is far slower than an array read.
const MAX_PREFORMATTED = 100;
const WHOLE_NUMBERS: Readonly<Record<Locale, readonly string[]>> = Object.freeze({
  sv: Object.freeze(Array.from({ length: MAX_PREFORMATTED + 1 }, (_, n) => NUMBER_FORMATS.sv[0]?.format(n) ?? String(n))),
  en: Object.freeze(Array.from({ length: MAX_PREFORMATTED + 1 }, (_, n) => NUMBER_FORMATS.en[0]?.format(n) ?? String(n))),
});

function formatNumber(value: number, locale: Locale, digits: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`cannot format ${value} as a score`);
  }
  if (digits === 0 && Number.isInteger(value) && value >= 0 && value <= MAX_PREFORMATTED) return WHOLE_NUMBERS[locale][value] ?? String(value);
  return (NUMBER_FORMATS[locale][digits] ?? createNumberFormat(locale, digits)).format(value);
}
