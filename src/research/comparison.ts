// The comparison page's figures: a heat map of the latest final consensus scores (programs × sections) and, for
// one program, the trend over its rounds per section. Pure: built from rows the store has read. Geometry for the
// inline SVG is computed here so the views only place what they are given (attributes only: the CSP forbids
// style attributes).
//
// - Only reviews made with one rubric id are compared; the sections are those of the reference version (the
//   loaded rubric file, else the newest stored snapshot). A review pinned to another version is marked, and a
//   section that version lacks is empty.
// - Colours follow the rubric's fidelity levels (percent of maximum), light to dark; every cell also carries its
//   value as text, so colour is never the only carrier.
// - Figures are shown as the result page shows them (formatFigurePercent with the rubric's level bands: nearest, one
//   decimal when not whole, with one more decimal where rounding would cross a band), so no printed figure reaches a
//   band its value has not: 74.96 % is "74,96" in a cell coloured for the band below 75, never "75".
// - The heat map takes the reviews it is given: the page gives it one kind (peer reviews unless another is
//   chosen). Given several kinds, it is told how to name them, and every row then says which kind it shows.
import { formatLevel, formatScore, formatThresholdPercent, MISSING } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { formatFigurePercent, type IndicatorScore, levelBands, roundFigure, scoreReview } from '../reviews/scoring.js';
import type { ReviewKind } from '../reviews/review-types.js';
import { findBandLevel, type Rubric } from '../rubrics/rubric-schema.js';
import type { FinalReview, ScoreRow } from './research-store.js';

/** Light to dark blues (ColorBrewer "Blues"), each with the text colour that contrasts best with it. */
const PALETTE = ['#eff3ff', '#c6dbef', '#9ecae1', '#6baed6', '#2171b5', '#08519c', '#08306b'] as const;
const DARK_TEXT = '#1b1b1f';
const LIGHT_TEXT = '#ffffff';
const EMPTY_FILL = '#ffffff';

export type Band = {
  readonly id: string;
  readonly label: string;
  readonly minPercent: number;
  /** "87,5 %". */
  readonly minPercentLabel: string;
  readonly fill: string;
  readonly textFill: string;
};

export type HeatCell = {
  readonly percent: number | null;
  /** "74,5" or "–": the percent as the result page shows it, without the sign. */
  readonly text: string;
  /** "74,5 %" or "–", for the table and the SVG's title. */
  readonly label: string;
  readonly fill: string;
  readonly textFill: string;
  readonly bandLabel: string;
};

export type HeatRow = {
  readonly programId: number;
  readonly reviewId: number;
  readonly municipalityCode: string;
  readonly municipalityName: string;
  readonly programName: string;
  /** The municipality, with the program when the municipality has more than one. */
  readonly label: string;
  readonly reviewDate: string;
  readonly kind: ReviewKind;
  /** The kind's name, when the heat map shows several kinds (see HeatMapOptions); else empty. */
  readonly kindLabel: string;
  readonly rubricVersion: string;
  readonly otherVersion: boolean;
  readonly cells: readonly HeatCell[];
  readonly overall: HeatCell;
};

export type ColumnHead = { readonly id: string; readonly code: string; readonly title: string };

export type HeatMap = {
  readonly columns: readonly ColumnHead[];
  readonly rows: readonly HeatRow[];
  readonly bands: readonly Band[];
  readonly referenceVersion: string;
  readonly hasOtherVersions: boolean;
  /** Whether rows say their kind: the table has a column for it, the SVG a strip (kindWidth) left of the cells. */
  readonly showKind: boolean;
  readonly svg: {
    readonly width: number;
    readonly height: number;
    /** Row labels and, when shown, the kind strip: the cells start here. */
    readonly labelWidth: number;
    /** 0 when kinds are not shown. */
    readonly kindWidth: number;
    readonly cellWidth: number;
    readonly cellHeight: number;
    readonly headHeight: number;
  };
};

export type HeatMapOptions = {
  /** Names a review kind: given when the reviews may be of several kinds, so that each row says its kind. */
  readonly kindLabel: ((kind: ReviewKind) => string) | undefined;
};

export type TrendPoint = { readonly x: number; readonly y: number; readonly text: string };

