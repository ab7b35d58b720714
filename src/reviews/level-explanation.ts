// The fidelity level in words: what decided it (the figure and its band), any cap with its reason, the parts
// reported beside it, and the headline figures (the mean on the scale first, the percent of maximum second).
// Shared by the result page, the gap view and the report, so all three say the same. Pure.
import { formatLevel, formatScore, formatThresholdPercent } from '../i18n/format.js';
import { createTranslator } from '../i18n/messages.js';
import type { Locale } from '../i18n/locale.js';
import { anchorFor, coreElementNumbers, partDecidesLevel, type Rubric } from '../rubrics/rubric-schema.js';
import { formatFigurePercent, formatFigureScore, levelBands, listSectionsShortOfLevel, meanBands, type ReviewScores } from './scoring.js';

export type VerdictText = {
  /** "Delvis modelltrohet", or undefined when there is no level. */
  readonly level: string | undefined;
  /** "Nivån avgörs av …: medelvärde 2,83 (skala 1–4), 70,9 % av maxpoängen, inom bandet 50 %–under 75 % för …". */
  readonly basis: string | undefined;
  /**
   * One sentence per cap that lowered the level, naming each core element that set it off and what its score means:
   * "Nivån begränsas till Delvis modelltrohet: B2.1 ”Antal deltagare per case manager” fick 1 av 4 (fler än 20 per
   * case manager)."
   */
  readonly caps: readonly string[];
  /**
   * The core elements that set off each of those caps, in the words of `caps`: "indikatorn B2.1 ”Antal deltagare per
   * case manager” fick 1 av 4 (fler än 20 per case manager)".
   */
  readonly capTriggers: readonly string[];
  /** Whether a cap lowered the level below the band of the figure: the band's definition then does not describe it. */
  readonly capped: boolean;
  /** The reasons the rubric gives for those caps. */
  readonly capReasons: readonly string[];
  /**
   * One sentence per part reported beside the level; a part holding core elements says that they, and only they,
   * can cap the level.
   */
  readonly beside: readonly string[];
  /** "medelvärde 2,83 (skala 1–4)", when the deciding sections share one scale. */
  readonly meanOnScale: string | undefined;
  /** The same figure where a label already says it is the mean: "2,83 (skala 1–4)". */
  readonly meanCell: string | undefined;
  /**
   * "40 av 48 bedömda indikatorer på skalans två högsta nivåer": a count, with no percent that would be read beside the
   * level as its figure or a threshold (the one percent beside a level is "78,8 % av maxpoängen").
   */
  readonly topTwo: string | undefined;
  /** The percent of maximum as shown ("70,9 %"). */
  readonly percent: string;
  /** Where the floor of the percent is not 0: "… på en skala 1–4 är den lägsta möjliga andelen 25 %". */
  readonly percentNote: string | undefined;
};

const withoutFullStop = (text: string) => text.trim().replace(/\.$/, '');
const lowerFirst = (text: string, locale: Locale) => text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);

/** The titles of the parts that decide the level, joined for a sentence ("Bostad först-principerna"). */
function nameDecidingParts(rubric: Rubric, decidingPartIds: readonly string[], locale: Locale): string {
  const t = createTranslator(locale);
  // Inside the sentence an English title's leading "The" is lowered ("decided by the Housing First principles").
  return rubric.parts
    .filter((part) => decidingPartIds.includes(part.id))
    .map((part) => (locale === 'en' ? part.title.en.replace(/^The /, 'the ') : part.title[locale]))
    .reduce((all, title) => (all === '' ? title : t('reviews.result.verdict.and', { first: all, second: title })), '');
}

/**
 * What a level still waits for, while a section of the parts that decide it is not sufficiently rated (scoring.ts,
 * `sufficient`): "Nivån visas när alla 8 avsnitt i Bostad först-principerna är tillräckligt bedömda: 6 kvar (A3, A4,
 * A5, A6, A7, A8)." Undefined once every one of them is. A level from the sections decided so far would be read as
 * the program's before the panel has reached it, so a preview shows this instead.
 */
