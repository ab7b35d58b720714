// The guards on each step of draft → rating → consensus → final, and the task list's view of them (statuses, what
// the finalise check lists). Pure: the routes load the state and ask.
import type { MessageKey } from '../i18n/messages.js';
import { listIndicators, type Rubric } from '../rubrics/rubric-schema.js';
import { findRationaleNeed } from './consensus-rationale.js';
import { summarizeSpread } from './rating-spread.js';
import { type IndicatorScore, scoreReview } from './scoring.js';
import type { Transition } from './review-access.js';
import {
  BARRIER_CATEGORIES,
  type Barrier,
  type ConsensusRating,
  type Finding,
  isRaterRole,
  type PanelMember,
  type RatingScore,
  REVIEW_STATUSES,
  type ReviewKind,
  type ReviewStatus,
} from './review-types.js';

export type WorkflowState = {
  readonly rubric: Rubric;
  readonly panel: readonly PanelMember[];
  /** The indicators the panel has decided (the consensus rows' ids are all the guards need). */
  readonly consensus: readonly Pick<ConsensusRating, 'indicatorId'>[];
  /** A self-assessment may have a single rater (the program lead); a peer review needs at least two. */
  readonly kind?: ReviewKind | undefined;
  /**
   * Whether the lead has written the panel's overall judgement: a peer review is not finalised without it.
   * Left out by callers that do not finalise (undefined: not checked).
   */
  readonly hasJudgement?: boolean | undefined;
};

export type Blocker = { readonly key: MessageKey; readonly params?: Readonly<Record<string, string | number>> };

/** What stands in the way of a transition; empty when it may go ahead. */
export function findTransitionBlockers(state: WorkflowState, transition: Transition): Blocker[] {
  const raters = state.panel.filter((member) => isRaterRole(member.role));
  switch (transition.to) {
    case 'rating': {
      const blockers: Blocker[] = [];
      if (!state.panel.some((member) => member.role === 'lead')) blockers.push({ key: 'reviews.blockers.noLead' });
      if (state.kind !== 'self_assessment' && raters.length < 2)
        blockers.push({ key: 'reviews.blockers.tooFewRaters', params: { min: 2 } });
      return blockers;
    }
    case 'consensus': {
      const waiting = raters.filter((member) => member.submittedAt === undefined);
      return waiting.length > 0
        ? [{ key: 'reviews.blockers.waitingForRaters', params: { names: waiting.map((m) => m.displayName).join(', ') } }]
        : [];
    }
    case 'final': {
      const decided = new Set(state.consensus.map((c) => c.indicatorId));
      const missing = listIndicators(state.rubric).filter(({ indicator }) => !decided.has(indicator.id)).length;
      const blockers: Blocker[] = missing > 0 ? [{ key: 'reviews.blockers.consensusMissing', params: { count: missing } }] : [];
      if (state.kind !== 'self_assessment' && state.hasJudgement === false) blockers.push({ key: 'reviews.blockers.judgementMissing' });
      return blockers;
    }
  }
}

/** A step's status on the review's task list. */
export type TaskStatus = 'notStarted' | 'inProgress' | 'done' | 'cannotStart';

export type SectionProgress = {
  readonly sectionId: string;
  readonly decided: number;
  readonly total: number;
  readonly hasStrengths: boolean;
  readonly hasRecommendations: boolean;
};

export type ReviewProgress = {
  readonly raters: number;
  readonly submitted: number;
  readonly decided: number;
  readonly indicators: number;
  /** Sections with both strengths and recommendations. */
  readonly sectionsWritten: number;
  readonly sections: readonly SectionProgress[];
  /** Barrier categories with at least one item. */
  readonly barrierKinds: number;
};

export function summarizeProgress(input: {
  readonly rubric: Rubric;
  readonly panel: readonly PanelMember[];
  readonly consensus: readonly Pick<ConsensusRating, 'indicatorId'>[];
  /** The findings, or one row per section and kind that has any (countFindingsBySection): only presence counts. */
  readonly findings: readonly Pick<Finding, 'sectionId' | 'kind'>[];
  /** The barriers, or one row per category that has any (countBarriersByCategory). */
  readonly barriers: readonly Pick<Barrier, 'category'>[];
}): ReviewProgress {
  const raters = input.panel.filter((member) => isRaterRole(member.role));
  const decided = new Set(input.consensus.map((c) => c.indicatorId));
  const sections = input.rubric.sections.map((section) => ({
    sectionId: section.id,
    decided: section.indicators.filter((indicator) => decided.has(indicator.id)).length,
    total: section.indicators.length,
    hasStrengths: input.findings.some((f) => f.sectionId === section.id && f.kind === 'strength'),
    hasRecommendations: input.findings.some((f) => f.sectionId === section.id && f.kind === 'recommendation'),
  }));
  return {
    raters: raters.length,
    submitted: raters.filter((member) => member.submittedAt !== undefined).length,
    decided: sections.reduce((sum, s) => sum + s.decided, 0),
    indicators: sections.reduce((sum, s) => sum + s.total, 0),
    sectionsWritten: sections.filter((s) => s.hasStrengths && s.hasRecommendations).length,
    sections,
    barrierKinds: new Set(input.barriers.map((b) => b.category)).size,
  };
}

