// The starting point of the tests of a program's own work: the usual review scenario plus the program's people (a
// program lead and a staff member, linked to the program) and the stores of the program's own work.
import type { ActionStore } from '../../src/actions/action-store.js';
import type { OutcomeStore } from '../../src/outcomes/outcome-store.js';
import type { ProgramMemberStore } from '../../src/program-members/program-member-store.js';
import type { ReadinessStore } from '../../src/readiness/readiness-store.js';
import type { SelfAssessments } from '../../src/self-assessment/self-assessment-workflow.js';
import type { ConsensusRating } from '../../src/reviews/review-types.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, type Person, type ReviewScenario } from './review-scenario.js';
import type { Clock } from '../../src/clock.js';
import { createTestUser, makeTestApp } from './test-app.js';

export type ProgramScenario = ReviewScenario & {
  readonly programLead: Person;
  readonly staff: Person;
  readonly admin: Person;
  readonly members: ProgramMemberStore;
  readonly selfAssessments: SelfAssessments;
  readonly readiness: ReadinessStore;
  readonly actions: ActionStore;
  readonly outcomes: OutcomeStore;
};

export async function createProgramScenario(options: { rubricId?: string; clock?: Clock } = {}): Promise<ProgramScenario> {
  const s = await createReviewScenario({
    ...(options.rubricId === undefined ? {} : { rubricId: options.rubricId }),
    ...(options.clock === undefined ? {} : { app: makeTestApp({ clock: options.clock }) }),
  });
  const programLead = await createTestUser(s.db, ['program_lead'], { displayName: 'Petra Programledare' });
  const staff = await createTestUser(s.db, [], { displayName: 'Sam Stödperson' });
  const admin = await createTestUser(s.db, ['admin'], { displayName: 'Ada Admin' });
  // The app's own stores (src/services.ts), so what a test writes is what the app reads, on the app's clock.
  const { members, selfAssessments, readiness, actions, outcomes } = s.services;
  members.setMember(s.programId, programLead.id, 'lead', admin.id);
  members.setMember(s.programId, staff.id, 'staff', admin.id);
  return {
    ...s,
    programLead,
    staff,
    admin,
    members,
    selfAssessments,
    readiness,
    actions,
    outcomes,
  };
}

/**
 * Takes a review from draft to final through the store: lead, reviewer A and reviewer B rate with `pick`, the lead
 * records the consensus (the same value) and the recommendations given per section id.
 */
export function finalisePeerReview(
  s: ReviewScenario,
  reviewId: number,
  pick: (min: number, max: number, index: number) => number | 'na',
  recommendations: Readonly<Record<string, readonly string[]>> = {},
): void {
  const review = s.reviews.findReviewById(reviewId);
  if (!review) throw new Error('no review');
  const rubric = review.rubric.rubric;
  for (const [person, role] of [
    [s.lead, 'lead'],
    [s.reviewerA, 'reviewer'],
    [s.reviewerB, 'reviewer'],
  ] as const) {
    s.reviews.setPanelMember(reviewId, person.id, role);
  }
  if (!s.reviews.transition(reviewId, 'draft', 'rating')) throw new Error('could not start rating');
  const indicators = listIndicators(rubric);
  const values = indicators.map(({ indicator }, index) => pick(indicator.scale.min, indicator.scale.max, index));
  for (const rater of [s.lead, s.reviewerA, s.reviewerB]) {
    const ratings = indicators.map(({ indicator }, index) => {
      const value = values[index] ?? 'na';
      return { indicatorId: indicator.id, score: value === 'na' ? null : value, notApplicable: value === 'na', evidence: [], note: '' };
    });
    if (s.reviews.saveRatings(reviewId, rater.id, ratings).outcome !== 'saved') throw new Error('save failed');
    if (
      s.reviews.submitRatings(
        reviewId,
        rater.id,
        indicators.map(({ indicator }) => indicator.id),
      ) !== 'submitted'
    )
      throw new Error('submit failed');
  }
  if (!s.reviews.transition(reviewId, 'rating', 'consensus')) throw new Error('could not start consensus');
  indicators.forEach(({ indicator }, index) => {
    const value = values[index] ?? 'na';
    const input: Omit<ConsensusRating, 'decidedBy' | 'updatedAt' | 'version'> = {
      indicatorId: indicator.id,
      score: value === 'na' ? null : value,
      notApplicable: value === 'na',
      rationale: '',
    };
    s.reviews.saveConsensus(reviewId, input, s.lead.id);
  });
  s.reviews.replaceFindings(
    reviewId,
    rubric.sections.map((section) => ({ sectionId: section.id, strengths: [], recommendations: recommendations[section.id] ?? [] })),
    s.lead.id,
  );
  if (!s.reviews.transition(reviewId, 'consensus', 'final')) throw new Error('could not finalise');
}

