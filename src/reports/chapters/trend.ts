// A program chapter's trend: each section's percent against the previous final review, as a table and a bar chart.
// Across rubric versions only what both measured the same way is compared (rubric-comparison.ts); the rest shows –.
import { formatPercent } from '../../i18n/format.js';
import { formatFigurePercent, levelBands } from '../../reviews/scoring.js';
import { partDecidesLevel } from '../../rubrics/rubric-schema.js';
import { buildBarChart } from '../report-charts.js';
import { cell, p } from '../report-cells.js';
import type { Block } from '../report-model-types.js';
import { CONTENT_WIDTH } from '../report-page.js';
import { type Context, describeRound, formatChange, headingId, type ProgramFigures } from './chapter-context.js';
import { chartValues } from './summary.js';

export function buildTrend(figures: ProgramFigures, ctx: Context, chapterId: string): Block[] {
  const previous = figures.data.previous;
  const { previousScores, comparison } = figures;
  if (!previous || !previousScores || !comparison) return [];
  const { t, locale } = ctx;
  // Only the sections whose indicators are the same in both rounds' rubrics: another section's percent is of other
  // indicators, so its change would not be progress.
  const before = new Map(
    previousScores.sections.filter((s) => comparison.sectionIds.has(s.sectionId)).map((s) => [s.sectionId, s.percent]),
  );
  const latestReview = figures.data.latest.review;
  const bands = levelBands(latestReview.rubric.rubric);
  const values = chartValues(figures.view.sections, figures.scores, locale, bands);
  const blocks: Block[] = [
    { type: 'heading', level: 2, text: t('reports.trend.heading'), id: headingId(chapterId, 'trend'), outline: true },
    {
      type: 'paragraph',
      paragraph: p(t('reports.trend.intro', { round: describeRound(previous, ctx) })),
    },
  ];
  const versions = { from: previous.review.rubricVersion, to: latestReview.rubricVersion };
  if (previous.review.rubricVersion !== latestReview.rubricVersion) {
    blocks.push({ type: 'paragraph', paragraph: p(t('reports.trend.versionNote', versions)) });
  }
  // The overall figure of another version, computed over other sections, is not this one's: it is left out, and the
  // previous level is given in that version's own words.
  if (!comparison.overall) {
    blocks.push({
      type: 'paragraph',
      paragraph: p(
        t('reports.trend.overallNotCompared', {
          ...versions,
          level: previousScores.overall.level?.label[locale] ?? t('reports.board.noLevel'),
        }),
      ),
    });
  }
  const overallBefore = comparison.overall ? previousScores.overall.percent : null;
  const rows = values.map((value) => {
    const was = before.get(value.sectionId) ?? null;
    return [
      cell(value.title, 'strong'),
      cell(formatFigurePercent(was, locale, bands)),
      cell(value.percentText),
      cell(formatChange(was, value.percent, locale, bands)),
    ];
  });
  // The overall figure is computed over the sections of the parts that decide the level: its row follows the last of
  // them and names them, so it is not read as the sum of the sections above it that are reported beside the level.
  const rubric = latestReview.rubric.rubric;
  const decidingParts = new Set(rubric.parts.filter(partDecidesLevel).map((part) => part.id));
  const deciding = values.filter((value) => {
    const kind = rubric.sections.find((section) => section.id === value.sectionId)?.kind;
    return kind === undefined || decidingParts.has(kind);
  });
  const first = deciding[0];
  const last = deciding.at(-1);
  const overallLabel =
    first && last && deciding.length < values.length
      ? t('reports.trend.overallOf', { codes: first === last ? first.code : `${first.code}–${last.code}` })
      : t('reports.trend.overall');
  const overallRow = [
    cell(overallLabel, 'strong'),
    cell(formatFigurePercent(overallBefore, locale, bands), 'strong'),
    cell(formatFigurePercent(figures.scores.overall.percent, locale, bands), 'strong'),
    cell(formatChange(overallBefore, figures.scores.overall.percent, locale, bands), 'strong'),
  ];
  rows.splice(last ? values.indexOf(last) + 1 : rows.length, 0, overallRow);
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
    return { ...value, percentText: `${value.percentText} (${formatChange(was, value.percent, locale, bands)})` };
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