export function describeLevelPending(rubric: Rubric, scores: ReviewScores, locale: Locale): string | undefined {
  const short = listSectionsShortOfLevel(scores);
  if (short.length === 0) return undefined;
  const codes = new Map(rubric.sections.map((section) => [section.id, section.code]));
  const { decidingPartIds } = scores.overall.explanation;
  return createTranslator(locale)('reviews.result.verdict.pending', {
    total: scores.sections.filter((section) => decidingPartIds.includes(section.partId)).length,
    parts: nameDecidingParts(rubric, decidingPartIds, locale),
    count: short.length,
    codes: short.map((section) => codes.get(section.sectionId) ?? section.sectionId).join(', '),
  });
}

export function describeVerdict(rubric: Rubric, scores: ReviewScores, locale: Locale): VerdictText {
  const t = createTranslator(locale);
  const { overall } = scores;
  const { explanation } = overall;
  const bands = levelBands(rubric);
  const percent = formatFigurePercent(overall.percent, locale, bands);
  const hasMean = overall.mean !== null && overall.minScore !== null && overall.maxScore !== null;
  const meanParams =
    overall.mean !== null && overall.minScore !== null && overall.maxScore !== null
      ? {
          mean: formatFigureScore(overall.mean, locale, 2, meanBands(rubric, overall.maxScore)),
          min: formatScore(overall.minScore, locale, 0),
          max: formatScore(overall.maxScore, locale, 0),
        }
      : undefined;
  const meanOnScale = meanParams && t('reviews.result.verdict.meanOnScale', meanParams);
  const band = explanation.bandLevel;
  const basis =
    band === undefined || overall.percent === null
      ? undefined
      : t('reviews.result.verdict.decidedBy', {
          parts: nameDecidingParts(rubric, explanation.decidingPartIds, locale),
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
  const indicators = new Map(rubric.sections.flatMap((section) => section.indicators.map((indicator) => [indicator.id, indicator])));
  const capTriggers = lowering.map((applied) =>
    applied.triggers
      .map((trigger) => {
        const indicator = indicators.get(trigger.indicatorId);
        const anchor = indicator ? anchorFor(indicator.scale, trigger.score)?.[locale] : undefined;
        return t(anchor === undefined ? 'reviews.result.verdict.capTrigger' : 'reviews.result.verdict.capTriggerMeaning', {
          number: trigger.number,
          text: indicator ? withoutFullStop(indicator.text[locale]) : trigger.indicatorId,
          score: formatScore(trigger.score, locale, 0),
          max: formatScore(trigger.scaleMax, locale, 0),
          meaning: anchor === undefined ? '' : lowerFirst(withoutFullStop(anchor), locale),
        });
      })
      .join(t('reviews.result.verdict.triggerSeparator')),
  );
  const caps = lowering.map((applied, index) =>
    t('reviews.result.verdict.capped', { level: formatLevel(applied.maxLevel, locale), triggers: capTriggers[index] ?? '' }),
  );
  const beside = rubric.parts
    .filter((part) => !partDecidesLevel(part))
    .map((part) => {
      // The part by its title, the one name the report and the app give it ("Överenskommelsens sex områden").
      const title = part.title[locale];
      const core = coreElementNumbers(
        rubric,
        rubric.sections.filter((section) => section.kind === part.id),
      );
      return core.length === 0
        ? t('reviews.result.verdict.beside', { title })
        : t('reviews.result.verdict.besideWithCore', { title, numbers: core.join(', ') });
    });
  const { count, rated } = overall.topTwo;
  const floor =
    hasMean && overall.minScore !== null && overall.maxScore !== null && overall.maxScore > 0
      ? (overall.minScore * 100) / overall.maxScore
      : null;
  return {
    level: overall.level?.label[locale],
    basis,
    caps,
    capTriggers,
    capped: lowering.length > 0,
    capReasons: lowering.map((applied) => applied.cap.reason[locale]),
    beside,
    meanOnScale,
    meanCell: meanParams && t('reviews.result.meanCell', meanParams),
    topTwo: rated === 0 ? undefined : t('reviews.result.verdict.topTwo', { count, rated }),
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
