// Reads a long-format CSV from anywhere for the agreement CLI and prints its statistics. Pure apart from the
// text it is given. Only review_id, indicator_id, rater, score and is_consensus are needed; other columns are
// ignored. Each (review_id, indicator_id) is one unit; consensus rows are skipped; an empty score (missing or
// N/A) is no rating. Scores may be any finite number, on any scale. A file with semicolons or tabs between its fields
// (as Excel saves it where the decimal mark is a comma, as in Swedish, or as cells pasted from it) may write a decimal
// comma: "2,5" is 2.5.
//
// As the research page does: statistics per review, and over all units, with the median of the reviews' own
// ICC(2,1) and ICC(2,k). A rater is known only within a review: the export gives researchers pseudonyms per
// review (R1 of one review is not R1 of another), so raters are never pooled across reviews. A rater who scored
// nothing has no score in the file and is not counted, as on the pages. No ICC gets a quality label that
// interpretIcc refuses (too few complete units, or outside [−1, 1]).
import {
  type AgreementStatistics,
  computeAgreement,
  classifyAlpha,
  computeMedian,
  type IccResult,
  interpretIcc,
  isIccInterpretable,
  MIN_ICC_UNITS,
  type Unit,
} from '../agreement/agreement.js';
import { CsvSyntaxError, detectCsvDelimiter, parseCsvText, unguardText } from '../http/csv.js';

export const REQUIRED_COLUMNS = ['review_id', 'indicator_id', 'rater', 'score', 'is_consensus'] as const;

export class AgreementFileError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'AgreementFileError';
    this.line = line;
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** A number with one decimal comma: "2,5", "-0,25", ",5". */
const DECIMAL_COMMA = /^([+-]?\d*),(\d+([eE][+-]?\d+)?)$/;

/** The units of a long-format CSV, raters by their label as written. Throws AgreementFileError naming the first line at fault. */
export function readAgreementUnits(text: string): Unit[] {
  return readAgreementReviews(text).flatMap((review) => review.units);
}

export type AgreementReviewUnits = { readonly reviewId: string; readonly units: readonly Unit[] };

