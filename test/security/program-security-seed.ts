// What the shared security fixture (test/security/security-fixture.ts) holds of the program's own work, so
// the access matrix and the form fuzz test reach its routes with real targets: the program-lead persona leads the
// fixture program; an earlier final peer review with a recommendation and its action plan; a final self-assessment
// by the program lead, shared with the fixture's draft review (whose panel is the lead and rater personas); and an
// outcome period.
import { createActionPlans } from '../../src/actions/action-plan.js';
import { createActionStore } from '../../src/actions/action-store.js';
import type { Db } from '../../src/db/open-database.js';
import { createOutcomeStore } from '../../src/outcomes/outcome-store.js';
import { createProgramMemberStore } from '../../src/program-members/program-member-store.js';
import type { ReviewStore } from '../../src/reviews/review-store.js';
import type { LoadedRubric } from '../../src/rubrics/load-rubrics.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createSelfAssessmentStore } from '../../src/self-assessment/self-assessment-store.js';
import { createSelfAssessmentWorkflow } from '../../src/self-assessment/self-assessment-workflow.js';
import { createTransact } from '../../src/db/transact.js';

export type ProgramWorkSeed = {
  /** The earlier round: a final peer review with one recommendation. */
  readonly roundReviewId: number;
  readonly actionId: number;
  readonly selfAssessmentId: number;
  readonly outcomePeriodId: number;
};

export function seedProgramWork(
  db: Db,
  reviews: ReviewStore,
  rubric: LoadedRubric,
  people: {
    readonly programId: number;
    readonly programLead: number;
    readonly admin: number;
    readonly coordinator: number;
    readonly lead: number;
    readonly rater: number;
    readonly shareWithReviewId: number;
  },
): ProgramWorkSeed {
  const indicators = listIndicators(rubric.rubric);
  const ids = indicators.map(({ indicator }) => indicator.id);
  const everyMax = indicators.map(({ indicator }) => ({
    indicatorId: indicator.id,
    score: indicator.scale.max,
    notApplicable: false,
    evidence: [],
    note: '',
  }));
  createProgramMemberStore(db).setMember(people.programId, people.programLead, 'lead', people.admin);

  const roundReviewId = reviews.insertReview({
    programId: people.programId,
    rubric,
    kind: 'peer_review',
    visitStart: '2025-03-02',
    visitEnd: '2025-03-03',
    createdBy: people.coordinator,
  });
  reviews.setPanelMember(roundReviewId, people.lead, 'lead');
  reviews.setPanelMember(roundReviewId, people.rater, 'reviewer');
  reviews.transition(roundReviewId, 'draft', 'rating');
  for (const rater of [people.lead, people.rater]) {
    reviews.saveRatings(roundReviewId, rater, everyMax);
    reviews.submitRatings(roundReviewId, rater, ids);
  }
  reviews.transition(roundReviewId, 'rating', 'consensus');
  for (const rating of everyMax) reviews.saveConsensus(roundReviewId, { ...rating, rationale: '' }, people.lead);
  const firstSection = rubric.rubric.sections[0];
  if (!firstSection) throw new Error('the rubric has no sections');
  reviews.replaceFindings(
    roundReviewId,
    [{ sectionId: firstSection.id, strengths: [], recommendations: ['Skriv ner rutinen för förstahandskontrakt.'] }],
    people.lead,
  );
  if (!reviews.transition(roundReviewId, 'consensus', 'final')) throw new Error('could not finalise the earlier round');
  const actions = createActionStore(db);
  createActionPlans({ reviews, actions, transact: createTransact(db) }).createPlan(roundReviewId, people.programLead);
  const actionId = actions.listActionsOfReview(roundReviewId)[0]?.id;
  if (actionId === undefined) throw new Error('no action');

  const selfAssessments = createSelfAssessmentWorkflow({ shares: createSelfAssessmentStore(db), reviews, transact: createTransact(db) });
  const selfAssessmentId = selfAssessments.startSelfAssessment({
    programId: people.programId,
    rubric,
    leadId: people.programLead,
    coRaterIds: [],
    date: '2026-01-15',
  });
  reviews.saveRatings(selfAssessmentId, people.programLead, everyMax);
  reviews.submitRatings(selfAssessmentId, people.programLead, ids);
  reviews.transition(selfAssessmentId, 'rating', 'consensus', people.programLead);
  selfAssessments.adoptAgreedRatings(selfAssessmentId, people.programLead);
  if (!reviews.transition(selfAssessmentId, 'consensus', 'final', people.programLead))
    throw new Error('could not finalise the self-assessment');
  if (selfAssessments.share(selfAssessmentId, people.shareWithReviewId, people.programLead) !== 'shared')
    throw new Error('could not share');

  const saved = createOutcomeStore(db).insertPeriod(
    people.programId,
    {
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      movedIn: 29,
      stillFirstFlat: 18,
      stillInProgram: 21,
      firstHandLeases: 5,
      evictions: 1,
      complaints: 3,
      clients: 21,
      caseManagers: 2.5,
      note: '',
    },
    people.programLead,
  );
  if (saved.outcome !== 'saved') throw new Error('could not save the outcome period');
  return { roundReviewId, actionId, selfAssessmentId, outcomePeriodId: saved.id };
}
