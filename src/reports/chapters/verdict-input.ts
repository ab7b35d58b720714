// One program's line on page 1: its level, figures, change and next review, its actions, its judgement and
// recommendations, each as the rest of the report prints it, so page 1 recomputes nothing. Both the full texts (one
// program) and the short ones of the compact table (several programs) are here.
import { isOverdue } from '../../actions/action-status.js';
import type { RecommendationOutcome } from '../../actions/report-part.js';
import { formatList, formatScore } from '../../i18n/format.js';
import { sortRecommendations } from '../../reviews/report-workflow.js';
import { findRoundDate } from '../../reviews/review-rounds.js';
import type { Finding } from '../../reviews/review-types.js';
import { type AppliedCap, formatFigurePercent, levelBands } from '../../reviews/scoring.js';
import { partDecidesLevel, type RubricSection } from '../../rubrics/rubric-schema.js';
import { type Context, formatChange, type ProgramFigures } from './chapter-context.js';
import { findNextReviewDue } from './follow-up.js';

/** What the program's action plans say on the day the report's data describe (actionsAsOf), for page 1. */
export type VerdictActions = {
  /** Open actions due before that day: all of them, and those of the earlier rounds' recommendations (every round's). */
  readonly overdue: number;
  readonly overdueEarlier: number;
  /** Whether the earlier rounds' overdue actions are all of the round right before this one ("från förra granskningen"). */
  readonly overdueEarlierFromPrevious: boolean;
  /** Whether the program had rounds before this one, so the count can be split between them and this one. */
  readonly withEarlierRounds: boolean;
  /** Whether any recommendation of any round has an action at all (else a count of none would mislead). */
  readonly anyAction: boolean;
  /**
   * What the capped level waits for (undefined when it is not capped): the core elements that capped it, in the report's
   * words ("B2.1", "A1.1 och A1.2"), and the recommendation for them (findCappingRecommendation) with its action
   * (undefined: none planned); undefined when the panel wrote none. With a recommendation, the core elements are those
   * of its section.
   */
  readonly capping:
    | {
        readonly numbers: string;
        readonly recommendation: { readonly outcome: RecommendationOutcome | undefined } | undefined;
      }
    | undefined;
};

export type VerdictInput = {
  readonly program: string;
  readonly level: string | undefined;
  /**
   * The cap that set the level, by what set it off, with its reason: "Begränsad: indikatorn B2.1 ”…” fick 1 av 4 (…).
   * En kärnkomponent saknas …", the core elements by number alone when there are several (the summary names each).
   */
  readonly cap: string | undefined;
  /** Each cap that lowered the level, by the core elements that set it off: "Begränsad av kärnkomponent: B2.1 (1 av 4)". */
  readonly capsShort: readonly string[];
  readonly mean: string | undefined;
  /** "34 av 39 bedömda indikatorer på skalans två högsta nivåer": a count, without a percent read as a threshold. */
  readonly topTwo: string | undefined;
  /** "78,8 % av maxpoängen". */
  readonly percent: string;
  /**
   * The signed change in percentage points ("+5", "−3,5"), or undefined for a first review and where the previous
   * review's rubric version computes the overall differently (see `otherVersion`).
   */
  readonly changeFigure: string | undefined;
  /**
   * The change as a sentence: of what, from what and to what; or, across rubric versions that compute the overall
   * differently, that the previous review was scored on the other version, with its level there. Undefined for a first
   * review.
   */
  readonly changeText: string | undefined;
  /** The previous review's level and when it took place ("förra nivån Delvis modelltrohet (2024-03-12)."). */
  readonly previousLevel: string | undefined;
  /** The previous review's rubric version, where its overall is computed differently, so no change is given. */
  readonly otherVersion: string | undefined;
  /**
   * The section that fell most since the last review ("Störst nedgång: B2 Tillgänglighet, −28,75 procentenheter"),
   * saying so when it is in a part reported beside the level; undefined when none fell.
   */
  readonly largestDecline: string | undefined;
  /**
   * The same by the section's code alone, its unit said beside the overall change ("Störst nedgång: A7 −20"), for the
   * compact table: only when the section is in a part that decides the level.
   */
  readonly largestDeclineShort: string | undefined;
  /** The sections holding a core element that capped the level: their recommendations come first. */
  readonly cappingSectionIds: readonly string[];
  /** The last day of the follow-up window, as a table gives dates (2027-12-07). */
  readonly nextDue: string | undefined;
  /** Whether that day is before the day the report's data describe: the next review is overdue. */
  readonly nextDuePassed: boolean;
  /** Undefined when the report has no action plans to read (they are not gathered). */
  readonly actions: VerdictActions | undefined;
  readonly judgement: string | undefined;
  readonly findings: readonly Finding[];
  readonly sections: readonly RubricSection[];
  /** The id of the program's chapter, whose headings page 1 points to ("program/1"). */
  readonly chapterId: string;
};

