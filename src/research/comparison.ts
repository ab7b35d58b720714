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
// - The overall column is the figure the level is decided on: the sections of the parts that decide it (A1–A8 in
//   bostad-forst 2.0), named from the rubric's parts. A row whose level a core element caps carries the cap's words,
//   since its colour (the capped level) is then not the band of its figure.
// - Each review is scored with the version it was made with, so a trend's line joins only rounds of one kind and one
//   version: a self-assessment and a peer review are separate series (marker and dash, not colour alone), and a
//   change of version breaks the line, since the overall percent of another version is another measure.
import { formatLevel, formatScore, formatThresholdPercent, MISSING } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { describeVerdict } from '../reviews/level-explanation.js';
import { formatFigurePercent, type IndicatorScore, levelBands, type ReviewScores, roundFigure, scoreReview } from '../reviews/scoring.js';
import { REVIEW_KINDS, type ReviewKind } from '../reviews/review-types.js';
import { findBandLevel, partDecidesLevel, type Rubric } from '../rubrics/rubric-schema.js';
import type { FinalReview, ProgramName, ScoreRow } from './research-store.js';

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
  /** The sections the overall figure of the row's own version is the mean of: "A1–A8". */
  readonly overallCodes: string;
  readonly cells: readonly HeatCell[];
  readonly overall: HeatCell;
  /**
   * When a core element caps the level below the band of the figure: one sentence per cap naming the indicators that
   * set it off ("Nivån begränsas till Delvis modelltrohet: indikatorn A3.1 … fick 1 av 4 …"), and the rubric's reasons.
   */
  readonly cap: { readonly sentences: readonly string[]; readonly reasons: readonly string[] } | undefined;
};

export type ColumnHead = { readonly id: string; readonly code: string; readonly title: string };

export type HeatMap = {
  readonly columns: readonly ColumnHead[];
  readonly rows: readonly HeatRow[];
  readonly bands: readonly Band[];
  readonly referenceVersion: string;
  readonly hasOtherVersions: boolean;
  /** The overall column's head, as HeatMapOptions.overallLabel words it: "Sammanvägd modelltrohet (A1–A8)". */
  readonly overallLabel: string;
  /** The codes of the sections the overall column is the mean of, when it leaves some out ("A1–A8"); else undefined. */
  readonly overallCodes: string | undefined;
  /** Whether any row's level is capped below the band of its figure (a mark and its note). */
  readonly hasCaps: boolean;
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
    /** The overall column: set apart from the sections by a gap, wider, its head wrapped over lines. */
    readonly overallX: number;
    readonly overallWidth: number;
    readonly overallHeadLines: readonly { readonly text: string; readonly y: number }[];
  };
};

export type HeatMapOptions = {
  /** Names a review kind: given when the reviews may be of several kinds, so that each row says its kind. */
  readonly kindLabel: ((kind: ReviewKind) => string) | undefined;
  /**
   * Words the overall column's head from the codes of the sections it is the mean of ("A1–A8"), undefined when it is
   * the mean of every section.
   */
  readonly overallLabel?: (codes: string | undefined) => string;
};

export type TrendPoint = {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  /** Where the value's text sits: above the point for peer reviews, below it for self-assessments. */
  readonly textY: number;
};

/** How a kind of review is drawn: never by colour alone, also by its marker and its line's dash. */
export type SeriesStyle = {
  readonly stroke: string;
  /** stroke-dasharray, '' for a solid line. */
  readonly dash: string;
  readonly marker: 'circle' | 'square';
};

export type TrendSeries = SeriesStyle & {
  readonly kind: ReviewKind;
  /** "x,y x,y …" per run of two or more rounds of this kind made with one rubric version. */
  readonly lines: readonly string[];
  readonly points: readonly TrendPoint[];
};

export type TrendChart = {
  readonly id: string;
  readonly code: string;
  readonly title: string;
  /** The title as it fits above the panel. */
  readonly shortTitle: string;
  /** Where the panel sits in the chart grid. */
  readonly offsetX: number;
  readonly offsetY: number;
  /** One per kind of review among the rounds, in REVIEW_KINDS order. */
  readonly series: readonly TrendSeries[];
  /** Per round, the value as text ("74,5 %" or "–"), as on the result page. */
  readonly values: readonly string[];
};

