// The fidelity level in words: what decided it (the figure and its band), any cap with its reason, the parts
// reported beside it, and the headline figures (the mean on the scale first, the percent of maximum second).
// Shared by the result page, the gap view and the report, so all three say the same. Pure.
import { formatLevel, formatPercent, formatScore, formatThresholdPercent } from '../i18n/format.js';
import { createTranslator } from '../i18n/messages.js';
import type { Locale } from '../i18n/locale.js';
import { partDecidesLevel, type Rubric } from '../rubrics/rubric-schema.js';
import { formatFigurePercent, formatFigureScore, levelBands, meanBands, type ReviewScores } from './scoring.js';

export type VerdictText = {
  /** "Delvis modelltrohet", or undefined when there is no level. */
  readonly level: string | undefined;
  /** "Nivån avgörs av …: medelvärde 2,83 (skala 1–4), 70,9 % av maxpoängen, inom bandet 50 %–under 75 % för …". */
  readonly basis: string | undefined;
  /** One sentence per cap that lowered the level: "Nivån begränsas till Delvis modelltrohet: A1.3 fick 1 av 4." */
  readonly caps: readonly string[];
  /** The reasons the rubric gives for those caps. */
  readonly capReasons: readonly string[];
  /** One sentence per part reported beside the level. */
  readonly beside: readonly string[];
  /** "medelvärde 2,83 (skala 1–4)", when the deciding sections share one scale. */
  readonly meanOnScale: string | undefined;
  /** "40 av 48 bedömda indikatorer på de två högsta nivåerna (83 %)". */
  readonly topTwo: string | undefined;
  /** The percent of maximum as shown ("70,9 %"). */
  readonly percent: string;
  /** Where the floor of the percent is not 0: "… på en skala 1–4 är den lägsta möjliga andelen 25 %". */
  readonly percentNote: string | undefined;
};

export function describeVerdict(rubric: Rubric, scores: ReviewScores, locale: Locale): VerdictText {
  const t = createTranslator(locale);
  const { overall } = scores;
  const { explanation } = overall;
  const bands = levelBands(rubric);
  const percent = formatFigurePercent(overall.percent, locale, bands);
  const hasMean = overall.mean !== null && overall.minScore !== null && overall.maxScore !== null;
  const meanOnScale =
    overall.mean !== null && overall.minScore !== null && overall.maxScore !== null
      ? t('reviews.result.verdict.meanOnScale', {
          mean: formatFigureScore(overall.mean, locale, 2, meanBands(rubric, overall.maxScore)),
          min: formatScore(overall.minScore, locale, 0),
          max: formatScore(overall.maxScore, locale, 0),
        })
      : undefined;
  const decidingTitles = rubric.parts.filter((part) => explanation.decidingPartIds.includes(part.id)).map((part) => part.title[locale]);
  const band = explanation.bandLevel;
  const basis =
    band === undefined || overall.percent === null
      ? undefined
      : t('reviews.result.verdict.decidedBy', {
          parts: decidingTitles.reduce(
            (all, title) => (all === '' ? title : t('reviews.result.verdict.and', { first: all, second: title })),
            '',
          ),
          figure: [meanOnScale, t('reviews.result.verdict.ofMaximum', { percent })].filter((x) => x !== undefined).join(', '),
          band:
            explanation.bandTo === null
              ? t('reviews.result.verdict.bandFrom', { from: formatThresholdPercent(explanation.bandFrom ?? 0, locale) })
              : t('reviews.result.verdict.bandBetween', {
                  from: formatThresholdPercent(explanation.bandFrom ?? 0, locale),
                  to: formatThresholdPercent(explanation.bandTo, locale),
                }),
          level: formatLevel(band, locale),
        });
  const lowering = explanation.caps.filter((cap) => cap.lowered);
  const caps = lowering.map((applied) =>
    t('reviews.result.verdict.capped', {
      level: formatLevel(applied.maxLevel, locale),
      triggers: applied.triggers
        .map((trigger) =>
          t('reviews.result.verdict.capTrigger', {
            number: trigger.number,
            score: formatScore(trigger.score, locale, 0),
            max: formatScore(trigger.scaleMax, locale, 0),
          }),
        )
        .join(', '),
    }),
  );
  const beside = rubric.parts
    .filter((part) => !partDecidesLevel(part))
    .map((part) => t('reviews.result.verdict.beside', { title: (part.reported_as ?? part.title)[locale] }));
  const { count, rated } = overall.topTwo;
  const floor =
    hasMean && overall.minScore !== null && overall.maxScore !== null && overall.maxScore > 0
      ? (overall.minScore * 100) / overall.maxScore
      : null;
  return {
    level: overall.level?.label[locale],
    basis,
    caps,
    capReasons: lowering.map((applied) => applied.cap.reason[locale]),
    beside,
    meanOnScale,
    topTwo:
      rated === 0
        ? undefined
        : t('reviews.result.verdict.topTwo', { count, rated, share: formatPercent((count * 100) / rated, locale, 0) }),
    percent,
    percentNote:
      floor === null || floor <= 0 || overall.minScore === null || overall.maxScore === null
        ? undefined
        : t('reviews.result.verdict.percentNote', {
            min: formatScore(overall.minScore, locale, 0),
            max: formatScore(overall.maxScore, locale, 0),
            floor: formatThresholdPercent(floor, locale),
          }),
  };
}
