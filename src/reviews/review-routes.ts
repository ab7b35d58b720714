// Creating a review, its overview (panel, progress, workflow) and the coordinator's panel and status actions.
import { guardByRoutes } from '../http/router-guards.js';
import type { Program } from '../municipalities/municipality-store.js';
import { loadProgramOr404 } from '../municipalities/load-program.js';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { hasRole, requireRole, requireUser } from '../accounts/access.js';
import type { UserStore } from '../accounts/user-store.js';
import type { ConflictChecker } from '../conflicts/conflict-check.js';
import { describeConflict, describeOwnConflict } from '../conflicts/conflict-messages.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { type FieldErrors, formValue, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import type { MunicipalityStore } from '../municipalities/municipality-store.js';
import { defaultRubricId, type RubricRegistry } from '../rubrics/rubric-registry.js';
import { listIndicators } from '../rubrics/rubric-schema.js';
import { canOfferAdoption, createConsensusRouter } from './consensus-routes.js';
import { createConsensusSectionRouter } from './consensus-section-routes.js';
import { createRatingRouter } from './rating-routes.js';
import { createResultRouter } from './result-routes.js';
import {
  canEditConsensus,
  canEditDetails,
  canEditEvidenceBase,
  canManagePanel,
  canRate,
  canSeeLateAdditionReasons,
  canSeeOthersRatings,
  canTransition,
  canViewOverview,
  canViewResult,
  TRANSITIONS,
} from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import {
  createReviewFormSchema,
  PanelMemberFormSchema,
  RemoveMemberFormSchema,
  ReopenFormSchema,
  ReviewDetailsFormSchema,
  TransitionFormSchema,
  REVIEW_FIELD_LABELS,
} from './review-forms.js';
import type { ReviewStore } from './review-store.js';
import { PANEL_ROLES, type PanelRole, REVIEW_KINDS, isRaterRole } from './review-types.js';
import { describeTaskStatuses, findTransitionBlockers, summarizeProgress } from './review-workflow.js';
import { createFinaliseRouter } from './finalise-routes.js';
import { describeOverviewLabels, describePersonChoice, describeWaiting, type OverviewPageLocals } from './overview-view.js';
import { createReportWorkflowRouter } from './report-workflow-routes.js';
import { describeReportParts } from './report-parts.js';
import { describeOverviewPart, type OverviewParts } from './overview-part.js';
import type { Transact } from '../db/transact.js';
import type { Clock } from '../clock.js';
import type { DraftReports } from './report-workflow.js';

export type ReviewRouterDependencies = {
  readonly reviews: ReviewStore;
  readonly users: UserStore;
  readonly municipalities: MunicipalityStore;
  readonly rubrics: RubricRegistry;
  readonly conflicts: ConflictChecker;
  readonly reciprocalReviewMonths: number;
  /** A panel change and the confirmation of its conflict warning are saved together or not at all. */
  readonly transact: Transact;
  /** The program's own work: last round's recommendations, shared self-assessments, paper sheets. */
  readonly overviewParts?: OverviewParts | undefined;
  /** Whether the user leads the program (program-members owns that table): the program answers the factual check. */
  readonly isProgramLead: (programId: number, userId: number) => boolean;
  /** The draft report of the factual check: what it states now, and rendered to be kept as sent (src/reports/sent-draft.ts). */
  readonly draftReports: DraftReports;
  readonly clock: Clock;
};

