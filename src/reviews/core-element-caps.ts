// What a core element (an indicator with `critical: true`) does to the fidelity level, in words read from the rubric's
// caps as scoring.ts applies them (capThreshold, capMinCount): "poäng 1 begränsar nivån till högst Delvis
// modelltrohet" for one indicator on its scale, or the rules in general for the section list. Built in the route, so
// the pages print it once and escape it once.
import type { Translate } from '../i18n/messages.js';
import type { Locale } from '../i18n/locale.js';
import { capMinCount, capThreshold, type Rubric, type RubricScale } from '../rubrics/rubric-schema.js';

/** The rubric's caps in words, joined with "; ": for an indicator on `scale`, or in general without one; '' without caps. */
export function describeCoreCaps(rubric: Rubric, t: Translate, locale: Locale, scale?: RubricScale): string {
  const levelOf = (id: string) => rubric.fidelity_levels.find((level) => level.id === id)?.label[locale] ?? id;
  return (rubric.caps ?? [])
    .flatMap((cap) => {
      // A threshold written as a score; undefined when it is each indicator's own scale minimum.
      const fixed = cap.when !== 'critical_at_min' && cap.when.critical_at_or_below !== 'min' ? cap.when.critical_at_or_below : undefined;
      const count = capMinCount(cap);
      const level = levelOf(cap.max_level);
      const threshold = scale === undefined ? undefined : capThreshold(cap, scale);
      // A threshold below this indicator's scale never counts it.
      if (scale !== undefined && threshold !== undefined && threshold < scale.min) return [];
      if (count > 1) {
        return [
          fixed === undefined
            ? t('reviews.consensus.core.manyAtMin', { count, level })
            : t('reviews.consensus.core.manyAtOrBelow', { count, score: fixed, level }),
        ];
      }
      if (scale !== undefined && threshold !== undefined) {
        return [
          threshold === scale.min
            ? t('reviews.consensus.core.scoreAtMin', { score: threshold, level })
            : t('reviews.consensus.core.scoreAtOrBelow', { score: threshold, level }),
        ];
      }
      return [
        fixed === undefined
          ? t('reviews.consensus.core.oneAtMin', { level })
          : t('reviews.consensus.core.oneAtOrBelow', { score: fixed, level }),
      ];
    })
    .join('; ');
}
