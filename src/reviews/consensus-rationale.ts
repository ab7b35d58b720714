// When a consensus decision needs the panel's reasons in writing, and how the rationale's label says so. Three cases
// go beyond what the raters said or weigh on the whole verdict:
// - a score outside the raters' spread (lowest–highest), or any score when no rater gave one;
// - "ej tillämplig" when no rater said so (every rater who rated gave a score, or nobody rated);
// - a core (critical) indicator at a score that counts towards one of the rubric's caps on the fidelity level
//   (at or below the cap's threshold, as scoring.ts counts them), whatever the raters' spread.
import type { MessageKey, Translate } from '../i18n/messages.js';
import {
  capMinCount,
  capThreshold,
  type FidelityLevel,
  type Rubric,
  type RubricCap,
  type RubricIndicator,
} from '../rubrics/rubric-schema.js';
import { isOutsideRatedRange, type RatingSpread } from './rating-spread.js';

type Decision = { readonly score: number | null; readonly notApplicable: boolean };

/** The caps a core indicator's score counts towards, the lowest ceiling first; none for any other indicator. */
function capsCounting(rubric: Rubric, indicator: RubricIndicator, score: number): { cap: RubricCap; level: FidelityLevel }[] {
  if (indicator.critical !== true) return [];
  return (rubric.caps ?? [])
    .filter((cap) => score <= capThreshold(cap, indicator.scale))
    .flatMap((cap) => {
      const level = rubric.fidelity_levels.find((l) => l.id === cap.max_level);
      return level ? [{ cap, level }] : [];
    })
    .sort((a, b) => a.level.min_percent - b.level.min_percent);
}

export type RationaleNeed =
  | { readonly kind: 'outsideSpread' }
  | { readonly kind: 'notApplicable' }
  /** `count`: how many core elements this low the cap needs (1: this one alone caps the level). */
  | { readonly kind: 'core'; readonly score: number; readonly level: FidelityLevel; readonly count: number };

/** Why a decision needs a rationale, or undefined when the raters' own scores support it. */
export function findRationaleNeed(
  rubric: Rubric,
  indicator: RubricIndicator,
  spread: RatingSpread,
  decision: Decision,
): RationaleNeed | undefined {
  if (decision.notApplicable) return spread.naCount === 0 ? { kind: 'notApplicable' } : undefined;
  if (decision.score === null) return undefined;
  // The cap says more than the spread does: it is named even when the score is outside the spread too.
  const caps = capsCounting(rubric, indicator, decision.score);
  const alone = caps.find(({ cap }) => capMinCount(cap) === 1);
  const first = alone ?? caps[0];
  if (first) return { kind: 'core', score: decision.score, level: first.level, count: capMinCount(first.cap) };
  return isOutsideRatedRange(decision.score, spread) ? { kind: 'outsideSpread' } : undefined;
}

/** The message beside a rationale a decision needs and does not have. */
export function describeRationaleNeed(need: RationaleNeed, t: Translate, locale: 'sv' | 'en'): string {
  switch (need.kind) {
    case 'outsideSpread':
      return t('reviews.consensus.rationaleRequired');
    case 'notApplicable':
      return t('reviews.consensus.rationaleRequiredNa');
    case 'core':
      return need.count === 1
        ? t('reviews.consensus.rationaleRequiredCore', { score: need.score, level: need.level.label[locale] })
        : t('reviews.consensus.rationaleRequiredCoreShared', { score: need.score, level: need.level.label[locale], count: need.count });
  }
}

/**
 * When the rationale is required, for its label after "Motivering – ": the spread's rule, then "ej tillämplig" when no
 * rater said so, then a core indicator's scores that cap the level ("och för 1, som begränsar granskningens nivå").
 */
export function describeRationaleRule(rubric: Rubric, indicator: RubricIndicator, spread: RatingSpread, t: Translate): string {
  const parts = [
    spread.min === null || spread.max === null
      ? t('reviews.consensus.rationaleAlwaysRequired')
      : spread.min === spread.max
        ? t('reviews.consensus.rationaleRequiredSameLabel', { score: spread.min })
        : t('reviews.consensus.rationaleRequiredLabel', { min: spread.min, max: spread.max }),
  ];
  if (indicator.scale.allow_na && indicator.required !== true && spread.naCount === 0) {
    parts.push(t('reviews.consensus.rationaleNaClause'));
  }
  const capping: number[] = [];
  let alone = true;
  for (let score = indicator.scale.min; score <= indicator.scale.max; score++) {
    const caps = capsCounting(rubric, indicator, score);
    if (caps.length === 0) continue;
    capping.push(score);
    if (!caps.some(({ cap }) => capMinCount(cap) === 1)) alone = false;
  }
  const [lowest] = capping;
  const highest = capping.at(-1);
  if (lowest !== undefined && highest !== undefined) {
    const scores = lowest === highest ? String(lowest) : `${lowest}–${highest}`;
    const key: MessageKey = alone ? 'reviews.consensus.rationaleCoreClause' : 'reviews.consensus.rationaleCoreSharedClause';
    parts.push(t(key, { scores }));
  }
  return parts.join(', ');
}
