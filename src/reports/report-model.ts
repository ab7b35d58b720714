// The report as plain data: every text, number and chart of the PDF is decided here, in one language.
// Pure and deterministic: the same data and language always give the same model, so the PDF renderer
// (which only lays the model out) gives the same bytes. The model is plain JSON-like data, so it can be
// posted to the worker thread that renders it.
//
// Privacy: individual ratings reach the report only as a spread (lowest–highest and how many raters),
// through buildResultView. The model and the hashed facts carry no rater ids.
//
// Verification code: sha256 of the canonical JSON of the report's facts (what the report states, in no
// particular language: scores, texts the panel wrote, panel, dates, the rubric's content hash), shown as
// the first 12 hex digits. The Swedish and English reports of the same data therefore share the code.
import { createHash } from 'node:crypto';
import { swedishDayOf } from '../i18n/calendar.js';
import type { Locale } from '../i18n/locale.js';
import { createTranslator, type Translate } from '../i18n/messages.js';
import type { IndicatorView, ResultView, SectionView } from '../reviews/result-view.js';
import { buildResultView } from '../reviews/result-view.js';
import { findFollowUp } from '../reviews/follow-up.js';
import { summarizeSpread } from '../reviews/rating-spread.js';
import {
  differenceAsShown,
  formatFigurePercent,
  formatPercent,
  formatScore,
  type IndicatorScore,
  levelBands,
  type ReviewScores,
  scoreReview,
} from '../reviews/scoring.js';
import type { ReviewKind } from '../reviews/review-types.js';
import { canonicalStringify } from '../rubrics/load-rubrics.js';
import { findFidelityLevel, type Rubric } from '../rubrics/rubric-schema.js';
import { buildBarChart, buildRadarChart, type Chart, type ChartValue, MAX_RADAR_SPOKES, MIN_RADAR_SPOKES } from './report-charts.js';
import type { ProgramReportData, ReportData, ReviewRecord } from './report-data.js';
import { buildActionBlocks, buildOutcomePart, collectProgramWorkFacts } from '../program-work/report-part.js';
import { CONTENT_WIDTH, RADAR_HEIGHT } from './report-page.js';
import { cell, p } from './report-cells.js';
import {
  buildEvidenceBaseBlocks,
  buildRecommendationsByOwner,
  buildResponseChapter,
  buildVerdictBlocks,
  type VerdictInput,
} from './report-verdict.js';

export type TextStyle = 'body' | 'strong' | 'muted' | 'small';
export type Paragraph = { readonly text: string; readonly style: TextStyle };

export type TableColumn = {
  readonly header: string;
  /** Share of the content width; a table's shares add up to 1. */
  readonly share: number;
  readonly align: 'left' | 'right';
};

/** A cell holds one or more paragraphs (an indicator's text, its level and the rationale). */
export type TableCell = readonly Paragraph[];

export type HeadingBlock = {
  readonly type: 'heading';
  readonly level: 1 | 2 | 3;
  readonly text: string;
  /** Unique in the report; the contents page points at it. */
  readonly id: string;
  /** Levels 1 and 2 get a bookmark and a line in the contents. */
  readonly outline: boolean;
};

export type TableBlock = {
  readonly type: 'table';
  /** Not printed: the table's title for assistive technology, and for tests. */
  readonly caption: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly TableCell[])[];
  /** The first cell of each row heads the row. */
  readonly rowHeaders: boolean;
  /** False for a two-column list of facts, whose columns need no headings. */
  readonly columnHeaders: boolean;
};

export type Block =
  | HeadingBlock
  | { readonly type: 'paragraph'; readonly paragraph: Paragraph }
  | { readonly type: 'list'; readonly items: readonly string[] }
  | TableBlock
  | {
      readonly type: 'score';
      readonly label: string;
      readonly figures: string;
      readonly level: string | undefined;
      readonly definition: string | undefined;
      /** 0–100 for the bar, or null. */
      readonly percent: number | null;
    }
  | { readonly type: 'figure'; readonly chart: Chart; readonly caption: string; readonly note: string | undefined; readonly alt: string };

export type Chapter = {
  readonly id: string;
  /** Shown in the running header of the chapter's pages. */
  readonly runningTitle: string;
  readonly blocks: readonly Block[];
};

export type ContentsEntry = { readonly level: 1 | 2; readonly text: string; readonly target: string };

export type ReportModel = {
  readonly locale: Locale;
  readonly meta: {
    readonly title: string;
    readonly subject: string;
    readonly keywords: string;
    readonly author: string;
    /** ISO timestamp: when the latest review in the report was finalised. The PDF's creation date. */
    readonly creationDate: string;
  };
  readonly verification: { readonly code: string; readonly hash: string };
  readonly runningHeader: string;
  readonly footerCode: string;
  /** With {page} and {pages} left for the renderer, which alone knows the page count. */
  readonly footerPage: string;
  readonly cover: { readonly kicker: string; readonly title: string; readonly subtitle: string; readonly blocks: readonly Block[] };
  readonly contents: { readonly heading: string; readonly entries: readonly ContentsEntry[] };
  /** Each starts on a new page, except that the first may follow the contents on their last page. */
  readonly chapters: readonly Chapter[];
};

/** Added to a percent before it is compared with level thresholds, as scoring.ts does for the overall level. */
const LEVEL_TOLERANCE = 1e-9;
const FORMAT_VERSION = 1;

type ReviewFacts = {
  readonly kind: ReviewKind;
  readonly visitStart: string | null;
  readonly visitEnd: string | null;
  readonly finalisedAt: string | null;
  readonly rubric: { readonly id: string; readonly version: string; readonly contentHash: string };
  readonly consensus: readonly {
    readonly indicatorId: string;
    readonly score: number | null;
    readonly notApplicable: boolean;
    readonly rationale: string;
  }[];
};

