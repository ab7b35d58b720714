// The findings as boxes of points, one a line: a section's strengths and recommendations, and the barriers by
// category. The consensus section page, the barriers page and the whole-review findings form all save boxes with the
// review-wide findings version; a form of some boxes also carries a fingerprint of them as shown, so that a save of
// section A after someone saved section B is not called a conflict. The consensus section page goes further and
// judges each of its boxes on its own (strengths, recommendations, the recommendations' priorities and owners): a
// box the page did not change is saved as stored now, never from the page's older copy (resolveSectionSave).
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { FieldErrors, RawForm } from '../http/form-parsing.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import {
  matchRecommendationMeta,
  newRecommendationLines,
  type RecommendationRow,
  recommendationMetaNames,
  storedRows,
} from './recommendation-meta.js';
import type { ReviewContext } from './review-context.js';
import { barrierFieldName, findingFieldNames } from './review-forms.js';
import type { ReviewStore } from './review-store.js';
import { BARRIER_CATEGORIES, type Finding, type FindingsInput } from './review-types.js';

export type Boxes = Readonly<Record<string, readonly string[]>>;

/** A short fingerprint of some boxes' stored texts: a section's form carries it, so a save can tell whether that section changed. */
export function fingerprintBoxes(boxes: Boxes, names: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(names.map((name) => boxes[name] ?? [])))
    .digest('hex')
    .slice(0, 16);
}

/** The fields of a form of some boxes as posted (a missing version is saved unchecked, as on the whole-review form). */
export function pickTyped(raw: RawForm, names: readonly string[]): RawForm {
  return Object.fromEntries(['version', 'base', ...names].flatMap((name) => (typeof raw[name] === 'string' ? [[name, raw[name]]] : [])));
}

export const sectionBoxNames = (sectionId: string): string[] => {
  const names = findingFieldNames(sectionId);
  return [names.strengths, names.recommendations];
};

export const barrierBoxNames = (): string[] => BARRIER_CATEGORIES.map((category) => barrierFieldName(category));

/** One section's two boxes (strengths, recommendations) from its stored findings (listSectionFindings). */
export function sectionBoxes(sectionId: string, findings: readonly Finding[]): Record<string, string[]> {
  const names = findingFieldNames(sectionId);
  const textsOf = (kind: Finding['kind']) => findings.filter((f) => f.kind === kind).map((f) => f.text);
  return { [names.strengths]: textsOf('strength'), [names.recommendations]: textsOf('recommendation') };
}

/** Every box of the findings form with its points, one a line, in order; an empty box has none. */
export function emptyBoxes(rubric: Rubric): Record<string, string[]> {
  const boxes: Record<string, string[]> = {};
  for (const section of rubric.sections) {
    const names = findingFieldNames(section.id);
    boxes[names.strengths] = [];
    boxes[names.recommendations] = [];
  }
  for (const category of BARRIER_CATEGORIES) boxes[barrierFieldName(category)] = [];
  return boxes;
}

/** The parts of a section's findings that a save of its consensus page judges one by one, in the page's order. */
export const SECTION_BOXES = ['strengths', 'recommendations', 'meta'] as const;
export type SectionBox = (typeof SECTION_BOXES)[number];

/** A section's findings as its page shows or posts them: the two boxes' lines and the recommendations' rows. */
export type SectionFindings = {
  readonly strengths: readonly string[];
  readonly recommendations: readonly string[];
  readonly rows: readonly RecommendationRow[];
};

const fingerprint = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** One fingerprint per box. A row's place is not in it: the rows' order is the recommendations' order. */
function boxFingerprints(findings: SectionFindings): Record<SectionBox, string> {
  return {
    strengths: fingerprint(findings.strengths),
    recommendations: fingerprint(findings.recommendations),
    meta: fingerprint(findings.rows.map((row) => [row.text, row.priority, row.owner])),
  };
}

/** The fingerprint a consensus section's form carries: its boxes' as shown, one each, joined by dots. */
export function sectionBase(findings: SectionFindings): string {
  const prints = boxFingerprints(findings);
  return SECTION_BOXES.map((box) => prints[box]).join('.');
}

const SECTION_BASE = /^([0-9a-f]{16})\.([0-9a-f]{16})\.([0-9a-f]{16})$/;

/** The boxes' fingerprints of a form's base; undefined for a tab opened before they had one each. */
function parseSectionBase(base: unknown): Record<SectionBox, string> | undefined {
  const match = typeof base === 'string' ? SECTION_BASE.exec(base) : null;
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { strengths: match[1], recommendations: match[2], meta: match[3] };
}

