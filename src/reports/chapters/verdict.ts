// Page 1's verdict: per program the level, figures, change and next review, the panel's judgement and the three
// most important recommendations. Built from the figures the rest of the report prints, so nothing is recomputed.
import { MISSING } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import { ownerKey, sortRecommendations } from '../../reviews/report-workflow.js';
import type { Finding } from '../../reviews/review-types.js';
import { levelBands } from '../../reviews/scoring.js';
import type { RubricSection } from '../../rubrics/rubric-schema.js';
import { cell, p } from '../report-cells.js';
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
  /** "+5 p.e.", or undefined for a first review. */
  readonly change: string | undefined;
  /** The last date of the follow-up window, formatted. */
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

/** Page 1: the result table and, per program, the judgement and the three highest-priority recommendations. */
export function buildVerdictBlocks(programs: readonly VerdictInput[], ctx: Context): Block[] {
  const { t } = ctx;
  const several = programs.length > 1;
  const blocks: Block[] = [
    { type: 'heading', level: 2, text: t('reports.board.verdictHeading'), id: 'cover/verdict', outline: false },
    {
      type: 'table',
      caption: t('reports.board.verdictCaption'),
      columns: [
        { header: t('reports.board.program'), share: 0.19, align: 'left' },
        { header: t('reports.board.level'), share: 0.25, align: 'left' },
        { header: t('reports.board.figures'), share: 0.22, align: 'left' },
        { header: t('reports.board.change'), share: 0.16, align: 'right' },
        { header: t('reports.board.nextDue'), share: 0.18, align: 'left' },
      ],
      rows: programs.map((program): TableCell[] => [
        cell(program.program, 'strong'),
        [p(program.level ?? t('reports.board.noLevel'), 'strong'), ...program.caps.map((cap) => p(cap, 'small'))],
        [
          ...(program.mean !== undefined ? [p(program.mean)] : []),
          ...(program.topTwo !== undefined ? [p(program.topTwo, 'small')] : []),
          p(program.percent, 'small'),
        ],
        cell(program.change ?? t('reports.board.noPrevious'), program.change ? 'body' : 'muted'),
        cell(program.nextDue ? t('reports.board.nextDueValue', { date: program.nextDue }) : MISSING),
      ]),
      rowHeaders: true,
      columnHeaders: true,
    },
  ];
  for (const program of programs) {
    blocks.push(
      {
        type: 'paragraph',
        paragraph: p(
          several ? t('reports.board.judgementOf', { program: program.program }) : t('reports.board.judgementHeading'),
          'strong',
        ),
      },
      { type: 'paragraph', paragraph: program.judgement ? p(program.judgement) : p(t('reports.board.noJudgement'), 'muted') },
      {
        type: 'paragraph',
        paragraph: p(several ? t('reports.board.topOf', { program: program.program }) : t('reports.board.topHeading'), 'strong'),
      },
    );
    const top = sortRecommendations(
      program.findings,
      program.sections.map((s) => s.id),
    ).slice(0, 3);
    blocks.push(
      top.length > 0
        ? { type: 'list', items: top.map((finding) => describeRecommendation(finding, program.sections, ctx)) }
        : { type: 'paragraph', paragraph: p(t('reports.board.noRecommendations'), 'muted') },
    );
  }
  return blocks;
}

/** Page 1's line for a program: the level explanation and figures as the summary prints them (level-explanation.ts). */
export function describeVerdictInput(figures: ProgramFigures, ctx: Context): VerdictInput {
  const { t, locale } = ctx;
  const { data, view, scores, previousScores } = figures;
  const verdict = view.overall.verdict;
  const rubric = data.latest.review.rubric.rubric;
  return {
    program: data.program.name,
    level: view.overall.level?.label,
    caps: verdict.caps.map((cap, i) => `${cap} ${verdict.capReasons[i] ?? ''}`.trim()),
    mean: verdict.meanOnScale,
    topTwo: verdict.topTwo,
    percent: t('reports.chapter.percentLine', { percent: view.overall.percent }),
    change: previousScores
      ? formatChange(previousScores.overall.percent, scores.overall.percent, t, locale, levelBands(rubric))
      : undefined,
    nextDue: findNextReviewDue(figures, locale),
    judgement: data.latest.judgement?.text,
    findings: data.latest.findings,
    sections: rubric.sections,
  };
}
