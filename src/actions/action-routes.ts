// The action plan: each recommendation of a final peer review becomes an action with an owner, a due date, a status
// and dated progress notes. The program's leads keep it; its people, coordinators and the panels of the program's
// reviews read it. Overdue actions say so in words and with a badge, not by colour alone.
import { loadProgramOr404 } from '../municipalities/load-program.js';
import { matchActions, recommendationKey } from './action-matching.js';
import { groupByOwner, ownerKey } from '../reviews/report-workflow.js';
import { Router } from 'express';
import type { DescribeLatestResult } from '../municipalities/program-page-parts.js';
import { formatLongDate } from '../i18n/format.js';
import type { Request, Response } from 'express';
import { requireUser } from '../accounts/access.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { type FieldErrors, formValue, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import type { Translate } from '../i18n/messages.js';
import type { MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { canViewActions, isProgramLead, type ProgramViewer } from '../program-members/program-access.js';
import type { ProgramMemberStore } from '../program-members/program-member-store.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { Review } from '../reviews/review-types.js';
import { ACTION_FIELD_LABELS, ActionQuerySchema, CreatePlanFormSchema, createActionFormSchema, NOTE_TEXT_MAX } from './action-forms.js';
import { ACTION_STATUSES, isOverdue } from './action-status.js';
import { todayInSweden } from '../i18n/calendar.js';
import { countActions, describeRoundCounts } from './action-counts.js';
import type { ActionPlans } from './action-plan.js';
import type { Action, ActionStore } from './action-store.js';
import { findRoundDate, listFinalPeerReviews } from '../reviews/review-rounds.js';
import { listOverdueActions, listRoundActions, OVERDUE_ANCHOR } from './round-actions.js';

export type ActionRouterDependencies = {
  /** The program's latest result, shown under the page's heading (ux.md rule 9); none when left out. */
  readonly latestResult?: DescribeLatestResult | undefined;
  readonly actions: ActionStore;
  readonly actionPlans: ActionPlans;
  readonly members: ProgramMemberStore;
  readonly reviews: ReviewStore;
  readonly municipalities: MunicipalityStore;
  /** "Today" for dates typed and shown: the app's clock. */
  readonly clock: Clock;
};

/** How an action reads in a list: status in words, overdue flagged, the owner and the latest note. */
export function describeAction(action: Action, t: Translate, today: string) {
  return {
    id: action.id,
    recommendation: action.recommendation,
    status: action.status,
    statusLabel: t(`actions.statuses.${action.status}`),
    owner: action.ownerName,
    dueOn: action.dueOn,
    overdue: isOverdue(action, today),
    latestNote: action.latestNote,
    noteCount: action.noteCount,
  };
}

/**
 * The action form's values as the action is stored, with no note typed yet, and the owner it shows in the form's
 * markers, so a save is judged against the owner on the page, not one stored since (action-forms.ts).
 */
function storedValues(action: Action): RawForm {
  const ownerUserId = action.ownerUserId === undefined ? '' : String(action.ownerUserId);
  const ownerName = action.ownerUserId === undefined ? action.ownerName : '';
  return {
    owner_user_id: ownerUserId,
    owner_name: ownerName,
    owner_user_id_base: ownerUserId,
    owner_name_base: ownerName,
    due_on: action.dueOn ?? '',
    status: action.status,
    version: String(action.version),
  };
}

export function createActionRouter({
  actions,
  actionPlans,
  members,
  reviews,
  municipalities,
  clock,
  latestResult,
}: ActionRouterDependencies): Router {
  const router = Router();
  router.use(['/programs/:id/actions', '/actions'], requireUser());

  const findProgram = (rawId: unknown): Program => loadProgramOr404(municipalities, rawId);

  const viewerOf = (req: Request, programId: number): ProgramViewer => {
    if (!req.user) throw new ForbiddenError();
    const viewer: ProgramViewer = { user: req.user, role: members.findRole(programId, req.user.id) };
    const onPanel = reviews
      .listReviewsOfPanelMember(req.user.id)
      .some((review) => review.programId === programId && review.kind === 'peer_review');
    if (!canViewActions(viewer, onPanel)) throw new ForbiddenError('actions.notAllowed');
    return viewer;
  };

  const loadAction = (req: Request) => {
    const id = idParam.safeParse(req.params.id);
    const action = id.success ? actions.findAction(id.data) : undefined;
    if (!action) throw new NotFoundError();
    const viewer = viewerOf(req, action.programId);
    const review = reviews.findReviewById(action.reviewId);
    if (!review) throw new NotFoundError();
    return { action, viewer, review, program: findProgram(action.programId) };
  };

  router.get('/programs/:id/actions', async (req, res) => {
    const program = findProgram(req.params.id);
    const viewer = viewerOf(req, program.id);
    const query = ActionQuerySchema.parse(req.query);
    const finals = listFinalPeerReviews(reviews, program.id);
    const chosen = finals.find((review) => review.id === query.review) ?? finals[0];
    const review: Review | undefined = chosen ? reviews.findReviewById(chosen.id) : undefined;
    const today = todayInSweden(clock());
    const planned = review ? actions.listActionsOfReview(review.id) : [];
    const recommendations = review ? reviews.listFindings(review.id).filter((finding) => finding.kind === 'recommendation') : [];
    const match = matchActions(recommendations, planned);
    // Grouped by who the recommendation falls to, the most important first.
    const rubricSections = review?.rubric.rubric.sections ?? [];
    const sections = groupByOwner(
      recommendations,
      rubricSections.map((section) => section.id),
    ).map((group) => ({
      code: '',
      title: req.t(ownerKey(group.owner)),
      items: group.items.map((finding) => {
        const action = match.byRecommendation.get(recommendationKey(finding));
        return {
          text: finding.text,
          sectionCode: rubricSections.find((section) => section.id === finding.sectionId)?.code ?? finding.sectionId,
          priority: req.t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`),
          high: finding.priority === 'high',
          action: action ? describeAction(action, req.t, today) : undefined,
        };
      }),
    }));
    const unplanned = sections.reduce((count, section) => count + section.items.filter((item) => !item.action).length, 0);
    // Whatever round is shown, the overdue actions of every round (the start page counts the same ones).
    const overdue = listOverdueActions(listRoundActions({ reviews, actions }, finals), today).map(({ recommendation, action, round }) => ({
      id: action.id,
      recommendation: recommendation.text,
      roundDate: findRoundDate(round),
      dueOn: action.dueOn,
      owner: action.ownerName,
      statusLabel: req.t(`actions.statuses.${action.status}`),
    }));
    await renderPage(res, 'actions/plan', {
      title: req.t('actions.title', { program: program.name }),
      program,
      latest: latestResult?.(program, req.t, req.locale),
      review: review ? { id: review.id, date: findRoundDate(review) } : undefined,
      reviewOptions: finals.map((final) => ({
        value: final.id,
        label: req.t('actions.reviewOption', { date: formatLongDate(findRoundDate(final), req.locale) }),
        current: final.id === review?.id,
      })),
      sections,
      // The round's actions that follow its recommendations: a withdrawn one is listed on its own below, and the
      // start page leaves it out too, so both count the same actions.
      countsText: describeRoundCounts(countActions([...match.byRecommendation.values()], today), req.t),
      unplanned,
      overdue,
      overdueAnchor: OVERDUE_ANCHOR,
      // After a reopening: actions whose recommendation is no longer in the result, kept with their notes.
      withdrawn: review
        ? match.withdrawn.map((action) => ({
            ...describeAction(action, req.t, today),
            sectionCode: review.rubric.rubric.sections.find((section) => section.id === action.sectionId)?.code ?? action.sectionId,
          }))
        : [],
      canEdit: isProgramLead(viewer),
    });
  });

  router.post('/programs/:id/actions', async (req, res) => {
    const program = findProgram(req.params.id);
    const viewer = viewerOf(req, program.id);
    if (!isProgramLead(viewer)) throw new ForbiddenError('selfAssessment.leadsOnly');
    const parsed = parseForm(CreatePlanFormSchema, req.body, req.t, labelFields(req.t, ACTION_FIELD_LABELS));
    const review = parsed.ok ? reviews.findReviewById(parsed.value.review_id) : undefined;
    if (!review || review.programId !== program.id) throw new NotFoundError();
    const outcome = actionPlans.createPlan(review.id, viewer.user.id);
    if (outcome.outcome === 'not-final') throw new ConflictError('actions.notFinal');
    setFlash(req, 'actions.planCreated');
    res.redirect(303, `/programs/${program.id}/actions?review=${review.id}`);
  });

  const renderAction = async (
    req: Request,
    res: Response,
    loaded: ReturnType<typeof loadAction>,
    form?: { values: RawForm; errors: FieldErrors },
    status = 200,
  ) => {
    const { action, viewer, review, program } = loaded;
    const section = review.rubric.rubric.sections.find((s) => s.id === action.sectionId);
    const people = members.listMembers(program.id);
    const today = todayInSweden(clock());
    await renderPage(
      res,
      'actions/show',
      {
        title: req.t('actions.actionTitle', { program: program.name }),
        // A save with a note jumps to the notes, and its notice stands there (src/http/flash.ts).
        flashTargets: ['notes'],
        program,
        latest: latestResult?.(program, req.t, req.locale),
        review: { id: review.id, date: findRoundDate(review) },
        sectionLabel: section ? `${section.code} ${section.title[req.locale]}` : action.sectionId,
        action: describeAction(action, req.t, today),
        notes: actions.listNotes(action.id),
        noteMax: NOTE_TEXT_MAX,
        canEdit: isProgramLead(viewer),
        ownerOptions: [
          { value: '', label: req.t('actions.noOwnerUser') },
          ...people.map((person) => ({ value: String(person.userId), label: person.displayName })),
        ],
        statusOptions: ACTION_STATUSES.map((value) => ({ value, label: req.t(`actions.statuses.${value}`) })),
        actionForm: createFormView(form?.values ?? storedValues(action), form?.errors ?? {}, form !== undefined),
      },
      status,
    );
  };

  router.get('/actions/:id', async (req, res) => {
    await renderAction(req, res, loadAction(req));
  });

  router.post('/actions/:id', async (req, res) => {
    const loaded = loadAction(req);
    if (!isProgramLead(loaded.viewer)) throw new ForbiddenError('selfAssessment.leadsOnly');
    const ownerIds = members.listMembers(loaded.program.id).map((person) => person.userId);
    const earliestDay = findRoundDate(loaded.review);
    const parsed = parseForm(
      createActionFormSchema(
        ownerIds,
        todayInSweden(clock()),
        { day: earliestDay, text: formatLongDate(earliestDay, req.locale) },
        { ownerUserId: loaded.action.ownerUserId, ownerName: formValue(storedValues(loaded.action), 'owner_name') },
      ),
      req.body,
      req.t,
      labelFields(req.t, ACTION_FIELD_LABELS),
    );
    if (!parsed.ok) return renderAction(req, res, loaded, parsed, 422);
    // The change and its note are written together, or neither is.
    const saved = actions.updateAction(loaded.action.id, parsed.value, loaded.viewer.user.id);
    if (saved === 'conflict') {
      // Someone saved the action since this form was shown: the page shows what is stored now above the form, and
      // the form keeps everything the user typed, the note included, based on the stored version. The owner markers
      // stay as posted: the list and the name still hold what the person typed beside the owner they were shown.
      const fresh = loadAction(req);
      const values: RawForm = { ...toRawForm(req.body), version: String(fresh.action.version) };
      return renderAction(req, res, fresh, { values, errors: { status: [req.t('actions.editConflict')] } }, 409);
    }
    setFlash(req, parsed.value.note ? 'actions.savedWithNote' : 'actions.saved', parsed.value.note ? 'notes' : undefined);
    res.redirect(303, `/actions/${loaded.action.id}${parsed.value.note ? '#notes' : ''}`);
  });

  return router;
}