/** What the report states, with no language: the input of the verification hash. */
function collectFacts(data: ReportData): unknown {
  const reviewFacts = (record: ReviewRecord): ReviewFacts => ({
    kind: record.review.kind,
    visitStart: record.review.visitStart ?? null,
    visitEnd: record.review.visitEnd ?? null,
    finalisedAt: record.review.finalisedAt ?? null,
    rubric: { id: record.review.rubricId, version: record.review.rubricVersion, contentHash: record.review.rubric.contentHash },
    consensus: [...record.consensus]
      .sort((a, b) => (a.indicatorId < b.indicatorId ? -1 : a.indicatorId > b.indicatorId ? 1 : 0))
      .map((c) => ({ indicatorId: c.indicatorId, score: c.score, notApplicable: c.notApplicable, rationale: c.rationale })),
  });
  return {
    format: FORMAT_VERSION,
    municipality: { code: data.municipality.code, name: data.municipality.name },
    programsWithoutFinalReview: data.programsWithoutFinalReview,
    programs: data.programs.map(({ program, latest, previous, programWork }) => ({
      name: program.name,
      supportProvider: program.supportProvider,
      supportModel: program.supportModel,
      latest: {
        ...reviewFacts(latest),
        panel: latest.panel.map((member) => ({ name: member.displayName, affiliation: member.affiliation, role: member.role })),
        // The spread as printed: counts and bounds, never who gave what.
        spreads: latest.review.rubric.rubric.sections.flatMap((section) =>
          section.indicators.map((indicator) => {
            const spread = summarizeSpread(
              indicator.scale,
              latest.submittedRatings
                .filter((rating) => rating.indicatorId === indicator.id)
                .map((rating) => ({ raterId: rating.raterId, score: rating.score, notApplicable: rating.notApplicable })),
            );
            return { indicatorId: indicator.id, count: spread.count, min: spread.min, max: spread.max, na: spread.naCount };
          }),
        ),
        findings: [...latest.findings]
          .sort(
            (a, b) =>
              (a.sectionId < b.sectionId ? -1 : a.sectionId > b.sectionId ? 1 : 0) ||
              (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
              a.position - b.position,
          )
          .map((f) => ({ sectionId: f.sectionId, kind: f.kind, text: f.text })),
        // Only when there are some, so reports of reviews without barriers keep their verification code.
        ...(latest.barriers.length > 0
          ? { barriers: latest.barriers.map((b) => ({ category: b.category, position: b.position, text: b.text })) }
          : {}),
        // The board-report parts, each only when there is some, so older reports keep their verification code.
        ...collectBoardFacts(latest),
      },
      previous: previous ? reviewFacts(previous) : null,
      // Only when there is some, so reports made without it keep their verification code.
      ...(programWork ? { programWork: collectProgramWorkFacts(programWork) } : {}),
    })),
  };
}

/** The judgement, the recommendations' priorities and owners, the evidence base and the factual check, where set. */
function collectBoardFacts(record: ReviewRecord): Record<string, unknown> {
  const meta = record.findings
    .filter((f) => f.kind === 'recommendation' && (f.priority !== 'medium' || f.owner !== undefined) && f.priority !== undefined)
    .map((f) => ({ sectionId: f.sectionId, position: f.position, priority: f.priority ?? 'medium', owner: f.owner ?? null }))
    .sort((a, b) => (a.sectionId < b.sectionId ? -1 : a.sectionId > b.sectionId ? 1 : a.position - b.position));
  const check = record.factualCheck;
  return {
    ...(record.judgement ? { judgement: record.judgement.text } : {}),
    ...(meta.length > 0 ? { recommendationMeta: meta } : {}),
    ...(record.evidenceBase
      ? { evidenceBase: { ...record.evidenceBase, version: undefined, caseFileAccess: record.evidenceBase.caseFileAccess ?? null } }
      : {}),
    ...(check
      ? { factualCheck: { sentAt: check.sentAt, corrections: check.corrections, response: check.response, changes: check.changes } }
      : {}),
  };
}

export function computeDataHash(data: ReportData): string {
  return createHash('sha256')
    .update(canonicalStringify(collectFacts(data)))
    .digest('hex');
}

/** "3F9A-1C2B-77DE": short enough to read aloud or compare at a glance. */
export function formatVerificationCode(hash: string): string {
  const head = hash.slice(0, 12).toUpperCase();
  return `${head.slice(0, 4)}-${head.slice(4, 8)}-${head.slice(8, 12)}`;
}

function formatDate(isoDate: string, locale: Locale): string {
  // A stored instant (a finalisation) is shown as its Swedish day; a plain ISO day as it is.
  const date = parseIsoDate(swedishDayOf(isoDate));
  if (!date) return isoDate;
  return dateFormat(locale).format(date);
}

/** "10–11 mars 2026", one date when both are equal, "–" when none is set. */
function formatDateRange(start: string | undefined, end: string | undefined, locale: Locale): string {
  const from = start === undefined ? undefined : parseIsoDate(start);
  const to = end === undefined ? undefined : parseIsoDate(end);
  if (from && to) return from.getTime() === to.getTime() ? dateFormat(locale).format(from) : dateFormat(locale).formatRange(from, to);
  const single = from ?? to;
  return single ? dateFormat(locale).format(single) : '–';
}

function dateFormat(locale: Locale): Intl.DateTimeFormat {
  // UTC: a date must not move a day with the server's time zone.
  return new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function parseIsoDate(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

const MINUS = '\u2212';

/** "+5 p.e.", "−3,5 p.e.", "±0 p.e." from the two percents as displayed, so the table adds up as printed. */
function formatChange(before: number | null, now: number | null, t: Translate, locale: Locale, bands: readonly number[] = []): string {
  if (before === null || now === null) return '–';
  const change = differenceAsShown(now, before, bands);
  const sign = change > 0 ? '+' : change < 0 ? MINUS : '±';
  const size = Math.abs(change);
  const digits = Number.isInteger(size) ? 0 : Number.isInteger(size * 10) ? 1 : Number.isInteger(size * 100) ? 2 : 3;
  return t('reports.trend.points', { value: `${sign}${formatScore(size, locale, digits)}` });
}

function levelOf(rubric: Rubric, percent: number | null) {
  return percent === null ? undefined : findFidelityLevel(rubric, percent + LEVEL_TOLERANCE);
}

function scoresOf(record: ReviewRecord): ReviewScores {
  return scoreReview(
    record.review.rubric.rubric,
    new Map<string, IndicatorScore>(record.consensus.map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }])),
  );
}