export type TrendChart = {
  readonly id: string;
  readonly code: string;
  readonly title: string;
  /** The title as it fits above the panel. */
  readonly shortTitle: string;
  /** Where the panel sits in the chart grid. */
  readonly offsetX: number;
  readonly offsetY: number;
  /** "x,y x,y …" for a polyline; empty when fewer than two rounds have a value. */
  readonly polyline: string;
  readonly points: readonly TrendPoint[];
  /** Per round, the value as text ("74,5 %" or "–"), as on the result page. */
  readonly values: readonly string[];
};

export type TrendRound = {
  readonly reviewId: number;
  readonly reviewDate: string;
  readonly kind: FinalReview['kind'];
  readonly rubricVersion: string;
  readonly otherVersion: boolean;
  readonly x: number;
};

export type Trend = {
  readonly programId: number;
  readonly programName: string;
  readonly municipalityName: string;
  readonly rounds: readonly TrendRound[];
  readonly overall: TrendChart;
  readonly sections: readonly TrendChart[];
  readonly svg: {
    readonly width: number;
    readonly height: number;
    readonly panelWidth: number;
    readonly plotLeft: number;
    readonly plotRight: number;
    readonly plotTop: number;
    readonly plotBottom: number;
    readonly gridLines: readonly { readonly y: number; readonly label: string }[];
  };
};

const HEAT = { labelWidth: 260, kindWidth: 150, cellWidth: 46, cellHeight: 26, headHeight: 28 } as const;
/** One panel of the trend's small multiples; the panels sit in a grid of TREND_COLUMNS columns. */
const TREND = { width: 300, height: 170, plotLeft: 36, plotRight: 288, plotTop: 34, plotBottom: 138 } as const;
const TREND_COLUMNS = 3;

/** The bands of a rubric's fidelity levels, lowest first, each with a fill and a readable text colour. */
export function buildBands(rubric: Rubric, locale: Locale): Band[] {
  const levels = [...rubric.fidelity_levels].sort((a, b) => a.min_percent - b.min_percent);
  return levels.map((level, index) => {
    // Spread the levels over the palette, keeping its lightest and darkest ends.
    const step = levels.length === 1 ? 0 : Math.round((index * (PALETTE.length - 1)) / (levels.length - 1));
    const fill = PALETTE[step] ?? PALETTE[0];
    return {
      id: level.id,
      label: formatLevel(level, locale),
      minPercent: level.min_percent,
      minPercentLabel: formatThresholdPercent(level.min_percent, locale),
      fill,
      textFill: pickTextColour(fill),
    };
  });
}

/**
 * A fidelity percent as formatFigurePercent shows it with the same level bands, without the percent sign: "74,5",
 * "80", "68,75", "74,96". The digits are roundFigure's, so the cell and its label always agree.
 */
function formatFigureNumber(percent: number, locale: Locale, levels: readonly number[]): string {
  const shown = roundFigure(percent, 1, levels);
  return formatScore(shown.value, locale, Number.isInteger(shown.value) ? 0 : shown.digits);
}

/**
 * `rubric` is the reference version, whose levels colour the cells; `levels` are its level thresholds (levelBands),
 * which the figures are rounded against.
 */
function toCell(
  percent: number | null,
  rubric: Rubric,
  bands: readonly Band[],
  levels: readonly number[],
  locale: Locale,
  levelId?: string,
): HeatCell {
  if (percent === null) {
    return { percent, text: MISSING, label: MISSING, fill: EMPTY_FILL, textFill: DARK_TEXT, bandLabel: '' };
  }
  // A review's overall cell takes the review's level, caps included, so an average never shows a level the review
  // does not have; a section's cell (and a level the reference version does not know) takes the band of its percent.
  const band =
    bands.find((candidate) => candidate.id === levelId) ?? bands.find((candidate) => candidate.id === findBandLevel(rubric, percent)?.id);
  return {
    percent,
    text: formatFigureNumber(percent, locale, levels),
    label: formatFigurePercent(percent, locale, levels),
    fill: band?.fill ?? EMPTY_FILL,
    textFill: band?.textFill ?? DARK_TEXT,
    bandLabel: band?.label ?? '',
  };
}

type ReviewScoresById = ReadonlyMap<number, readonly ScoreRow[]>;