/** One section's findings as stored (listSectionFindings), as its page shows them. */
export function storedSectionFindings(sectionId: string, findings: readonly Finding[]): SectionFindings {
  const names = findingFieldNames(sectionId);
  const boxes = sectionBoxes(sectionId, findings);
  return {
    strengths: boxes[names.strengths] ?? [],
    recommendations: boxes[names.recommendations] ?? [],
    rows: storedRows(findings, sectionId),
  };
}

/** A section's findings as form fields: the two boxes and the recommendations' rows (recommendation-meta-rows.ejs). */
export function sectionFindingsValues(sectionId: string, findings: SectionFindings): Record<string, string> {
  const names = findingFieldNames(sectionId);
  const values: Record<string, string> = {
    [names.strengths]: findings.strengths.join('\n'),
    [names.recommendations]: findings.recommendations.join('\n'),
  };
  findings.rows.forEach((row, position) => {
    const rowNames = recommendationMetaNames(sectionId, position);
    values[rowNames.text] = row.text;
    values[rowNames.priority] = row.priority;
    values[rowNames.owner] = row.owner;
  });
  return values;
}

/** What a save of a consensus section's findings writes, or why it cannot. */
export type SectionSave = {
  /** The section's findings to write: each box as posted where the page changed it, else as stored now. */
  readonly input: FindingsInput;
  /** The findings version the write is based on (see the store's saveConsensusSection). */
  readonly expectedVersion: number | undefined;
  /**
   * Boxes changed both on the page and elsewhere since it was shown, to different texts. With one fingerprint per
   * box this is certain, and `refuse` asks the store to write nothing; a form from before is judged by the store on
   * the review-wide version, and these are the boxes to name if it refuses.
   */
  readonly conflicts: readonly SectionBox[];
  readonly refuse: boolean;
  /** The boxes the write changes. */
  readonly changes: readonly SectionBox[];
  /** The page changed each of these boxes (the rest are as it showed them). */
  readonly typedHere: ReadonlySet<SectionBox>;
  /** Recommendations the write gives no row: new lines, at medium and no owner until someone chooses. */
  readonly newRecommendations: readonly string[];
  /** A row holds a value that is not a choice (a tampered form): the caller refuses the save. */
  readonly invalidRow: boolean;
  /** What is stored now, with the findings version and the base of a form that shows it. */
  readonly stored: SectionFindings;
  readonly version: number;
  readonly base: string;
};

const sameLines = (a: readonly string[], b: readonly string[]) => a.join('\n') === b.join('\n');

/** The rows a write leaves: each line with its priority and owner (a new line's: medium, none). */
const rowsOf = (recommendations: readonly string[], meta: FindingsInput['recommendationMeta']): RecommendationRow[] =>
  recommendations.map((text, index) => ({
    index,
    text,
    priority: meta?.[index]?.priority ?? 'medium',
    owner: meta?.[index]?.owner ?? '',
  }));

export type FindingsBoxes = ReturnType<typeof createFindingsBoxes>;

