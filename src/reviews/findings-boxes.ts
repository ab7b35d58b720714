// The findings as boxes of points, one a line: a section's strengths and recommendations, and the barriers by
// category. The consensus section page, the barriers page and the whole-review findings form all save boxes with the
// review-wide findings version; a form of some boxes also carries a fingerprint of them as shown, so that a save of
// section A after someone saved section B is not called a conflict.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { FieldErrors, RawForm } from '../http/form-parsing.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import type { ReviewContext } from './review-context.js';
import { barrierFieldName, findingFieldNames } from './review-forms.js';
import type { ReviewStore } from './review-store.js';
import { BARRIER_CATEGORIES, type Finding } from './review-types.js';

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

  return {
    storedBoxes,

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