export function createReviewRouter({
  reviews,
  users,
  municipalities,
  rubrics,
  conflicts,
  reciprocalReviewMonths,
  transact,
  overviewParts,
  isProgramLead,
  draftReports,
  clock,
}: ReviewRouterDependencies): Router {
  // The review's own pages; the parts (rating, consensus, …) have routers of their own, mounted below.
  const router = Router();

  const findProgram = (rawId: unknown): Program => loadProgramOr404(municipalities, rawId);

  const rubricOptions = (req: Request) =>
    [...rubrics.values()].map(({ rubric }) => ({ value: rubric.id, label: `${rubric.title[req.locale]} (${rubric.version})` }));

  const renderNewReview = (req: Request, res: Response, programId: number, values: RawForm, errors: FieldErrors, status = 200) => {
    const program = findProgram(programId);
    return renderPage(
      res,
      'reviews/new',
      {
        title: req.t('reviews.newTitle', { program: program.name }),
        program,
        rubricOptions: rubricOptions(req),
        kindOptions: REVIEW_KINDS.map((kind) => ({ value: kind, label: req.t(`reviews.kind.${kind}`) })),
        form: createFormView(values, errors, status !== 200),
      },
      status,
    );
  };

  router.get('/programs/:id/reviews/new', requireRole('coordinator'), async (req, res) => {
    const program = findProgram(req.params.id);
    const defaultRubric = defaultRubricId(rubrics) ?? '';
    await renderNewReview(req, res, program.id, { rubric_id: defaultRubric, kind: 'peer_review' }, {});
  });

  router.post('/programs/:id/reviews/new', requireRole('coordinator'), async (req, res) => {
    const program = findProgram(req.params.id);
    const parsed = parseForm(createReviewFormSchema([...rubrics.keys()]), req.body, req.t, labelFields(req.t, REVIEW_FIELD_LABELS));
    if (!parsed.ok) return renderNewReview(req, res, program.id, parsed.values, parsed.errors, 422);
    const rubric = rubrics.get(parsed.value.rubric_id);
    if (!rubric) throw new NotFoundError();
    const id = reviews.insertReview({
      programId: program.id,
      rubric,
      kind: parsed.value.kind,
      visitStart: parsed.value.visit_start,
      visitEnd: parsed.value.visit_end,
      createdBy: req.user?.id ?? 0,
    });
    setFlash(req, 'reviews.created');
    res.redirect(303, `/reviews/${id}`);
  });

  const renderOverview = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    forms: {
      panel?: { values: RawForm; errors: FieldErrors };
      notice?: string;
      panelWarning?: string;
      reopen?: { values: RawForm; errors: FieldErrors };
    } = {},
    status = 200,
  ) => {
    const { review, panel, viewer } = context;
    const indicatorCount = listIndicators(review.rubric.rubric).length;
    const counts = reviews.countRatedByRater(review.id);
    const decided = reviews.listDecidedIndicators(review.id);
    const transitions = TRANSITIONS.filter((t) => t.from === review.status && canTransition(viewer, t)).map((t) => ({
      to: t.to,
      // The judgement is left out here: the task list offers the check page, which lists it as missing with its link.
      blockers: findTransitionBlockers({ rubric: review.rubric.rubric, panel, consensus: decided, kind: review.kind }, t).map((b) =>
        req.t(b.key, b.params),
      ),
    }));
    // The task list: each step's status and count, what is missing, and a step's button only when it can be taken.
    const progress = summarizeProgress({
      rubric: review.rubric.rubric,
      panel,
      consensus: decided,
      findings: reviews.countFindingsBySection(review.id),
      barriers: reviews.countBarriersByCategory(review.id),
    });
    const panelBlockers = findTransitionBlockers(
      { rubric: review.rubric.rubric, panel, consensus: decided, kind: review.kind },
      { from: 'draft', to: 'rating' },
    ).map((b) => req.t(b.key, b.params));
    const tasks = {
      status: describeTaskStatuses(review.status, progress, panelBlockers.length === 0),
      progress,
      panelBlockers,
      // The viewer is "you", first, and the names read as a list of the language ("dig, Anna och Bertil").
      waiting: describeWaiting(panel, viewer.user.id, req.t, req.locale),
      sections: review.rubric.rubric.sections.map((section, index) => ({ section, progress: progress.sections[index] })),
      editConsensus: canEditConsensus(viewer, review.status),
    };
    const candidates = canManagePanel(viewer, review.status) ? users.listUsers().filter((u) => u.active) : [];
    // The list says beforehand what the save would refuse or ask for, from the same conflict rules (the save still checks).
    const personChoice = describePersonChoice({
      candidates,
      memberIds: new Set(panel.map((m) => m.userId)),
      blocks:
        candidates.length > 0 && review.kind !== 'self_assessment'
          ? conflicts.findRatingBlocks(
              candidates.map((u) => u.id),
              review.programId,
              review.id,
            )
          : new Map(),
      selfRefused: review.status === 'draft' ? undefined : viewer.user.id,
      chosen: forms.panel ? idParam.safeParse(formValue(forms.panel.values, 'user_id')).data : undefined,
      municipality: review.municipalityName,
      months: reciprocalReviewMonths,
      t: req.t,
    });
    // The reasons for late additions are for coordinators, administrators and the lead only.
    const lateAdditions = canSeeLateAdditionReasons(viewer)
      ? reviews.listLateAdditions(review.id)
      : new Map<number, { reason: string; addedAt: string }>();
    // Coordinators see which panel members a conflict of interest stops from rating, and why (it can arise after
    // they joined: a new affiliation or declared conflict). Declared reasons can be personal, so only coordinators.
    const conflictsChecked =
      review.kind !== 'self_assessment' &&
      (review.status === 'draft' || review.status === 'rating') &&
      (canManagePanel(viewer, 'draft') || hasRole(viewer.user, 'admin'));
    const describeMemberConflict = (member: (typeof panel)[number]) => {
      // Observers do not rate, and a rater who has submitted has nothing left to rate.
      if (!conflictsChecked || !isRaterRole(member.role) || member.submittedAt !== undefined) return undefined;
      const block = conflicts.findRatingBlock(member.userId, review.programId, review.id);
      if (!block) return undefined;
      return {
        reasons: [...block.refusals, ...block.unconfirmedWarnings].map((r) =>
          describeConflict(r, member.displayName, req.t, reciprocalReviewMonths),
        ),
        next: req.t(block.refusals.length > 0 ? 'conflicts.memberBlockedRefusal' : 'conflicts.memberBlockedWarning'),
      };
    };
    // The viewer's own rating, stopped by a conflict of interest: said on the overview, instead of a button that fails.
    const ownBlock =
      review.kind !== 'self_assessment' && canRate(viewer, review.status)
        ? conflicts.findRatingBlock(viewer.user.id, review.programId, review.id)
        : undefined;
    await renderPage<OverviewPageLocals>(
      res,
      'reviews/overview',
      {
        title: req.t(review.kind === 'self_assessment' ? 'reviews.self.overviewTitle' : 'reviews.overviewTitle', {
          program: review.programName,
        }),
        review,
        // A panel change's notice stands at the panel, where its redirect jumps (src/http/flash.ts).
        flashTargets: ['panel'],
        labels: describeOverviewLabels(review, req.t),
        // A lead who rated alone takes their ratings as the consensus in one step, instead of entering each again.
        canAdopt: canOfferAdoption(context, decided.length),
        rubric: review.rubric.rubric,
        panel: panel.map((member) => ({
          ...member,
          rater: isRaterRole(member.role),
          rated: counts.get(member.userId) ?? 0,
          lateAddition: lateAdditions.get(member.userId),
          conflict: describeMemberConflict(member),
        })),
        ownConflicts: ownBlock
          ? [...ownBlock.refusals, ...ownBlock.unconfirmedWarnings].map((r) => describeOwnConflict(r, req.t, reciprocalReviewMonths))
          : [],
        // Adding a rater once rating has started needs a reason: the field is there in that phase only.
        askLateReason: review.status === 'rating',
        indicatorCount,
        membership: viewer.membership,
        can: {
          managePanel: canManagePanel(viewer, review.status),
          editDetails: canEditDetails(viewer, review.status),
          rate: canRate(viewer, review.status),
          seeConsensus: canSeeOthersRatings(viewer, review.status) && review.status !== 'draft',
          viewResult: canViewResult(viewer, review.status),
          editEvidence: review.kind === 'peer_review' && review.status !== 'final' && canEditEvidenceBase(viewer),
        },
        transitions,
        tasks,
        personChoice,
        roleOptions: PANEL_ROLES.map((role) => ({ value: role, label: req.t(`reviews.panelRole.${role}`) })),
        panelForm: createFormView(forms.panel?.values ?? { role: 'reviewer' }, forms.panel?.errors ?? {}, forms.panel !== undefined),
        notice: forms.notice,
        panelWarning: forms.panelWarning,
        reopenForm: createFormView(forms.reopen?.values ?? {}, forms.reopen?.errors ?? {}, forms.reopen !== undefined),
        reopenings: reviews.listReopenings(review.id),
        canReopen: review.status === 'final' && hasRole(viewer.user, 'admin'),
        canSeeAudit: hasRole(viewer.user, 'admin') || (viewer.user.roles.includes('coordinator') && review.createdBy === viewer.user.id),
        reportParts: describeReportParts(reviews, review, viewer),
        programWork: overviewParts
          ? describeOverviewPart(overviewParts, review, panel, viewer, canRate(viewer, review.status), req.t, req.locale)
          : undefined,
      },
      status,
    );
  };

  router.get('/reviews/:id', async (req, res) => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (!canViewOverview(context.viewer)) {
      // Others may read a final result, but the working overview is for the panel and coordinators.
      if (canViewResult(context.viewer, context.review.status)) return res.redirect(303, `/reviews/${context.review.id}/result`);
      throw new NotFoundError();
    }
    await renderOverview(req, res, context);
  });

  const renderDetails = (
    req: Request,
    res: Response,
    context: ReviewContext,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    notice?: string,
  ) =>
    renderPage(
      res,
      'reviews/details',
      {
        title: req.t('reviews.editTitle'),
        review: context.review,
        // The kind decides who rates, which checks apply and who may see the review, so it is fixed once rating begins.
        kindEditable: context.review.status === 'draft',
        kindOptions: REVIEW_KINDS.map((kind) => ({ value: kind, label: req.t(`reviews.kind.${kind}`) })),
        kindLabel: req.t(`reviews.kind.${context.review.kind}`),
        form: createFormView(values, errors, status !== 200 && notice === undefined),
        notice,
      },
      status,
    );

  /** Loads the review of a coordinator's form; a review the user may not see at all answers 404, so a request does not reveal that it exists. */
  const loadVisibleReview = (req: Request): ReviewContext => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (!canViewOverview(context.viewer)) throw new NotFoundError();
    return context;
  };

  router.get('/reviews/:id/details', async (req, res) => {
    const context = loadVisibleReview(req);
    if (!canEditDetails(context.viewer, context.review.status)) throw new ForbiddenError();
    const { review } = context;
    await renderDetails(
      req,
      res,
      context,
      { kind: review.kind, visit_start: review.visitStart ?? '', visit_end: review.visitEnd ?? '' },
      {},
    );
  });

  router.post('/reviews/:id/details', async (req, res) => {
    const context = loadVisibleReview(req);
    if (!canEditDetails(context.viewer, context.review.status)) {
      // A coordinator whose form was overtaken by the workflow gets it back with what they typed; others may not edit.
      if (!canEditDetails(context.viewer, 'draft')) throw new ForbiddenError();
      return renderDetails(req, res, context, toRawForm(req.body), {}, 409, req.t('reviews.detailsLocked'));
    }
    const parsed = parseForm(ReviewDetailsFormSchema, req.body, req.t, labelFields(req.t, REVIEW_FIELD_LABELS));
    if (!parsed.ok) return renderDetails(req, res, context, parsed.values, parsed.errors, 422);
    const kind = parsed.value.kind ?? context.review.kind;
    const saved = reviews.updateReviewDetails(
      context.review.id,
      { kind, visitStart: parsed.value.visit_start, visitEnd: parsed.value.visit_end },
      context.viewer.user.id,
    );
    if (!saved) {
      // Rating began (the kind is fixed now) or the review moved on while the form was open: keep what was typed.
      const current = loadReviewContext(req, reviews, req.params.id);
      const values: RawForm = {
        kind: current.review.kind,
        visit_start: parsed.value.visit_start ?? '',
        visit_end: parsed.value.visit_end ?? '',
      };
      if (!canEditDetails(current.viewer, current.review.status))
        return renderDetails(req, res, current, values, {}, 409, req.t('reviews.detailsLocked'));
      return renderDetails(req, res, current, values, {}, 409, req.t('reviews.kindLocked'));
    }
    setFlash(req, 'reviews.detailsSaved');
    res.redirect(303, `/reviews/${context.review.id}`);
  });

  /**
   * The conflicts of interest of putting a person on the panel. A self-assessment is rated by the program's own people
   * (as the rating pages hold), so none apply to it.
   */
  const assessPanelConflicts = (context: ReviewContext, userId: number) =>
    context.review.kind === 'self_assessment'
      ? { refusals: [], warnings: [] }
      : conflicts.assess(userId, context.review.programId, context.review.id);

  /** The conflict-of-interest warnings about a person nobody has confirmed for this review yet, as one text. */
  const describeUnconfirmedWarning = (
    req: Request,
    context: ReviewContext,
    person: { id: number; displayName: string },
  ): string | undefined => {
    const { warnings } = assessPanelConflicts(context, person.id);
    if (warnings.length === 0 || conflicts.isConfirmed(context.review.id, person.id)) return undefined;
    return warnings.map((r) => describeConflict(r, person.displayName, req.t, reciprocalReviewMonths)).join(' ');
  };

  /** Whether putting this person on the panel in this role adds a rater after rating has started (a reason is needed). */
  const isLateAddition = (context: ReviewContext, userId: number, role: PanelRole): boolean => {
    if (context.review.status !== 'rating' || !isRaterRole(role)) return false;
    const member = context.panel.find((m) => m.userId === userId);
    return !(member && isRaterRole(member.role));
  };

  /** Nobody puts themself on a panel once rating has started: they could rate late and then read the others' scores. */
  const renderSelfAddition = (req: Request, res: Response, context: ReviewContext) => {
    const message = req.t('conflicts.selfAddition');
    const values = toRawForm(req.body);
    // Past rating the panel form is not on the page, so the refusal is said at the top.
    const notice = canManagePanel(context.viewer, context.review.status) ? {} : { notice: message };
    return renderOverview(req, res, context, { panel: { values, errors: { user_id: [message] } }, ...notice }, 422);
  };

  router.post('/reviews/:id/panel', async (req, res) => {
    const context = loadVisibleReview(req);
    // Only coordinators manage panels; whether the review's phase allows it is checked after the self-addition rule.
    if (!canManagePanel(context.viewer, 'draft')) throw new ForbiddenError();
    const parsed = parseForm(PanelMemberFormSchema, req.body, req.t, labelFields(req.t, REVIEW_FIELD_LABELS));
    if (parsed.ok && parsed.value.user_id === context.viewer.user.id && context.review.status !== 'draft') {
      return renderSelfAddition(req, res, context);
    }
    if (!canManagePanel(context.viewer, context.review.status)) throw new ForbiddenError();
    if (!parsed.ok) {
      // Keep the warning (and so the reason field with what was typed) on screen when only the reason was refused.
      const chosen = idParam.safeParse(parsed.values.user_id);
      const person = chosen.success ? users.findUserById(chosen.data) : undefined;
      const panelWarning = person ? describeUnconfirmedWarning(req, context, person) : undefined;
      return renderOverview(req, res, context, { panel: parsed, ...(panelWarning === undefined ? {} : { panelWarning }) }, 422);
    }
    const person = users.findUserById(parsed.value.user_id);
    if (!person?.active) {
      return renderOverview(
        req,
        res,
        context,
        { panel: { values: toRawForm(req.body), errors: { user_id: [req.t('validation.invalidChoice')] } } },
        422,
      );
    }
    // Conflicts of interest: refusals stop here; a warning needs the coordinator's reason, kept in the log.
    const assessment = assessPanelConflicts(context, person.id);
    const formValues: RawForm = {
      user_id: String(person.id),
      role: parsed.value.role,
      warning_reason: parsed.value.warning_reason,
      late_reason: parsed.value.late_reason,
    };
    if (assessment.refusals.length > 0) {
      const messages = assessment.refusals.map((r) => describeConflict(r, person.displayName, req.t, reciprocalReviewMonths));
      return renderOverview(req, res, context, { panel: { values: formValues, errors: { user_id: messages } } }, 422);
    }
    const panelWarning = describeUnconfirmedWarning(req, context, person);
    const reasonErrors: Record<string, string[]> = {};
    if (panelWarning !== undefined && parsed.value.warning_reason === '') {
      reasonErrors.warning_reason = [req.t('conflicts.warningReasonRequired', { name: person.displayName })];
    }
    if (isLateAddition(context, person.id, parsed.value.role) && parsed.value.late_reason === '') {
      reasonErrors.late_reason = [req.t('conflicts.lateReasonRequired')];
    }
    if (Object.keys(reasonErrors).length > 0) {
      const warning = panelWarning === undefined ? {} : { panelWarning };
      return renderOverview(req, res, context, { panel: { values: formValues, errors: reasonErrors }, ...warning }, 422);
    }
    // The confirmation is kept only with the panel change it was given for: a refused change leaves none behind.
    const outcome = transact(
      () => {
        if (panelWarning !== undefined)
          conflicts.confirmWarning(context.review.id, person.id, parsed.value.warning_reason, context.viewer.user.id);
        return reviews.setPanelMember(context.review.id, person.id, parsed.value.role, context.viewer.user.id, parsed.value.late_reason);
      },
      (result) => result === 'saved',
    );
    // The review moved on while the form was open (rating started, so a reason is needed now; or a later phase).
    if (outcome === 'self-addition') return renderSelfAddition(req, res, loadReviewContext(req, reviews, req.params.id));
    if (outcome === 'reason-required') {
      const current = loadReviewContext(req, reviews, req.params.id);
      const warning = panelWarning === undefined ? {} : { panelWarning };
      const errors = { late_reason: [req.t('conflicts.lateReasonRequired')] };
      return renderOverview(req, res, current, { panel: { values: formValues, errors }, ...warning }, 422);
    }
    if (outcome !== 'saved') {
      const message = req.t(outcome === 'has-ratings' ? 'reviews.memberHasRatings' : 'reviews.panelLocked');
      const current = loadReviewContext(req, reviews, req.params.id);
      return renderOverview(
        req,
        res,
        current,
        { panel: { values: formValues, errors: { user_id: [message] } }, ...(panelWarning === undefined ? {} : { panelWarning }) },
        409,
      );
    }
    setFlash(req, 'reviews.memberSaved', 'panel');
    res.redirect(303, `/reviews/${context.review.id}#panel`);
  });

  router.post('/reviews/:id/panel/remove', async (req, res) => {
    const context = loadVisibleReview(req);
    if (!canManagePanel(context.viewer, context.review.status)) throw new ForbiddenError();
    const parsed = parseForm(RemoveMemberFormSchema, req.body, req.t);
    if (!parsed.ok) throw new NotFoundError();
    const outcome = reviews.removePanelMember(context.review.id, parsed.value.user_id, context.viewer.user.id);
    if (outcome !== 'saved') {
      return renderOverview(
        req,
        res,
        context,
        { notice: req.t(outcome === 'has-ratings' ? 'reviews.memberHasRatings' : 'reviews.panelLocked') },
        409,
      );
    }
    setFlash(req, 'reviews.memberSaved', 'panel');
    res.redirect(303, `/reviews/${context.review.id}#panel`);
  });

  router.post('/reviews/:id/status', async (req, res) => {
    const context = loadReviewContext(req, reviews, req.params.id);
    const parsed = parseForm(TransitionFormSchema, req.body, req.t);
    const transition = parsed.ok ? TRANSITIONS.find((t) => t.to === parsed.value.to) : undefined;
    if (!transition) throw new NotFoundError();
    // Like the overview, a review one may not see answers 404, so a POST does not reveal that the id exists.
    if (!canViewOverview(context.viewer)) throw new NotFoundError();
    if (!canTransition(context.viewer, transition)) throw new ForbiddenError();
    const self = context.review.kind === 'self_assessment';
    if (context.review.status !== transition.from) {
      setFlash(req, self ? 'reviews.self.transitionStale' : 'reviews.transitionStale');
      return res.redirect(303, `/reviews/${context.review.id}`);
    }
    const blockers = findTransitionBlockers(
      {
        rubric: context.review.rubric.rubric,
        panel: context.panel,
        consensus: reviews.listDecidedIndicators(context.review.id),
        kind: context.review.kind,
        hasJudgement: reviews.findJudgement(context.review.id) !== undefined,
      },
      transition,
    );
    if (blockers.length > 0) {
      return renderOverview(req, res, context, { notice: blockers.map((b) => req.t(b.key, b.params)).join(' ') }, 409);
    }
    const moved = reviews.transition(context.review.id, transition.from, transition.to, context.viewer.user.id);
    if (self) setFlash(req, moved ? `reviews.self.transitionDone.${transition.to}` : 'reviews.self.transitionStale');
    else setFlash(req, moved ? `reviews.transitionDone.${transition.to}` : 'reviews.transitionStale');
    res.redirect(303, `/reviews/${context.review.id}`);
  });

  router.post('/reviews/:id/reopen', requireRole('admin'), async (req, res) => {
    const context = loadReviewContext(req, reviews, req.params.id);
    const parsed = parseForm(ReopenFormSchema, req.body, req.t, labelFields(req.t, REVIEW_FIELD_LABELS));
    if (!parsed.ok) return renderOverview(req, res, context, { reopen: parsed }, 422);
    if (!reviews.reopenReview(context.review.id, context.viewer.user.id, parsed.value.reason)) {
      setFlash(req, 'reviews.transitionStale');
    } else {
      setFlash(req, 'audit.reopened');
    }
    res.redirect(303, `/reviews/${context.review.id}`);
  });

  const reviewsRouter = Router();
  reviewsRouter.use(['/reviews', '/programs/:id/reviews'], requireUser());
  // Each part is tried only for its own routes' paths: a result page does not walk the overview's, rating's,
  // consensus's and finalising's routes first (src/http/router-guards.ts).
  for (const part of [
    router,
    createRatingRouter({ reviews, conflicts }),
    createConsensusRouter({ reviews }),
    createConsensusSectionRouter({ reviews }),
    createFinaliseRouter({ reviews }),
    createResultRouter({ reviews }),
    createReportWorkflowRouter({ reviews, isProgramLead, draftReports, clock }),
  ]) {
    reviewsRouter.use(guardByRoutes(part));
  }
  return reviewsRouter;
}
