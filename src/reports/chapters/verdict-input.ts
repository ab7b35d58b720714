// One program's line on page 1: its level, figures, change and next review, its judgement and recommendations, each as
// the rest of the report prints it, so page 1 recomputes nothing. Both the full texts (one program) and the short ones
// of the compact table (several programs) are here.
import { formatScore } from '../../i18n/format.js';
import type { Finding } from '../../reviews/review-types.js';
import { levelBands } from '../../reviews/scoring.js';
import type { RubricSection } from '../../rubrics/rubric-schema.js';
import { type Context, formatChange, type ProgramFigures } from './chapter-context.js';
import { findNextReviewDue } from './follow-up.js';

export type VerdictInput = {
  readonly program: string;
  readonly level: string | undefined;
  /** Each cap that lowered the level, with its reason. */
  readonly caps: readonly string[];
  /** Each cap that lowered the level, by the core elements that set it off: "Begränsad av kärnkomponent: B2.1 (1 av 4)". */
  readonly capsShort: readonly string[];
  readonly mean: string | undefined;
  readonly topTwo: string | undefined;
  readonly percent: string;
  /** The signed change in percentage points ("+5", "−3,5"), or undefined for a first review. */
  readonly changeFigure: string | undefined;
  /** The section that fell most since the last review ("B2 Tillgänglighet: −28,75 procentenheter"), if any fell. */
  readonly largestDecline: string | undefined;
  /** The same by the section's code alone, its unit said beside the overall change ("Störst nedgång: B2 −28,75"). */
  readonly largestDeclineShort: string | undefined;
  /** The sections holding a core element that capped the level: their recommendations come first. */
  readonly cappingSectionIds: readonly string[];
  /** The last day of the follow-up window, as a table gives dates (2027-12-07). */
  readonly nextDue: string | undefined;
  readonly judgement: string | undefined;
  readonly findings: readonly Finding[];
  readonly sections: readonly RubricSection[];
};

/** Page 1's line for a program: the level explanation and figures as the summary prints them (level-explanation.ts). */
export function describeVerdictInput(figures: ProgramFigures, ctx: Context): VerdictInput {
  const { t, locale } = ctx;
  const { data, view, scores, previousScores } = figures;
  const verdict = view.overall.verdict;
  const rubric = data.latest.review.rubric.rubric;
  const lowering = scores.overall.explanation.caps.filter((cap) => cap.lowered);
  const cappingIds = new Set(lowering.flatMap((cap) => cap.triggers.map((trigger) => trigger.indicatorId)));
  const changeFigure = previousScores
    ? formatChange(previousScores.overall.percent, scores.overall.percent, locale, levelBands(rubric))
    : undefined;
  const decline = previousScores ? findLargestDecline(figures) : undefined;
  const declineSection = decline && rubric.sections.find((candidate) => candidate.id === decline.sectionId);
  const declineValue = decline && formatChange(decline.before, decline.now, locale, levelBands(rubric));
  return {
    program: data.program.name,
    level: view.overall.level?.label,
    caps: verdict.caps.map((cap, i) => `${cap} ${verdict.capReasons[i] ?? ''}`.trim()),
    capsShort: lowering.map((cap) =>
      t('reports.board.capShort', {
        triggers: cap.triggers
          .map((trigger) =>
            t('reports.board.capTriggerShort', {
              number: trigger.number,
              score: formatScore(trigger.score, locale, 0),
              max: formatScore(trigger.scaleMax, locale, 0),
            }),
          )
          .join(', '),
      }),
    ),
    mean: verdict.meanOnScale,
    topTwo: verdict.topTwo,
    percent: t('reports.chapter.percentLine', { percent: view.overall.percent }),
    changeFigure,
    largestDecline:
      decline &&
      t('reports.board.largestDecline', {
        section: declineSection ? `${declineSection.code} ${declineSection.title[locale]}` : decline.sectionId,
        value: declineValue ?? '',
      }),
    largestDeclineShort:
      decline && t('reports.board.largestDeclineShort', { code: declineSection?.code ?? decline.sectionId, value: declineValue ?? '' }),
    cappingSectionIds: rubric.sections
      .filter((section) => section.indicators.some((indicator) => cappingIds.has(indicator.id)))
      .map((section) => section.id),
    nextDue: findNextReviewDue(figures),
    judgement: data.latest.judgement?.text,
    findings: data.latest.findings,
    sections: rubric.sections,
  };
}

type Decline = { readonly sectionId: string; readonly before: number; readonly now: number };

/** The section that fell most since the last review, or undefined when none fell. */
function findLargestDecline({ scores, previousScores }: ProgramFigures): Decline | undefined {
  if (!previousScores) return undefined;
  let worst: Decline | undefined;
  for (const section of scores.sections) {
    const before = previousScores.sections.find((candidate) => candidate.sectionId === section.sectionId)?.percent ?? null;
    if (before === null || section.percent === null || section.percent >= before) continue;
    if (worst === undefined || section.percent - before < worst.now - worst.before)
      worst = { sectionId: section.sectionId, before, now: section.percent };
  }
  return worst;
}
