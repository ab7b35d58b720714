// Page 1's verdict: per program the level, figures, change and next review, the panel's judgement and the three
// most important recommendations. Built from the figures the rest of the report prints, so nothing is recomputed.
import { MISSING } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import { ownerKey, sortRecommendations } from '../../reviews/report-workflow.js';
import type { Finding } from '../../reviews/review-types.js';
import { levelBands } from '../../reviews/scoring.js';
import type { RubricSection } from '../../rubrics/rubric-schema.js';
import { cell, freeText, freeTextLang, p } from '../report-cells.js';
import type { Block, TableCell } from '../report-model-types.js';
import { type Context, formatChange, type ProgramFigures } from './chapter-context.js';
import { findNextReviewDue } from './follow-up.js';

/** One program's line on page 1, its figures as the rest of the report prints them. */
export type VerdictInput = {
  readonly program: string;
  readonly level: string | undefined;
  /** Each cap that lowered the level, with its reason. */
  readonly caps: readonly string[];
  readonly mean: string | undefined;
  readonly topTwo: string | undefined;
  readonly percent: string;
  /** "+5 procentenheter", or undefined for a first review. */
  readonly change: string | undefined;
  /** The section that fell most since the last review ("B2 Tillgänglighet: −28,75 procentenheter"), if any fell. */
  readonly largestDecline: string | undefined;
  /** The sections holding a core element that capped the level: their recommendations come first. */
  readonly cappingSectionIds: readonly string[];
  /** The last day of the follow-up window, as a table gives dates (2027-12-07). */
  readonly nextDue: string | undefined;
  readonly judgement: string | undefined;
  readonly findings: readonly Finding[];
  readonly sections: readonly RubricSection[];
};

const lowerFirst = (text: string, locale: Locale) => text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);

