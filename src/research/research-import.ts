// Checks a long-format CSV of historical reviews (rounds scored on paper) and turns it into an import plan.
// Every row is checked. A problem is listed once with every line it is on ("2–281": an unknown municipality code
// of a whole review is one problem, not 280), the first MAX_LISTED_PROBLEMS problems by their first line, and the rest
// are only counted, so a file of a million bad lines gives a short page. A file with any problem imports nothing.
// A row refused for its own fault raises no problem of its review for it: a refused consensus row is not also named
// as missing. No I/O: what the database knows comes in through ImportLookups.
//
// Bounded work: records are read one at a time from the text (never all at once), and the check yields to the
// event loop every few milliseconds (setImmediate), so other requests are served while a 10 MB file is checked.
//
// Rules, beyond each column's own format:
// - Columns as the export writes them (LONG_COLUMNS), in any order; kind and rater_role may be left out. A row
//   without a kind gets the kind chosen on the page.
// - municipality_code has four digits; one to three digits get leading zeros back (Excel reads 0180 as 180).
// - rubric_id must be the rubric chosen on the page; rubric_version must be that rubric's loaded version or
//   one stored with earlier reviews (empty means the loaded version). Another version is refused as not installed,
//   never read as the loaded one: its indicators and scales may differ.
// - municipality_code must name a municipality in the app, and program one of its programs, by exact name.
// - indicator_id must be in that rubric version, section_id (when given) its section, and score a level of
//   its scale; not_applicable 1 needs an empty score and an indicator that allows N/A.
// - A consensus row (is_consensus 1) has no rater and a score or N/A; a rating row names its rater. An empty
//   score with not_applicable 0 is a missing rating: accepted, and not stored.
// - All rows of one review_id agree on municipality, program, date, kind and version; a rater rates an indicator
//   once and keeps one role (lead or reviewer, empty = reviewer); a review has at most one lead and a consensus
//   row for every indicator of its rubric version (imported reviews are final).
// - A review whose program already has a final review of the same kind on the same review date is refused:
//   it is that round again (say, an export of this app read back), and importing it would count it twice. So is a
//   second review_id of the file with the same program, date and kind as an earlier one.
// - A rater label is a rater of its review only: the export's pseudonyms (R1, R2 …) are per review.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { optionalText, requiredText } from '../http/form-fields.js';
import { localizeIssues, type RawForm } from '../http/form-parsing.js';
import type { Translate } from '../i18n/messages.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import { allowsNotApplicable, listIndicators, type RubricIndicator } from '../rubrics/rubric-schema.js';
import { formatExactNumber, formatList } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { type PanelRole, REVIEW_KINDS, type ReviewKind } from '../reviews/review-types.js';
import { type CsvRecord, CsvSyntaxError, detectCsvDelimiter, parseCsvText, unguardText } from '../http/csv.js';
import { LONG_COLUMNS, OPTIONAL_LONG_COLUMNS } from './long-format.js';
import type { ImportReview } from './research-store.js';

/** One problem, with every line it is on: the same message in the same column is one problem. */
export type ImportProblem = {
  /** The first line it is on: problems are listed in this order. */
  readonly line: number;
  /** Its first lines, as runs from–to (a single line is a run of one); at most MAX_SHOWN_RUNS. */
  readonly runs: readonly (readonly [number, number])[];
  /** How many more lines it is on, beyond the runs. */
  readonly moreLines: number;
  /** The column at fault, when there is one. */
  readonly column: string | undefined;
  readonly message: string;
};

export type ImportLookups = {
  readonly rubricId: string;
  /** The rubric as loaded now (its version is the default). */
  readonly current: LoadedRubric;
  /** A stored snapshot of another version of the rubric, if there is one. */
  readonly findVersion: (version: string) => LoadedRubric | undefined;
  /** Every version the app has of the rubric (loaded or stored), to name when a file's version is none of them. */
  readonly installedVersions: readonly string[];
  readonly hasMunicipality: (code: string) => boolean;
  readonly findProgramId: (municipalityCode: string, programName: string) => number | undefined;
  /** The kind chosen on the page: for files without a kind column, and rows with an empty kind. */
  readonly kind: ReviewKind;
  /** Whether the program already has a final review of this kind on this review date. */
  readonly hasFinalReviewOn: (programId: number, reviewDate: string, kind: ReviewKind) => boolean;
  /** The kind's name in the user's language, for messages. */
  readonly kindLabel: (kind: ReviewKind) => string;
};

