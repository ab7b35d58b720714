// A recommendation's priority and owner on the per-section findings form. The recommendations
// stay one a line in their box; below it, each saved one has a row with its text (hidden) and a select pair. On save,
// each line takes the priority and owner of the row with the same text, so reordering or editing other lines keeps
// them; an edited line takes its own place's row; a new line gets medium and no owner, and its row, offered on the
// page the save returns to (which stays on the section while a new line has no choice of its own yet).
import type { RawForm } from '../http/form-parsing.js';
import {
  type Finding,
  type RecommendationMeta,
  RecommendationOwnerSchema,
  RecommendationPrioritySchema,
  RECOMMENDATION_OWNERS,
  RECOMMENDATION_PRIORITIES,
} from './review-types.js';

export const recommendationMetaNames = (sectionId: string, index: number) =>
  ({
    text: `rec_text__${sectionId}__${index}`,
    priority: `rec_priority__${sectionId}__${index}`,
    owner: `rec_owner__${sectionId}__${index}`,
  }) as const;

/** At most this many rows are read back (a section has at most 30 recommendations). */
const MAX_ROWS = 30;

export type RecommendationRow = { readonly index: number; readonly text: string; readonly priority: string; readonly owner: string };

const single = (value: string | readonly string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** The rows as posted (texts, priorities and owners as typed), in order. */
export function readPostedRows(raw: RawForm, sectionId: string): RecommendationRow[] {
  const rows: RecommendationRow[] = [];
  for (let index = 0; index < MAX_ROWS; index++) {
    const names = recommendationMetaNames(sectionId, index);
    const text = single(raw[names.text]);
    if (text === undefined) continue;
    rows.push({ index, text, priority: single(raw[names.priority]) ?? 'medium', owner: single(raw[names.owner]) ?? '' });
  }
  return rows;
}

/** The rows of the stored recommendations of a section. */
export function storedRows(findings: readonly Finding[], sectionId: string): RecommendationRow[] {
  return findings
    .filter((f) => f.sectionId === sectionId && f.kind === 'recommendation')
    .map((f, index) => ({ index, text: f.text, priority: f.priority ?? 'medium', owner: f.owner ?? '' }));
}

/** The posted rows' fields, to keep them in a form given back. */
export function pickRowFields(raw: RawForm, sectionId: string): RawForm {
  const picked: Record<string, string> = {};
  for (const row of readPostedRows(raw, sectionId)) {
    const names = recommendationMetaNames(sectionId, row.index);
    picked[names.text] = row.text;
    picked[names.priority] = row.priority;
    picked[names.owner] = row.owner;
  }
  return picked;
}

/**
 * Each recommendation line's row: first by text (so reordering lines keeps them), then a line whose text was edited
 * takes the unused row at its own place (so editing a line, and changing its priority in the same save, keeps both),
 * then a row of `others` with the same text (what another tab saved meanwhile, when the page's own rows are used);
 * a line with none is new (undefined).
 */
export function matchRows(
  recommendations: readonly string[],
  rows: readonly RecommendationRow[],
  others: readonly RecommendationRow[] = [],
): (RecommendationRow | undefined)[] {
  const unused = new Set(rows);
  const matched: (RecommendationRow | undefined)[] = recommendations.map((text) => {
    const row = [...unused].find((candidate) => candidate.text.trim() === text);
    if (row) unused.delete(row);
    return row;
  });
  for (const [line, row] of matched.entries()) {
    if (row !== undefined) continue;
    const inPlace = [...unused].find((candidate) => candidate.index === line);
    if (inPlace) {
      unused.delete(inPlace);
      matched[line] = inPlace;
    }
  }
  const unusedOthers = new Set(others);
  for (const [line, row] of matched.entries()) {
    if (row !== undefined) continue;
    const other = [...unusedOthers].find((candidate) => candidate.text.trim() === recommendations[line]);
    if (other) {
      unusedOthers.delete(other);
      matched[line] = other;
    }
  }
  return matched;
}

/**
 * Each recommendation's priority and owner, matched to the rows (matchRows); a new line gets medium and no owner.
 * Undefined when a row holds a value that is not a choice (a tampered form): the caller refuses the save.
 */
export function matchRecommendationMeta(
  recommendations: readonly string[],
  rows: readonly RecommendationRow[],
  others: readonly RecommendationRow[] = [],
): RecommendationMeta[] | undefined {
  const meta: RecommendationMeta[] = [];
  for (const row of matchRows(recommendations, rows, others)) {
    if (!row) {
      meta.push({ priority: 'medium', owner: undefined });
      continue;
    }
    const priority = RecommendationPrioritySchema.safeParse(row.priority);
    const owner = row.owner === '' ? undefined : RecommendationOwnerSchema.safeParse(row.owner);
    if (!priority.success || (owner !== undefined && !owner.success)) return undefined;
    meta.push({ priority: priority.data, owner: owner?.data });
  }
  return meta;
}

/** The lines no row matches (matchRows): new recommendations, which get medium and no owner until chosen. */
export function newRecommendationLines(
  recommendations: readonly string[],
  rows: readonly RecommendationRow[],
  others: readonly RecommendationRow[] = [],
): string[] {
  const matched = matchRows(recommendations, rows, others);
  return recommendations.filter((_, line) => matched[line] === undefined);
}

export const PRIORITY_CHOICES = RECOMMENDATION_PRIORITIES;
export const OWNER_CHOICES = ['', ...RECOMMENDATION_OWNERS] as const;
