// The research exports: the long format (one row per rating), its codebook, the rubric's level rules, and the wide
// matrix of one review. docs/research-data.md describes every column, and a test holds the two together.
//
// Rater identity: researchers (and coordinators) must never be able to tie a rating to a named person, and the
// PDF report of a review, open to everyone logged in, names its panel and their roles. So only an
// administrator's export has rater_role and pseudonyms that follow a person across reviews (or names, on
// request); everyone else's has pseudonyms per review, R1, R2, … in an order keyed by the database's secret
// (assignReviewPseudonyms), with each review's rows in that order too, never in user id order. Either way a
// pseudonym depends on the person and the data alone, never on what else a file holds (createRaterLabeller): the
// matrix of a review and every long-format file that has the review name its raters alike, so they can be joined.
//
// The long format streams: reviews are read a page at a time in id order, each review's rows are read with
// iterate() and written as one chunk, and the next review waits until the sink has room (backpressure). Memory
// stays flat however many rows there are, and no cursor stays open while waiting, so the database connection
// is free for everyone else in between.
import type { PanelRole } from '../reviews/review-types.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import { anchorFor, capMinCount, partDecidesLevel } from '../rubrics/rubric-schema.js';
import {
  CSV_BOM,
  type CsvCell,
  type CsvSeparator,
  formatCsvHeader,
  formatCsvRow,
  formatNumberField,
  formatTextField,
} from '../http/csv.js';
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

/** A rater as the export names them: a pseudonym (or, for an administrator who asks, the name). */
type LabelledRater = { readonly userId: number; readonly label: string; readonly role: PanelRole };

/** Names one review's raters, in the order their rows (long format) and columns (matrix) go out. */
type RaterLabeller = (reviewId: number, raters: readonly ReviewRater[]) => readonly LabelledRater[];

/**
 * How both the long format and the matrix name raters. Administrators: one pseudonym per person, R01, R02, … in the
 * order people first rated a finalised review (listRatersInFinalOrder), so a filter, or a file of one review, never
 * renumbers anyone; or the names. Everyone else: the review's own keyed pseudonyms R1, R2, …
 */
function createRaterLabeller(store: ResearchStore, options: ExportOptions): RaterLabeller {
  if (options.names && !options.admin) throw new Error('rater names are for administrators only');
  if (options.admin && options.names) {
    return (_reviewId, raters) => raters.map((rater) => ({ userId: rater.userId, label: rater.displayName, role: rater.role }));
  }
  if (options.admin) {
    const pseudonymOf = createPseudonymizer();
    for (const userId of store.listRatersInFinalOrder()) pseudonymOf(userId);
    return (_reviewId, raters) => raters.map((rater) => ({ userId: rater.userId, label: pseudonymOf(rater.userId), role: rater.role }));
  }
  const key = store.readPseudonymKey();
  return (reviewId, raters) => {
    const roles = new Map(raters.map((rater) => [rater.userId, rater.role]));
    return assignReviewPseudonyms(
      key,
      reviewId,
      raters.map((rater) => rater.userId),
    ).map((entry) => ({ userId: entry.userId, label: entry.pseudonym, role: roles.get(entry.userId) ?? 'reviewer' }));
  };
}

/** How one review's raters are written: a cell per rater ("R1," or "R01,lead,") in the order their rows go out. */
type RaterWriter = (
  review: FinalReview,
  raters: readonly ReviewRater[],
) => { order: readonly number[]; cells: ReadonlyMap<number, string> };