/** Page 1's line for a program: the level explanation and figures as the summary prints them (level-explanation.ts). */
export function describeVerdictInput(figures: ProgramFigures, ctx: Context, chapterId: string): VerdictInput {
  const { t, locale } = ctx;
  const { data, view, scores, comparison } = figures;
  // The previous overall only where it is computed as this one is: across rubric versions it may be over other sections.
  const previousScores = comparison?.overall ? figures.previousScores : undefined;
  const otherVersion = data.previous && comparison && !comparison.overall ? data.previous.review.rubricVersion : undefined;
  const verdict = view.overall.verdict;
  const rubric = data.latest.review.rubric.rubric;
  const bands = levelBands(rubric);
  const lowering = scores.overall.explanation.caps.filter((cap) => cap.lowered);
  const cappingIds = new Set(lowering.flatMap((cap) => cap.triggers.map((trigger) => trigger.indicatorId)));
  const [setting] = lowering;
  const changeFigure = previousScores ? formatChange(previousScores.overall.percent, scores.overall.percent, locale, bands) : undefined;
  // Beside "no change is given" (another rubric version), a section's fall would read as the change: the trend chapter
  // gives the sections that compare.
  const decline = previousScores && comparison ? findLargestDecline(figures, comparison.sectionIds) : undefined;
  const declineSection = decline && rubric.sections.find((candidate) => candidate.id === decline.sectionId);
  const declinePart = declineSection && rubric.parts.find((part) => part.id === declineSection.kind);
  // A fall in a part reported beside the level is said to be there: beside the overall change it would read as the level's.
  const declineBeside = declinePart !== undefined && !partDecidesLevel(declinePart);
  const declineValue = decline && formatChange(decline.before, decline.now, locale, bands);
  const cappingSectionIds = rubric.sections
    .filter((section) => section.indicators.some((indicator) => cappingIds.has(indicator.id)))
    .map((section) => section.id);
  const nextDue = findNextReviewDue(figures);
  return {
    program: data.program.name,
    level: view.overall.level?.label,
    cap:
      setting &&
      (setting.triggers.length === 1
        ? t('reports.board.cappedBy', { triggers: verdict.capTriggers[0] ?? '', reason: verdict.capReasons[0] ?? '' })
        : t('reports.board.cappedByMany', {
            triggers: formatList(
              setting.triggers.map((trigger) =>
                t('reports.board.capTriggerShort', {
                  number: trigger.number,
                  score: formatScore(trigger.score, locale, 0),
                  max: formatScore(trigger.scaleMax, locale, 0),
                }),
              ),
              locale,
            ),
            reason: verdict.capReasons[0] ?? '',
          })),
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
    // The result page's words, as the summary gives them.
    topTwo: view.overall.verdict.topTwo,
    percent: t('reports.chapter.percentLine', { percent: view.overall.percent }),
    changeFigure,
    changeText:
      previousScores && changeFigure !== undefined
        ? t('reports.board.changeText', {
            change: changeFigure,
            before: formatFigurePercent(previousScores.overall.percent, locale, bands),
            now: formatFigurePercent(scores.overall.percent, locale, bands),
          })
        : data.previous && figures.previousScores && otherVersion !== undefined
          ? t('reports.board.otherVersion', {
              date: findRoundDate(data.previous.review),
              version: otherVersion,
              now: data.latest.review.rubricVersion,
              level: figures.previousScores.overall.level?.label[locale] ?? t('reports.board.noLevel'),
            })
          : undefined,
    previousLevel:
      previousScores && data.previous
        ? t('reports.board.previousLevel', {
            level: previousScores.overall.level?.label[locale] ?? t('reports.board.noLevel'),
            // The round's date as the app gives it (its visit), never its finalisation: a round imported from paper is
            // finalised on the day of the import.
            date: findRoundDate(data.previous.review),
          })
        : undefined,
    otherVersion,
    largestDecline:
      decline &&
      t(declineBeside ? 'reports.board.largestDeclineBeside' : 'reports.board.largestDecline', {
        section: declineSection ? `${declineSection.code} ${declineSection.title[locale]}` : decline.sectionId,
        value: declineValue ?? '',
        part: declinePart ? lowerFirst(declinePart.title[locale]) : '',
      }),
    // The compact table has no room to say that a fall is beside the level, so it names only a fall in a deciding part.
    largestDeclineShort:
      decline && !declineBeside
        ? t('reports.board.largestDeclineShort', { code: declineSection?.code ?? decline.sectionId, value: declineValue ?? '' })
        : undefined,
    cappingSectionIds,
    nextDue,
    nextDuePassed: nextDue !== undefined && nextDue < ctx.actionsAsOf,
    actions: describeActions(figures, lowering, ctx),
    judgement: data.latest.judgement?.text,
    findings: data.latest.findings,
    sections: rubric.sections,
    chapterId,
  };
}

