// The report as a board document: the panel's overall judgement, prioritised recommendations with an owner,
// the evidence base of the visit and the program's factual check. Types and pure helpers; SQL is in
// review-report-store.ts, pages in report-workflow-routes.ts, where each part stands (for the overview and the check
// pages) in report-parts.ts.
import type { Locale } from '../i18n/locale.js';
import {
  type Finding,
  RECOMMENDATION_OWNERS,
  RECOMMENDATION_PRIORITIES,
  type RecommendationOwner,
  type RecommendationPriority,
} from './review-types.js';

export type Judgement = { readonly text: string; readonly version: number };

export const CASE_FILE_ACCESS = ['consent', 'anonymised', 'both'] as const;
export type CaseFileAccess = (typeof CASE_FILE_ACCESS)[number];

/** Who was interviewed, by kind: counts only, never names. */
export const INTERVIEW_KINDS = ['staff', 'participants', 'caseOfficers', 'landlords', 'partners'] as const;
export type InterviewKind = (typeof INTERVIEW_KINDS)[number];

export type EvidenceBaseInput = Readonly<Record<InterviewKind, number>> & {
  readonly caseFiles: number;
  /** How the case files were read under confidentiality; undefined when none were read. */
  readonly caseFileAccess: CaseFileAccess | undefined;
  /** The documents read and the meetings observed, one a line (what they were, never who). */
  readonly documents: string;
  readonly meetings: string;
  readonly oralDebrief: boolean;
};

export type EvidenceBase = EvidenceBaseInput & { readonly version: number };

export type FactualCheck = {
  readonly sentAt: string;
  readonly corrections: string;
  readonly response: string;
  readonly responseVersion: number;
  readonly respondedAt: string | undefined;
  readonly changes: string;
  readonly changesVersion: number;
  readonly changesAt: string | undefined;
  /** The day the program is asked to answer by (ISO), when the coordinator set one. */
  readonly replyBy?: string | undefined;
  /**
   * The version the send form is based on: 1 at the first sending, up by one with each sending again and each move of
   * the reply-by day alone (0 in a form before the first).
   */
  readonly sendVersion: number;
  /** The fingerprint of what the draft stated when it was sent (DraftReports.fingerprint); undefined for checks sent before it was kept. */
  readonly draftFingerprint?: string | undefined;
};

/** Whether the program has yet to answer the draft it was sent last: a draft sent again after an answer asks again. */
export function isAwaitingResponse(check: Pick<FactualCheck, 'sentAt' | 'respondedAt'>): boolean {
  return check.respondedAt === undefined || check.respondedAt < check.sentAt;
}

/** The draft as sent: its fingerprint and its PDF in each language. */
export type SentDraft = { readonly fingerprint: string; readonly pdfs: Readonly<Record<Locale, Uint8Array>> };

/**
 * The draft report of a review in consensus, as the factual check needs it (src/reports/sent-draft.ts builds it, so
 * that this folder does not import the reports'): what it states now as a fingerprint, and the draft rendered in both
 * languages to be kept as sent. Both are undefined when the review has no draft (it is not in consensus).
 */
export type DraftReports = {
  /** The fingerprint of what the draft states now, the factual check itself left out: equal while nothing in it changed. */
  fingerprint(reviewId: number): string | undefined;
  /** The draft as it is now, marked as sent at `sentAt`, rendered in both languages; 'busy' when too many reports wait. */
  render(reviewId: number, sentAt: string): Promise<SentDraft | 'busy' | undefined>;
};

/** What a save of one of these forms came to: nothing is written unless 'saved'. */
export type WorkflowSaveOutcome = 'saved' | 'locked' | 'conflict' | 'not-sent';

const priorityRank = (priority: RecommendationPriority | undefined) => RECOMMENDATION_PRIORITIES.indexOf(priority ?? 'medium');
const ownerRank = (owner: RecommendationOwner | undefined) =>
  owner === undefined ? RECOMMENDATION_OWNERS.length : RECOMMENDATION_OWNERS.indexOf(owner);

/**
 * A review's recommendations, highest priority first; within a priority in the rubric's section order and then their
 * own order. `sectionOrder` lists the rubric's section ids.
 */
export function sortRecommendations<T extends Pick<Finding, 'sectionId' | 'kind' | 'position' | 'priority'>>(
  findings: readonly T[],
  sectionOrder: readonly string[],
): T[] {
  const sectionRank = (id: string) => {
    const index = sectionOrder.indexOf(id);
    return index === -1 ? sectionOrder.length : index;
  };
  return findings
    .filter((f) => f.kind === 'recommendation')
    .sort(
      (a, b) =>
        priorityRank(a.priority) - priorityRank(b.priority) ||
        sectionRank(a.sectionId) - sectionRank(b.sectionId) ||
        a.position - b.position,
    );
}

export type OwnerGroup<T> = { readonly owner: RecommendationOwner | undefined; readonly items: readonly T[] };

/** Recommendations grouped by owner (provider, social services, board, housing, then "not given"), each sorted by priority. */
export function groupByOwner<T extends Pick<Finding, 'sectionId' | 'kind' | 'position' | 'priority' | 'owner'>>(
  findings: readonly T[],
  sectionOrder: readonly string[],
): OwnerGroup<T>[] {
  const sorted = sortRecommendations(findings, sectionOrder);
  const owners = [...new Set(sorted.map((f) => f.owner))].sort((a, b) => ownerRank(a) - ownerRank(b));
  return owners.map((owner) => ({ owner, items: sorted.filter((f) => f.owner === owner) }));
}

/** The message key of an owner, "Ej angiven" when none was given. */
export function ownerKey(owner: RecommendationOwner | undefined): `reviews.recommendation.owner.${RecommendationOwner | 'none'}` {
  return `reviews.recommendation.owner.${owner ?? 'none'}`;
}