export type ImportCheck =
  | {
      readonly ok: true;
      readonly reviews: readonly ImportReview[];
      readonly rowCount: number;
      /** Of the records read, so the same data pasted, uploaded, with other line ends or delimiters is the same import. */
      readonly contentHash: string;
      /** Of the text as sent: what imports stored before contentHash was of the records. */
      readonly textHash: string;
    }
  | {
      readonly ok: false;
      /** The first problems by their first line, at most MAX_LISTED_PROBLEMS. */
      readonly problems: readonly ImportProblem[];
      /** Problems found beyond those listed, counted once per line they are on. */
      readonly moreProblems: number;
      /** As above, when the text could be read as CSV: data imported before is named as such, not row by row. */
      readonly contentHash: string | undefined;
      readonly textHash: string;
    };

const ZeroOne = z.enum(['0', '1'], { error: 'research.import.errors.zeroOrOne' });
const ISO_DATE = z.iso.date();

const RowSchema = z.object({
  // Excel reads a code such as 0180 as a number and saves it as 180: the leading zeros come back.
  municipality_code: z
    .string()
    .trim()
    .regex(/^[0-9]{1,4}$/, { error: 'validation.municipalityCode' })
    .transform((code) => code.padStart(4, '0')),
  program: requiredText(160),
  review_id: requiredText(100),
  review_date: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!ISO_DATE.safeParse(value).success)
        ctx.addIssue({ code: 'custom', message: 'research.import.errors.reviewDate', params: { value } });
    }),
  // Empty (or no kind column): the kind chosen on the page.
  kind: z
    .string()
    .trim()
    .pipe(z.enum(['', ...REVIEW_KINDS], { error: 'research.import.errors.kind' })),
  rubric_id: z.string().trim(),
  rubric_version: optionalText(40),
  section_id: optionalText(100),
  indicator_id: requiredText(100),
  rater: optionalText(100),
  rater_role: z
    .string()
    .trim()
    .pipe(z.enum(['', 'lead', 'reviewer'], { error: 'research.import.errors.raterRole' })),
  // The value is quoted in the message: "2,5" from a Swedish spreadsheet is then seen for what it is.
  score: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!/^(-?\d{1,6})?$/.test(value))
        ctx.addIssue({ code: 'custom', message: 'research.import.errors.scoreNotInteger', params: { value } });
    }),
  not_applicable: ZeroOne,
  is_consensus: ZeroOne,
});
type Row = z.output<typeof RowSchema>;

type CheckedRow = Row & {
  readonly line: number;
  readonly loaded: LoadedRubric;
  readonly indicator: RubricIndicator;
  /** The row's kind, or the page's when the row has none. */
  readonly reviewKind: ReviewKind;
};

type ReviewDraft = {
  readonly firstLine: number;
  readonly first: CheckedRow;
  readonly roles: Map<string, { role: PanelRole; line: number }>;
  readonly ratings: Map<string, { rater: string; indicatorId: string; score: number | null; notApplicable: boolean }>;
  readonly consensus: Map<string, { indicatorId: string; score: number | null; notApplicable: boolean }>;
};

/** How many problems the page lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 100;
/** How many runs of lines a problem shows ("2–10, 15 och 40"); its further lines are counted. */
export const MAX_SHOWN_RUNS = 3;
/** How many refused rows are remembered as possible consensus rows (see refusedConsensus). */
const MAX_TRACKED_REFUSALS = 10_000;
/** How long the check runs before it lets other requests in. */
const SLICE_MS = 8;

type ProblemList = {
  add(line: number, column: string | undefined, message: string): void;
  /** Problems found so far, counted once per line they are on. */
  readonly size: () => number;
  listed(): readonly ImportProblem[];
  more(): number;
};

type ProblemGroup = {
  readonly key: string;
  readonly line: number;
  readonly column: string | undefined;
  readonly message: string;
  readonly runs: [number, number][];
  moreLines: number;
  lastLine: number;
  /** Lines it is on: what it adds to the count when it is no longer listed. */
  lines: number;
};

/**
 * The same message in the same column is one problem with its lines. The first `max` problems by their first line
 * (in the order reported among equal lines) are kept, with their first MAX_SHOWN_RUNS runs of lines; the rest are
 * counted, once per line. A problem's lines come in order: rows are read in order, and a problem of a whole review
 * (reported after the last row, on the review's first line) names its review, so no other line has its message.
 */
