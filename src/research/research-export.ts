// The research exports: the long format (one row per rating), its codebook, and the wide matrix of one review.
//
// Rater identity: researchers (and coordinators) must never be able to tie a rating to a named person, and the
// PDF report of a review, open to everyone logged in, names its panel and their roles. So only an
// administrator's export has rater_role and pseudonyms that follow a person across reviews (or names, on
// request); everyone else's has pseudonyms per review, R1, R2, … in an order keyed by the database's secret
// (assignReviewPseudonyms), with each review's rows in that order too, never in user id order. The matrix of a
// review uses the same pseudonyms as the long format, so the two can be joined.
//
// The long format streams: reviews are read a page at a time in id order, each review's rows are read with
// iterate() and written as one chunk, and the next review waits until the sink has room (backpressure). Memory
// stays flat however many rows there are, and no cursor stays open while waiting, so the database connection
// is free for everyone else in between.
import type { Rubric } from '../rubrics/rubric-schema.js';
import { anchorFor } from '../rubrics/rubric-schema.js';
import { CSV_BOM, type CsvSeparator, formatCsvHeader, formatCsvRow, formatNumberField, formatTextField } from '../http/csv.js';
import { assignReviewPseudonyms, createPseudonymizer, formatLongHeader } from './long-format.js';
import type { FinalReview, ResearchFilter, ResearchStore, ReviewRater } from './research-store.js';

/** Writes a chunk; resolves when the sink can take more. */
export type ChunkSink = {
  write(chunk: string): Promise<void>;
  /** True once the reader has gone away: stop reading. */
  readonly closed: () => boolean;
};

export type ExportOptions = {
  /** An administrator's export: with rater_role, and one pseudonym per person across the export (or names). */
  readonly admin: boolean;
  /** Real names instead of pseudonyms: only for administrators who ask. */
  readonly names: boolean;
  /** The variant for Excel: a byte-order mark and semicolons between fields (see CSV_BOM and CsvSeparator). */
  readonly excel: boolean;
};

const separatorOf = (options: { readonly excel: boolean }): CsvSeparator => (options.excel ? ';' : ',');

const REVIEWS_PER_PAGE = 100;

/** Per rubric snapshot, each indicator's "section_id,indicator_id," as written in the long format. */
function createIndicatorCells(store: ResearchStore, sep: CsvSeparator) {
  const bySnapshot = new Map<number, Map<string, string>>();
  return (snapshotId: number, indicatorId: string): string => {
    let cells = bySnapshot.get(snapshotId);
    if (!cells) {
      cells = new Map();
      for (const section of store.loadSnapshot(snapshotId).sections) {
        for (const indicator of section.indicators)
          cells.set(indicator.id, `${formatTextField(section.id)}${sep}${formatTextField(indicator.id)}${sep}`);
      }
      bySnapshot.set(snapshotId, cells);
    }
    return cells.get(indicatorId) ?? `${sep}${formatTextField(indicatorId)}${sep}`;
  };
}

/** How one review's raters are written: a cell per rater ("R1," or "R01,lead,") in the order their rows go out. */
type RaterWriter = (
  review: FinalReview,
  raters: readonly ReviewRater[],
) => { order: readonly number[]; cells: ReadonlyMap<number, string> };

function createRaterWriter(store: ResearchStore, options: ExportOptions): RaterWriter {
  if (options.names && !options.admin) throw new Error('rater names are for administrators only');
  const sep = separatorOf(options);
  if (options.admin) {
    // One pseudonym per person across the export, by first appearance (or the name), and the panel role.
    const pseudonymOf = createPseudonymizer();
    return (_review, raters) => ({
      order: raters.map((rater) => rater.userId),
      cells: new Map(
        raters.map((rater) => [
          rater.userId,
          `${formatTextField(options.names ? rater.displayName : pseudonymOf(rater.userId))}${sep}${formatTextField(rater.role)}${sep}`,
        ]),
      ),
    });
  }
  const key = store.readPseudonymKey();
  return (review, raters) => {
    const assigned = assignReviewPseudonyms(
      key,
      review.id,
      raters.map((rater) => rater.userId),
    );
    return {
      order: assigned.map((entry) => entry.userId),
      cells: new Map(assigned.map((entry) => [entry.userId, `${formatTextField(entry.pseudonym)}${sep}`])),
    };
  };
}

/** Streams the long format of every final review matching the filter. Returns the number of data rows written. */
export async function exportLongFormat(
  store: ResearchStore,
  filter: ResearchFilter,
  options: ExportOptions,
  sink: ChunkSink,
): Promise<number> {
  const writeRaters = createRaterWriter(store, options);
  const indicatorCells = createIndicatorCells(store, separatorOf(options));
  let rows = 0;
  await sink.write((options.excel ? CSV_BOM : '') + formatLongHeader({ raterRoles: options.admin, separator: separatorOf(options) }));
  let afterId = 0;
  for (;;) {
    const page = store.listFinalReviewsAfter(filter, afterId, REVIEWS_PER_PAGE);
    if (page.length === 0) break;
    for (const review of page) {
      if (sink.closed()) return rows;
      const written = formatReviewRows(store, review, options, writeRaters, indicatorCells);
      rows += written.rows;
      await sink.write(written.chunk);
    }
    afterId = page[page.length - 1]?.id ?? afterId;
  }
  return rows;
}

/**
 * One review's rows, as formatLongRow would write them (the tests hold the two together), but with every cell
 * that is the same for many rows escaped once: the review's columns, each indicator's, each rater's. Ratings go
 * rater by rater in the writer's order, then the consensus.
 */