/** Section percents by section id, and the overall percent and level (caps applied), of one review from its consensus. */
type ConsensusFigures = { sections: Map<string, number | null>; overall: number | null; levelId: string | undefined };

/** Scores reviews from their consensus; remembers each rubric's indicator ids for as long as it lives. */
function createConsensusScorer(): (rubric: Rubric, consensus: readonly ScoreRow[]) => ConsensusFigures {
  const knownIndicators = new Map<Rubric, ReadonlySet<string>>();
  return (rubric, consensus) => {
    let known = knownIndicators.get(rubric);
    if (!known) {
      known = new Set(rubric.sections.flatMap((section) => section.indicators.map((indicator) => indicator.id)));
      knownIndicators.set(rubric, known);
    }
    return scoreConsensus(rubric, known, consensus);
  };
}

function scoreConsensus(rubric: Rubric, known: ReadonlySet<string>, consensus: readonly ScoreRow[]): ConsensusFigures {
  const scores = new Map<string, IndicatorScore>();
  for (const row of consensus)
    if (known.has(row.indicatorId)) scores.set(row.indicatorId, { score: row.score, notApplicable: row.notApplicable });
  const result = scoreReview(rubric, scores);
  return {
    sections: new Map(result.sections.map((section) => [section.sectionId, section.percent])),
    overall: result.overall.percent,
    levelId: result.overall.level?.id,
  };
}

/** The latest of each program's reviews (by review date, then id). `reviews` may come in any order. */
export function pickLatestPerProgram(reviews: readonly FinalReview[]): FinalReview[] {
  const latest = new Map<number, FinalReview>();
  for (const review of reviews) {
    const current = latest.get(review.programId);
    if (!current || review.reviewDate > current.reviewDate || (review.reviewDate === current.reviewDate && review.id > current.id)) {
      latest.set(review.programId, review);
    }
  }
  return [...latest.values()].sort(
    (a, b) =>
      a.municipalityName.localeCompare(b.municipalityName, 'sv') ||
      a.municipalityCode.localeCompare(b.municipalityCode) ||
      a.programName.localeCompare(b.programName, 'sv'),
  );
}

export function buildHeatMap(
  reference: { readonly rubric: Rubric; readonly version: string },
  latest: readonly FinalReview[],
  consensus: ReviewScoresById,
  rubricOf: (snapshotId: number) => Rubric,
  locale: Locale,
  options: HeatMapOptions = { kindLabel: undefined },
): HeatMap {
  const { kindLabel } = options;
  const bands = buildBands(reference.rubric, locale);
  // The cells are coloured by the reference version's levels, so their figures are rounded against the same bands.
  const levels = levelBands(reference.rubric);
  const scoreOf = createConsensusScorer();
  const columns = reference.rubric.sections.map((section) => ({ id: section.id, code: section.code, title: section.title[locale] }));
  const programsPerMunicipality = new Map<string, number>();
  for (const review of latest)
    programsPerMunicipality.set(review.municipalityCode, (programsPerMunicipality.get(review.municipalityCode) ?? 0) + 1);
  const labelWidth = HEAT.labelWidth + (kindLabel ? HEAT.kindWidth : 0);
  const rows = latest.map((review): HeatRow => {
    const scored = scoreOf(rubricOf(review.snapshotId), consensus.get(review.id) ?? []);
    const several = (programsPerMunicipality.get(review.municipalityCode) ?? 0) > 1;
    return {
      programId: review.programId,
      reviewId: review.id,
      municipalityCode: review.municipalityCode,
      municipalityName: review.municipalityName,
      programName: review.programName,
      label: several ? `${review.municipalityName}: ${review.programName}` : review.municipalityName,
      reviewDate: review.reviewDate,
      kind: review.kind,
      kindLabel: kindLabel ? kindLabel(review.kind) : '',
      rubricVersion: review.rubricVersion,
      otherVersion: review.rubricVersion !== reference.version,
      cells: columns.map((column) => toCell(scored.sections.get(column.id) ?? null, reference.rubric, bands, levels, locale)),
      overall: toCell(scored.overall, reference.rubric, bands, levels, locale, scored.levelId),
    };
  });
  return {
    columns,
    rows,
    bands,
    referenceVersion: reference.version,
    hasOtherVersions: rows.some((row) => row.otherVersion),
    showKind: kindLabel !== undefined,
    svg: {
      ...HEAT,
      labelWidth: labelWidth,
      kindWidth: kindLabel ? HEAT.kindWidth : 0,
      width: labelWidth + (columns.length + 1) * HEAT.cellWidth + 2,
      height: HEAT.headHeight + rows.length * HEAT.cellHeight + 2,
    },
  };
}