/** "Överenskommelsens sex områden" inside a sentence; an English title's leading "The" too. */
const lowerFirst = (text: string) => text.charAt(0).toLocaleLowerCase() + text.slice(1);

/**
 * The recommendation the capped level waits for: the most important one (by priority, then the rubric's order) of a
 * section holding a core element that capped the level. Page 1 lists it first and says what became of its action.
 */
export function findCappingRecommendation(
  findings: readonly Finding[],
  sections: readonly RubricSection[],
  cappingSectionIds: readonly string[],
): Finding | undefined {
  return sortRecommendations(
    findings,
    sections.map((section) => section.id),
  ).find((finding) => cappingSectionIds.includes(finding.sectionId));
}

function describeActions(figures: ProgramFigures, lowering: readonly AppliedCap[], ctx: Context): VerdictActions | undefined {
  const work = figures.data.programWork;
  if (!work) return undefined;
  const overdueOf = (items: readonly RecommendationOutcome[]) =>
    items.filter((item) => item.status !== undefined && isOverdue({ status: item.status, dueOn: item.dueOn }, ctx.actionsAsOf)).length;
  // Every earlier round, as the action plan page lists the overdue actions of every round: a round between (imported,
  // with no plan) must not hide those of the round before it. "From the previous review" is the chapter's last round
  // (the latest with the same rubric), which need not be the latest earlier round.
  const earlierOverdue = work.earlierRounds.map((round) => ({ reviewId: round.reviewId, count: overdueOf(round.recommendations) }));
  const overdueEarlier = earlierOverdue.reduce((total, round) => total + round.count, 0);
  const fromLastRound = earlierOverdue
    .filter((round) => round.reviewId === work.lastRound?.reviewId)
    .reduce((total, round) => total + round.count, 0);
  const plan = overdueOf(work.actionPlan.recommendations);
  const { sections } = figures.data.latest.review.rubric.rubric;
  const triggers = lowering.flatMap((cap) => cap.triggers);
  const sectionOf = (indicatorId: string) =>
    sections.find((section) => section.indicators.some((indicator) => indicator.id === indicatorId));
  const capping = findCappingRecommendation(
    figures.data.latest.findings,
    sections,
    sections.filter((section) => triggers.some((trigger) => sectionOf(trigger.indicatorId) === section)).map((section) => section.id),
  );
  /** The core elements that capped the level, those of one section when it is given. */
  const numbers = (sectionId: string | undefined) =>
    formatList(
      [
        ...new Set(
          triggers
            .filter((trigger) => sectionId === undefined || sectionOf(trigger.indicatorId)?.id === sectionId)
            .map((trigger) => trigger.number),
        ),
      ],
      ctx.locale,
    );
  return {
    overdue: overdueEarlier + plan,
    overdueEarlier,
    overdueEarlierFromPrevious: overdueEarlier === fromLastRound,
    withEarlierRounds: work.earlierRounds.length > 0,
    anyAction: [...work.earlierRounds.flatMap((round) => round.recommendations), ...work.actionPlan.recommendations].some(
      (item) => item.status !== undefined,
    ),
    capping:
      triggers.length === 0
        ? undefined
        : capping === undefined
          ? { numbers: numbers(undefined), recommendation: undefined }
          : {
              numbers: numbers(capping.sectionId),
              recommendation: {
                outcome: work.actionPlan.recommendations.find(
                  (item) => item.sectionId === capping.sectionId && item.position === capping.position && item.status !== undefined,
                ),
              },
            },
  };
}

type Decline = { readonly sectionId: string; readonly before: number; readonly now: number };

/** The section that fell most since the last review, of those `comparable` with it, or undefined when none fell. */
function findLargestDecline({ scores, previousScores }: ProgramFigures, comparable: ReadonlySet<string>): Decline | undefined {
  if (!previousScores) return undefined;
  let worst: Decline | undefined;
  for (const section of scores.sections) {
    if (!comparable.has(section.sectionId)) continue;
    const before = previousScores.sections.find((candidate) => candidate.sectionId === section.sectionId)?.percent ?? null;
    if (before === null || section.percent === null || section.percent >= before) continue;
    if (worst === undefined || section.percent - before < worst.now - worst.before)
      worst = { sectionId: section.sectionId, before, now: section.percent };
  }
  return worst;
}
