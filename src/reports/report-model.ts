// The report as plain data: every text, number and chart of the PDF is decided here and in chapters/, in one
// language. Pure and deterministic: the same data and language always give the same model, so the PDF renderer
// (which only lays the model out) gives the same bytes. The model is plain JSON-like data, so it can be posted to
// the worker thread that renders it. This file assembles the chapters in the report's order: page 1 (cover and
// verdict), the contents, the overview, one chapter per program, the method, and the program's response.
//
// Privacy: individual ratings reach the report only as a spread (lowest–highest and how many raters), through
// buildResultView. The model and the hashed facts (report-facts.ts) carry no rater ids.
import type { Locale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import { buildResultView } from '../reviews/result-view.js';
import { type IndicatorScore, type ReviewScores, scoreReview } from '../reviews/scoring.js';
import { compareRubrics } from '../rubrics/rubric-comparison.js';
import type { Context, ProgramFigures } from './chapters/chapter-context.js';
import { buildCover } from './chapters/cover.js';
import { buildMethod } from './chapters/method.js';
import { buildOverview } from './chapters/overview.js';
import { buildProgramChapter, programChapterId } from './chapters/program.js';
import { buildResponseChapter } from './chapters/response.js';
import { judgementOnPageOne } from './chapters/verdict-actions.js';
import { describeVerdictInput } from './chapters/verdict-input.js';
import type { ReportData, ReviewRecord } from './report-data.js';
import { findLastFinalised, findReportDates } from './report-dates.js';
import { computeDataHash, formatVerificationCode } from './report-facts.js';
import type { Chapter, ContentsEntry, ReportModel } from './report-model-types.js';

export type {
  Block,
  Chapter,
  ContentsEntry,
  HeadingBlock,
  Paragraph,
  ReportModel,
  TableBlock,
  TableCell,
  TableColumn,
  TextStyle,
} from './report-model-types.js';
export { computeDataHash, formatVerificationCode } from './report-facts.js';

function scoresOf(record: ReviewRecord): ReviewScores {
  return scoreReview(
    record.review.rubric.rubric,
    new Map<string, IndicatorScore>(record.consensus.map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }])),
  );
}

export function buildReportModel(data: ReportData, locale: Locale): ReportModel {
  const t = createTranslator(locale);
  const ctx: Context = { t, locale, ...findReportDates(data) };
  const hash = computeDataHash(data);
  const verification = { code: formatVerificationCode(hash), hash };
  const figures: ProgramFigures[] = data.programs.map((program) => ({
    data: program,
    view: buildResultView(
      program.latest.review,
      program.latest.consensus,
      program.latest.submittedRatings,
      program.latest.findings,
      locale,
      program.latest.barriers,
    ),
    scores: scoresOf(program.latest),
    previousScores: program.previous ? scoresOf(program.previous) : undefined,
    comparison: program.previous ? compareRubrics(program.previous.review.rubric.rubric, program.latest.review.rubric.rubric) : undefined,
  }));
  const lastFinalised = findLastFinalised(data);
  const municipality = data.municipality.name;
  const chapters = [
    buildOverview(figures, ctx),
    // A judgement page 1 cuts short (a long text, or several programs) is printed whole in its program's chapter.
    ...figures.map((program, index) =>
      buildProgramChapter(program, index, ctx, {
        withJudgement: judgementOnPageOne(program.data.latest.judgement?.text, figures.length)?.whole === false,
      }),
    ),
    buildMethod(data, verification, ctx),
    // The program's response to the factual check, last.
    ...(data.draft
      ? []
      : [
          buildResponseChapter(
            data.programs.map(({ program, latest }) => ({ program: program.name, check: latest.factualCheck })),
            ctx,
          ),
        ].filter((c): c is Chapter => c !== undefined)),
  ];
  const entries: ContentsEntry[] = chapters.flatMap((chapter) =>
    chapter.blocks.flatMap((block) =>
      block.type === 'heading' && block.outline && block.level <= 2
        ? [{ level: block.level === 1 ? (1 as const) : (2 as const), text: block.text, target: block.id }]
        : [],
    ),
  );
  return {
    locale,
    meta: {
      title: t('reports.doc.title', { municipality }),
      subject: t('reports.doc.subject', { municipality }),
      keywords: t('reports.doc.keywords', { municipality }),
      author: 'hf-fidelity',
      creationDate: new Date(lastFinalised).toISOString(),
    },
    verification,
    runningHeader: t('reports.doc.runningHeader', { municipality }),
    // A draft for the factual check says so on every page.
    footerCode: data.draft
      ? t('reports.board.draftFooter', { code: verification.code })
      : t('reports.doc.footerCode', { code: verification.code }),
    footerPage: t('reports.doc.footerPage', { page: '{page}', pages: '{pages}' }),
    cover: {
      kicker: data.draft ? t('reports.board.draftKicker') : t('reports.doc.kicker'),
      title: municipality,
      subtitle: t('reports.doc.subtitle', { code: data.municipality.code }),
      blocks: buildCover(
        data,
        figures.map((f) => f.view),
        lastFinalised,
        ctx,
        figures.map((f, index) => describeVerdictInput(f, ctx, programChapterId(index))),
      ),
    },
    contents: { heading: t('reports.contents.heading'), entries },
    chapters,
  };
}
