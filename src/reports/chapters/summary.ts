// A program chapter's summary: the overall score box, the verdict's lines, the parts table, the charts and the sections table.
import { formatList, formatPercent, formatThresholdPercent, MISSING } from '../../i18n/format.js';
import { type FidelityLevel, findBandLevel, partDecidesLevel } from '../../rubrics/rubric-schema.js';
import type { Locale } from '../../i18n/locale.js';
import type { SectionView } from '../../reviews/result-view.js';
import { formatFigurePercent, levelBands, type ReviewScores } from '../../reviews/scoring.js';
import { buildBarChart, buildRadarChart, type ChartValue, MAX_RADAR_SPOKES, MIN_RADAR_SPOKES } from '../report-charts.js';
import { cell, p } from '../report-cells.js';
import type { Block, TableCell } from '../report-model-types.js';
import { CONTENT_WIDTH, RADAR_HEIGHT } from '../report-page.js';
import { type Context, headingId, meanOnScale, type ProgramFigures } from './chapter-context.js';

export function chartValues(
  sections: readonly SectionView[],
  scores: ReviewScores,
  locale: Locale,
  bands: readonly number[],
): ChartValue[] {
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
          thresholds: thresholds.map((value) => formatThresholdPercent(value, locale)).join(', '),
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
    // The levels' thresholds are drawn only for a part that decides the level: on a part reported beside it (the
    // agreement areas), they would read as that part's level.
    const partThresholds = partDecidesLevel(part) ? thresholds : [];
    const chart = radar
      ? buildRadarChart(values, { width: CONTENT_WIDTH, height: RADAR_HEIGHT }, partThresholds, gridLabel)
      : buildBarChart(values, { width: CONTENT_WIDTH, thresholdPercents: partThresholds, gridLabel });
    return [
      {
        type: 'figure',
        chart,
        caption: t('reports.chapter.figureCaption', { part: partTitle }),
        note: partDecidesLevel(part) ? thresholdNote : undefined,
        alt: t(radar ? 'reports.chapter.radarAlt' : 'reports.chapter.barsAlt', { part: partTitle, values: describeValues(values) }),
      },
    ];
  });
}

export function buildSummary(figures: ProgramFigures, ctx: Context, chapterId: string): Block[] {
  const { t } = ctx;
  const { view } = figures;
  const rubric = figures.data.latest.review.rubric.rubric;
  const overall = view.overall;
  const decidingParts = rubric.parts.filter(partDecidesLevel).length;
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
      // A capped level is not the band of the figure beside it: its rubric definition (a band) would contradict the
      // figure, so the cap's reason stands in for it; the sentences below say which core element set it off.
      definition: overall.verdict.capped
        ? overall.verdict.capReasons.join(' ')
        : (overall.level?.definition ?? t('reports.chapter.noLevel')),
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
        { header: t('reports.chapter.part'), share: 0.26, align: 'left' },
        { header: t('reports.chapter.mean'), share: 0.21, align: 'right' },
        { header: t('reports.chapter.percent'), share: 0.14, align: 'right' },
        { header: t('reports.chapter.level'), share: 0.39, align: 'left' },
      ],
      rows: view.parts.map((part) => {
        const score = figures.scores.parts.find((s) => s.partId === part.id);
        const band = findBandLevel(rubric, score?.percent ?? null);
        const rubricPart = rubric.parts.find((candidate) => candidate.id === part.id);
        return [
          cell(part.title, 'strong'),
          cell(meanOnScale(part, ctx)),
          cell(part.percent),
          // A part beside the level gets no fidelity level of its own.
          rubricPart && !partDecidesLevel(rubricPart)
            ? cell(t('reports.chapter.partBeside'))
            : band
              ? describePartLevel(figures, band, decidingParts === 1, ctx)
              : cell(MISSING),
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
        { header: t('reports.chapter.section'), share: 0.47, align: 'left' },
        { header: t('reports.chapter.mean'), share: 0.21, align: 'right' },
        { header: t('reports.chapter.percent'), share: 0.14, align: 'right' },
        { header: t('reports.chapter.rated'), share: 0.18, align: 'right' },
      ],
      rows: view.sections.map((section) => [
        cell(`${section.code} ${section.title}`, 'strong'),
        cell(meanOnScale(section, ctx)),
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

/**
 * The level in a deciding part's row of the parts table. The only deciding part's figure is the overall one, so its row
 * gives the level, and when a core element capped it, which and the band of the figure: the band alone would read as
 * the level. With several deciding parts a row gives its figure's band, and says when a cap holds the whole lower.
 */
function describePartLevel(figures: ProgramFigures, band: FidelityLevel, only: boolean, { t, locale }: Context): TableCell {
  const overall = figures.view.overall;
  const capped = overall.verdict.capped && overall.level !== undefined;
  if (!only) {
    return [
      p(band.label[locale], 'strong'),
      p(capped ? t('reports.chapter.partBandCapped', { level: overall.level?.label ?? '' }) : band.definition[locale], 'small'),
    ];
  }
  if (!capped || overall.level === undefined) return [p(band.label[locale], 'strong'), p(band.definition[locale], 'small')];
  const numbers = [
    ...new Set(
      figures.scores.overall.explanation.caps.filter((cap) => cap.lowered).flatMap((cap) => cap.triggers.map((trigger) => trigger.number)),
    ),
  ];
  return [
    p(overall.level.label, 'strong'),
    p(t('reports.chapter.partLevelCapped', { numbers: formatList(numbers, locale), band: band.label[locale] }), 'small'),
  ];
}