export type TrendRound = {
  readonly reviewId: number;
  readonly reviewDate: string;
  readonly kind: FinalReview['kind'];
  readonly rubricVersion: string;
  readonly otherVersion: boolean;
  /** The sections the round's overall figure is the mean of, in its own version: "A1–A8". */
  readonly overallCodes: string;
  readonly x: number;
};

export type Trend = {
  readonly programId: number;
  readonly programName: string;
  readonly municipalityName: string;
  readonly rounds: readonly TrendRound[];
  /** The kinds among the rounds, each with how it is drawn, for the legend. */
  readonly kinds: readonly (SeriesStyle & { readonly kind: ReviewKind })[];
  /** Between rounds of different versions: where the lines break, marked by a dashed upright line. */
  readonly versionBreaks: readonly { readonly x: number; readonly from: string; readonly to: string }[];
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

/** Small numbers (docs/research-data.md): a comparison of fewer programs than this is said to be fragile. */
export const MIN_COMPARISON_PROGRAMS = 3;
/** How many programs without a final review in the selection are named under the heat map; the rest are counted. */
export const MAX_MISSING_NAMED = 20;

const HEAT = { labelWidth: 260, kindWidth: 150, cellWidth: 46, cellHeight: 26, headHeight: 28 } as const;
/**
 * The overall column: a gap sets it apart from the sections (it is not their mean when some parts do not decide the
 * level), and its head wraps at about OVERALL_HEAD_CHARS characters a line of 11 px bold text, within its width.
 */
const OVERALL = { gap: 10, width: 104, lineHeight: 13 } as const;
const OVERALL_HEAD_CHARS = 14;
const SERIES_STYLES: Readonly<Record<ReviewKind, SeriesStyle>> = {
  peer_review: { stroke: '#0b4f8a', dash: '', marker: 'circle' },
  self_assessment: { stroke: '#9a4a00', dash: '5 3', marker: 'square' },
};
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

/**
 * Section percents by section id, and the overall percent and level (caps applied), of one review from its consensus;
 * with the whole scoring, for the words of a cap.
 */
type ConsensusFigures = {
  sections: Map<string, number | null>;
  overall: number | null;
  levelId: string | undefined;
  scores: ReviewScores;
};

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
    scores: result,
  };
}

/**
 * The codes of the sections a rubric's overall figure is the mean of, those of the parts that decide the level:
 * "A1–A8" when they follow one another in the rubric, else listed ("A1, A3"). As the report's trend table names them.
 */
export function describeOverallSections(rubric: Rubric): string {
  const deciding = new Set(rubric.parts.filter(partDecidesLevel).map((part) => part.id));
  const indexes = rubric.sections.flatMap((section, index) => (deciding.has(section.kind) ? [index] : []));
  const first = indexes[0];
  const last = indexes.at(-1);
  if (first === undefined || last === undefined) return '';
  const codeAt = (index: number) => rubric.sections[index]?.code ?? '';
  if (first === last) return codeAt(first);
  return last - first + 1 === indexes.length ? `${codeAt(first)}–${codeAt(last)}` : indexes.map(codeAt).join(', ');
}

/** Whether the overall figure leaves some sections out (they are reported beside the level). */
function overallLeavesSectionsOut(rubric: Rubric): boolean {
  return rubric.parts.some((part) => !partDecidesLevel(part) && rubric.sections.some((section) => section.kind === part.id));
}