type Context = {
  readonly t: Translate;
  readonly locale: Locale;
  /** The report's date (ISO day): when its newest review was finalised. Never the day it is printed. */
  readonly reportDate?: string | undefined;
};

/** Ids for headings: stable, unique, readable in a debugger. */
function headingId(...parts: (string | number)[]): string {
  return parts.join('/');
}

function meanOfMax(mean: string | undefined, max: string | undefined, { t }: Context): string {
  return mean !== undefined && max !== undefined ? t('reports.chapter.scoreOfMax', { score: mean, max }) : '–';
}

function describeReviewPeriod(record: ReviewRecord, ctx: Context): string {
  return formatDateRange(record.review.visitStart, record.review.visitEnd, ctx.locale);
}

/**
 * Page 1: a header block (the municipality, the report's basis, each program's visit and rubric),
 * then the verdict. The panel is named in the method part.
 */
function buildCover(
  data: ReportData,
  views: readonly ResultView[],
  lastFinalised: string,
  ctx: Context,
  verdict: readonly VerdictInput[],
): Block[] {
  const { t, locale } = ctx;
  const blocks: Block[] = [
    {
      type: 'table',
      caption: t('reports.cover.municipality'),
      columns: [
        { header: t('reports.cover.municipality'), share: 0.26, align: 'left' },
        { header: '', share: 0.74, align: 'left' },
      ],
      rows: [
        [
          cell(t('reports.cover.municipality'), 'strong'),
          cell(t('reports.cover.municipalityValue', { name: data.municipality.name, code: data.municipality.code })),
        ],
        [cell(t('reports.cover.basis'), 'strong'), cell(t('reports.cover.basisValue', { date: formatDate(lastFinalised, locale) }))],
        ...data.programs.map(({ program, latest }, index) => [
          cell(program.name, 'strong'),
          cell(
            `${t('reports.cover.visit')} ${describeReviewPeriod(latest, ctx)} · ${t('reports.cover.rubricValue', { title: views[index]?.rubricTitle ?? latest.review.rubricId, version: latest.review.rubricVersion })}`,
          ),
        ]),
      ],
      rowHeaders: true,
      columnHeaders: false,
    },
  ];
  if (data.programsWithoutFinalReview.length > 0) {
    blocks.push({
      type: 'paragraph',
      paragraph: p(t('reports.cover.withoutFinalReview', { programs: data.programsWithoutFinalReview.join(', ') }), 'muted'),
    });
  }
  if (data.draft) blocks.push({ type: 'paragraph', paragraph: p(t('reports.board.draftNote'), 'strong') });
  blocks.push(...buildVerdictBlocks(verdict, ctx));
  return blocks;
}

/** Each program's panel (moved from page 1 to the method part). */
function buildPanelBlocks(data: ReportData, ctx: Context): Block[] {
  const { t } = ctx;
  const blocks: Block[] = [];
  blocks.push({ type: 'heading', level: 2, text: t('reports.cover.panelHeading'), id: 'method/panel', outline: true });
  data.programs.forEach(({ program, latest }) => {
    if (data.programs.length > 1)
      blocks.push({ type: 'paragraph', paragraph: p(t('reports.cover.panelOf', { program: program.name }), 'strong') });
    blocks.push({
      type: 'table',
      caption: t('reports.cover.panelCaption', { program: program.name }),
      columns: [
        { header: t('reports.cover.name'), share: 0.3, align: 'left' },
        { header: t('reports.cover.role'), share: 0.2, align: 'left' },
        { header: t('reports.cover.affiliation'), share: 0.5, align: 'left' },
      ],
      rows: latest.panel.map((member) => [cell(member.displayName), cell(t(`reviews.panelRole.${member.role}`)), cell(member.affiliation)]),
      rowHeaders: true,
      columnHeaders: true,
    });
  });
  return blocks;
}