/** One program's rounds (final reviews of one rubric, oldest first) as small multiples: overall and per section. */
export function buildTrend(
  reference: { readonly rubric: Rubric; readonly version: string },
  rounds: readonly FinalReview[],
  consensus: ReviewScoresById,
  rubricOf: (snapshotId: number) => Rubric,
  locale: Locale,
  overallTitle: string,
): Trend | undefined {
  const first = rounds[0];
  if (!first) return undefined;
  const plotWidth = TREND.plotRight - TREND.plotLeft;
  const xOf = (index: number) =>
    rounds.length === 1 ? TREND.plotLeft + plotWidth / 2 : TREND.plotLeft + 10 + (index * (plotWidth - 20)) / (rounds.length - 1);
  const yOf = (percent: number) => TREND.plotBottom - (Math.min(100, Math.max(0, percent)) / 100) * (TREND.plotBottom - TREND.plotTop);
  const scoreOf = createConsensusScorer();
  const levels = levelBands(reference.rubric);
  const scored = rounds.map((round) => scoreOf(rubricOf(round.snapshotId), consensus.get(round.id) ?? []));

  let panel = 0;
  const chartOf = (id: string, code: string, title: string, percents: readonly (number | null)[]): TrendChart => {
    const offsetX = (panel % TREND_COLUMNS) * TREND.width;
    const offsetY = Math.floor(panel / TREND_COLUMNS) * TREND.height;
    panel++;
    const fullTitle = code === '' ? title : `${code} ${title}`;
    const points = percents.flatMap((percent, index) =>
      percent === null ? [] : [{ x: round1(xOf(index)), y: round1(yOf(percent)), text: formatFigureNumber(percent, locale, levels) }],
    );
    return {
      id,
      code,
      title,
      shortTitle: fullTitle.length <= 36 ? fullTitle : `${fullTitle.slice(0, 35)}…`,
      offsetX,
      offsetY,
      polyline: points.length >= 2 ? points.map((point) => `${point.x},${point.y}`).join(' ') : '',
      points,
      values: percents.map((percent) => formatFigurePercent(percent, locale, levels)),
    };
  };

  const overall = chartOf(
    'overall',
    '',
    overallTitle,
    scored.map((score) => score.overall),
  );
  const sections = reference.rubric.sections.map((section) =>
    chartOf(
      section.id,
      section.code,
      section.title[locale],
      scored.map((score) => score.sections.get(section.id) ?? null),
    ),
  );
  return {
    programId: first.programId,
    programName: first.programName,
    municipalityName: first.municipalityName,
    rounds: rounds.map((round, index) => ({
      reviewId: round.id,
      reviewDate: round.reviewDate,
      kind: round.kind,
      rubricVersion: round.rubricVersion,
      otherVersion: round.rubricVersion !== reference.version,
      x: round1(xOf(index)),
    })),
    overall,
    sections,
    svg: {
      ...TREND,
      panelWidth: TREND.width,
      width: Math.min(panel, TREND_COLUMNS) * TREND.width,
      height: Math.ceil(panel / TREND_COLUMNS) * TREND.height,
      gridLines: [0, 25, 50, 75, 100].map((percent) => ({ y: round1(yOf(percent)), label: String(percent) })),
    },
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Black or white text, whichever has the higher WCAG contrast ratio on the fill. */
export function pickTextColour(fill: string): string {
  const luminance = relativeLuminance(fill);
  const onDark = 1.05 / (luminance + 0.05);
  const onLight = (luminance + 0.05) / (relativeLuminance(DARK_TEXT) + 0.05);
  return onDark > onLight ? LIGHT_TEXT : DARK_TEXT;
}

/** WCAG 2.1 relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function computeContrast(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}