function createProblemList(max: number): ProblemList {
  const listedByKey = new Map<string, ProblemGroup>();
  const kept: ProblemGroup[] = [];
  let more = 0;
  let size = 0;
  const addLine = (group: ProblemGroup, line: number) => {
    // The same line again (one row, one message): already there.
    if (line <= group.lastLine) return;
    group.lines++;
    group.lastLine = line;
    const last = group.runs[group.runs.length - 1];
    if (group.moreLines === 0 && last && line === last[1] + 1) last[1] = line;
    else if (group.moreLines === 0 && group.runs.length < MAX_SHOWN_RUNS) group.runs.push([line, line]);
    else group.moreLines++;
  };
  return {
    add(line, column, message) {
      size++;
      const key = `${column ?? ''}\u0000${message}`;
      const listed = listedByKey.get(key);
      if (listed) {
        addLine(listed, line);
        return;
      }
      if (kept.length >= max && line >= (kept[kept.length - 1]?.line ?? Number.POSITIVE_INFINITY)) {
        more++;
        return;
      }
      // Rows come in line order, so this is nearly always an append; review-level problems go back to their first line.
      let index = kept.length;
      while (index > 0 && (kept[index - 1]?.line ?? 0) > line) index--;
      const group: ProblemGroup = { key, line, column, message, runs: [[line, line]], moreLines: 0, lastLine: line, lines: 1 };
      kept.splice(index, 0, group);
      listedByKey.set(key, group);
      if (kept.length > max) {
        const dropped = kept.pop();
        if (dropped) {
          listedByKey.delete(dropped.key);
          more += dropped.lines;
        }
      }
    },
    size: () => size,
    listed: () => kept.map(({ line, runs, moreLines, column, message }) => ({ line, runs, moreLines, column, message })),
    more: () => more,
  };
}