const countStatus = (done: number, total: number): TaskStatus => (done === 0 ? 'notStarted' : done >= total ? 'done' : 'inProgress');

/**
 * The status of each step of the task list. A step that belongs to a later phase cannot start yet, except the next
 * one when it may begin now (rating once the panel is ready, consensus once every rater has submitted); once the
 * review has passed a step's phase, the step is done (what was written stays as it is).
 */
export function describeTaskStatuses(
  status: ReviewStatus,
  progress: ReviewProgress,
  panelReady: boolean,
): Readonly<Record<'panel' | 'rating' | 'consensus' | 'findings' | 'barriers' | 'finalise', TaskStatus>> {
  const phase = REVIEW_STATUSES.indexOf(status);
  const panel: TaskStatus = phase > 0 || panelReady ? 'done' : progress.raters > 0 ? 'inProgress' : 'notStarted';
  // A step whose phase is next and may begin now (the page shows its start button) is not started, not "cannot start".
  const rating: TaskStatus =
    phase < 1 ? (panelReady ? 'notStarted' : 'cannotStart') : phase > 1 ? 'done' : countStatus(progress.submitted, progress.raters);
  const allSubmitted = progress.raters > 0 && progress.submitted >= progress.raters;
  const inConsensus = (done: number, total: number): TaskStatus => (phase < 2 ? 'cannotStart' : countStatus(done, total));
  return {
    panel,
    rating,
    consensus: phase > 2 ? 'done' : phase === 1 && allSubmitted ? 'notStarted' : inConsensus(progress.decided, progress.indicators),
    findings: phase > 2 ? 'done' : inConsensus(progress.sectionsWritten, progress.sections.length),
    barriers: phase > 2 ? 'done' : inConsensus(progress.barrierKinds, BARRIER_CATEGORIES.length),
    finalise: phase > 2 ? 'done' : phase === 2 && progress.decided >= progress.indicators ? 'notStarted' : 'cannotStart',
  };
}

/** What the finalise check page lists as missing or thin; none of it stops finalising (missing consensus does). */
export type FinaliseGap =
  | { readonly kind: 'noStrengths' | 'noRecommendations'; readonly sectionId: string }
  | {
      readonly kind: 'notApplicable' | 'rationaleMissing' | 'capWithoutHighRecommendation';
      readonly sectionId: string;
      readonly indicatorId: string;
    };

/**
 * Sections without strengths or recommendations, indicators decided as N/A, and consensus decisions without the
 * rationale they need by the consensus section's rule (findRationaleNeed): N/A when no rater said so, a score outside
 * the raters' spread (nothing in the ratings supports it), a core element at a score that caps the level. And each
 * indicator that caps the level whose section has no recommendation of high priority: the board report puts that
 * recommendation first, as what matters most, and a board member should not read "prioritet medel" beside it.
 */
export function findFinaliseGaps(
  rubric: Rubric,
  progress: ReviewProgress,
  consensus: readonly Pick<ConsensusRating, 'indicatorId' | 'score' | 'notApplicable' | 'rationale'>[],
  ratings: readonly RatingScore[],
  recommendations: readonly Pick<Finding, 'sectionId' | 'priority'>[] = [],
): FinaliseGap[] {
  const gaps: FinaliseGap[] = [];
  const scores = scoreReview(
    rubric,
    new Map<string, IndicatorScore>(consensus.map((c) => [c.indicatorId, { score: c.score, notApplicable: c.notApplicable }])),
  );
  const sectionOf = new Map(listIndicators(rubric).map(({ section, indicator }) => [indicator.id, section.id]));
  const capping = new Set(
    scores.overall.explanation.caps.filter((cap) => cap.lowered).flatMap((cap) => cap.triggers.map((t) => t.indicatorId)),
  );
  for (const indicatorId of capping) {
    const sectionId = sectionOf.get(indicatorId);
    if (sectionId === undefined) continue;
    if (!recommendations.some((r) => r.sectionId === sectionId && r.priority === 'high')) {
      gaps.push({ kind: 'capWithoutHighRecommendation', sectionId, indicatorId });
    }
  }
  for (const section of progress.sections) {
    if (!section.hasStrengths) gaps.push({ kind: 'noStrengths', sectionId: section.sectionId });
    if (!section.hasRecommendations) gaps.push({ kind: 'noRecommendations', sectionId: section.sectionId });
  }
  const decided = new Map(consensus.map((c) => [c.indicatorId, c]));
  for (const { section, indicator } of listIndicators(rubric)) {
    const decision = decided.get(indicator.id);
    if (!decision) continue;
    const place = { sectionId: section.id, indicatorId: indicator.id };
    if (decision.notApplicable) gaps.push({ kind: 'notApplicable', ...place });
    if (decision.rationale !== '') continue;
    // The consensus section's own rule (consensus-rationale.ts), so the check asks for no more and no less than the
    // save did: N/A only when no rater said so, a score outside the spread, a core element's score that caps the level.
    const spread = summarizeSpread(
      indicator.scale,
      ratings.filter((r) => r.indicatorId === indicator.id),
    );
    if (findRationaleNeed(rubric, indicator, spread, decision)) gaps.push({ kind: 'rationaleMissing', ...place });
  }
  return gaps;
}
