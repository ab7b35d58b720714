// Page 1 below the result table: each program's judgement by the panel and what matters most. One program gets the
// whole judgement, its three most important recommendations and the board's own; several programs share one table,
// cut to what page 1 holds (the rule is at PAGE_ONE_BUDGETS).
import type { Locale } from '../../i18n/locale.js';
import { ownerKey, sortRecommendations } from '../../reviews/report-workflow.js';
import type { Finding } from '../../reviews/review-types.js';
import type { RubricSection } from '../../rubrics/rubric-schema.js';
import { freeText, freeTextLang, mixedParagraph, mixFreeText, p } from '../report-cells.js';
import type { Block, MixedText, Paragraph, TableCell } from '../report-model-types.js';
import type { Context } from './chapter-context.js';
import type { VerdictInput } from './verdict-input.js';

const lowerFirst = (text: string, locale: Locale) => text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);

/** "Skriv ner rutinen (A2; prioritet hög; ansvarig: utföraren av stödet)", with the panel's text as given. */
function describeRecommendation(finding: Finding, text: string, sections: readonly RubricSection[], { t, locale }: Context): string {
  const code = sections.find((s) => s.id === finding.sectionId)?.code ?? finding.sectionId;
  return t('reports.board.recommendationLine', {
    text,
    code,
    priority: lowerFirst(t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`), locale),
    owner: lowerFirst(t(ownerKey(finding.owner)), locale),
  });
}

/**
 * Lines of recommendations as describeRecommendation gives them, the panel's text in each marked with its language
 * (judged over all of them) where it is not the report's: the frame stays in the report's.
 */
function describeRecommendations(findings: readonly Finding[], sections: readonly RubricSection[], ctx: Context): (string | MixedText)[] {
  const lang = freeTextLang(
    findings.map((finding) => finding.text),
    ctx.locale,
  );
  return findings.map((finding) => mixFreeText((slot) => describeRecommendation(finding, slot, sections, ctx), finding.text, lang));
}

/** How many of the most important recommendations page 1 lists per program, and how many more for the board. */
const TOP_ITEMS = 3;
const BOARD_ITEMS = 3;

const isForBoard = (finding: Finding) => finding.owner === 'board' || finding.owner === 'social_services';

/**
 * The program's recommendations, most important first: by priority and the rubric's order, except that the first
 * place goes to the most important one of a section whose core element capped the level (what the level waits for).
 */
function rankRecommendations(program: VerdictInput): Finding[] {
  const sorted = sortRecommendations(
    program.findings,
    program.sections.map((s) => s.id),
  );
  const capping = sorted.find((finding) => program.cappingSectionIds.includes(finding.sectionId));
  return capping ? [capping, ...sorted.filter((finding) => finding !== capping)] : sorted;
}

/**
 * What page 1 holds of the panel's texts when it reports on several programs (one program's page 1 has room for them
 * whole). The result table and, per program, the judgement and what matters most must fit on page 1 for up to three
 * programs, and the panel's texts have no length page 1 could hold three times (a judgement may run to 3,000
 * characters, a recommendation to 1,000). So, per program, in characters:
 * - the judgement is given whole up to `judgement` characters; a longer one is cut after its last whole sentence
 *   within them (after its last whole word when that sentence would leave less than half of them) and marked "…", a
 *   line says that the program's chapter has it whole, and the chapter prints it under a heading of its own in the
 *   contents (judgementOnPageOne decides both);
 * - the recommendations, most important first, are given while their lines as printed (with the section, priority and
 *   owner) together stay within `recommendations` characters, at most three; the most important one always, its text
 *   cut like the judgement when its line alone is longer;
 * - a line says how many more the program's chapter lists (under Rekommendationer efter ansvarig), and how many of
 *   them are for the social-services board or social services.
 * The budgets are for page 1 at its fullest, measured in both languages: every level capped, a section fallen in
 * each program, both budgets used (test/reports/page-one-programs.test.ts). With two programs each gets more room;
 * four or more get the budget of three and may run over page 1.
 */
const PAGE_ONE_BUDGETS = {
  2: { judgement: 360, recommendations: 300 },
  3: { judgement: 130, recommendations: 120 },
} as const;

const budgetFor = (programCount: number) => PAGE_ONE_BUDGETS[programCount <= 2 ? 2 : 3];

/** The number before a recommendation when page 1 gives several ("1. "), counted in their budget. */
const NUMBER_LENGTH = 3;
/** The least of the most important recommendation's text page 1 gives, however long the frame around it. */
const MIN_OPENING = 40;

/** On page 1 of several programs a text is one paragraph: its line breaks would leave lines of a narrow cell empty. */
const flatten = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A text as page 1 gives it: whole, or its opening. */
type PageOneText = { readonly text: string; readonly whole: boolean };

/** The opening of `text` within `budget` characters: whole sentences, or else whole words, marked "…". */
function openingOf(text: string, budget: number): PageOneText {
  const flat = flatten(text);
  if (flat.length <= budget) return { text: flat, whole: true };
  const head = flat.slice(0, budget + 1);
  // After the last whole sentence, unless that leaves less than half the budget: then after the last whole word.
  const sentenceEnd = [...head.matchAll(/[.!?](?= )/g)].at(-1)?.index;
  const cut = sentenceEnd !== undefined && sentenceEnd + 1 >= budget / 2 ? sentenceEnd + 1 : head.lastIndexOf(' ');
  return { text: `${flat.slice(0, cut > 0 ? cut : budget).replace(/[\s,;:–-]+$/, '')} …`, whole: false };
}

/**
 * The judgement as page 1 gives it for a report on `programCount` programs: whole for one program, else within the
 * budget (PAGE_ONE_BUDGETS). Undefined when the panel wrote none. When it is not whole, the program's chapter prints it.
 */
export function judgementOnPageOne(judgement: string | undefined, programCount: number): PageOneText | undefined {
  if (judgement === undefined) return undefined;
  return programCount > 1 ? openingOf(judgement, budgetFor(programCount).judgement) : { text: judgement, whole: true };
}

/** Page 1 below the result table: the judgement and what matters most, for one program or for several. */
export function buildJudgementAndTop(programs: readonly VerdictInput[], ctx: Context): Block[] {
  const [only] = programs;
  if (only === undefined) return [];
  return programs.length === 1 ? buildOneProgram(only, ctx) : buildSeveralPrograms(programs, ctx);
}

/** One program: the whole judgement, the three most important recommendations, then the board's own. */
function buildOneProgram(program: VerdictInput, ctx: Context): Block[] {
  const { t } = ctx;
  const ranked = rankRecommendations(program);
  const top = ranked.slice(0, TOP_ITEMS);
  const blocks: Block[] = [
    { type: 'heading', level: 3, text: t('reports.board.judgementHeading'), id: 'cover/verdict/0/judgement', outline: false },
    {
      type: 'paragraph',
      paragraph: program.judgement ? freeText(program.judgement, ctx.locale) : p(t('reports.board.noJudgement'), 'muted'),
    },
    { type: 'heading', level: 3, text: t('reports.board.topHeading'), id: 'cover/verdict/0/top', outline: false },
    top.length > 0
      ? {
          type: 'list',
          items: describeRecommendations(top, program.sections, ctx),
        }
      : { type: 'paragraph', paragraph: p(t('reports.board.noRecommendations'), 'muted') },
  ];
  // The report's readers include the social-services board: what is asked of it and of its administration is said
  // on page 1, even when the panel ranked other things higher.
  const forBoard = sortRecommendations(
    program.findings.filter(isForBoard),
    program.sections.map((s) => s.id),
  ).filter((finding) => !top.includes(finding));
  if (forBoard.length === 0) return blocks;
  const listed = forBoard.slice(0, BOARD_ITEMS);
  blocks.push(
    { type: 'heading', level: 3, text: t('reports.board.forBoardHeading'), id: 'cover/verdict/0/board', outline: false },
    {
      type: 'list',
      items: describeRecommendations(listed, program.sections, ctx),
    },
  );
  if (forBoard.length > BOARD_ITEMS) {
    blocks.push({
      type: 'paragraph',
      paragraph: p(t('reports.board.forBoardMore', { count: forBoard.length - BOARD_ITEMS }), 'muted'),
    });
  }
  return blocks;
}

/**
 * Several programs: one table, a row per program with its judgement and what matters most, within PAGE_ONE_BUDGETS.
 * No heading of its own: its column headers say what it holds, and the room goes to the panel's texts.
 */
function buildSeveralPrograms(programs: readonly VerdictInput[], ctx: Context): Block[] {
  const { t } = ctx;
  // With no judgement at all, one line says so and the recommendations get the judgement's column.
  const anyJudgement = programs.some((program) => program.judgement !== undefined);
  const blocks: Block[] = anyJudgement
    ? []
    : [
        {
          type: 'paragraph',
          paragraph: p(t('reports.board.noJudgementFor', { programs: programs.map((program) => program.program).join(', ') }), 'muted'),
        },
      ];
  blocks.push({
    type: 'table',
    caption: t('reports.board.judgementAndTopCaption'),
    columns: [
      { header: t('reports.board.program'), share: 0.15, align: 'left' },
      ...(anyJudgement ? [{ header: t('reports.board.judgementHeading'), share: 0.38, align: 'left' } as const] : []),
      { header: t('reports.board.topHeading'), share: anyJudgement ? 0.47 : 0.85, align: 'left' },
    ],
    rows: programs.map((program): TableCell[] => {
      const judgement = judgementOnPageOne(program.judgement, programs.length);
      const judgementCell: TableCell = judgement
        ? [freeText(judgement.text, ctx.locale), ...(judgement.whole ? [] : [p(t('reports.board.judgementContinues'), 'small')])]
        : [p(t('reports.board.noJudgement'), 'muted')];
      return [
        [p(program.program, 'strong')],
        ...(anyJudgement ? [judgementCell] : []),
        describeTopWithinBudget(program, budgetFor(programs.length).recommendations, ctx),
      ];
    }),
    rowHeaders: true,
    columnHeaders: true,
  });
  return blocks;
}

/** A program's most important recommendations within `budget` characters as printed, numbered, and where the rest are. */
function describeTopWithinBudget(program: VerdictInput, budget: number, ctx: Context): TableCell {
  const { t } = ctx;
  const ranked = rankRecommendations(program);
  const [first] = ranked;
  if (first === undefined) return [p(t('reports.board.noRecommendations'), 'muted')];
  // A line as printed: its number ("1. "), the panel's text and its frame (section, priority, owner).
  const frameOf = (finding: Finding) => NUMBER_LENGTH + describeRecommendation(finding, '', program.sections, ctx).length;
  const opening = openingOf(first.text, Math.max(budget - frameOf(first), MIN_OPENING));
  const shown: { readonly finding: Finding; readonly text: string }[] = [{ finding: first, text: opening.text }];
  let used = frameOf(first) + opening.text.length;
  for (const finding of ranked.slice(1, TOP_ITEMS)) {
    const text = flatten(finding.text);
    if (used + frameOf(finding) + text.length > budget) break;
    shown.push({ finding, text });
    used += frameOf(finding) + text.length;
  }
  const lang = freeTextLang(
    shown.map(({ text }) => text),
    ctx.locale,
  );
  // Numbered when there are several: they are in order of importance. Only the panel's text is marked with its language.
  const lines: Paragraph[] = shown.map(({ finding, text }, index) =>
    mixedParagraph(
      mixFreeText(
        (slot) => {
          const line = describeRecommendation(finding, slot, program.sections, ctx);
          return shown.length > 1 ? `${index + 1}. ${line}` : line;
        },
        text,
        lang,
      ),
    ),
  );
  const rest = ranked.slice(shown.length);
  const forBoard = rest.filter(isForBoard).length;
  const pointer =
    rest.length > 0
      ? forBoard > 0
        ? t('reports.board.topMoreForBoard', { count: rest.length, board: forBoard })
        : t('reports.board.topMore', { count: rest.length })
      : opening.whole
        ? undefined
        : t('reports.board.topWhole');
  return pointer === undefined ? lines : [...lines, p(pointer, 'small')];
}