/** A problem's lines as the page gives them: "2–281", "2, 5, 9 och 277 rader till". */
export function formatProblemLines(problem: ImportProblem, t: Translate, locale: Locale): string {
  const parts = problem.runs.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`));
  if (problem.moreLines === 1) parts.push(t('research.import.moreLinesOne'));
  else if (problem.moreLines > 1) parts.push(t('research.import.moreLines', { count: formatExactNumber(problem.moreLines, locale) }));
  return formatList(parts, locale);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function hashImportText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A hash of the records' fields (unit and record separators between them): the data, whatever its CSV dress. */
export function hashImportRecords(records: Iterable<{ readonly fields: readonly string[] }>): string {
  const hash = createRecordHash();
  for (const record of records) hash.add(record.fields);
  return hash.digest();
}

/** hashImportRecords record by record, handing the hash a batch of records at a time (one update per record is slow). */
function createRecordHash(): { add(fields: readonly string[]): void; digest(): string } {
  const hash = createHash('sha256');
  let pending = '';
  return {
    add(fields) {
      pending += `${fields.join('\u001f')}\u001e`;
      if (pending.length >= 65_536) {
        hash.update(pending);
        pending = '';
      }
    },
    digest() {
      hash.update(pending);
      pending = '';
      return hash.digest('hex');
    },
  };
}

export async function checkImportCsv(text: string, lookups: ImportLookups, t: Translate): Promise<ImportCheck> {
  const textHash = hashImportText(text);
  let contentHash: string | undefined;
  const problems = createProblemList(MAX_LISTED_PROBLEMS);
  const refuse = (): ImportCheck => ({ ok: false, problems: problems.listed(), moreProblems: problems.more(), contentHash, textHash });
  const report = (line: number, column: string | undefined, message: string) => problems.add(line, column, message);

  // A broken quote ends the reading: that problem alone is the answer (nothing after it can be read as records),
  // and the text is not known as data, so it has no content hash.
  const refuseSyntax = (error: unknown): ImportCheck => {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return {
      ok: false,
      problems: [
        {
          line: error.line,
          runs: [[error.line, error.line]],
          moreLines: 0,
          column: undefined,
          message: t(`research.import.errors.csv.${error.reason}`),
        },
      ],
      moreProblems: 0,
      contentHash: undefined,
      textHash,
    };
  };

  // Commas as the export writes them, semicolons as Swedish Excel saves a CSV, or tabs as cells copied from a
  // spreadsheet are pasted. Read record by record: the records are hashed and checked as they come, and none is kept
  // but what a good import needs.
  const records = parseCsvText(text, detectCsvDelimiter(text));
  const recordHash = createRecordHash();
  let sliceStart = performance.now();
  let read = 0;
  const next = async (): Promise<CsvRecord | undefined> => {
    // Checking the clock costs little next to a record, but not nothing: every 64 records.
    if (++read % 64 === 0 && performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    const result = records.next();
    if (result.done) return undefined;
    recordHash.add(result.value.fields);
    return result.value;
  };
  let header: CsvRecord | undefined;
  try {
    header = await next();
  } catch (error) {
    return refuseSyntax(error);
  }
  if (!header) {
    contentHash = recordHash.digest();
    report(1, undefined, t('research.import.errors.empty'));
    return refuse();
  }
  const names = header.fields.map((name) => name.trim());
  const missing = LONG_COLUMNS.filter((column) => !names.includes(column) && !OPTIONAL_LONG_COLUMNS.includes(column));
  const unknown = names.filter((name) => !(LONG_COLUMNS as readonly string[]).includes(name));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (missing.length > 0) report(header.line, undefined, t('research.import.errors.missingColumns', { columns: missing.join(', ') }));
  if (unknown.length > 0) report(header.line, undefined, t('research.import.errors.unknownColumns', { columns: unknown.join(', ') }));
  if (repeated.length > 0) report(header.line, undefined, t('research.import.errors.repeatedColumns', { columns: repeated.join(', ') }));
  // With a wrong header the rows are not checked, only read and hashed (the same file again is named as such).
  const checkRows = problems.size() === 0;

  const versions = new Map<string, LoadedRubric | undefined>([
    ['', lookups.current],
    [lookups.current.rubric.version, lookups.current],
  ]);
  const resolveVersion = (version: string): LoadedRubric | undefined => {
    if (!versions.has(version)) versions.set(version, lookups.findVersion(version));
    return versions.get(version);
  };
  const indicatorsOf = new Map<LoadedRubric, Map<string, { indicator: RubricIndicator; sectionId: string }>>();
  const findIndicator = (loaded: LoadedRubric, id: string) => {
    let map = indicatorsOf.get(loaded);
    if (!map) {
      map = new Map(listIndicators(loaded.rubric).map(({ section, indicator }) => [indicator.id, { indicator, sectionId: section.id }]));
      indicatorsOf.set(loaded, map);
    }
    return map.get(id);
  };

  const reviews = new Map<string, ReviewDraft>();
  // Rows refused on their own that may be a review's consensus row for an indicator (review id and indicator id), so
  // the review is not also said to lack it. A row whose fields could not be told apart may be any of them, and so may
  // rows beyond MAX_TRACKED_REFUSALS (kept to bound the memory a file of garbage takes): then no review is said to.
  const refusedConsensus = new Set<string>();
  let untrackedRefusals = false;
  const consensusKey = (reviewId: string, indicatorId: string) => `${reviewId}\u0000${indicatorId}`;
  const noteRefused = (reviewId: string, indicatorId: string, isConsensus: string) => {
    if (isConsensus === '0') return;
    if (refusedConsensus.size < MAX_TRACKED_REFUSALS) refusedConsensus.add(consensusKey(reviewId, indicatorId));
    else untrackedRefusals = true;
  };
  // The message of a wrong field count, by the count found: a file of garbage has one on every line.
  const fieldCountMessages = new Map<number, string>();
  const fieldCountMessage = (found: number) => {
    let message = fieldCountMessages.get(found);
    if (message === undefined) {
      message = t('research.import.errors.fieldCount', { expected: names.length, found });
      fieldCountMessages.set(found, message);
    }
    return message;
  };
  let rowCount = 0;
  for (;;) {
    let record: CsvRecord | undefined;
    try {
      record = await next();
    } catch (error) {
      return refuseSyntax(error);
    }
    if (!record) break;
    rowCount++;
    if (!checkRows) continue;
    const { line, fields } = record;
    if (fields.length !== names.length) {
      report(line, undefined, fieldCountMessage(fields.length));
      untrackedRefusals = true;
      continue;
    }
    // A column the file leaves out (kind, rater_role) reads as empty.
    const raw: Record<string, string> = Object.fromEntries(OPTIONAL_LONG_COLUMNS.map((column) => [column, '']));
    names.forEach((name, index) => {
      raw[name] = unguardText(fields[index] ?? '');
    });
    const parsed = RowSchema.safeParse(raw);
    if (!parsed.success) {
      const errors = localizeIssues(parsed.error.issues, raw as RawForm, t);
      for (const [column, messages] of Object.entries(errors)) for (const message of messages) report(line, column, message);
      noteRefused((raw.review_id ?? '').trim(), (raw.indicator_id ?? '').trim(), (raw.is_consensus ?? '').trim());
      continue;
    }
    const row = parsed.data;
    const before = problems.size();
    if (row.rubric_id !== lookups.rubricId) {
      report(line, 'rubric_id', t('research.import.errors.otherRubric', { found: row.rubric_id, expected: lookups.rubricId }));
    }
    const loaded = resolveVersion(row.rubric_version);
    if (!loaded)
      report(
        line,
        'rubric_version',
        t('research.import.errors.unknownVersion', {
          version: row.rubric_version,
          rubric: lookups.rubricId,
          installed: lookups.installedVersions.join(', '),
        }),
      );
    if (!lookups.hasMunicipality(row.municipality_code)) {
      report(line, 'municipality_code', t('research.import.errors.unknownMunicipality', { code: row.municipality_code }));
    } else if (lookups.findProgramId(row.municipality_code, row.program) === undefined) {
      report(line, 'program', t('research.import.errors.unknownProgram', { program: row.program, code: row.municipality_code }));
    }
    const found = loaded ? findIndicator(loaded, row.indicator_id) : undefined;
    if (loaded && !found)
      report(
        line,
        'indicator_id',
        t('research.import.errors.unknownIndicator', { indicator: row.indicator_id, version: loaded.rubric.version }),
      );
    if (found) {
      const { indicator, sectionId } = found;
      if (row.section_id !== '' && row.section_id !== sectionId) {
        report(
          line,
          'section_id',
          t('research.import.errors.wrongSection', { section: row.section_id, indicator: row.indicator_id, expected: sectionId }),
        );
      }
      const { scale } = indicator;
      if (row.score !== '') {
        const score = Number(row.score);
        if (score < scale.min || score > scale.max)
          report(line, 'score', t('research.import.errors.scoreOutOfScale', { min: scale.min, max: scale.max }));
        if (row.not_applicable === '1') report(line, 'score', t('research.import.errors.scoreWithNa'));
      }
      // A required indicator (rubric 2.0's core items) is never N/A, whatever its scale says.
      if (row.not_applicable === '1' && !allowsNotApplicable(indicator))
        report(line, 'not_applicable', t('research.import.errors.naNotAllowed', { indicator: row.indicator_id }));
    }
    if (row.is_consensus === '1') {
      if (row.rater !== '' || row.rater_role !== '') report(line, 'rater', t('research.import.errors.consensusWithRater'));
      if (row.score === '' && row.not_applicable === '0') report(line, 'score', t('research.import.errors.consensusMissing'));
    } else if (row.rater === '') {
      report(line, 'rater', t('validation.required'));
    }
    const taken =
      problems.size() === before &&
      loaded !== undefined &&
      found !== undefined &&
      addToReview(
        reviews,
        { ...row, line, loaded, indicator: found.indicator, reviewKind: row.kind === '' ? lookups.kind : row.kind },
        report,
        t,
      );
    if (!taken) noteRefused(row.review_id, row.indicator_id, row.is_consensus);
  }

  contentHash = recordHash.digest();
  if (!checkRows) return refuse();
  if (rowCount === 0) {
    report(header.line, undefined, t('research.import.errors.noRows'));
    return refuse();
  }

  // The same round twice in the file, under two review ids: by program, date and kind, the first one seen kept.
  const rounds = new Map<string, { reviewId: string; line: number }>();
  for (const [reviewId, draft] of reviews) {
    const { first } = draft;
    // Not said to lack a consensus row that was refused (or may have been, in a line whose fields could not be read).
    const missingConsensus = untrackedRefusals
      ? []
      : listIndicators(first.loaded.rubric)
          .map(({ indicator }) => indicator.id)
          .filter((id) => !draft.consensus.has(id) && !refusedConsensus.has(consensusKey(reviewId, id)));
    if (missingConsensus.length > 0) {
      report(
        draft.firstLine,
        'is_consensus',
        t('research.import.errors.missingConsensus', { review: reviewId, indicators: missingConsensus.join(', ') }),
      );
    }
    const programId = lookups.findProgramId(first.municipality_code, first.program);
    if (programId === undefined) continue;
    const round = {
      program: first.program,
      code: first.municipality_code,
      kind: lookups.kindLabel(first.reviewKind),
      date: first.review_date,
    };
    if (lookups.hasFinalReviewOn(programId, first.review_date, first.reviewKind)) {
      report(draft.firstLine, 'review_date', t('research.import.errors.alreadyInDatabase', { review: reviewId, ...round }));
    }
    const key = `${programId}\u0000${first.review_date}\u0000${first.reviewKind}`;
    const earlier = rounds.get(key);
    if (earlier) {
      report(
        draft.firstLine,
        'review_id',
        t('research.import.errors.sameRoundInFile', {
          review: reviewId,
          line: draft.firstLine,
          earlier: earlier.reviewId,
          earlierLine: earlier.line,
          ...round,
        }),
      );
    } else {
      rounds.set(key, { reviewId, line: draft.firstLine });
    }
  }
  if (problems.size() > 0) return refuse();

  return {
    ok: true,
    rowCount,
    contentHash,
    textHash,
    reviews: [...reviews.entries()].map(([sourceReviewId, draft]): ImportReview => {
      const programId = lookups.findProgramId(draft.first.municipality_code, draft.first.program);
      if (programId === undefined) throw new Error('program vanished during the check');
      return {
        sourceReviewId,
        programId,
        reviewDate: draft.first.review_date,
        kind: draft.first.reviewKind,
        rubric: draft.first.loaded,
        raters: [...draft.roles.entries()].map(([label, { role }]) => ({ label, role })),
        // An empty score without N/A is a missing rating: the rater stays on the panel, nothing is stored.
        ratings: [...draft.ratings.values()].filter((rating) => rating.score !== null || rating.notApplicable),
        consensus: [...draft.consensus.values()],
      };
    }),
  };
}

/** Adds a checked row to its review; false (with the problem reported) when it does not fit the review's other rows. */
function addToReview(
  reviews: Map<string, ReviewDraft>,
  row: CheckedRow,
  report: (line: number, column: string | undefined, message: string) => void,
  t: Translate,
): boolean {
  let draft = reviews.get(row.review_id);
  if (!draft) {
    draft = { firstLine: row.line, first: row, roles: new Map(), ratings: new Map(), consensus: new Map() };
    reviews.set(row.review_id, draft);
  }
  const { first } = draft;
  const sameAsFirst: [keyof Row, string, string][] = [
    ['municipality_code', row.municipality_code, first.municipality_code],
    ['program', row.program, first.program],
    ['review_date', row.review_date, first.review_date],
    ['kind', row.reviewKind, first.reviewKind],
  ];
  let consistent = true;
  for (const [column, value, expected] of sameAsFirst) {
    if (value !== expected) {
      report(
        row.line,
        column,
        t('research.import.errors.inconsistentReview', { review: row.review_id, column, line: first.line, expected }),
      );
      consistent = false;
    }
  }
  if (row.loaded !== first.loaded) {
    report(
      row.line,
      'rubric_version',
      t('research.import.errors.inconsistentReview', {
        review: row.review_id,
        column: 'rubric_version',
        line: first.line,
        expected: first.loaded.rubric.version,
      }),
    );
    consistent = false;
  }
  if (!consistent) return false;
  const score = row.score === '' ? null : Number(row.score);
  const notApplicable = row.not_applicable === '1';
  if (row.is_consensus === '1') {
    if (draft.consensus.has(row.indicator_id)) {
      report(
        row.line,
        'indicator_id',
        t('research.import.errors.duplicateConsensus', { indicator: row.indicator_id, review: row.review_id }),
      );
      return false;
    }
    draft.consensus.set(row.indicator_id, { indicatorId: row.indicator_id, score, notApplicable });
    return true;
  }
  const role: PanelRole = row.rater_role === 'lead' ? 'lead' : 'reviewer';
  const known = draft.roles.get(row.rater);
  if (known && known.role !== role) {
    report(row.line, 'rater_role', t('research.import.errors.inconsistentRole', { rater: row.rater, role: known.role, line: known.line }));
    return false;
  }
  if (!known && role === 'lead') {
    const otherLead = [...draft.roles.entries()].find(([, entry]) => entry.role === 'lead');
    if (otherLead) {
      report(row.line, 'rater_role', t('research.import.errors.twoLeads', { review: row.review_id, lead: otherLead[0] }));
      return false;
    }
  }
  const key = `${row.rater}\u0000${row.indicator_id}`;
  if (draft.ratings.has(key)) {
    report(
      row.line,
      'indicator_id',
      t('research.import.errors.duplicateRating', { rater: row.rater, indicator: row.indicator_id, review: row.review_id }),
    );
    return false;
  }
  if (!known) draft.roles.set(row.rater, { role, line: row.line });
  draft.ratings.set(key, { rater: row.rater, indicatorId: row.indicator_id, score, notApplicable });
  return true;
}
