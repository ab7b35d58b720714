// What a paper scoring sheet says, in one language: every indicator of the review's pinned rubric with its anchors,
// boxes for the level, N/A where the scale allows it, the evidence sources and room for a note. Pure.
import { indicatorCode } from '../rubrics/rubric-schema.js';
import type { Locale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import type { Review } from '../reviews/review-types.js';

export type SheetIndicator = {
  /** "A1.2". */
  readonly label: string;
  readonly text: string;
  readonly guidance: string | undefined;
  /** Codes of the sources the rubric suggests, e.g. "D, C". */
  readonly suggestedEvidence: string;
  readonly levels: readonly { readonly level: string; readonly anchor: string }[];
  readonly notApplicable: string | undefined;
};

export type SheetSection = { readonly heading: string; readonly indicators: readonly SheetIndicator[] };

export type ScoringSheetModel = {
  readonly locale: Locale;
  readonly title: string;
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly instructions: readonly string[];
  readonly evidenceLegend: string;
  readonly evidenceCodes: readonly string[];
  readonly labels: { readonly sources: string; readonly suggested: string; readonly note: string; readonly page: string };
  readonly footer: string;
  readonly sections: readonly SheetSection[];
  /** The PDF's dates: when the review was created, so the same sheet always has the same bytes. */
  readonly createdAt: string;
};

/** `raterName` undefined gives a sheet with an empty name line, to fill in by hand. */
export function buildScoringSheetModel(review: Review, raterName: string | undefined, locale: Locale): ScoringSheetModel {
  const t = createTranslator(locale);
  const rubric = review.rubric.rubric;
  const visit =
    review.visitStart === undefined
      ? t('common.notSet')
      : review.visitEnd && review.visitEnd !== review.visitStart
        ? `${review.visitStart} – ${review.visitEnd}`
        : review.visitStart;
  return {
    locale,
    title: t('scoringSheet.title'),
    facts: [
      { label: t('reviews.program'), value: `${review.programName} (${review.municipalityName})` },
      { label: t('reviews.kindLabel'), value: t(`reviews.kind.${review.kind}`) },
      { label: t('reviews.visit'), value: visit },
      {
        label: t('reviews.rubric'),
        value: `${rubric.title[locale]}, ${t('scoringSheet.version', { version: review.rubricVersion, hash: review.rubric.contentHash.slice(0, 12) })}`,
      },
      { label: t('scoringSheet.rater'), value: raterName ?? '' },
      { label: t('scoringSheet.reviewId'), value: String(review.id) },
    ],
    instructions: [t('scoringSheet.instructionMark'), t('scoringSheet.instructionEvidence'), t('scoringSheet.instructionEnter')],
    evidenceLegend: rubric.evidence_sources.map((source) => `${source.code} = ${source.label[locale]}`).join(' · '),
    evidenceCodes: rubric.evidence_sources.map((source) => source.code),
    labels: {
      sources: t('scoringSheet.sourcesUsed'),
      suggested: t('scoringSheet.suggested'),
      note: t('scoringSheet.note'),
      page: t('scoringSheet.page'),
    },
    footer: t('scoringSheet.footer', { id: review.id, program: review.programName, rater: raterName ?? '' }),
    sections: rubric.sections.map((section) => ({
      heading: `${section.code} ${section.title[locale]}`,
      indicators: section.indicators.map((indicator, index) => {
        const levels: { level: string; anchor: string }[] = [];
        for (let level = indicator.scale.min; level <= indicator.scale.max; level++) {
          levels.push({ level: String(level), anchor: indicator.scale.anchors[String(level)]?.[locale] ?? '' });
        }
        return {
          label: indicatorCode(section, index),
          text: indicator.text[locale],
          guidance: indicator.guidance?.[locale],
          suggestedEvidence: indicator.evidence.join(', '),
          levels,
          notApplicable: indicator.scale.allow_na ? t('reviews.rate.notApplicable') : undefined,
        };
      }),
    })),
    createdAt: review.createdAt,
  };
}