/**
 * A final self-assessment of the scenario's program on the shipped rubric, its lead alone rating each indicator with
 * `pick` (a score, or 'na'), taken as agreed and finalised through the stores; returns its id. For the gap view.
 */
export function finaliseSelfAssessment(
  s: ProgramScenario,
  pick: (min: number, max: number, index: number) => number | 'na',
  date = '2026-02-01',
): number {
  const loaded = s.rubrics.get('bostad-forst');
  if (!loaded) throw new Error('rubric missing');
  const id = s.selfAssessments.startSelfAssessment({
    programId: s.programId,
    rubric: loaded,
    leadId: s.programLead.id,
    coRaterIds: [],
    date,
  });
  const indicators = listIndicators(loaded.rubric);
  const ratings = indicators.map(({ indicator }, index) => {
    const value = pick(indicator.scale.min, indicator.scale.max, index);
    return { indicatorId: indicator.id, score: value === 'na' ? null : value, notApplicable: value === 'na', evidence: [], note: '' };
  });
  if (s.reviews.saveRatings(id, s.programLead.id, ratings).outcome !== 'saved') throw new Error('save failed');
  const ids = indicators.map(({ indicator }) => indicator.id);
  if (s.reviews.submitRatings(id, s.programLead.id, ids) !== 'submitted') throw new Error('submit failed');
  if (!s.reviews.transition(id, 'rating', 'consensus', s.programLead.id)) throw new Error('no consensus');
  s.selfAssessments.adoptAgreedRatings(id, s.programLead.id);
  if (!s.reviews.transition(id, 'consensus', 'final', s.programLead.id)) throw new Error('not final');
  return id;
}

/** A new draft peer review of the scenario's program, created by the coordinator. */
export function createPeerReview(s: ReviewScenario, visitStart: string, rubricId = 'bostad-forst'): number {
  const loaded = s.rubrics.get(rubricId);
  if (!loaded) throw new Error('rubric missing');
  return s.reviews.insertReview({
    programId: s.programId,
    rubric: loaded,
    kind: 'peer_review',
    visitStart,
    visitEnd: visitStart,
    createdBy: s.coordinator.id,
  });
}

/**
 * Rates every indicator of review `reviewId` at its scale's maximum as `raterId` (no evidence, no note) and submits,
 * through the store: a self-assessment's lone rater, typically.
 */
export function rateAtMaxAndSubmit(s: Pick<ReviewScenario, 'reviews'>, reviewId: number, raterId: number): void {
  const review = s.reviews.findReviewById(reviewId);
  if (!review) throw new Error('no review');
  const indicators = listIndicators(review.rubric.rubric);
  const ratings = indicators.map(({ indicator }) => ({
    indicatorId: indicator.id,
    score: indicator.scale.max,
    notApplicable: false,
    evidence: [],
    note: '',
  }));
  if (s.reviews.saveRatings(reviewId, raterId, ratings).outcome !== 'saved') throw new Error('save failed');
  const ids = indicators.map(({ indicator }) => indicator.id);
  if (s.reviews.submitRatings(reviewId, raterId, ids) !== 'submitted') throw new Error('submit failed');
}
