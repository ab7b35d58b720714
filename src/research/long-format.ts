// The long format: one CSV row per rating, the base of every research export and of the import.
// Columns (in this order): municipality_code, program, review_id, source_review_id, review_date, kind, rubric_id,
// rubric_version, section_id, indicator_id, rater, rater_role, score, not_applicable, is_consensus.
// docs/research-data.md describes each, and a test holds the two together.
// - source_review_id is an imported round's review_id in the file it came from; empty for a review made in the app.
// - kind is the kind of the review: peer_review or self_assessment.
// - A missing rating has no row. score is empty only on an N/A row (not_applicable 1); not_applicable and
//   is_consensus are 0 or 1.
// - A consensus row has is_consensus 1 and an empty rater (and rater_role).
// - Who gets what (see research-export.ts): an administrator's export has rater_role (lead or reviewer) and
//   rater names on request, else one pseudonym per person (R01, R02, …), the same in every file. Everyone
//   else's export has no rater_role, and pseudonyms per review (R1, R2, …) in an order no one can derive (see
//   assignReviewPseudonyms): R1 of one review and R1 of another are not known to be the same person.
// - The import reads every column; kind and rater_role may be left out, and source_review_id is not read
//   (OPTIONAL_LONG_COLUMNS).
import { createHmac } from 'node:crypto';
import { type CsvCell, type CsvSeparator, formatCsvHeader, formatCsvRow } from '../http/csv.js';

export const LONG_COLUMNS = [
  'municipality_code',
  'program',
  'review_id',
  'source_review_id',
  'review_date',
  'kind',
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

/**
 * Columns an import may leave out: files written before the kind column (the kind chosen on the import form
 * applies), researchers' exports, which have no rater_role (every rater is then a reviewer), and files written
 * before source_review_id. The import does not read source_review_id: a file's own review_id is what it keeps.
 */
export const OPTIONAL_LONG_COLUMNS: readonly LongColumn[] = ['kind', 'rater_role', 'source_review_id'];

export type LongFormatOptions = {
  /** With the rater_role column: administrators' exports only. */
  readonly raterRoles: boolean;
  /** ',' unless the file is for Excel (see CsvSeparator). */
  readonly separator?: CsvSeparator | undefined;
};

/** The columns of an export, in order. */
export function listLongColumns(options: LongFormatOptions): readonly LongColumn[] {
  return options.raterRoles ? LONG_COLUMNS : LONG_COLUMNS.filter((column) => column !== 'rater_role');
}

export type LongRow = {
  readonly municipalityCode: string;
  readonly program: string;
  readonly reviewId: number;
  /** An imported round's id in its file; empty for a review made in the app. */
  readonly sourceReviewId: string;
  readonly reviewDate: string;
  readonly kind: string;
  readonly rubricId: string;
  readonly rubricVersion: string;
  readonly sectionId: string;
  readonly indicatorId: string;
  /** Empty for consensus rows. */
  readonly rater: string;
  /** Written only with LongFormatOptions.raterRoles. */
  readonly raterRole: string;
  readonly score: number | null;
  readonly notApplicable: boolean;
  readonly isConsensus: boolean;
};

export function formatLongHeader(options: LongFormatOptions): string {
  return formatCsvHeader(listLongColumns(options), options.separator);
}

export function formatLongRow(row: LongRow, options: LongFormatOptions): string {
  const cells: CsvCell[] = [
    { text: row.municipalityCode },
    { text: row.program },
    { number: row.reviewId },
    { text: row.sourceReviewId },
    { text: row.reviewDate },
    { text: row.kind },
    { text: row.rubricId },
    { text: row.rubricVersion },
    { text: row.sectionId },
    { text: row.indicatorId },
    { text: row.rater },
    ...(options.raterRoles ? [{ text: row.raterRole }] : []),
    { number: row.notApplicable ? null : row.score },
    { number: row.notApplicable ? 1 : 0 },
    { number: row.isConsensus ? 1 : 0 },
  ];
  return formatCsvRow(cells, options.separator);
}

export type Pseudonymizer = (key: number | string) => string;

/**
 * Gives each distinct key a pseudonym by first appearance: R01, R02, … (R100 after R99). For administrators' exports
 * only, fed every rater in a fixed order first (research-export.ts), so the same person has the same pseudonym in
 * every review and in every file.
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

/**
 * The raters of one review, each with a pseudonym that holds within that review only: R1, R2, … in the order of
 * HMAC-SHA256(key, "review id:user id"). The key is the database's own secret (never shown), so the order
 * follows neither user id nor panel role nor anything else a researcher can see, differs from review to review,
 * and is the same in every export of the same data (analyses can be repeated). Returned in pseudonym order.
 */
export function assignReviewPseudonyms(key: string, reviewId: number, userIds: readonly number[]): { userId: number; pseudonym: string }[] {
  return userIds
    .map((userId) => ({ userId, rank: createHmac('sha256', key).update(`${reviewId}:${userId}`).digest('hex') }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.userId - b.userId))
    .map(({ userId }, index) => ({ userId, pseudonym: `R${index + 1}` }));
}
