// The review domain: what a review, its panel, ratings, consensus and findings are once read from the database.
import { z } from 'zod';
import type { LocalizedText } from '../i18n/locale.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import type { Rubric } from '../rubrics/rubric-schema.js';

export const REVIEW_STATUSES = ['draft', 'rating', 'consensus', 'final'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES);

export const REVIEW_KINDS = ['peer_review', 'self_assessment'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const ReviewKindSchema = z.enum(REVIEW_KINDS);

export const PANEL_ROLES = ['lead', 'reviewer', 'observer'] as const;
export type PanelRole = (typeof PANEL_ROLES)[number];
export const PanelRoleSchema = z.enum(PANEL_ROLES);

/** Panel members who rate. Observers follow the review but do not rate. */
export function isRaterRole(role: PanelRole): boolean {
  return role === 'lead' || role === 'reviewer';
}

export type PinnedRubric = {
  readonly snapshotId: number;
  readonly rubricId: string;
  readonly version: string;
  readonly contentHash: string;
  readonly rubric: Rubric;
};

/** Which review it is and where: its program and municipality, and its kind. */
export type ReviewPlace = {
  readonly id: number;
  readonly programId: number;
  readonly programName: string;
  readonly municipalityCode: string;
  readonly municipalityName: string;
  readonly kind: ReviewKind;
};

/** The columns a listing reads for a ReviewPlace (the review joined to its program and municipality). */
export type ReviewPlaceRow = {
  readonly id: number;
  readonly program_id: number;
  readonly program_name: string;
  readonly municipality_code: string;
  readonly municipality_name: string;
  readonly kind: string;
};

/**
 * One mapping of those columns, for every store that lists reviews with their place. Callers add their own fields
 * with Object.assign onto the fresh object it returns, not with `{ ...toReviewPlace(row), more }`: Node 20's V8 takes
 * a slow path for a spread followed by more properties, 3 µs a row (8.6 ms for the research pages' 2,900 reviews,
 * against 0.24 ms; Node 24 is fast either way).
 */
export function toReviewPlace(row: ReviewPlaceRow): ReviewPlace {
  return {
    id: row.id,
    programId: row.program_id,
    programName: row.program_name,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    kind: ReviewKindSchema.parse(row.kind),
  };
}

export type ReviewSummary = ReviewPlace & {
  readonly status: ReviewStatus;
  readonly visitStart: string | undefined;
  readonly visitEnd: string | undefined;
  readonly rubricId: string;
  readonly rubricVersion: string;
  readonly rubricTitle: LocalizedText;
  readonly createdAt: string;
  readonly finalisedAt: string | undefined;
};

export type Review = ReviewSummary & {
  readonly createdBy: number;
  readonly ratingStartedAt: string | undefined;
  readonly consensusStartedAt: string | undefined;
  readonly rubric: PinnedRubric;
};

export type PanelMember = {
  readonly userId: number;
  readonly displayName: string;
  readonly affiliation: string;
  readonly role: PanelRole;
  readonly submittedAt: string | undefined;
};

export type Rating = {
  readonly raterId: number;
  readonly indicatorId: string;
  readonly score: number | null;
  readonly notApplicable: boolean;
  readonly evidence: readonly string[];
  readonly note: string;
  readonly updatedAt: string;
  /** Goes up by one with every change; forms carry it so a save based on stale data is caught. */
  readonly version: number;
};

/** What scoring, spreads and agreement need of a rating: no evidence, notes or edit bookkeeping. */
export type RatingScore = Pick<Rating, 'raterId' | 'indicatorId' | 'score' | 'notApplicable'>;

export type RatingInput = Omit<Rating, 'raterId' | 'updatedAt' | 'version'> & {
  /** The version the form was based on (0 = there was no rating yet); undefined skips the check. */
  readonly expectedVersion?: number | undefined;
};

export type ConsensusRating = {
  readonly indicatorId: string;
  readonly score: number | null;
  readonly notApplicable: boolean;
  readonly rationale: string;
  readonly decidedBy: number;
  readonly updatedAt: string;
  readonly version: number;
};

export type ConsensusInput = Omit<ConsensusRating, 'decidedBy' | 'updatedAt' | 'version'> & {
  readonly expectedVersion?: number | undefined;
};

/** Whether a consensus as given decides the same as the stored one (score, N/A and rationale): saving it changes nothing. */
export function sameConsensus(stored: ConsensusRating, input: ConsensusInput): boolean {
  return stored.score === input.score && stored.notApplicable === input.notApplicable && stored.rationale === input.rationale;
}

/** A save that was based on an older version than the one stored: nothing was written. */
export type EditConflict<T> = { readonly indicatorId: string; readonly current: T | undefined };

export type SaveOutcome<T> =
  | { readonly outcome: 'saved' }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'conflict'; readonly conflicts: readonly EditConflict<T>[] };

