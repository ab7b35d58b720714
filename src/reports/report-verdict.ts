// The report's board-document parts: page 1 as the verdict (level, figures, change, next review, the
// panel's judgement and the three most important recommendations per program), the recommendations grouped by owner,
// the evidence base in the method part, and the program's response as an appendix. Pure model builders: report-model.ts
// hands in the figures it has already formatted, so nothing here recomputes a score.
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import {
  groupByOwner,
  type EvidenceBase,
  type FactualCheck,
  INTERVIEW_KINDS,
  ownerKey,
  sortRecommendations,
} from '../reviews/report-workflow.js';
import type { Finding } from '../reviews/review-types.js';
import type { RubricSection } from '../rubrics/rubric-schema.js';
import { cell, p } from './report-cells.js';
import type { Block, Chapter, TableCell } from './report-model.js';

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

type Ctx = { readonly t: Translate; readonly locale: Locale };

const lowerFirst = (text: string, locale: Locale) => text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);

/** "Skriv ner rutinen (A2; prioritet hög; ansvarig: utföraren av stödet)". */
export function describeRecommendation(finding: Finding, sections: readonly RubricSection[], { t, locale }: Ctx): string {
  const code = sections.find((s) => s.id === finding.sectionId)?.code ?? finding.sectionId;
  return t('reports.board.recommendationLine', {
    text: finding.text,
    code,
    priority: lowerFirst(t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`), locale),
    owner: lowerFirst(t(ownerKey(finding.owner)), locale),
  });
}

/** Page 1: the result table and, per program, the judgement and the three highest-priority recommendations. */
export function buildVerdictBlocks(programs: readonly VerdictInput[], ctx: Ctx): Block[] {
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
        cell(program.nextDue ? t('reports.board.nextDueValue', { date: program.nextDue }) : '–'),
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

/** The program's recommendations grouped by owner, each group by priority: after the barriers. */
export function buildRecommendationsByOwner(
  findings: readonly Finding[],
  sections: readonly RubricSection[],
  chapterId: string,
  ctx: Ctx,
): Block[] {
  const { t } = ctx;
  const groups = groupByOwner(
    findings,
    sections.map((s) => s.id),
  );
  if (groups.length === 0) return [];
  const codeOf = (finding: Finding) => sections.find((s) => s.id === finding.sectionId)?.code ?? finding.sectionId;
  return [
    { type: 'heading', level: 2, text: t('reports.board.byOwnerHeading'), id: `${chapterId}/by-owner`, outline: true },
    { type: 'paragraph', paragraph: p(t('reports.board.byOwnerIntro')) },
    ...groups.flatMap((group): Block[] => [
      { type: 'heading', level: 3, text: t(ownerKey(group.owner)), id: `${chapterId}/by-owner/${group.owner ?? 'none'}`, outline: false },
      {
        type: 'table',
        caption: t('reports.board.byOwnerCaption', { owner: t(ownerKey(group.owner)) }),
        columns: [
          { header: t('reports.board.recommendation'), share: 0.66, align: 'left' },
          { header: t('reports.board.priority'), share: 0.18, align: 'left' },
          { header: t('reports.board.section'), share: 0.16, align: 'left' },
        ],
        rows: group.items.map((finding) => [
          cell(finding.text),
          cell(t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`), finding.priority === 'high' ? 'strong' : 'body'),
          cell(codeOf(finding)),
        ]),
        rowHeaders: false,
        columnHeaders: true,
      },
    ]),
  ];
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The evidence base of each program's review, for the method part; and whether a factual check took place. */
export function buildEvidenceBaseBlocks(
  programs: readonly {
    readonly program: string;
    readonly evidence: EvidenceBase | undefined;
    readonly check: FactualCheck | undefined;
    readonly checkDate: string | undefined;
  }[],
  ctx: Ctx,
): Block[] {
  const { t } = ctx;
  const blocks: Block[] = [
    { type: 'heading', level: 2, text: t('reports.board.evidenceBaseHeading'), id: 'method/evidence-base', outline: true },
  ];
  for (const { program, evidence, check, checkDate } of programs) {
    if (programs.length > 1)
      blocks.push({
        type: 'heading',
        level: 3,
        text: t('reports.board.evidenceBaseOf', { program }),
        id: `method/evidence-base/${program}`,
        outline: false,
      });
    if (!evidence) {
      blocks.push({ type: 'paragraph', paragraph: p(t('reports.board.evidenceNotRecorded', { program }), 'muted') });
    } else {
      const counts = Object.fromEntries(INTERVIEW_KINDS.map((kind) => [kind, evidence[kind]]));
      const caseFiles =
        evidence.caseFiles === 0
          ? t('reports.board.caseFilesNone')
          : `${t('reports.board.caseFilesValue', { count: evidence.caseFiles })}${evidence.caseFileAccess ? `, ${t(`reports.board.access.${evidence.caseFileAccess}`)}` : ''}`;
      const listCell = (text: string): TableCell =>
        lines(text).length > 0 ? lines(text).map((line) => p(line)) : cell(t('reports.board.none'), 'muted');
      blocks.push({
        type: 'table',
        caption: t('reports.board.evidenceBaseCaption', { program }),
        columns: [
          { header: t('reports.board.evidenceBaseCaption', { program }), share: 0.28, align: 'left' },
          { header: '', share: 0.72, align: 'left' },
        ],
        rows: [
          [cell(t('reports.board.interviewed'), 'strong'), cell(t('reports.board.interviewedValue', counts))],
          [cell(t('reports.board.caseFiles'), 'strong'), cell(caseFiles)],
          [cell(t('reports.board.documents'), 'strong'), listCell(evidence.documents)],
          [cell(t('reports.board.meetings'), 'strong'), listCell(evidence.meetings)],
          [
            cell(t('reports.board.oralDebrief'), 'strong'),
            cell(t(evidence.oralDebrief ? 'reports.board.oralDebriefYes' : 'reports.board.oralDebriefNo')),
          ],
        ],
        rowHeaders: true,
        columnHeaders: false,
      });
    }
    blocks.push({
      type: 'paragraph',
      paragraph:
        check && checkDate
          ? p(t('reports.board.factualCheckDone', { date: checkDate }))
          : p(t('reports.board.factualCheckNotDone'), 'muted'),
    });
  }
  return blocks;
}

