// Mounts the routers of the program's own work: its people, self-assessments, readiness, action plan, outcomes and
// the paper scoring sheets.
import { Router } from 'express';
import { createActionRouter } from '../actions/action-routes.js';
import { createOutcomeRouter } from '../outcomes/outcome-routes.js';
import { createProgramMemberRouter } from '../program-members/program-member-routes.js';
import { createReadinessRouter } from '../readiness/readiness-routes.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { SheetRenderer } from '../scoring-sheet/scoring-sheet-renderer.js';
import { createScoringSheetRouter } from '../scoring-sheet/scoring-sheet-routes.js';
import { createSelfAssessmentRouter } from '../self-assessment/self-assessment-routes.js';
import type { ProgramWork } from './program-work.js';

export function createProgramWorkRouter({
  programWork,
  reviews,
  sheetRenderer,
}: {
  readonly programWork: ProgramWork;
  readonly reviews: ReviewStore;
  readonly sheetRenderer: SheetRenderer;
}): Router {
  const { members, selfAssessments, readiness, actions, outcomes, users, municipalities, rubrics } = programWork;
  const router = Router();
  router.use(createProgramMemberRouter({ members, users, municipalities }));
  router.use(createSelfAssessmentRouter({ selfAssessments, members, reviews, municipalities, rubrics }));
  router.use(createReadinessRouter({ readiness, members, selfAssessments, reviews, municipalities, rubrics }));
  router.use(createActionRouter({ actions, members, reviews, municipalities }));
  router.use(createOutcomeRouter({ outcomes, members, municipalities }));
  router.use(createScoringSheetRouter({ reviews, renderer: sheetRenderer }));
  return router;
}
