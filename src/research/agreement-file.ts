// Reads a long-format CSV from anywhere for the agreement CLI and prints its statistics. Pure apart from the
// text it is given. Only review_id, indicator_id, rater, score and is_consensus are needed; other columns are
// ignored. Each (review_id, indicator_id) is one unit; consensus rows are skipped; an empty score (missing or
// N/A) is no rating. Scores may be any finite number, on any scale. A file with semicolons between its fields
// (as Excel saves it where the decimal mark is a comma, as in Swedish) may write a decimal comma: "2,5" is 2.5.
import { type AgreementStatistics, computeAgreement, classifyAlpha, classifyIcc, type Unit } from './agreement.js';
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

/** The units of a long-format CSV. Throws AgreementFileError naming the first line at fault. */
export function readAgreementUnits(text: string): Unit[] {
  let header: readonly string[] | undefined;
  let headerLine = 1;
  const index: Partial<Record<(typeof REQUIRED_COLUMNS)[number], number>> = {};
  const units = new Map<string, { item: string; ratings: { rater: string; value: number }[]; lines: Map<string, number> }>();
  const delimiter = detectCsvDelimiter(text);
  // Only where the comma cannot be the delimiter: in a comma-separated file "2,5" is two fields anyway.
  const toNumberText = (score: string) => (delimiter === ';' ? score.replace(DECIMAL_COMMA, '$1.$2') : score);
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
      if (fields.length !== header.length) throw new AgreementFileError(line, `${fields.length} fields, but the header has ${header.length}`);
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
        unit = { item: indicatorId, ratings: [], lines: new Map() };
        units.set(key, unit);
      }
      const earlier = unit.lines.get(rater);
      if (earlier !== undefined) {
        throw new AgreementFileError(line, `rater "${rater}" already scored indicator "${indicatorId}" of review "${reviewId}" on line ${earlier}`);
      }
      unit.lines.set(rater, line);
      unit.ratings.push({ rater, value });
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new AgreementFileError(error.line, error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  if (!header) throw new AgreementFileError(headerLine, 'the file is empty');
  return [...units.values()].map(({ item, ratings }) => ({ item, ratings }));
}

export function computeFileAgreement(text: string): AgreementStatistics {
  return computeAgreement(readAgreementUnits(text));
}

/** Exactly the object the CLI's --json prints. Percents are 0-100; a figure that cannot be computed is null. */
export function toAgreementJson(statistics: AgreementStatistics) {
  const { icc, alpha, pairwise } = statistics;
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
    krippendorff_alpha: { nominal: alpha.nominal, ordinal: alpha.ordinal, interval: alpha.interval },
    percent_exact: pairwise.percentExact,
    percent_within_1: pairwise.percentWithin1,
    mean_abs_diff: pairwise.meanAbsDiff,
  };
}

const fixed = (value: number | null, digits = 3) => (value === null ? 'n/a' : value.toFixed(digits));

/** A plain-text report for a terminal. */
export function formatAgreementText(statistics: AgreementStatistics, topItems = 10): string {
  const { icc, alpha, pairwise } = statistics;
  const lines = [
    `Units: ${statistics.units}   Raters: ${statistics.raters}   Ratings: ${statistics.ratings}`,
    '',
    `ICC (Shrout & Fleiss 1979), over the ${icc.unitsUsed} units rated by all ${icc.raters} raters:`,
  ];
  const iccRows: [string, number | null][] = [
    ['ICC(1,1)', icc.ICC1],
    ['ICC(2,1)', icc.ICC2],
    ['ICC(3,1)', icc.ICC3],
    ['ICC(1,k)', icc.ICC1k],
    ['ICC(2,k)', icc.ICC2k],
    ['ICC(3,k)', icc.ICC3k],
  ];
  for (const [name, value] of iccRows) lines.push(`  ${name.padEnd(9)} ${fixed(value).padStart(7)}  ${classifyIcc(value) ?? ''}`);
  lines.push('  (Koo & Li 2016: < .50 poor, .50-.75 moderate, .75-.90 good, > .90 excellent)', '', "Krippendorff's alpha (all units, missing ratings allowed):");
  for (const metric of ['nominal', 'ordinal', 'interval'] as const) {
    lines.push(`  ${metric.padEnd(9)} ${fixed(alpha[metric]).padStart(7)}  ${classifyAlpha(alpha[metric]) ?? ''}`);
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
      lines.push(`  ${item.item.padEnd(32)} ${fixed(item.meanAbsDiff, 2).padStart(6)} ${`${fixed(item.percentExact, 1)} %`.padStart(8)} ${String(item.pairs).padStart(6)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
