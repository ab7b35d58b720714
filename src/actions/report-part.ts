// What the report takes of the action plan: the recommendations of a final review, each with its action's status,
// owner, due date and latest progress note, as plain data (reports/report-data.ts gathers it; reports/action-blocks.ts
// lays it out), the newest day any of it was recorded, and the facts they state for the report's verification hash.
import { swedishDayOf } from '../i18n/calendar.js';
import { matchActions, recommendationKey } from './action-matching.js';
import type { Finding, Review } from '../reviews/review-types.js';
import type { ActionStatus } from './action-status.js';
import type { Action } from './action-store.js';

/** What became of one recommendation: plain data, so the report model stays JSON. */
export type RecommendationOutcome = {
  readonly sectionId: string;
  readonly position: number;
  readonly text: string;
  readonly status: ActionStatus | undefined;
  readonly ownerName: string;
  readonly dueOn: string | undefined;
  readonly latestNote: { readonly notedOn: string; readonly text: string } | undefined;
  /** The Swedish day the action was last saved (its status, owner, due date or a note); undefined without an action. */
  readonly savedOn: string | undefined;
};

export type LastRoundReportData = {
  readonly reviewId: number;
  /** The section codes and titles of the previous review's rubric, in rubric order. */
  readonly sections: readonly {
    readonly id: string;
    readonly code: string;
    readonly title: { readonly sv: string; readonly en: string };
  }[];
  readonly recommendations: readonly RecommendationOutcome[];
};

/** An earlier round's recommendations with their actions, and when the round took place (review-rounds.ts findRoundDate). */
export type EarlierRoundReportData = LastRoundReportData & { readonly roundDate: string };

/** Joins the previous review's recommendations with their actions. */
export function collectLastRound(previous: Review, findings: readonly Finding[], actions: readonly Action[]): LastRoundReportData {
  const { byRecommendation } = matchActions(
    findings.filter((finding) => finding.kind === 'recommendation'),
    actions,
  );
  const order = new Map(previous.rubric.rubric.sections.map((section, index) => [section.id, index]));
  const recommendations = findings
    .filter((finding) => finding.kind === 'recommendation')
    .sort((a, b) => (order.get(a.sectionId) ?? 0) - (order.get(b.sectionId) ?? 0) || a.position - b.position)
    .map((finding): RecommendationOutcome => {
      const action = byRecommendation.get(recommendationKey(finding));
      return {
        sectionId: finding.sectionId,
        position: finding.position,
        text: finding.text,
        status: action?.status,
        ownerName: action?.ownerName ?? '',
        dueOn: action?.dueOn,
        latestNote: action?.latestNote ? { notedOn: action.latestNote.notedOn, text: action.latestNote.text } : undefined,
        savedOn: action ? swedishDayOf(action.updatedAt) : undefined,
      };
    });
  return {
    reviewId: previous.id,
    sections: previous.rubric.rubric.sections.map((section) => ({ id: section.id, code: section.code, title: section.title })),
    recommendations,
  };
}

/**
 * The newest day anything the report shows of these actions was recorded: a save of an action (its status, owner or
 * due date) or the date of a progress note. Undefined when no recommendation has an action.
 */
export function findNewestRecord(parts: readonly LastRoundReportData[]): string | undefined {
  // ISO days sort as text.
  return parts
    .flatMap((part) => part.recommendations.flatMap((item) => [item.savedOn, item.latestNote?.notedOn]))
    .filter((day) => day !== undefined)
    .sort()
    .at(-1);
}

/**
 * The facts a list of recommendations states, for the report's verification hash: no language, no ids. When an action
 * was saved is left out: it reaches the report only through the date the action parts describe, which the report's
 * facts carry (report-facts.ts).
 */
export function collectRecommendationFacts(items: readonly RecommendationOutcome[]): unknown {
  return items.map((r) => ({
    sectionId: r.sectionId,
    position: r.position,
    text: r.text,
    status: r.status ?? null,
    ownerName: r.ownerName,
    dueOn: r.dueOn ?? null,
    latestNote: r.latestNote ?? null,
  }));
}