export function createFindingsBoxes(reviews: ReviewStore) {
  const storedBoxes = (context: ReviewContext): Record<string, string[]> => {
    const boxes = emptyBoxes(context.review.rubric.rubric);
    for (const finding of reviews.listFindings(context.review.id)) {
      const names = findingFieldNames(finding.sectionId);
      boxes[finding.kind === 'strength' ? names.strengths : names.recommendations]?.push(finding.text);
    }
    for (const barrier of reviews.listBarriers(context.review.id)) boxes[barrierFieldName(barrier.category)]?.push(barrier.text);
    return boxes;
  };

  /**
   * What a consensus section's page saves of its findings. Each box is judged on its own, against the fingerprint it
   * had when the page was shown (`base`): a box the page did not change is written as stored now (so another tab's
   * save of it stands); one the page changed is written as posted, unless it was also saved elsewhere meanwhile to
   * something else: a conflict, and then the store is asked to refuse the whole save (`conflicts`). The
   * recommendations' rows are a box too: unchanged, the stored priorities and owners are kept by text. A form without
   * one fingerprint per box (a tab opened before they existed) is judged as before: all its boxes against the
   * review-wide version. The caller writes with no await after this, so nothing can come in between.
   */
  const resolveSectionSave = (
    context: ReviewContext,
    sectionId: string,
    posted: SectionFindings,
    base: unknown,
    formVersion: number | undefined,
  ): SectionSave => {
    const findings = reviews.listSectionFindings(context.review.id, sectionId);
    const stored = storedSectionFindings(sectionId, findings);
    const version = reviews.findFindingsVersion(context.review.id);
    const now = boxFingerprints(stored);
    const typed = boxFingerprints(posted);
    const shown = parseSectionBase(base);
    const differs = (box: SectionBox) => typed[box] !== now[box];
    let typedHere: ReadonlySet<SectionBox>;
    let conflicts: SectionBox[];
    let expectedVersion: number | undefined;
    if (shown) {
      typedHere = new Set(SECTION_BOXES.filter((box) => typed[box] !== shown[box]));
      conflicts = SECTION_BOXES.filter((box) => typedHere.has(box) && now[box] !== shown[box] && differs(box));
      // Judged here, box by box, against what is stored now: the write is based on the current version.
      expectedVersion = version;
    } else {
      // The earlier fingerprint of both text boxes together: unchanged since, nobody else wrote them.
      typedHere = new Set(SECTION_BOXES);
      const unchanged =
        typeof base === 'string' && base === fingerprintBoxes(sectionBoxes(sectionId, findings), sectionBoxNames(sectionId));
      expectedVersion = unchanged ? version : formVersion;
      const stale = expectedVersion !== undefined && expectedVersion !== version;
      // Named if the store refuses: the boxes that differ (the rows only when the form had them).
      conflicts = stale ? SECTION_BOXES.filter((box) => differs(box) && (box !== 'meta' || posted.rows.length > 0)) : [];
    }
    const strengths = typedHere.has('strengths') ? posted.strengths : stored.strengths;
    const recommendations = typedHere.has('recommendations') ? posted.recommendations : stored.recommendations;
    // The page's own rows where it changed them (a line they do not know takes another tab's row by text); else the
    // stored ones. A form without rows keeps the stored ones by text in the store.
    const [rows, others] = typedHere.has('meta') ? [posted.rows, stored.rows] : [stored.rows, []];
    const meta = rows.length === 0 && others.length === 0 ? undefined : matchRecommendationMeta(recommendations, rows, others);
    const input: FindingsInput = { sectionId, strengths, recommendations, ...(meta ? { recommendationMeta: meta } : {}) };
    const written = { strengths, recommendations, rows: rowsOf(recommendations, meta) };
    const after = boxFingerprints(written);
    return {
      input,
      expectedVersion,
      conflicts,
      refuse: shown !== undefined && conflicts.length > 0,
      changes: SECTION_BOXES.filter((box) => after[box] !== now[box]),
      typedHere,
      newRecommendations: sameLines(recommendations, stored.recommendations) ? [] : newRecommendationLines(recommendations, rows, others),
      invalidRow: meta === undefined && (rows.length > 0 || others.length > 0),
      stored,
      version,
      base: sectionBase(stored),
    };
  };

  return {
    storedBoxes,
    resolveSectionSave,

    /** The stored texts of some boxes as form values, with the review's findings version and the boxes' fingerprint. */
    storedValues: (context: ReviewContext, names: readonly string[], boxes: Boxes = storedBoxes(context)): Record<string, string> => {
      // The version is read with the texts (no await between), so the form is based on exactly what it shows.
      const values: Record<string, string> = {
        version: String(reviews.findFindingsVersion(context.review.id)),
        base: fingerprintBoxes(boxes, names),
      };
      for (const name of names) values[name] = (boxes[name] ?? []).join('\n');
      return values;
    },

    /**
     * The version a save of some boxes is based on. The version goes up with every save of any section, so on its own
     * it would call a save of section A after a save of section B a conflict. The form also carries the fingerprint of
     * its own boxes as shown (`base`): when they are unchanged since, nobody else wrote them, and the save goes ahead
     * on the current version. The caller writes with no await after this, so nothing can come in between.
     */
    expectedVersion: (context: ReviewContext, names: readonly string[], base: unknown, formVersion: number | undefined) => {
      const unchanged = typeof base === 'string' && base === fingerprintBoxes(storedBoxes(context), names);
      return unchanged ? reviews.findFindingsVersion(context.review.id) : formVersion;
    },

    /** After a conflict: the boxes that differ from what was typed, with what is stored in them now. */
    describeConflict: (context: ReviewContext, names: readonly string[], typed: Boxes) => {
      const stored = storedBoxes(context);
      const differing = names.filter((name) => (stored[name] ?? []).join('\n') !== (typed[name] ?? []).join('\n'));
      return {
        storedNow: Object.fromEntries(differing.map((name) => [name, stored[name] ?? []])),
        errors: (t: Request['t']): FieldErrors =>
          Object.fromEntries(differing.map((name) => [name, [t('reviews.consensus.findingsFieldConflict')]])),
        version: String(reviews.findFindingsVersion(context.review.id)),
        base: fingerprintBoxes(stored, names),
      };
    },
  };
}