/** The appendix with each program's response to the factual check; undefined when no program was sent a draft. */
export function buildResponseChapter(
  programs: readonly { readonly program: string; readonly check: FactualCheck | undefined }[],
  ctx: Ctx,
): Chapter | undefined {
  const { t } = ctx;
  const checked = programs.filter((entry) => entry.check !== undefined);
  if (checked.length === 0) return undefined;
  const text = (value: string): Block[] =>
    lines(value).length > 0
      ? lines(value).map((line): Block => ({ type: 'paragraph', paragraph: p(line) }))
      : [{ type: 'paragraph', paragraph: p(t('reports.board.noneWritten'), 'muted') }];
  return {
    id: 'response',
    runningTitle: t('reports.board.responseHeading'),
    blocks: [
      { type: 'heading', level: 1, text: t('reports.board.responseHeading'), id: 'response', outline: true },
      { type: 'paragraph', paragraph: p(t('reports.board.responseIntro')) },
      ...checked.flatMap(({ program, check }, index): Block[] => [
        { type: 'heading', level: 2, text: t('reports.board.responseOf', { program }), id: `response/${index + 1}`, outline: true },
        { type: 'heading', level: 3, text: t('reports.board.corrections'), id: `response/${index + 1}/corrections`, outline: false },
        ...text(check?.corrections ?? ''),
        { type: 'heading', level: 3, text: t('reports.board.response'), id: `response/${index + 1}/response`, outline: false },
        ...text(check?.response ?? ''),
        { type: 'heading', level: 3, text: t('reports.board.changes'), id: `response/${index + 1}/changes`, outline: false },
        ...text(check?.changes ?? ''),
      ]),
    ],
  };
}
