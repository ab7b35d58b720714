// What became of the scores behind last round's recommendations: for each one, the panel's consensus then (the round
// that gave it) and now (the report's round). A recommendation belongs to a section, not to an indicator, so it is
// tied to an indicator only when its text names exactly one of its section's indicators, by number ("B6.5") or by the
// indicator's statement (which recommendations often quote); otherwise its section's mean stands for it. The action
// plan stores no target score, so the report compares with the top of the scale. Pure.
import { meanBands, type ReviewScores } from '../reviews/scoring.js';
import type { RubricComparison } from '../rubrics/rubric-comparison.js';
import { indicatorCode, type RubricIndicator, type RubricSection } from '../rubrics/rubric-schema.js';
import type { ReviewRecord } from './report-data.js';

/** The consensus scores then and now of what a recommendation is about, and the scale they are on. */
export type ScoreProgress = {
  /** An indicator's score, or its section's mean when the recommendation names no single indicator. */
  readonly kind: 'indicator' | 'sectionMean';
  /** The indicator's number ("A1.1") or the section's code ("A5"). */
  readonly label: string;
  /** Null where there was no score (not applicable, not rated, or too few rated for a section mean). */
  readonly before: number | null;
  readonly now: number | null;
  readonly scaleMin: number;
  readonly scaleMax: number;
  /** A section mean's level thresholds on its scale, so it is rounded as the section's own figure is (meanBands). */
  readonly bands: readonly number[];
};

/** The two rounds: `previous` gave the recommendations, `latest` is the report's. */
export type ScoreRounds = {
  readonly previous: ReviewRecord;
  readonly latest: ReviewRecord;
  readonly previousScores: ReviewScores;
  readonly scores: ReviewScores;
  /** What of `previous`'s scores compare with `latest`'s: on another rubric version, not every indicator or section. */
  readonly comparison: RubricComparison;
};

/** How a recommendation is compared with the scale's top: reached, not reached, or no score this round. */
export type TopScoreOutcome = 'reached' | 'notReached' | 'noScore';

/** Lower case with single spaces and no final full stop, so a quoted statement is found however it was typed. */
const normalise = (text: string) =>
  text
    .toLocaleLowerCase('sv')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?]$/, '');

/** Whether `text` names `number` ("A1.1") as a whole: not inside "A1.10" or "XA1.1". */
function namesNumber(text: string, number: string): boolean {
  const escaped = number.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}.])${escaped}(?![\\p{N}]|\\.\\p{N})`, 'u').test(text);
}

/** The one indicator of the section that a recommendation names by number or statement, if exactly one. */
export function findNamedIndicator(
  section: RubricSection,
  text: string,
): { readonly indicator: RubricIndicator; readonly number: string } | undefined {
  const said = normalise(text);
  const named = section.indicators.flatMap((indicator, index) => {
    const number = indicatorCode(section, index);
    const statements = [indicator.text.sv, indicator.text.en].map(normalise).filter((statement) => statement !== '');
    return namesNumber(text, number) || statements.some((statement) => said.includes(statement)) ? [{ indicator, number }] : [];
  });
  return named.length === 1 ? named[0] : undefined;
}

const consensusOf = (record: ReviewRecord, indicatorId: string): number | null =>
  record.consensus.find((rating) => rating.indicatorId === indicatorId)?.score ?? null;

/**
 * The scores of a recommendation of `rounds.previous`: its indicator's, or its section's mean. Undefined when there is
 * nothing to compare (its section has gone from the rubric, or mixes scales so has no mean).
 */
export function findScoreProgress(
  recommendation: { readonly sectionId: string; readonly text: string },
  rounds: ScoreRounds,
): ScoreProgress | undefined {
  const section = rounds.previous.review.rubric.rubric.sections.find((candidate) => candidate.id === recommendation.sectionId);
  if (!section) return undefined;
  const named = findNamedIndicator(section, recommendation.text);
  if (named) {
    // The scale of this round's rubric, where the indicator is still in it.
    const current = rounds.latest.review.rubric.rubric.sections
      .flatMap((candidate) => candidate.indicators)
      .find((indicator) => indicator.id === named.indicator.id);
    const scale = (current ?? named.indicator).scale;
    // A score of an indicator a new rubric version changed (its scale, or the crosswalk says it does not continue
    // itself) cannot be set beside this round's; one the new version dropped has no score now anyway.
    const comparable = current === undefined || rounds.comparison.indicatorIds.has(named.indicator.id);
    return {
      kind: 'indicator',
      label: named.number,
      before: comparable ? consensusOf(rounds.previous, named.indicator.id) : null,
      now: current ? consensusOf(rounds.latest, named.indicator.id) : null,
      scaleMin: scale.min,
      scaleMax: scale.max,
      bands: [],
    };
  }
  const before = rounds.previousScores.sections.find((candidate) => candidate.sectionId === section.id);
  const now = rounds.scores.sections.find((candidate) => candidate.sectionId === section.id);
  const scaleMin = now?.minScore ?? before?.minScore ?? null;
  const scaleMax = now?.maxScore ?? before?.maxScore ?? null;
  if (scaleMin === null || scaleMax === null) return undefined;
  // A mean over other indicators (a new rubric version changed the section) or on another scale cannot be set beside it.
  const comparable = rounds.comparison.sectionIds.has(section.id) && before?.minScore === scaleMin && before.maxScore === scaleMax;
  return {
    kind: 'sectionMean',
    label: section.code,
    before: comparable ? (before?.mean ?? null) : null,
    now: now?.mean ?? null,
    scaleMin,
    scaleMax,
    bands: meanBands(rounds.latest.review.rubric.rubric, scaleMax),
  };
}

/** Whether this round's score reached the top of its scale. */
export function compareWithTop(progress: ScoreProgress): TopScoreOutcome {
  if (progress.now === null) return 'noScore';
  // A mean of top scores can carry floating-point noise.
  return progress.now >= progress.scaleMax - 1e-9 ? 'reached' : 'notReached';
}
