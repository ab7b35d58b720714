// Page 1 below the result: each program's judgement by the panel and what matters most. One program gets its judgement,
// its three most important recommendations and the board's own, each within a budget that keeps page 1 one page
// (ONE_PROGRAM_BUDGET); several programs share one table, cut to what page 1 holds (PAGE_ONE_BUDGETS). Either way,
// each cut or left-out text is given with the page where it is whole.
import { formatList, upperFirst } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import { ownerKey, sortRecommendations } from '../../reviews/report-workflow.js';
import type { Finding } from '../../reviews/review-types.js';
import type { RubricSection } from '../../rubrics/rubric-schema.js';
import { freeText, freeTextLang, mixedParagraph, mixFreeText, p } from '../report-cells.js';
import type { Block, MixedText, PageOf, Paragraph, TableCell } from '../report-model-types.js';
import { type Context, headingId } from './chapter-context.js';
import { recommendationRowId } from './recommendations.js';
import { findCappingRecommendation, type VerdictInput } from './verdict-input.js';

const lowerFirst = (text: string, locale: Locale) => text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);

/** "Skriv ner rutinen (A2; prioritet hög; ansvarig: utföraren av stödet)", with the panel's text as given. */
function describeRecommendation(finding: Finding, text: string, sections: readonly RubricSection[], { t, locale }: Context): string {
  return t('reports.board.recommendationLine', {
    text,
    code: codeOf(finding, sections),
    priority: lowerFirst(t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`), locale),
    owner: lowerFirst(t(ownerKey(finding.owner)), locale),
  });
}

const codeOf = (finding: Finding, sections: readonly RubricSection[]) =>
  sections.find((s) => s.id === finding.sectionId)?.code ?? finding.sectionId;

/**
 * Lines of recommendations as describeRecommendation gives them, the panel's text in each marked with its language
 * (judged over all of them) where it is not the report's: the frame stays in the report's. `texts`: what page 1 gives
 * of each (its opening), in the same order; else each whole.
 */
function describeRecommendations(
  findings: readonly Finding[],
  sections: readonly RubricSection[],
  ctx: Context,
  texts: readonly string[] = findings.map((finding) => finding.text),
): (string | MixedText)[] {
  const lang = freeTextLang(texts, ctx.locale);
  return findings.map((finding, index) =>
    mixFreeText((slot) => describeRecommendation(finding, slot, sections, ctx), texts[index] ?? finding.text, lang),
  );
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
  const capping = findCappingRecommendation(program.findings, program.sections, program.cappingSectionIds);
  return capping ? [capping, ...sorted.filter((finding) => finding !== capping)] : sorted;
}

/**
 * What page 1 holds of the panel's texts when it reports on one program. Its page 1 has the facts of the result, the
 * judgement, the three most important recommendations and up to three more for the board, and a panel may write a
 * judgement of 3,000 characters and recommendations of 1,000 each: whole, they ran over three pages. So:
 * - the judgement is given whole up to `judgement` characters, its paragraphs kept; a longer one is cut as openingOf
 *   cuts, and a line gives the page of the program's chapter where it is whole (the chapter then prints it under a
 *   heading of its own: judgementOnPageOne decides both);
 * - the three most important recommendations are always given, all of them: the board reads page 1. Each text is
 *   given whole up to `recommendation` characters, else cut the same way. Where page 1 has too few lines for them, the
 *   least important is cut first, to the most characters (in steps of RECOMMENDATION_STEP) at which they fit, but not
 *   below RECOMMENDATION_SENTENCE (about a sentence), and then the next up: what the level waits for is the last to be
 *   cut. Only where that is not enough are they cut again the same way, to no less than MIN_OPENING. Of page 1's
 *   `lines` (lines of body text, counted as estimateLines counts them), the result's facts, the judgement and the
 *   line after the lists take theirs first;
 * - the board's recommendations, each given as the most important ones are, follow while lines are left;
 * - that line gives the page or pages where the recommendations it speaks of are whole (their rows under
 *   Rekommendationer efter ansvarig), and names by their sections the recommendations of high priority, and those for
 *   the board, that page 1 leaves out.
 * The lines are measured on page 1 at its fullest, in both languages: the level capped by several core elements, a
 * section fallen, the next review and the actions overdue, and every text at the allowed maximum
 * (test/reports/page-one-budget.test.ts).
 */
export const ONE_PROGRAM_BUDGET = { judgement: 600, recommendation: 300, lines: 31 } as const;

/** How much shorter each try cuts a most important recommendation when page 1 cannot hold them at their budget. */
const RECOMMENDATION_STEP = 10;
/** What each of the most important recommendations keeps before any of them is cut shorter: about a sentence. */
const RECOMMENDATION_SENTENCE = 120;

/**
 * Characters to a line, in the report's font: of the judgement at full width, of a listed recommendation (indented),
 * of a value in the result's facts (bold is wider). A text's lines are its paragraphs' characters over these, rounded
 * up: an estimate on the safe side, as page 1's lines are counted in the model, which decides no layout.
 */
const LINE_CHARS = { body: 92, item: 86, cell: 75, cellStrong: 64 } as const;
/** A line of a table cell against one of body text (8.5 pt against 9.5 pt), and the gap after a list item. */
const CELL_LINE = 0.9;
const ITEM_GAP = 0.25;
/** A heading over a list, and the line that gives a page, in lines of body text. */
const HEADING_LINES = 2;
const POINTER_LINES = 2;

/** The lines a text takes at `perLine` characters to a line, each of its paragraphs starting a line. */
export function estimateLines(text: string, perLine: number): number {
  return text.split('\n').reduce((sum, paragraph) => sum + Math.max(1, Math.ceil(paragraph.length / perLine)), 0);
}

/** The lines the result's facts take on page 1, in lines of body text: their values' paragraphs, in the table's smaller size. */
export function estimateFactLines(paragraphs: readonly Paragraph[]): number {
  return (
    paragraphs.reduce(
      (sum, paragraph) => sum + estimateLines(paragraph.text, paragraph.style === 'strong' ? LINE_CHARS.cellStrong : LINE_CHARS.cell),
      0,
    ) * CELL_LINE
  );
}

/**
 * What page 1 holds of the panel's texts when it reports on several programs. The result table and, per program, the
 * judgement and what matters most must fit on page 1 for up to three programs, and the panel's texts have no length
 * page 1 could hold three times (a judgement may run to 3,000 characters, a recommendation to 1,000). So, per program,
 * in characters:
 * - the judgement is given whole up to `judgement` characters; a longer one is cut after its last whole sentence
 *   within them (after its last whole word when that sentence would leave less than half of them) and marked "…", a
 *   line gives the page of the program's chapter where it is whole ("Hela texten på sida 7."), and the chapter prints
 *   it under a heading of its own in the contents (judgementOnPageOne decides both);
 * - the recommendations, most important first, are given while their lines as printed (with the section, priority and
 *   owner) together stay within `recommendations` characters, at most three; the most important one always, its text
 *   cut like the judgement when its line alone is longer;
 * - a line says how many more there are, and how many of them are for the social-services board or social services,
 *   with the page or pages of their rows under Rekommendationer efter ansvarig (and of the first one's, when it is
 *   cut), where they are whole.
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
/** The least of a most important recommendation's text page 1 gives, however long the frame around it. */
const MIN_OPENING = 40;

/** On page 1 of several programs a text is one paragraph: its line breaks would leave lines of a narrow cell empty. */
const flatten = (text: string) => text.replace(/\s+/g, ' ').trim();
/** One program's judgement keeps its paragraphs: the spaces within a line made one, empty lines dropped. */
const tidy = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');

/** A text as page 1 gives it: whole, or its opening. */
type PageOneText = { readonly text: string; readonly whole: boolean };

/**
 * The opening of `text` within `budget` characters: whole sentences, or else whole words, marked "…". `shape` makes it
 * one paragraph (flatten) or keeps its paragraphs (tidy).
 */
function openingOf(text: string, budget: number, shape: (text: string) => string = flatten): PageOneText {
  const flat = shape(text);
  if (flat.length <= budget) return { text: flat, whole: true };
  const head = flat.slice(0, budget + 1);
  // After the last whole sentence, unless that leaves less than half the budget: then after the last whole word.
  const sentenceEnd = [...head.matchAll(/[.!?](?=\s)/g)].at(-1)?.index;
  const cut = sentenceEnd !== undefined && sentenceEnd + 1 >= budget / 2 ? sentenceEnd + 1 : head.search(/\s\S*$/);
  return { text: `${flat.slice(0, cut > 0 ? cut : budget).replace(/[\s,;:–-]+$/, '')} …`, whole: false };
}

/**
 * The judgement as page 1 gives it for a report on `programCount` programs, within its budget (ONE_PROGRAM_BUDGET,
 * PAGE_ONE_BUDGETS). Undefined when the panel wrote none. When it is not whole, the program's chapter prints it.
 */
export function judgementOnPageOne(judgement: string | undefined, programCount: number): PageOneText | undefined {
  if (judgement === undefined) return undefined;
  return programCount > 1
    ? openingOf(judgement, budgetFor(programCount).judgement)
    : openingOf(judgement, ONE_PROGRAM_BUDGET.judgement, tidy);
}

/** Page 1 below the result: the judgement and what matters most, for one program or for several. */
export function buildJudgementAndTop(programs: readonly VerdictInput[], ctx: Context, resultLines = 0): Block[] {
  const [only] = programs;
  if (only === undefined) return [];
  return programs.length === 1 ? buildOneProgram(only, ctx, resultLines) : buildSeveralPrograms(programs, ctx);
}

/**
 * Where a line of page 1 gives the page of `targets` (headings or rows of the program's chapter): the renderer puts it
 * in for {pages}, as "sida 7" or "sidorna 22–23".
 */
const pageOf = (targets: readonly string[], { t }: Context): PageOf => ({
  targets,
  one: t('reports.board.pageOne', { page: '{page}' }),
  range: t('reports.board.pageRange', { from: '{from}', to: '{to}' }),
});

/** A paragraph that gives the page of `targets` (pageOf), in `style`. */
const pointing = (text: string, targets: readonly string[], ctx: Context, style: Paragraph['style']): Paragraph => ({
  ...p(text, style),
  pageOf: pageOf(targets, ctx),
});

const pointer = (text: string, targets: readonly string[], ctx: Context): Block => ({
  type: 'paragraph',
  paragraph: pointing(text, targets, ctx, 'muted'),
});

/** The rows under Rekommendationer efter ansvarig of `findings`, where each is whole. */
const rowsOf = (program: VerdictInput, findings: readonly Finding[]) =>
  findings.map((finding) => recommendationRowId(program.chapterId, finding));

/**
 * "Hela texterna och ytterligare 1 rekommendation med prioritet hög (A7): {pages} (Rekommendationer efter ansvarig).",
 * or undefined when there is nothing to point to.
 */
function onPage(what: readonly string[], { t, locale }: Context): string | undefined {
  if (what.length === 0) return undefined;
  const list = formatList(what, locale);
  return t('reports.board.onPage', {
    what: upperFirst(list, locale),
    heading: t('reports.board.byOwnerHeading'),
  });
}

type Shown = { readonly finding: Finding; readonly text: PageOneText };

/**
 * One program: the judgement, the three most important recommendations, then the board's own, within
 * ONE_PROGRAM_BUDGET (the result's facts above them take `resultLines`), and one line with the page where what is cut
 * or left out stands whole.
 */
function buildOneProgram(program: VerdictInput, ctx: Context, resultLines: number): Block[] {
  const { t } = ctx;
  const judgement = judgementOnPageOne(program.judgement, 1);
  const blocks: Block[] = [
    { type: 'heading', level: 3, text: t('reports.board.judgementHeading'), id: 'cover/verdict/0/judgement', outline: false },
    {
      type: 'paragraph',
      paragraph: judgement ? freeText(judgement.text, ctx.locale) : p(t('reports.board.noJudgement'), 'muted'),
    },
  ];
  if (judgement?.whole === false) {
    blocks.push(pointer(t('reports.board.wholeOnPage'), [headingId(program.chapterId, 'judgement')], ctx));
  }
  const ranked = rankRecommendations(program);
  const top = ranked.slice(0, TOP_ITEMS);
  blocks.push({ type: 'heading', level: 3, text: t('reports.board.topHeading'), id: 'cover/verdict/0/top', outline: false });
  if (top.length === 0) {
    blocks.push({ type: 'paragraph', paragraph: p(t('reports.board.noRecommendations'), 'muted') });
    return blocks;
  }
  // The report's readers include the social-services board: what is asked of it and of its administration is said
  // on page 1, even when the panel ranked other things higher, as far as the budget goes; the rest are counted.
  const forBoard = sortRecommendations(
    program.findings.filter(isForBoard),
    program.sections.map((s) => s.id),
  ).filter((finding) => !top.includes(finding));
  // The lines left for the lists: page 1's, less the result's facts, the judgement (and the line after it when it is
  // cut) and the line after the lists.
  let left =
    ONE_PROGRAM_BUDGET.lines -
    resultLines -
    (judgement ? estimateLines(judgement.text, LINE_CHARS.body) + (judgement.whole ? 0 : 1) : 1) -
    POINTER_LINES;
  const opening = (finding: Finding, budget: number): Shown => ({ finding, text: openingOf(finding.text, budget) });
  const linesOf = ({ finding, text }: Shown) =>
    estimateLines(describeRecommendation(finding, text.text, program.sections, ctx), LINE_CHARS.item) + ITEM_GAP;
  // All of the most important, each whole up to its budget; where they do not fit the lines left, cut as
  // ONE_PROGRAM_BUDGET says: the least important first, to no less than a sentence, then, only if that is not enough,
  // shorter still.
  const budgets: number[] = top.map(() => ONE_PROGRAM_BUDGET.recommendation);
  const shownAt = () => top.map((finding, index) => opening(finding, budgets[index] ?? ONE_PROGRAM_BUDGET.recommendation));
  const linesOfTop = () => shownAt().reduce((sum, item) => sum + linesOf(item), 0);
  /** Cuts the one at `index` to the most characters at which all fit, or else to the fewest lines it has at `floor`. */
  const shorten = (index: number, floor: number) => {
    const finding = top[index];
    if (finding === undefined) return;
    const fewest = linesOf(opening(finding, floor));
    for (let budget = budgets[index] ?? floor; budget >= floor; budget -= RECOMMENDATION_STEP) {
      budgets[index] = budget;
      if (linesOfTop() <= left || linesOf(opening(finding, budget)) <= fewest) return;
    }
  };
  for (const floor of [RECOMMENDATION_SENTENCE, MIN_OPENING]) {
    for (let index = top.length - 1; index >= 0 && linesOfTop() > left; index--) shorten(index, floor);
  }
  const shownTop = shownAt();
  left -= linesOfTop();
  // Then the board's, whole up to the budget, while they fit under their heading.
  const shownBoard: Shown[] = [];
  for (const item of forBoard.slice(0, BOARD_ITEMS).map((finding) => opening(finding, ONE_PROGRAM_BUDGET.recommendation))) {
    const lines = linesOf(item) + (shownBoard.length === 0 ? HEADING_LINES : 0);
    if (lines > left) break;
    shownBoard.push(item);
    left -= lines;
  }
  const listOf = (shown: readonly Shown[]): Block => ({
    type: 'list',
    items: describeRecommendations(
      shown.map(({ finding }) => finding),
      program.sections,
      ctx,
      shown.map(({ text }) => text.text),
    ),
  });
  blocks.push(listOf(shownTop));
  if (shownBoard.length > 0) {
    blocks.push(
      { type: 'heading', level: 3, text: t('reports.board.forBoardHeading'), id: 'cover/verdict/0/board', outline: false },
      listOf(shownBoard),
    );
  }
  // One line after the lists: where the cut texts stand whole, and what page 1 leaves out of what matters most (a
  // recommendation of high priority, by its section) and of what is asked of the board; its page or pages are those of
  // their rows under Rekommendationer efter ansvarig.
  const shown = [...shownTop, ...shownBoard];
  const cut = shown.filter(({ text }) => !text.whole).map(({ finding }) => finding);
  const shownFindings = shown.map(({ finding }) => finding);
  const highLeftOut = ranked.filter((finding) => finding.priority === 'high' && !shownFindings.includes(finding));
  const boardLeftOut = forBoard.filter((finding) => !shownFindings.includes(finding) && !highLeftOut.includes(finding));
  const where = onPage(
    [
      ...(cut.length > 0 ? [t('reports.board.cutWhole')] : []),
      ...(highLeftOut.length === 0
        ? []
        : [
            t(highLeftOut.length === 1 ? 'reports.board.highLeftOutOne' : 'reports.board.highLeftOut', {
              count: highLeftOut.length,
              codes: [...new Set(highLeftOut.map((finding) => codeOf(finding, program.sections)))].join(', '),
            }),
          ]),
      ...(boardLeftOut.length === 0
        ? []
        : [
            t(highLeftOut.length > 0 ? 'reports.board.forBoardMoreAlso' : 'reports.board.forBoardMore', {
              count: boardLeftOut.length,
              codes: [...new Set(boardLeftOut.map((finding) => codeOf(finding, program.sections)))].join(', '),
            }),
          ]),
    ],
    ctx,
  );
  if (where) blocks.push(pointer(where, rowsOf(program, [...cut, ...highLeftOut, ...boardLeftOut]), ctx));
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
      // A cut judgement is whole under its own heading in the program's chapter: the cell gives its page.
      const judgementCell: TableCell = judgement
        ? [
            freeText(judgement.text, ctx.locale),
            ...(judgement.whole
              ? []
              : [pointing(t('reports.board.wholeOnPage'), [headingId(program.chapterId, 'judgement')], ctx, 'small')]),
          ]
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
  // Where the rest, and the first one's whole text when it is cut, stand: their rows under Rekommendationer efter
  // ansvarig.
  const rest = ranked.slice(shown.length);
  const forBoard = rest.filter(isForBoard).length;
  const targets = rowsOf(program, [...(opening.whole ? [] : [first]), ...rest]);
  const pointer =
    rest.length > 0
      ? forBoard > 0
        ? t('reports.board.topMoreForBoard', { count: rest.length, board: forBoard })
        : t('reports.board.topMore', { count: rest.length })
      : opening.whole
        ? undefined
        : t('reports.board.wholeOnPage');
  return pointer === undefined ? lines : [...lines, pointing(pointer, targets, ctx, 'small')];
}