/**
 * One consensus section page's save: the decisions it changes or confirms and, when the page has its findings form,
 * that section's strengths and recommendations with the findings version the save is based on. `conflict`: the caller
 * found, box by box, that one was changed both on the page and elsewhere since the page was shown (findings-boxes.ts).
 */
export type ConsensusSectionInput = {
  readonly decisions: readonly ConsensusInput[];
  readonly findings?:
    | { readonly sections: readonly FindingsInput[]; readonly expectedVersion: number | undefined; readonly conflict?: boolean | undefined }
    | undefined;
};

export type ConsensusSectionOutcome =
  | { readonly outcome: 'saved'; readonly decisionsChanged: number; readonly findingsChanged: boolean }
  | { readonly outcome: 'locked' }
  | {
      readonly outcome: 'conflict';
      readonly conflicts: readonly EditConflict<ConsensusRating>[];
      /** Someone saved other findings since the page was shown. */
      readonly findingsConflict: boolean;
    };

export type NewReview = {
  readonly programId: number;
  readonly rubric: LoadedRubric;
  readonly kind: ReviewKind;
  readonly visitStart: string | undefined;
  readonly visitEnd: string | undefined;
  readonly createdBy: number;
};

/** What became of a panel change: refused ones write nothing. */
export type PanelChangeOutcome = 'saved' | 'locked' | 'has-ratings' | 'self-addition' | 'reason-required';

export type Reopening = {
  readonly reopenedBy: number | undefined;
  readonly reopenedByName: string | undefined;
  readonly reason: string;
  readonly createdAt: string;
};

export const FINDING_KINDS = ['strength', 'recommendation'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type Finding = {
  readonly sectionId: string;
  readonly kind: FindingKind;
  readonly position: number;
  readonly text: string;
  /** A recommendation's priority and owner (migration 13); findings built elsewhere may leave them out: medium, not given. */
  readonly priority?: RecommendationPriority | undefined;
  readonly owner?: RecommendationOwner | undefined;
};

/** How urgent a recommendation is (hög, medel, låg), highest first; older recommendations are medium. */
export const RECOMMENDATION_PRIORITIES = ['high', 'medium', 'low'] as const;
export type RecommendationPriority = (typeof RECOMMENDATION_PRIORITIES)[number];
export const RecommendationPrioritySchema = z.enum(RECOMMENDATION_PRIORITIES);

/** Who a recommendation falls to (the terms the review network uses: utföraren av stödet, socialtjänsten, socialnämnden, hyresvärdar och bostadsbolag). */
export const RECOMMENDATION_OWNERS = ['provider', 'social_services', 'board', 'housing'] as const;
export type RecommendationOwner = (typeof RECOMMENDATION_OWNERS)[number];
export const RecommendationOwnerSchema = z.enum(RECOMMENDATION_OWNERS);

/** A recommendation's priority and owner as the findings form sends them, beside its text. */
export type RecommendationMeta = { readonly priority: RecommendationPriority; readonly owner: RecommendationOwner | undefined };

/** Barriers a review names (domain: systemic, organisational, individual), in this order. */
export const BARRIER_CATEGORIES = ['systemic', 'organisational', 'individual'] as const;
export const BarrierCategorySchema = z.enum(BARRIER_CATEGORIES);
export type BarrierCategory = (typeof BARRIER_CATEGORIES)[number];

export type Barrier = {
  readonly category: BarrierCategory;
  readonly position: number;
  readonly text: string;
};

/** The barriers of one category as the findings form sends them: one text per line. */
export type BarrierInput = { readonly category: BarrierCategory; readonly items: readonly string[] };

/** One section's strengths and recommendations, one text a point, in order. */
export type FindingsInput = {
  readonly sectionId: string;
  readonly strengths: readonly string[];
  readonly recommendations: readonly string[];
  /** Each recommendation's priority and owner, in the same order; without it, a kept text keeps its stored ones. */
  readonly recommendationMeta?: readonly RecommendationMeta[] | undefined;
};

/** Where a rater's indicator stands: given (a score or N/A), or begun (only a note or an evidence source). */
export type RatingProgress = 'rated' | 'begun';

/** A rating counts as given when it has a score or is marked N/A. */
export function isRated(rating: { score: number | null; notApplicable: boolean } | undefined): boolean {
  return rating !== undefined && (rating.score !== null || rating.notApplicable);
}