/** Words over lines of at most `max` characters (a longer word keeps a line of its own). */
export function wrapWords(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
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

/**
 * The programs with no row in the heat map (no final review in the selection), named as rows are: the municipality,
 * with the program when the municipality has several.
 */
export function listProgramsWithoutReview(programs: readonly ProgramName[], latest: readonly FinalReview[]): string[] {
  const shown = new Set(latest.map((review) => review.programId));
  const perMunicipality = new Map<string, number>();
  for (const program of programs) perMunicipality.set(program.municipalityCode, (perMunicipality.get(program.municipalityCode) ?? 0) + 1);
  return programs
    .filter((program) => !shown.has(program.programId))
    .map((program) =>
      (perMunicipality.get(program.municipalityCode) ?? 0) > 1
        ? `${program.municipalityName}: ${program.programName}`
        : program.municipalityName,
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
    const rubric = rubricOf(review.snapshotId);
    const scored = scoreOf(rubric, consensus.get(review.id) ?? []);
    const several = (programsPerMunicipality.get(review.municipalityCode) ?? 0) > 1;
    const verdict = scored.scores.overall.explanation.caps.some((cap) => cap.lowered)
      ? describeVerdict(rubric, scored.scores, locale)
      : undefined;
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
      overallCodes: describeOverallSections(rubric),
      cells: columns.map((column) => toCell(scored.sections.get(column.id) ?? null, reference.rubric, bands, levels, locale)),
      overall: toCell(scored.overall, reference.rubric, bands, levels, locale, scored.levelId),
      cap: verdict?.capped ? { sentences: verdict.caps, reasons: verdict.capReasons } : undefined,
    };
  });
  const overallCodes = overallLeavesSectionsOut(reference.rubric) ? describeOverallSections(reference.rubric) : undefined;
  const overallLabel = (options.overallLabel ?? (() => 'Overall'))(overallCodes);
  const headLines = wrapWords(overallLabel, OVERALL_HEAD_CHARS);
  const headHeight = Math.max(HEAT.headHeight, headLines.length * OVERALL.lineHeight + 15);
  const overallX = labelWidth + columns.length * HEAT.cellWidth + OVERALL.gap;
  return {
    columns,
    rows,
    bands,
    referenceVersion: reference.version,
    hasOtherVersions: rows.some((row) => row.otherVersion),
    overallLabel,
    overallCodes,
    hasCaps: rows.some((row) => row.cap !== undefined),
    showKind: kindLabel !== undefined,
    svg: {
      ...HEAT,
      labelWidth: labelWidth,
      kindWidth: kindLabel ? HEAT.kindWidth : 0,
      headHeight,
      overallX,
      overallWidth: OVERALL.width,
      // Bottom-aligned with the sections' codes, whose baseline is 9 above the cells.
      overallHeadLines: headLines.map((text, index) => ({
        text,
        y: headHeight - 9 - (headLines.length - 1 - index) * OVERALL.lineHeight,
      })),
      width: overallX + OVERALL.width + 2,
      height: headHeight + rows.length * HEAT.cellHeight + 2,
    },
  };
}

/**
 * One program's rounds (final reviews of one rubric, oldest first) as small multiples: overall and per section. Each
 * kind of review is a series of its own, and its line joins only rounds made with one version of the rubric.
 */
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
  const kinds = REVIEW_KINDS.filter((kind) => rounds.some((round) => round.kind === kind));

  let panel = 0;
  const chartOf = (id: string, code: string, title: string, percents: readonly (number | null)[]): TrendChart => {
    const offsetX = (panel % TREND_COLUMNS) * TREND.width;
    const offsetY = Math.floor(panel / TREND_COLUMNS) * TREND.height;
    panel++;
    const fullTitle = code === '' ? title : `${code} ${title}`;
    const series = kinds.map((kind): TrendSeries => {
      const style = SERIES_STYLES[kind];
      const points: TrendPoint[] = [];
      const lines: string[] = [];
      // A run of points of this kind with one version; a round of another version ends it.
      let run: TrendPoint[] = [];
      let runVersion: string | undefined;
      const endRun = () => {
        if (run.length >= 2) lines.push(run.map((point) => `${point.x},${point.y}`).join(' '));
        run = [];
      };
      rounds.forEach((round, index) => {
        const percent = percents[index] ?? null;
        if (round.kind !== kind || percent === null) return;
        const y = round1(yOf(percent));
        const point = {
          x: round1(xOf(index)),
          y,
          text: formatFigureNumber(percent, locale, levels),
          textY: style.marker === 'circle' ? round1(y - 7) : round1(y + 15),
        };
        if (round.rubricVersion !== runVersion) endRun();
        runVersion = round.rubricVersion;
        run.push(point);
        points.push(point);
      });
      endRun();
      return { kind, ...style, lines, points };
    });
    return {
      id,
      code,
      title,
      shortTitle: fullTitle.length <= 36 ? fullTitle : `${fullTitle.slice(0, 35)}…`,
      offsetX,
      offsetY,
      series,
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
  const versionBreaks = rounds.flatMap((round, index) => {
    const before = rounds[index - 1];
    return before && before.rubricVersion !== round.rubricVersion
      ? [{ x: round1((xOf(index - 1) + xOf(index)) / 2), from: before.rubricVersion, to: round.rubricVersion }]
      : [];
  });
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
      overallCodes: describeOverallSections(rubricOf(round.snapshotId)),
      x: round1(xOf(index)),
    })),
    kinds: kinds.map((kind) => ({ kind, ...SERIES_STYLES[kind] })),
    versionBreaks,
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