function createRaterWriter(store: ResearchStore, options: ExportOptions): RaterWriter {
  const sep = separatorOf(options);
  const labelRaters = createRaterLabeller(store, options);
  return (review, raters) => {
    const labelled = labelRaters(review.id, raters);
    return {
      order: labelled.map((rater) => rater.userId),
      cells: new Map(
        labelled.map((rater) => [
          rater.userId,
          options.admin
            ? `${formatTextField(rater.label)}${sep}${formatTextField(rater.role)}${sep}`
            : `${formatTextField(rater.label)}${sep}`,
        ]),
      ),
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
    formatTextField(review.sourceReviewId ?? ''),
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
  'part_id',
  'decides_level',
  'section_id',
  'section_code',
  'section_title_sv',
  'section_title_en',
  'indicator_id',
  'indicator_text_sv',
  'indicator_text_en',
  'required',
  'critical',
  'continues_version',
  'continues_indicator_id',
  'scale_min',
  'scale_max',
  'allow_na',
  'level',
  'anchor_sv',
  'anchor_en',
] as const;

const flag = (value: boolean): CsvCell => ({ number: value ? 1 : 0 });

/**
 * The codebook: one row per indicator and scale level, so a rating's score joins to its anchor text, with what the
 * level is computed from: each section's part and whether it decides the level, whether the indicator is required
 * and critical (a core element the caps look at), and which indicator of the crosswalk's earlier version it
 * continues. Every version of the rubric is listed (the loaded one and those stored with reviews), newest last.
 */
export function formatCodebook(versions: readonly Rubric[], excel: boolean): string {
  const sep = separatorOf({ excel });
  let text = (excel ? CSV_BOM : '') + formatCsvHeader(CODEBOOK_COLUMNS, sep);
  for (const rubric of versions) {
    const parts = new Map(rubric.parts.map((part) => [part.id, part]));
    const { crosswalk } = rubric;
    for (const section of rubric.sections) {
      const part = parts.get(section.kind);
      for (const indicator of section.indicators) {
        const { scale } = indicator;
        for (let level = scale.min; level <= scale.max; level++) {
          const anchor = anchorFor(scale, level);
          text += formatCsvRow(
            [
              { text: rubric.id },
              { text: rubric.version },
              { text: section.kind },
              flag(part === undefined || partDecidesLevel(part)),
              { text: section.id },
              { text: section.code },
              { text: section.title.sv },
              { text: section.title.en },
              { text: indicator.id },
              { text: indicator.text.sv },
              { text: indicator.text.en },
              flag(indicator.required === true),
              flag(indicator.critical === true),
              { text: crosswalk?.from_version ?? '' },
              { text: crosswalk?.continues[indicator.id] ?? '' },
              { number: scale.min },
              { number: scale.max },
              flag(scale.allow_na),
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

export const LEVEL_RULES_COLUMNS = [
  'rubric_id',
  'rubric_version',
  'rule',
  'rule_id',
  'min_percent',
  'share',
  'critical_at_min',
  'critical_at_or_below',
  'min_count',
  'max_level',
  'label_sv',
  'label_en',
] as const;

/**
 * The rules that turn a review's consensus into its level, per rubric version (as the codebook lists them): the
 * min_rated_share a section needs to count, the level bands (min_percent of maximum), and the caps on critical
 * indicators, so the level can be recomputed from the long format and the codebook (docs/research-data.md says how).
 * A rule's empty cells do not apply to it.
 */
export function formatLevelRules(versions: readonly Rubric[], excel: boolean): string {
  const sep = separatorOf({ excel });
  let text = (excel ? CSV_BOM : '') + formatCsvHeader(LEVEL_RULES_COLUMNS, sep);
  for (const rubric of versions) {
    const row = (cells: Partial<Record<(typeof LEVEL_RULES_COLUMNS)[number], CsvCell>>) => {
      const all = { ...cells, rubric_id: { text: rubric.id }, rubric_version: { text: rubric.version } };
      text += formatCsvRow(
        LEVEL_RULES_COLUMNS.map((column) => all[column] ?? { text: '' }),
        sep,
      );
    };
    row({ rule: { text: 'min_rated_share' }, share: { number: rubric.min_rated_share } });
    for (const level of rubric.fidelity_levels) {
      row({
        rule: { text: 'level' },
        rule_id: { text: level.id },
        min_percent: { number: level.min_percent },
        label_sv: { text: level.label.sv },
        label_en: { text: level.label.en },
      });
    }
    for (const cap of rubric.caps ?? []) {
      const threshold = cap.when === 'critical_at_min' ? 'min' : cap.when.critical_at_or_below;
      row({
        rule: { text: 'cap' },
        rule_id: { text: cap.id },
        critical_at_min: flag(threshold === 'min'),
        critical_at_or_below: { number: threshold === 'min' ? null : threshold },
        min_count: { number: capMinCount(cap) },
        max_level: { text: cap.max_level },
        label_sv: { text: cap.reason.sv },
        label_en: { text: cap.reason.en },
      });
    }
  }
  return text;
}

/** How the matrix writes an N/A rating: a word no reader takes for missing, and that no mean can take in. */
export const MATRIX_NOT_APPLICABLE = 'not_applicable';

/**
 * One review as a matrix: a row per indicator (rubric order), a column per rater, and the consensus last. Raters
 * are named as in the long format (createRaterLabeller), in its order. A cell holds the score, MATRIX_NOT_APPLICABLE
 * for N/A, and is empty when the rating is missing, so the two never read alike: R and pandas read an empty cell,
 * or the text "NA", as missing, and a number code (-9) would go into any mean. R's irr functions take this layout
 * (subjects × raters) once N/A is made what the analysis needs; transpose it for kripp.alpha.
 */
export function formatReviewMatrix(store: ResearchStore, review: FinalReview, options: ExportOptions): string {
  const rubric = store.loadSnapshot(review.snapshotId);
  const raters = store.listRatersOfReview(review.id);
  const columns = createRaterLabeller(store, options)(review.id, raters);
  const cellOf = (score: number | null, notApplicable: boolean): CsvCell =>
    notApplicable ? { text: MATRIX_NOT_APPLICABLE } : { number: score };
  const scores = new Map<string, CsvCell>();
  store.forEachRating(review.id, new Set(raters.map((rater) => rater.userId)), (raterId, indicatorId, score, notApplicable) =>
    scores.set(`${raterId}/${indicatorId}`, cellOf(score, notApplicable)),
  );
  const consensus = new Map<string, CsvCell>();
  store.forEachConsensus(review.id, (indicatorId, score, notApplicable) => consensus.set(indicatorId, cellOf(score, notApplicable)));
  const header = ['section_id', 'indicator_id', ...columns.map((column) => column.label), 'consensus'];
  const sep = separatorOf(options);
  const missing: CsvCell = { number: null };
  let text = (options.excel ? CSV_BOM : '') + formatCsvHeader(header, sep);
  for (const section of rubric.sections) {
    for (const indicator of section.indicators) {
      text += formatCsvRow(
        [
          { text: section.id },
          { text: indicator.id },
          ...columns.map((column) => scores.get(`${column.userId}/${indicator.id}`) ?? missing),
          consensus.get(indicator.id) ?? missing,
        ],
        sep,
      );
    }
  }
  return text;
}