function formatReviewRows(
  store: ResearchStore,
  review: FinalReview,
  options: ExportOptions,
  writeRaters: RaterWriter,
  indicatorCells: (snapshotId: number, indicatorId: string) => string,
): { chunk: string; rows: number } {
  const { order, cells: raterCells } = writeRaters(review, store.listRatersOfReview(review.id));
  const reviewColumns = [
    formatTextField(review.municipalityCode),
    formatTextField(review.programName),
    formatNumberField(review.id),
    formatTextField(review.reviewDate),
    formatTextField(review.kind),
    formatTextField(review.rubricId),
    formatTextField(review.rubricVersion),
  ];
  // Each of the review's rows starts with its columns and the separator before the rater's.
  const sep = separatorOf(options);
  const prefix = `${reviewColumns.join(sep)}${sep}`;
  const noRater = options.admin ? `${sep}${sep}` : sep;
  const byRater = new Map<number, string>(order.map((userId) => [userId, '']));
  let rows = 0;
  store.forEachRating(review.id, new Set(raterCells.keys()), (raterId, indicatorId, score, notApplicable) => {
    const row = `${prefix}${indicatorCells(review.snapshotId, indicatorId)}${raterCells.get(raterId) ?? noRater}${notApplicable || score === null ? '' : formatNumberField(score)}${sep}${notApplicable ? 1 : 0}${sep}0\r\n`;
    byRater.set(raterId, (byRater.get(raterId) ?? '') + row);
    rows++;
  });
  let chunk = '';
  for (const userId of order) chunk += byRater.get(userId) ?? '';
  store.forEachConsensus(review.id, (indicatorId, score, notApplicable) => {
    chunk += `${prefix}${indicatorCells(review.snapshotId, indicatorId)}${noRater}${notApplicable || score === null ? '' : formatNumberField(score)}${sep}${notApplicable ? 1 : 0}${sep}1\r\n`;
    rows++;
  });
  return { chunk, rows };
}

export const CODEBOOK_COLUMNS = [
  'rubric_id',
  'rubric_version',
  'section_id',
  'section_code',
  'section_title_sv',
  'section_title_en',
  'indicator_id',
  'indicator_text_sv',
  'indicator_text_en',
  'scale_min',
  'scale_max',
  'allow_na',
  'level',
  'anchor_sv',
  'anchor_en',
] as const;

/**
 * The codebook: one row per indicator and scale level, so a rating's score joins to its anchor text. Every
 * version of the rubric is listed (the loaded one and those stored with reviews), newest last.
 */
export function formatCodebook(versions: readonly Rubric[], excel: boolean): string {
  const sep = separatorOf({ excel });
  let text = (excel ? CSV_BOM : '') + formatCsvHeader(CODEBOOK_COLUMNS, sep);
  for (const rubric of versions) {
    for (const section of rubric.sections) {
      for (const indicator of section.indicators) {
        const { scale } = indicator;
        for (let level = scale.min; level <= scale.max; level++) {
          const anchor = anchorFor(scale, level);
          text += formatCsvRow(
            [
              { text: rubric.id },
              { text: rubric.version },
              { text: section.id },
              { text: section.code },
              { text: section.title.sv },
              { text: section.title.en },
              { text: indicator.id },
              { text: indicator.text.sv },
              { text: indicator.text.en },
              { number: scale.min },
              { number: scale.max },
              { number: scale.allow_na ? 1 : 0 },
              { number: level },
              { text: anchor?.sv ?? '' },
              { text: anchor?.en ?? '' },
            ],
            sep,
          );
        }
      }
    }
  }
  return text;
}

/**
 * One review as a matrix: a row per indicator (rubric order), a column per rater, and the consensus last. Rater
 * columns as in the long format: administrators get R01… in rater order (or names), everyone else the review's
 * own pseudonyms R1, R2, … in that order. Cells hold the score; empty when missing or N/A. R's irr functions take
 * this layout (subjects × raters); transpose it for kripp.alpha.
 */
export function formatReviewMatrix(store: ResearchStore, review: FinalReview, options: ExportOptions): string {
  const rubric = store.loadSnapshot(review.snapshotId);
  const raters = store.listRatersOfReview(review.id);
  let columns: { userId: number; label: string }[];
  if (options.names && !options.admin) throw new Error('rater names are for administrators only');
  if (options.admin) {
    const pseudonymOf = createPseudonymizer();
    columns = raters.map((rater) => ({ userId: rater.userId, label: options.names ? rater.displayName : pseudonymOf(rater.userId) }));
  } else {
    columns = assignReviewPseudonyms(
      store.readPseudonymKey(),
      review.id,
      raters.map((rater) => rater.userId),
    ).map((entry) => ({
      userId: entry.userId,
      label: entry.pseudonym,
    }));
  }
  const scores = new Map<string, number | null>();
  store.forEachRating(review.id, new Set(raters.map((rater) => rater.userId)), (raterId, indicatorId, score, notApplicable) =>
    scores.set(`${raterId}/${indicatorId}`, notApplicable ? null : score),
  );
  const consensus = new Map<string, number | null>();
  store.forEachConsensus(review.id, (indicatorId, score, notApplicable) => consensus.set(indicatorId, notApplicable ? null : score));
  const header = ['section_id', 'indicator_id', ...columns.map((column) => column.label), 'consensus'];
  const sep = separatorOf(options);
  let text = (options.excel ? CSV_BOM : '') + formatCsvHeader(header, sep);
  for (const section of rubric.sections) {
    for (const indicator of section.indicators) {
      text += formatCsvRow(
        [
          { text: section.id },
          { text: indicator.id },
          ...columns.map((column) => ({ number: scores.get(`${column.userId}/${indicator.id}`) ?? null })),
          { number: consensus.get(indicator.id) ?? null },
        ],
        sep,
      );
    }
  }
  return text;
}