/** "Skriv ner rutinen (A2; prioritet hög; ansvarig: utföraren av stödet)". */
function describeRecommendation(finding: Finding, sections: readonly RubricSection[], { t, locale }: Context): string {
  const code = sections.find((s) => s.id === finding.sectionId)?.code ?? finding.sectionId;
  return t('reports.board.recommendationLine', {
    text: finding.text,
    code,
    priority: lowerFirst(t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`), locale),
    owner: lowerFirst(t(ownerKey(finding.owner)), locale),
  });
}

/** How many recommendations to the board and social services page 1 lists beyond the three most important. */
const BOARD_ITEMS = 3;

/**
 * The three most important recommendations, by priority and the rubric's order, except that the first place goes to
 * the most important one of a section whose core element capped the level (what the level waits for), if any.
 */
function pickTopRecommendations(program: VerdictInput): Finding[] {
  const sorted = sortRecommendations(
    program.findings,
    program.sections.map((s) => s.id),
  );
  const capping = sorted.find((finding) => program.cappingSectionIds.includes(finding.sectionId));
  return (capping ? [capping, ...sorted.filter((finding) => finding !== capping)] : sorted).slice(0, 3);
}

/** Page 1: the result table and, per program, the judgement and the three highest-priority recommendations. */
export function buildVerdictBlocks(programs: readonly VerdictInput[], ctx: Context): Block[] {
  const { t } = ctx;
  const several = programs.length > 1;
  const blocks: Block[] = [
    // A bookmark, so page 1's verdict can be reached like any chapter (the contents, which it precedes, do not list it).
    { type: 'heading', level: 2, text: t('reports.board.verdictHeading'), id: 'cover/verdict', outline: true },
    {
      type: 'table',
      caption: t('reports.board.verdictCaption'),
      columns: [
        // The level's column is the widest: a capped level carries its reason, the longest text of the table.
        { header: t('reports.board.program'), share: 0.16, align: 'left' },
        { header: t('reports.board.level'), share: 0.32, align: 'left' },
        { header: t('reports.board.figures'), share: 0.22, align: 'left' },
        { header: t('reports.board.change'), share: 0.16, align: 'right' },
        { header: t('reports.board.nextDue'), share: 0.14, align: 'left' },
      ],
      rows: programs.map((program): TableCell[] => [
        cell(program.program, 'strong'),
        [p(program.level ?? t('reports.board.noLevel'), 'strong'), ...program.caps.map((cap) => p(cap, 'small'))],
        [
          ...(program.mean !== undefined ? [p(program.mean)] : []),
          ...(program.topTwo !== undefined ? [p(program.topTwo, 'small')] : []),
          p(program.percent, 'small'),
        ],
        program.change === undefined
          ? cell(t('reports.board.noPrevious'), 'muted')
          : [p(program.change), ...(program.largestDecline ? [p(program.largestDecline, 'small')] : [])],
        cell(program.nextDue ? t('reports.board.nextDueValue', { date: program.nextDue }) : MISSING),
      ]),
      rowHeaders: true,
      columnHeaders: true,
    },
  ];
  programs.forEach((program, index) => {
    blocks.push(
      {
        type: 'heading',
        level: 3,
        text: several ? t('reports.board.judgementOf', { program: program.program }) : t('reports.board.judgementHeading'),
        id: `cover/verdict/${index}/judgement`,
        outline: false,
      },
      {
        type: 'paragraph',
        paragraph: program.judgement ? freeText(program.judgement, ctx.locale) : p(t('reports.board.noJudgement'), 'muted'),
      },
      {
        type: 'heading',
        level: 3,
        text: several ? t('reports.board.topOf', { program: program.program }) : t('reports.board.topHeading'),
        id: `cover/verdict/${index}/top`,
        outline: false,
      },
    );
    const top = pickTopRecommendations(program);
    blocks.push(
      top.length > 0
        ? {
            type: 'list',
            items: top.map((finding) => describeRecommendation(finding, program.sections, ctx)),
            // Each line is the panel's text in a short frame of the report's words: marked as the panel's language.
            lang: freeTextLang(
              top.map((finding) => finding.text),
              ctx.locale,
            ),
          }
        : { type: 'paragraph', paragraph: p(t('reports.board.noRecommendations'), 'muted') },
    );
    // The report's readers include the social-services board: what is asked of it and of its administration is said
    // on page 1, even when the panel ranked other things higher.
    const forBoard = sortRecommendations(
      program.findings.filter((finding) => finding.owner === 'board' || finding.owner === 'social_services'),
      program.sections.map((s) => s.id),
    ).filter((finding) => !top.includes(finding));
    if (forBoard.length > 0) {
      blocks.push(
        {
          type: 'heading',
          level: 3,
          text: t('reports.board.forBoardHeading'),
          id: `cover/verdict/${index}/board`,
          outline: false,
        },
        {
          type: 'list',
          items: forBoard.slice(0, BOARD_ITEMS).map((finding) => describeRecommendation(finding, program.sections, ctx)),
          lang: freeTextLang(
            forBoard.slice(0, BOARD_ITEMS).map((finding) => finding.text),
            ctx.locale,
          ),
        },
      );
      if (forBoard.length > BOARD_ITEMS) {
        blocks.push({
          type: 'paragraph',
          paragraph: p(t('reports.board.forBoardMore', { count: forBoard.length - BOARD_ITEMS }), 'muted'),
        });
      }
    }
  });
  return blocks;
}

/** Page 1's line for a program: the level explanation and figures as the summary prints them (level-explanation.ts). */
export function describeVerdictInput(figures: ProgramFigures, ctx: Context): VerdictInput {
  const { t, locale } = ctx;
  const { data, view, scores, previousScores } = figures;
  const verdict = view.overall.verdict;
  const rubric = data.latest.review.rubric.rubric;
  const cappingIds = new Set(
    scores.overall.explanation.caps.filter((cap) => cap.lowered).flatMap((cap) => cap.triggers.map((trigger) => trigger.indicatorId)),
  );
  return {
    program: data.program.name,
    level: view.overall.level?.label,
    caps: verdict.caps.map((cap, i) => `${cap} ${verdict.capReasons[i] ?? ''}`.trim()),
    mean: verdict.meanOnScale,
    topTwo: verdict.topTwo,
    percent: t('reports.chapter.percentLine', { percent: view.overall.percent }),
    change: previousScores
      ? t('reports.board.changeValue', {
          value: formatChange(previousScores.overall.percent, scores.overall.percent, locale, levelBands(rubric)),
        })
      : undefined,
    largestDecline: previousScores ? describeLargestDecline(figures, ctx) : undefined,
    cappingSectionIds: rubric.sections
      .filter((section) => section.indicators.some((indicator) => cappingIds.has(indicator.id)))
      .map((section) => section.id),
    nextDue: findNextReviewDue(figures),
    judgement: data.latest.judgement?.text,
    findings: data.latest.findings,
    sections: rubric.sections,
  };
}

/** "Störst nedgång: B2 Tillgänglighet, −28,75 procentenheter", or undefined when no section fell. */
function describeLargestDecline(figures: ProgramFigures, ctx: Context): string | undefined {
  const { t, locale } = ctx;
  const { scores, previousScores } = figures;
  const rubric = figures.data.latest.review.rubric.rubric;
  if (!previousScores) return undefined;
  let worst: { readonly sectionId: string; readonly before: number; readonly now: number } | undefined;
  for (const section of scores.sections) {
    const before = previousScores.sections.find((candidate) => candidate.sectionId === section.sectionId)?.percent ?? null;
    if (before === null || section.percent === null || section.percent >= before) continue;
    if (worst === undefined || section.percent - before < worst.now - worst.before)
      worst = { sectionId: section.sectionId, before, now: section.percent };
  }
  if (worst === undefined) return undefined;
  const { sectionId, before, now } = worst;
  const section = rubric.sections.find((candidate) => candidate.id === sectionId);
  return t('reports.board.largestDecline', {
    section: section ? `${section.code} ${section.title[locale]}` : sectionId,
    value: formatChange(before, now, locale, levelBands(rubric)),
  });
}
