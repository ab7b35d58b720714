// The long format: one CSV row per rating, the base of every research export and of the import.
// Columns (in this order): municipality_code, program, review_id, review_date, rubric_id, rubric_version,
// section_id, indicator_id, rater, rater_role, score, not_applicable, is_consensus.
// - score is empty when the rating is missing or N/A; not_applicable and is_consensus are 0 or 1.
// - A consensus row has is_consensus 1 and an empty rater and rater_role.
// - rater is a pseudonym (R01, R02, … by first appearance, stable within one export) unless an administrator
//   asked for names; rater_role is the panel role (lead or reviewer).
import { type CsvCell, formatCsvHeader, formatCsvRow } from '../http/csv.js';

export const LONG_COLUMNS = [
  'municipality_code',
  'program',
  'review_id',
  'review_date',
  'rubric_id',
  'rubric_version',
  'section_id',
  'indicator_id',
  'rater',
  'rater_role',
  'score',
  'not_applicable',
  'is_consensus',
] as const;
export type LongColumn = (typeof LONG_COLUMNS)[number];

export type LongRow = {
  readonly municipalityCode: string;
  readonly program: string;
  readonly reviewId: number;
  readonly reviewDate: string;
  readonly rubricId: string;
  readonly rubricVersion: string;
  readonly sectionId: string;
  readonly indicatorId: string;
  /** Empty for consensus rows. */
  readonly rater: string;
  readonly raterRole: string;
  readonly score: number | null;
  readonly notApplicable: boolean;
  readonly isConsensus: boolean;
};

export function formatLongHeader(): string {
  return formatCsvHeader(LONG_COLUMNS);
}

export function formatLongRow(row: LongRow): string {
  const cells: CsvCell[] = [
    { text: row.municipalityCode },
    { text: row.program },
    { number: row.reviewId },
    { text: row.reviewDate },
    { text: row.rubricId },
    { text: row.rubricVersion },
    { text: row.sectionId },
    { text: row.indicatorId },
    { text: row.rater },
    { text: row.raterRole },
    { number: row.notApplicable ? null : row.score },
    { number: row.notApplicable ? 1 : 0 },
    { number: row.isConsensus ? 1 : 0 },
  ];
  return formatCsvRow(cells);
}

export type Pseudonymizer = (key: number | string) => string;

/**
 * Gives each distinct key a pseudonym by first appearance: R01, R02, … (R100 after R99). The mapping lives only as
 * long as one export, so pseudonyms are stable within it and carry nothing from one export to the next.
 */
export function createPseudonymizer(prefix = 'R'): Pseudonymizer {
  const pseudonyms = new Map<number | string, string>();
  return (key) => {
    let pseudonym = pseudonyms.get(key);
    if (pseudonym === undefined) {
      pseudonym = `${prefix}${String(pseudonyms.size + 1).padStart(2, '0')}`;
      pseudonyms.set(key, pseudonym);
    }
    return pseudonym;
  };
}