/** The units of a long-format CSV by review (in order of first appearance), raters by their label within the review. */
export function readAgreementReviews(text: string): AgreementReviewUnits[] {
  let header: readonly string[] | undefined;
  let headerLine = 1;
  const index: Partial<Record<(typeof REQUIRED_COLUMNS)[number], number>> = {};
  const units = new Map<
    string,
    { reviewId: string; item: string; ratings: { rater: string; value: number }[]; lines: Map<string, number> }
  >();
  const delimiter = detectCsvDelimiter(text);
  // Only where the comma cannot be the delimiter (semicolons, or tabs pasted from a spreadsheet): in a comma-separated
  // file "2,5" is two fields anyway.
  const toNumberText = (score: string) => (delimiter === ',' ? score : score.replace(DECIMAL_COMMA, '$1.$2'));
  try {
    for (const record of parseCsvText(text, delimiter)) {
      if (!header) {
        header = record.fields.map((name) => name.trim());
        headerLine = record.line;
        const missing = REQUIRED_COLUMNS.filter((column) => !header?.includes(column));
        if (missing.length > 0) throw new AgreementFileError(record.line, `missing column(s): ${missing.join(', ')}`);
        for (const column of REQUIRED_COLUMNS) index[column] = header.indexOf(column);
        continue;
      }
      const { line, fields } = record;
      if (fields.length !== header.length)
        throw new AgreementFileError(line, `${fields.length} fields, but the header has ${header.length}`);
      const field = (column: (typeof REQUIRED_COLUMNS)[number]) => unguardText((fields[index[column] ?? -1] ?? '').trim());
      const consensus = field('is_consensus');
      if (consensus !== '0' && consensus !== '1') throw new AgreementFileError(line, `is_consensus must be 0 or 1, not "${consensus}"`);
      if (consensus === '1') continue;
      const reviewId = field('review_id');
      const indicatorId = field('indicator_id');
      const rater = field('rater');
      const score = field('score');
      if (reviewId === '') throw new AgreementFileError(line, 'review_id is empty');
      if (indicatorId === '') throw new AgreementFileError(line, 'indicator_id is empty');
      if (rater === '') throw new AgreementFileError(line, 'rater is empty');
      if (score === '') continue;
      const numberText = toNumberText(score);
      const value = Number(numberText);
      if (!NUMBER.test(numberText) || !Number.isFinite(value)) throw new AgreementFileError(line, `score "${score}" is not a number`);
      const key = `${reviewId}\u0000${indicatorId}`;
      let unit = units.get(key);
      if (!unit) {
        unit = { reviewId, item: indicatorId, ratings: [], lines: new Map() };
        units.set(key, unit);
      }
      const earlier = unit.lines.get(rater);
      if (earlier !== undefined) {
        throw new AgreementFileError(
          line,
          `rater "${rater}" already scored indicator "${indicatorId}" of review "${reviewId}" on line ${earlier}`,
        );
      }
      unit.lines.set(rater, line);
      unit.ratings.push({ rater, value });
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new AgreementFileError(error.line, error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  if (!header) throw new AgreementFileError(headerLine, 'the file is empty');
  const reviews = new Map<string, Unit[]>();
  for (const { reviewId, item, ratings } of units.values()) {
    const list = reviews.get(reviewId);
    if (list) list.push({ item, ratings });
    else reviews.set(reviewId, [{ item, ratings }]);
  }
  return [...reviews.entries()].map(([reviewId, reviewUnits]) => ({ reviewId, units: reviewUnits }));
}

export type FileAgreement = {
  /** Over every unit of every review, each rater keyed by review and label (never pooled across reviews). */
  readonly statistics: AgreementStatistics;
  readonly reviews: readonly { readonly reviewId: string; readonly statistics: AgreementStatistics }[];
  /** The median of the reviews' own ICC(2,1) and ICC(2,k), over the reviews whose ICCs can be interpreted. */
  readonly medianIcc: { readonly reviews: number; readonly icc2: number | null; readonly icc2k: number | null };
};

export function computeFileAgreement(text: string): FileAgreement {
  const reviews = readAgreementReviews(text);
  const statistics = computeAgreement(
    reviews.flatMap(({ reviewId, units }) =>
      units.map((unit) => ({
        ...unit,
        ratings: unit.ratings.map((rating) => ({ rater: `${reviewId}\u0000${rating.rater}`, value: rating.value })),
      })),
    ),
  );
  const perReview = reviews.map(({ reviewId, units }) => ({ reviewId, statistics: computeAgreement(units) }));
  const readable = perReview.map((review) => review.statistics.icc).filter(isIccInterpretable);
  return {
    statistics,
    reviews: perReview,
    medianIcc: {
      reviews: readable.length,
      icc2: computeMedian(readable.map((icc) => icc.ICC2 ?? 0)),
      icc2k: computeMedian(readable.map((icc) => icc.ICC2k ?? 0)),
    },
  };
}

/** "good", or why the ICC cannot be interpreted; null when there is no ICC. */
function describeIcc(value: number | null, unitsUsed: number): string | null {
  const interpretation = interpretIcc(value, unitsUsed);
  if (!interpretation) return null;
  if (interpretation.band) return interpretation.band;
  return interpretation.uninterpretable === 'outOfRange'
    ? 'cannot be interpreted: outside [-1, 1]'
    : `cannot be interpreted: fewer than ${MIN_ICC_UNITS} units rated by every rater`;
}

function toStatisticsJson(statistics: AgreementStatistics) {
  const { icc, alpha, pairwise } = statistics;
  const forms = ['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k'] as const;
  return {
    units: statistics.units,
    raters: statistics.raters,
    ratings: statistics.ratings,
    icc: {
      ICC1: icc.ICC1,
      ICC2: icc.ICC2,
      ICC3: icc.ICC3,
      ICC1k: icc.ICC1k,
      ICC2k: icc.ICC2k,
      ICC3k: icc.ICC3k,
      units_used: icc.unitsUsed,
    },
    icc_interpretation: Object.fromEntries(forms.map((form) => [form, describeIcc(icc[form], icc.unitsUsed)])),
    krippendorff_alpha: { nominal: alpha.nominal, ordinal: alpha.ordinal, interval: alpha.interval },
    percent_exact: pairwise.percentExact,
    percent_within_1: pairwise.percentWithin1,
    mean_abs_diff: pairwise.meanAbsDiff,
  };
}

/**
 * Exactly the object the CLI's --json prints. Percents are 0-100; a figure that cannot be computed is null. The top
 * level is over every unit (raters counted per review); `reviews` has each review's own figures, and `median_icc`
 * the median of their ICC(2,1) and ICC(2,k) over the reviews whose ICCs can be interpreted.
 */
export function toAgreementJson(agreement: FileAgreement) {
  return {
    ...toStatisticsJson(agreement.statistics),
    reviews: agreement.reviews.map((review) => ({ review_id: review.reviewId, ...toStatisticsJson(review.statistics) })),
    median_icc: { reviews: agreement.medianIcc.reviews, ICC2: agreement.medianIcc.icc2, ICC2k: agreement.medianIcc.icc2k },
  };
}

const fixed = (value: number | null, digits = 3) => (value === null ? 'n/a' : value.toFixed(digits));

const ICC_ROWS = [
  ['ICC(1,1)', 'ICC1'],
  ['ICC(2,1)', 'ICC2'],
  ['ICC(3,1)', 'ICC3'],
  ['ICC(1,k)', 'ICC1k'],
  ['ICC(2,k)', 'ICC2k'],
  ['ICC(3,k)', 'ICC3k'],
] as const;

function formatIccLines(icc: IccResult): string[] {
  return ICC_ROWS.map(([name, form]) =>
    `  ${name.padEnd(9)} ${fixed(icc[form]).padStart(7)}  ${describeIcc(icc[form], icc.unitsUsed) ?? ''}`.trimEnd(),
  );
}

/** A plain-text report for a terminal. */
export function formatAgreementText(agreement: FileAgreement, topItems = 10): string {
  const { statistics } = agreement;
  const { icc, alpha, pairwise } = statistics;
  const several = agreement.reviews.length > 1;
  const lines = [
    several
      ? `Reviews: ${agreement.reviews.length}   Units: ${statistics.units}   Raters: ${statistics.raters} (counted per review)   Ratings: ${statistics.ratings}`
      : `Units: ${statistics.units}   Raters: ${statistics.raters}   Ratings: ${statistics.ratings}`,
    '',
  ];
  if (several) {
    lines.push(
      'ICC (Shrout & Fleiss 1979) per review, over the units rated by all of its raters; raters are known only',
      'within a review (pseudonyms per review), so no ICC is computed across reviews:',
      `  ${'review'.padEnd(24)} ${'units'.padStart(5)} ${'raters'.padStart(6)} ${'ICC(2,1)'.padStart(8)}  ${'ICC(2,k)'.padStart(8)}`,
    );
    for (const review of agreement.reviews) {
      const reviewIcc = review.statistics.icc;
      const label = isIccInterpretable(reviewIcc)
        ? ''
        : `  ${describeIcc(reviewIcc.ICC2k, reviewIcc.unitsUsed) ?? describeIcc(reviewIcc.ICC2, reviewIcc.unitsUsed) ?? 'cannot be computed'}`;
      lines.push(
        `  ${review.reviewId.padEnd(24)} ${String(reviewIcc.unitsUsed).padStart(5)} ${String(reviewIcc.raters).padStart(6)} ${fixed(reviewIcc.ICC2).padStart(8)}  ${fixed(reviewIcc.ICC2k).padStart(8)}${label}`,
      );
    }
    const { medianIcc } = agreement;
    lines.push(
      medianIcc.reviews > 0
        ? `  median of the ${medianIcc.reviews} reviews whose ICC can be interpreted: ICC(2,1) ${fixed(medianIcc.icc2)}, ICC(2,k) ${fixed(medianIcc.icc2k)}`
        : `  no review's ICC can be interpreted (each needs at least ${MIN_ICC_UNITS} units rated by all its raters), so there is no median`,
    );
  } else {
    lines.push(`ICC (Shrout & Fleiss 1979), over the ${icc.unitsUsed} units rated by all ${icc.raters} raters:`, ...formatIccLines(icc));
  }
  lines.push(
    `  (Koo & Li 2016: < .50 poor, .50-.75 moderate, .75-.90 good, > .90 excellent; not read from fewer than ${MIN_ICC_UNITS} units or outside [-1, 1])`,
    '',
    `Krippendorff's alpha (all units, missing ratings allowed):`,
  );
  for (const metric of ['nominal', 'ordinal', 'interval'] as const) {
    lines.push(`  ${metric.padEnd(9)} ${fixed(alpha[metric]).padStart(7)}  ${classifyAlpha(alpha[metric]) ?? ''}`.trimEnd());
  }
  lines.push(
    '  (>= .800 reliable, >= .667 tentative)',
    '',
    `Pairs of ratings of the same unit: ${pairwise.pairs}`,
    `  exact agreement         ${fixed(pairwise.percentExact, 1)} %`,
    `  within 1 point          ${fixed(pairwise.percentWithin1, 1)} %`,
    `  mean absolute difference ${fixed(pairwise.meanAbsDiff, 2)}`,
  );
  const items = statistics.items.filter((item) => (item.meanAbsDiff ?? 0) > 0).slice(0, topItems);
  if (items.length > 0) {
    lines.push('', 'Indicators raters disagree on most (mean absolute difference, exact agreement, pairs):');
    for (const item of items) {
      lines.push(
        `  ${item.item.padEnd(32)} ${fixed(item.meanAbsDiff, 2).padStart(6)} ${`${fixed(item.percentExact, 1)} %`.padStart(8)} ${String(item.pairs).padStart(6)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