/** Page 1's line for a program: the level explanation and figures as the summary prints them (level-explanation.ts). */
function describeVerdictInput(figures: ProgramFigures, ctx: Context): VerdictInput {
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

type ProgramFigures = {
  readonly data: ProgramReportData;
  readonly view: ResultView;
  readonly scores: ReviewScores;
  readonly previousScores: ReviewScores | undefined;
};

function buildOverview(programs: readonly ProgramFigures[], ctx: Context): Chapter {
  const { t, locale } = ctx;
  return {
    id: 'overview',
    runningTitle: t('reports.overview.heading'),
    blocks: [
      { type: 'heading', level: 1, text: t('reports.overview.heading'), id: 'overview', outline: true },
      { type: 'paragraph', paragraph: p(t('reports.overview.intro')) },
      // Said once, in the English report only: the panel's own texts are not translated.
      ...(locale === 'en' ? [{ type: 'paragraph' as const, paragraph: p(t('reports.overview.freeText'), 'muted') }] : []),
      {
        type: 'table',
        caption: t('reports.overview.caption'),
        columns: [
          { header: t('reports.overview.program'), share: 0.3, align: 'left' },
          { header: t('reports.overview.overall'), share: 0.13, align: 'right' },
          { header: t('reports.overview.percent'), share: 0.16, align: 'right' },
          { header: t('reports.overview.level'), share: 0.23, align: 'left' },
          { header: t('reports.overview.change'), share: 0.18, align: 'right' },
        ],
        rows: programs.map(({ data, view, scores, previousScores }) => [
          cell(data.program.name, 'strong'),
          cell(meanOfMax(view.overall.mean, view.overall.scaleMax, ctx)),
          cell(view.overall.percent),
          [p(view.overall.level?.label ?? '–'), ...view.overall.verdict.caps.map((cap) => p(cap, 'small'))],
          previousScores
            ? cell(
                formatChange(
                  previousScores.overall.percent,
                  scores.overall.percent,
                  t,
                  locale,
                  levelBands(data.latest.review.rubric.rubric),
                ),
              )
            : cell(t('reports.overview.noPrevious'), 'muted'),
        ]),
        rowHeaders: true,
        columnHeaders: true,
      },
    ],
  };
}

function chartValues(sections: readonly SectionView[], scores: ReviewScores, locale: Locale, bands: readonly number[]): ChartValue[] {
  const percents = new Map(scores.sections.map((s) => [s.sectionId, s.percent]));
  return sections.map((section) => {
    const percent = percents.get(section.id) ?? null;
    return {
      sectionId: section.id,
      code: section.code,
      title: `${section.code} ${section.title}`,
      percent,
      percentText: formatFigurePercent(percent, locale, bands),
      // A radar labels each spoke with the code and the name; bars print the title.
      name: section.title,
    };
  });
}

function describeValues(values: readonly ChartValue[]): string {
  return values.map((value) => `${value.code} ${value.percentText}`).join(', ');
}

function buildFigures(figures: ProgramFigures, ctx: Context): Block[] {
  const { t, locale } = ctx;
  const rubric = figures.data.latest.review.rubric.rubric;
  const thresholds = [...rubric.fidelity_levels]
    .map((level) => level.min_percent)
    .filter((percent) => percent > 0)
    .sort((a, b) => a - b);
  const thresholdNote =
    thresholds.length > 0
      ? t('reports.chapter.thresholdNote', {
          thresholds: thresholds.map((value) => formatPercent(value, locale, value % 1 === 0 ? 0 : 1)).join(', '),
        })
      : undefined;
  const gridLabel = (percent: number) => formatPercent(percent, locale);
  return rubric.parts.flatMap((part, partIndex): Block[] => {
    const sections = figures.view.sections.filter((section) => rubric.sections.find((s) => s.id === section.id)?.kind === part.id);
    if (sections.length === 0) return [];
    const values = chartValues(sections, figures.scores, locale, levelBands(rubric));
    const partTitle = part.title[locale];
    // The first part is the model's core (the principles in the shipped rubric): a radar shows its profile
    // at a glance. The other parts, and a first part with too few or too many sections for a legible
    // radar, get bars.
    const radar = partIndex === 0 && values.length >= MIN_RADAR_SPOKES && values.length <= MAX_RADAR_SPOKES;
    const chart = radar
      ? buildRadarChart(values, { width: CONTENT_WIDTH, height: RADAR_HEIGHT }, thresholds, gridLabel)
      : buildBarChart(values, { width: CONTENT_WIDTH, thresholdPercents: thresholds, gridLabel });
    return [
      {
        type: 'figure',
        chart,
        caption: t('reports.chapter.figureCaption', { part: partTitle }),
        note: thresholdNote,
        alt: t(radar ? 'reports.chapter.radarAlt' : 'reports.chapter.barsAlt', { part: partTitle, values: describeValues(values) }),
      },
    ];
  });
}

function buildSummary(figures: ProgramFigures, ctx: Context, chapterId: string): Block[] {
  const { t, locale } = ctx;
  const { view } = figures;
  const rubric = figures.data.latest.review.rubric.rubric;
  const overall = view.overall;
  return [
    { type: 'heading', level: 2, text: t('reports.chapter.summary'), id: headingId(chapterId, 'summary'), outline: true },
    {
      type: 'score',
      label: t('reports.chapter.overall'),
      figures:
        overall.verdict.meanOnScale !== undefined
          ? `${overall.verdict.meanOnScale} · ${t('reports.chapter.percentLine', { percent: overall.percent })}`
          : overall.barPercent !== undefined
            ? t('reports.chapter.percentLine', { percent: overall.percent })
            : t('reports.chapter.noScore'),
      level: overall.level?.label,
      definition: overall.level?.definition ?? t('reports.chapter.noLevel'),
      percent: overall.barPercent ?? null,
    },
    ...[overall.verdict.basis, ...overall.verdict.caps.map((cap, i) => `${cap} ${overall.verdict.capReasons[i] ?? ''}`.trim())]
      .filter((line): line is string => line !== undefined)
      .map(
        (line, i): Block => ({
          type: 'paragraph',
          paragraph: p(line, i === 0 && overall.verdict.basis !== undefined ? undefined : 'strong'),
        }),
      ),
    ...[overall.verdict.topTwo, overall.verdict.percentNote, ...overall.verdict.beside]
      .filter((line): line is string => line !== undefined)
      .map((line): Block => ({ type: 'paragraph', paragraph: p(line, 'muted') })),
    {
      type: 'paragraph',
      paragraph: p(t('reports.chapter.sectionsScored', { scored: overall.sectionsScored, total: overall.sections }), 'muted'),
    },
    {
      type: 'table',
      caption: t('reports.chapter.partsCaption'),
      columns: [
        { header: t('reports.chapter.part'), share: 0.3, align: 'left' },
        { header: t('reports.chapter.mean'), share: 0.13, align: 'right' },
        { header: t('reports.chapter.percent'), share: 0.16, align: 'right' },
        { header: t('reports.chapter.level'), share: 0.41, align: 'left' },
      ],
      rows: view.parts.map((part) => {
        const score = figures.scores.parts.find((s) => s.partId === part.id);
        const level = levelOf(rubric, score?.percent ?? null);
        const beside = rubric.parts.find((rubricPart) => rubricPart.id === part.id)?.reported_as;
        return [
          cell(part.title, 'strong'),
          cell(meanOfMax(part.mean, part.scaleMax, ctx)),
          cell(part.percent),
          // A part beside the level gets no fidelity level of its own: it is reported under its own heading.
          beside
            ? [p(beside[locale], 'strong')]
            : level
              ? [p(level.label[locale], 'strong'), p(level.definition[locale], 'small')]
              : cell('–'),
        ];
      }),
      rowHeaders: true,
      columnHeaders: true,
    },
    ...buildFigures(figures, ctx),
    {
      type: 'table',
      caption: t('reports.chapter.sectionsCaption'),
      columns: [
        { header: t('reports.chapter.section'), share: 0.53, align: 'left' },
        { header: t('reports.chapter.mean'), share: 0.13, align: 'right' },
        { header: t('reports.chapter.percent'), share: 0.16, align: 'right' },
        { header: t('reports.chapter.rated'), share: 0.18, align: 'right' },
      ],
      rows: view.sections.map((section) => [
        cell(`${section.code} ${section.title}`, 'strong'),
        cell(meanOfMax(section.mean, section.scaleMax, ctx)),
        cell(section.percent),
        section.sufficient
          ? cell(t('reports.chapter.ratedOf', { rated: section.rated, total: section.total }))
          : [
              p(t('reports.chapter.ratedOf', { rated: section.rated, total: section.total })),
              p(t('reports.chapter.insufficientShort'), 'small'),
            ],
      ]),
      rowHeaders: true,
      columnHeaders: true,
    },
  ];
}

function describeConsensus(indicator: IndicatorView, { t }: Context): Paragraph {
  const consensus = indicator.consensus;
  if (consensus.state === 'scored')
    return p(t('reports.chapter.scoreOfMax', { score: consensus.score, max: consensus.scaleMax }), 'strong');
  if (consensus.state === 'notApplicable') return p(t('reports.section.notApplicableScore'), 'muted');
  return p(t('reports.section.undecided'), 'muted');
}

function describeSpread(indicator: IndicatorView, { t }: Context): Paragraph[] {
  const { spread } = indicator;
  const lines: Paragraph[] = [];
  if (spread.raters > 0 && spread.min !== undefined && spread.max !== undefined) {
    lines.push(
      p(spread.min === spread.max ? spread.min : t('reports.section.spreadRange', { min: spread.min, max: spread.max }), 'strong'),
    );
    lines.push(p(t('reports.section.raters', { count: spread.raters }), 'small'));
  } else {
    lines.push(p(t('reports.section.noScores'), 'muted'));
  }
  if (spread.notApplicable > 0) lines.push(p(t('reports.section.ratersNa', { count: spread.notApplicable }), 'small'));
  return lines;
}

function buildSection(section: SectionView, ctx: Context, chapterId: string): Block[] {
  const { t } = ctx;
  const figures =
    section.mean !== undefined && section.scaleMax !== undefined
      ? t('reports.section.figures', {
          mean: section.mean,
          max: section.scaleMax,
          percent: section.percent,
          rated: section.rated,
          total: section.total,
        })
      : t('reports.section.figuresNoMean', { percent: section.percent, rated: section.rated, total: section.total });
  const notes = [
    ...(section.notApplicable > 0 ? [t('reports.section.notApplicable', { count: section.notApplicable })] : []),
    ...(section.sufficient ? [] : [t('reports.section.insufficient')]),
  ];
  return [
    { type: 'heading', level: 2, text: `${section.code} ${section.title}`, id: headingId(chapterId, 'section', section.id), outline: true },
    { type: 'paragraph', paragraph: p(section.partTitle, 'muted') },
    { type: 'paragraph', paragraph: p(section.description) },
    { type: 'paragraph', paragraph: p(figures, 'strong') },
    ...(notes.length > 0 ? [{ type: 'paragraph' as const, paragraph: p(notes.join(' '), 'muted') }] : []),
    {
      type: 'table',
      caption: t('reports.section.indicatorsCaption', { code: section.code, title: section.title }),
      columns: [
        { header: t('reports.section.indicator'), share: 0.64, align: 'left' },
        { header: t('reports.section.consensus'), share: 0.14, align: 'left' },
        { header: t('reports.section.spread'), share: 0.22, align: 'left' },
      ],
      rows: section.indicators.map((indicator) => {
        const main: Paragraph[] = [p(`${section.code}.${indicator.number} ${indicator.text}`, 'strong')];
        if (indicator.consensus.state === 'scored' && indicator.consensus.anchor !== '') {
          main.push(p(t('reports.section.anchor', { score: indicator.consensus.score, anchor: indicator.consensus.anchor }), 'muted'));
        }
        if (indicator.rationale.trim() !== '') main.push(p(t('reports.section.rationale', { rationale: indicator.rationale.trim() })));
        return [main, [describeConsensus(indicator, ctx)], describeSpread(indicator, ctx)];
      }),
      rowHeaders: true,
      columnHeaders: true,
    },
    {
      type: 'heading',
      level: 3,
      text: t('reports.section.strengths'),
      id: headingId(chapterId, 'section', section.id, 'strengths'),
      outline: false,
    },
    section.strengths.length > 0
      ? { type: 'list', items: section.strengths }
      : { type: 'paragraph', paragraph: p(t('reports.section.none'), 'muted') },
    {
      type: 'heading',
      level: 3,
      text: t('reports.section.recommendations'),
      id: headingId(chapterId, 'section', section.id, 'recommendations'),
      outline: false,
    },
    section.recommendations.length > 0
      ? { type: 'list', items: section.recommendations }
      : { type: 'paragraph', paragraph: p(t('reports.section.none'), 'muted') },
  ];
}

/** The barriers the review names, for the whole program: after the sections' strengths and recommendations. */
function buildBarriers(view: ResultView, ctx: Context, chapterId: string): Block[] {
  const { t } = ctx;
  return [
    { type: 'heading', level: 2, text: t('reports.barriers.heading'), id: headingId(chapterId, 'barriers'), outline: true },
    { type: 'paragraph', paragraph: p(t('reports.barriers.intro')) },
    ...view.barriers.flatMap((group): Block[] => [
      {
        type: 'heading',
        level: 3,
        text: t(`reviews.consensus.barrierLabels.${group.category}`),
        id: headingId(chapterId, 'barriers', group.category),
        outline: false,
      },
      group.items.length > 0
        ? { type: 'list', items: group.items }
        : { type: 'paragraph', paragraph: p(t('reports.section.none'), 'muted') },
    ]),
  ];
}

function buildTrend(figures: ProgramFigures, ctx: Context, chapterId: string): Block[] {
  const previous = figures.data.previous;
  const previousScores = figures.previousScores;
  if (!previous || !previousScores) return [];
  const { t, locale } = ctx;
  const before = new Map(previousScores.sections.map((s) => [s.sectionId, s.percent]));
  const latestReview = figures.data.latest.review;
  const bands = levelBands(latestReview.rubric.rubric);
  const values = chartValues(figures.view.sections, figures.scores, locale, bands);
  const blocks: Block[] = [
    { type: 'heading', level: 2, text: t('reports.trend.heading'), id: headingId(chapterId, 'trend'), outline: true },
    {
      type: 'paragraph',
      paragraph: p(
        t('reports.trend.intro', {
          date: previous.review.finalisedAt ? formatDate(previous.review.finalisedAt, locale) : '–',
          visit: describeReviewPeriod(previous, ctx),
        }),
      ),
    },
  ];
  if (
    previous.review.rubric.contentHash !== latestReview.rubric.contentHash &&
    previous.review.rubricVersion !== latestReview.rubricVersion
  ) {
    blocks.push({
      type: 'paragraph',
      paragraph: p(t('reports.trend.versionNote', { from: previous.review.rubricVersion, to: latestReview.rubricVersion }), 'muted'),
    });
  }
  const rows = values.map((value) => {
    const was = before.get(value.sectionId) ?? null;
    return [
      cell(value.title, 'strong'),
      cell(formatFigurePercent(was, locale, bands)),
      cell(value.percentText),
      cell(formatChange(was, value.percent, t, locale, bands)),
    ];
  });
  rows.push([
    cell(t('reports.trend.overall'), 'strong'),
    cell(formatFigurePercent(previousScores.overall.percent, locale, bands), 'strong'),
    cell(formatFigurePercent(figures.scores.overall.percent, locale, bands), 'strong'),
    cell(formatChange(previousScores.overall.percent, figures.scores.overall.percent, t, locale, bands), 'strong'),
  ]);
  blocks.push({
    type: 'table',
    caption: t('reports.trend.caption'),
    columns: [
      { header: t('reports.trend.section'), share: 0.55, align: 'left' },
      { header: t('reports.trend.before'), share: 0.13, align: 'right' },
      { header: t('reports.trend.now'), share: 0.13, align: 'right' },
      { header: t('reports.trend.change'), share: 0.19, align: 'right' },
    ],
    rows,
    rowHeaders: true,
    columnHeaders: true,
  });
  const trendValues = values.map((value) => {
    const was = before.get(value.sectionId) ?? null;
    return { ...value, percentText: `${value.percentText} (${formatChange(was, value.percent, t, locale, bands)})` };
  });
  blocks.push({
    type: 'figure',
    chart: buildBarChart(trendValues, {
      width: CONTENT_WIDTH,
      thresholdPercents: [],
      gridLabel: (percent) => formatPercent(percent, locale),
      previous: before,
      legend: [t('reports.trend.legendPrevious'), t('reports.trend.legendNow')],
    }),
    caption: t('reports.trend.figureCaption'),
    note: undefined,
    alt: t('reports.trend.alt', {
      values: trendValues
        .map((value) => `${value.code} ${formatFigurePercent(before.get(value.sectionId) ?? null, locale, bands)} → ${value.percentText}`)
        .join(', '),
    }),
  });
  return blocks;
}

function buildProgramChapter(figures: ProgramFigures, index: number, ctx: Context): Chapter {
  const { t, locale } = ctx;
  const { data, view } = figures;
  const chapterId = headingId('program', index + 1);
  const latest = data.latest.review;
  const facts: TableCell[][] = [
    [cell(t('reports.chapter.provider'), 'strong'), cell(data.program.supportProvider)],
    [cell(t('reports.chapter.supportModel'), 'strong'), cell(t(`municipalities.supportModels.${data.program.supportModel}`))],
    [cell(t('reports.chapter.kind'), 'strong'), cell(t(`reviews.kind.${latest.kind}`))],
    [cell(t('reports.chapter.visit'), 'strong'), cell(describeReviewPeriod(data.latest, ctx))],
    [cell(t('reports.chapter.finalised'), 'strong'), cell(latest.finalisedAt ? formatDate(latest.finalisedAt, locale) : '–')],
    [
      cell(t('reports.chapter.rubric'), 'strong'),
      cell(t('reports.cover.rubricValue', { title: view.rubricTitle, version: view.rubricVersion })),
    ],
    [
      cell(t('reports.chapter.previous'), 'strong'),
      data.previous
        ? cell(
            t('reports.chapter.previousValue', {
              date: data.previous.review.finalisedAt ? formatDate(data.previous.review.finalisedAt, locale) : '–',
              visit: describeReviewPeriod(data.previous, ctx),
            }),
          )
        : cell(t('reports.chapter.noPrevious'), 'muted'),
    ],
  ];
  return {
    id: chapterId,
    runningTitle: data.program.name,
    blocks: [
      { type: 'heading', level: 1, text: data.program.name, id: chapterId, outline: true },
      {
        type: 'table',
        caption: t('reports.chapter.factsCaption'),
        columns: [
          { header: t('reports.chapter.factsCaption'), share: 0.26, align: 'left' },
          { header: '', share: 0.74, align: 'left' },
        ],
        rows: facts,
        rowHeaders: true,
        columnHeaders: false,
      },
      ...buildSummary(figures, ctx, chapterId),
      ...view.sections.flatMap((section) => buildSection(section, ctx, chapterId)),
      ...buildBarriers(view, ctx, chapterId),
      ...buildRecommendationsByOwner(data.latest.findings, data.latest.review.rubric.rubric.sections, chapterId, ctx),
      // Outcomes before the trend and the plans: what the program achieves, then what changes.
      ...buildOutcomePart(data.programWork, chapterId, locale),
      ...buildTrend(figures, ctx, chapterId),
      ...buildActionBlocks(data.programWork, chapterId, locale),
      ...buildFollowUp(figures, ctx, chapterId),
    ],
  };
}

/**
 * When the next review should come: the rubric's follow_up_months for the level reached, counted from the later of
 * the site visit and the finalisation (a report finalised months after the visit must not print a window already half
 * over), and what it checks. A window that ends before the report's date says that it has passed. Deterministic: from
 * the review's data, never from the day the report is printed.
 */
function buildFollowUp(figures: ProgramFigures, ctx: Context, chapterId: string): Block[] {
  const { t, locale } = ctx;
  const review = figures.data.latest.review;
  const level = figures.scores.overall.level;
  const { start, fromFinalisation, window } = findFollowUp(review, review.rubric.rubric, level);
  const from = t(fromFinalisation ? 'reports.followUp.fromFinalised' : 'reports.followUp.fromVisit', { date: formatDate(start, locale) });
  const latest = window?.due;
  let timing: string | undefined;
  if (window && level) {
    timing =
      window.minMonths === window.maxMonths
        ? t('reports.followUp.after', { level: level.label[locale], months: window.minMonths, from, date: formatDate(window.due, locale) })
        : t('reports.followUp.within', {
            level: level.label[locale],
            min: window.minMonths,
            max: window.maxMonths,
            from,
            earliest: formatDate(window.earliest, locale),
            latest: formatDate(window.due, locale),
          });
  } else if (window) {
    timing = t('reports.followUp.noLevel', { months: window.maxMonths, from, date: formatDate(window.due, locale) });
  }
  const passed =
    latest !== undefined && ctx.reportDate !== undefined && latest < ctx.reportDate
      ? t('reports.followUp.passed', { latest: formatDate(latest, locale), reportDate: formatDate(ctx.reportDate, locale) })
      : undefined;
  return [
    { type: 'heading', level: 2, text: t('reports.followUp.heading'), id: `${chapterId}/follow-up`, outline: true },
    ...(timing ? [{ type: 'paragraph' as const, paragraph: p(timing) }] : []),
    ...(passed ? [{ type: 'paragraph' as const, paragraph: p(passed, 'strong') }] : []),
    { type: 'paragraph', paragraph: p(t('reports.followUp.checks')) },
  ];
}

/**
 * The last day of the follow-up window, formatted, for page 1: counted as buildFollowUp counts it (the later of the
 * visit and the finalisation, the level's longest interval, or the rubric's shortest one without a level).
 */
function findNextReviewDue(figures: ProgramFigures, locale: Locale): string | undefined {
  const review = figures.data.latest.review;
  const due = findFollowUp(review, review.rubric.rubric, figures.scores.overall.level).window?.due;
  return due === undefined ? undefined : formatDate(due, locale);
}

/** A share as the rubric means it: "50 %", or a simple fraction ("2/3") where a percent would be rounded. */
export function formatShare(share: number, locale: Locale): string {
  const percent = share * 100;
  if (Math.abs(percent - Math.round(percent)) < 1e-9) return formatPercent(Math.round(percent), locale, 0);
  for (let denominator = 2; denominator <= 12; denominator++) {
    const numerator = Math.round(share * denominator);
    if (Math.abs(share * denominator - numerator) < 1e-9) return `${numerator}/${denominator}`;
  }
  return formatPercent(percent, locale, 1);
}

function buildMethod(data: ReportData, verification: { code: string; hash: string }, ctx: Context): Chapter {
  const { t, locale } = ctx;
  // One entry per distinct rubric content: programs usually share one.
  const rubrics = new Map<string, { rubric: Rubric; id: string; version: string; contentHash: string }>();
  for (const { latest } of data.programs) {
    const pinned = latest.review.rubric;
    if (!rubrics.has(pinned.contentHash)) {
      rubrics.set(pinned.contentHash, {
        rubric: pinned.rubric,
        id: pinned.rubricId,
        version: pinned.version,
        contentHash: pinned.contentHash,
      });
    }
  }
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: t('reports.method.heading'), id: 'method', outline: true },
    { type: 'heading', level: 2, text: t('reports.method.howHeading'), id: 'method/how', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.howPeer')) },
    { type: 'paragraph', paragraph: p(t('reports.method.spreadText')) },
    { type: 'paragraph', paragraph: p(t('reports.method.findingsText')) },
    ...buildPanelBlocks(data, ctx),
    ...buildEvidenceBaseBlocks(
      data.programs.map(({ program, latest }) => ({
        program: program.name,
        evidence: latest.evidenceBase,
        check: latest.factualCheck,
        checkDate: latest.factualCheck ? formatDate(latest.factualCheck.sentAt, locale) : undefined,
      })),
      ctx,
    ),
    { type: 'heading', level: 2, text: t('reports.method.evidenceHeading'), id: 'method/evidence', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.evidenceIntro')) },
  ];
  for (const { rubric } of rubrics.values()) {
    blocks.push({
      type: 'table',
      caption: t('reports.method.evidenceCaption', { rubric: rubric.title[locale] }),
      columns: [
        { header: t('reports.method.code'), share: 0.14, align: 'left' },
        { header: t('reports.method.source'), share: 0.86, align: 'left' },
      ],
      rows: rubric.evidence_sources.map((source) => [cell(source.code, 'strong'), cell(source.label[locale])]),
      rowHeaders: true,
      columnHeaders: true,
    });
  }
  blocks.push(
    { type: 'heading', level: 2, text: t('reports.method.scoringHeading'), id: 'method/scoring', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.scoringIndicator')) },
    { type: 'paragraph', paragraph: p(t('reports.method.scoringSection')) },
    { type: 'paragraph', paragraph: p(t('reports.method.scoringParts')) },
    { type: 'paragraph', paragraph: p(t('reports.method.chartsText')) },
  );
  for (const { rubric } of rubrics.values()) {
    if (rubric.min_rated_share > 0) {
      blocks.push({
        type: 'paragraph',
        paragraph: p(t('reports.method.minRatedShare', { share: formatShare(rubric.min_rated_share, locale) })),
      });
    }
    blocks.push({
      type: 'table',
      caption: t('reports.method.levelsCaption', { rubric: rubric.title[locale] }),
      columns: [
        { header: t('reports.method.level'), share: 0.26, align: 'left' },
        { header: t('reports.method.from'), share: 0.12, align: 'right' },
        { header: t('reports.method.definition'), share: 0.62, align: 'left' },
      ],
      rows: [...rubric.fidelity_levels]
        .sort((a, b) => b.min_percent - a.min_percent)
        .map((level) => [
          cell(level.label[locale], 'strong'),
          cell(formatPercent(level.min_percent, locale, level.min_percent % 1 === 0 ? 0 : 1)),
          cell(level.definition[locale]),
        ]),
      rowHeaders: true,
      columnHeaders: true,
    });
  }
  blocks.push(
    { type: 'heading', level: 2, text: t('reports.method.rubricHeading'), id: 'method/rubric', outline: true },
    {
      type: 'table',
      caption: t('reports.method.rubricCaption'),
      columns: [
        { header: t('reports.method.rubricName'), share: 0.3, align: 'left' },
        { header: t('reports.method.rubricId'), share: 0.15, align: 'left' },
        { header: t('reports.method.version'), share: 0.1, align: 'left' },
        { header: t('reports.method.contentHash'), share: 0.45, align: 'left' },
      ],
      rows: [...rubrics.values()].map((entry) => [
        cell(entry.rubric.title[locale], 'strong'),
        cell(entry.id),
        cell(entry.version),
        cell(entry.contentHash, 'small'),
      ]),
      rowHeaders: true,
      columnHeaders: true,
    },
    { type: 'heading', level: 2, text: t('reports.method.verificationHeading'), id: 'method/verification', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.verificationText', { code: verification.code })) },
    { type: 'paragraph', paragraph: p(t('reports.method.fullHash', { hash: verification.hash }), 'small') },
    { type: 'paragraph', paragraph: p(t('reports.method.generatedBy'), 'muted') },
  );
  return { id: 'method', runningTitle: t('reports.method.heading'), blocks };
}

/** When the newest review in the report was finalised (reviews without a stamp fall back to their creation). */
function findLastFinalised(data: ReportData): string {
  const stamps = data.programs.map(({ latest }) => latest.review.finalisedAt ?? latest.review.createdAt);
  return stamps.reduce((latest, stamp) => (stamp > latest ? stamp : latest));
}

export function buildReportModel(data: ReportData, locale: Locale): ReportModel {
  const t = createTranslator(locale);
  const ctx: Context = { t, locale, reportDate: swedishDayOf(findLastFinalised(data)) };
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
  }));
  const lastFinalised = findLastFinalised(data);
  const municipality = data.municipality.name;
  const chapters = [
    buildOverview(figures, ctx),
    ...figures.map((program, index) => buildProgramChapter(program, index, ctx)),
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
      subtitle: t('reports.doc.subtitle'),
      blocks: buildCover(
        data,
        figures.map((f) => f.view),
        lastFinalised,
        ctx,
        figures.map((f) => describeVerdictInput(f, ctx)),
      ),
    },
    contents: { heading: t('reports.contents.heading'), entries },
    chapters,
  };
}
