// The readiness checklist: per indicator, the evidence the panel will ask for (the rubric's evidence sources and
// guidance), whether it is ready, a note and when it was last checked; and how ready each section is.
// The program's people read it and its leads keep it; a panel reads it once a self-assessment on the same rubric
// has been shared with it.
import { todayInSweden } from '../i18n/calendar.js';
import { loadProgramOr404 } from '../municipalities/load-program.js';
import { Router } from 'express';
import type { DescribeLatestResult } from '../municipalities/program-page-parts.js';
import type { Request, Response } from 'express';
import { requireUser } from '../accounts/access.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { formAfterConflicts } from '../http/edit-conflicts.js';
import { type FieldErrors, parseForm, type RawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { canViewReadiness, isProgramLead, type ProgramViewer } from '../program-members/program-access.js';
import type { ProgramMemberStore } from '../program-members/program-member-store.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { formatPercent } from '../i18n/format.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import { defaultRubricId, type RubricRegistry } from '../rubrics/rubric-registry.js';
import { type RubricSection, stepSection, indicatorCode } from '../rubrics/rubric-schema.js';
import type { SelfAssessments } from '../self-assessment/self-assessment-workflow.js';
import {
  createReadinessFieldLabeller,
  createReadinessSectionSchema,
  READINESS_CHOICES,
  READINESS_NOTE_MAX,
  READINESS_SUMMARY_TARGET,
  readinessFieldNames,
} from './readiness-forms.js';
import type { ReadinessCheck, ReadinessStore } from './readiness-store.js';
import { type ReadinessCounts, summarizeReadiness } from './readiness-summary.js';

export type ReadinessRouterDependencies = {
  /** The program's latest result, shown under the page's heading (ux.md rule 9); none when left out. */
  readonly latestResult?: DescribeLatestResult | undefined;
  readonly readiness: ReadinessStore;
  readonly members: ProgramMemberStore;
  readonly selfAssessments: SelfAssessments;
  readonly reviews: ReviewStore;
  readonly municipalities: MunicipalityStore;
  readonly rubrics: RubricRegistry;
  /** "Today" for dates typed and shown: the app's clock. */
  readonly clock: Clock;
};

type ReadinessContext = { readonly program: Program; readonly rubric: LoadedRubric; readonly viewer: ProgramViewer };

export function describeCounts(counts: ReadinessCounts, locale: Locale) {
  return { ...counts, percentLabel: formatPercent(counts.percent, locale) };
}

function checkValues(section: RubricSection, checks: ReadonlyMap<string, ReadinessCheck>): RawForm {
  const values: Record<string, string> = {};
  for (const indicator of section.indicators) {
    const names = readinessFieldNames(indicator.id);
    const check = checks.get(indicator.id);
    values[names.status] = check?.status ?? 'unchecked';
    values[names.note] = check?.note ?? '';
    values[names.checked] = '';
    values[names.version] = String(check?.version ?? 0);
  }
  return values;
}

/** "Klart: the binder is in place" — what a conflicting check holds now, for the conflict message. */
function describeCheck(check: ReadinessCheck | undefined, t: Translate): string {
  if (!check) return t('readiness.statuses.unchecked');
  const status = t(`readiness.statuses.${check.status}`);
  return check.note === '' ? status : `${status}: ${check.note}`;
}

export function createReadinessRouter({
  readiness,
  members,
  selfAssessments,
  reviews,
  municipalities,
  rubrics,
  clock,
  latestResult,
}: ReadinessRouterDependencies): Router {
  const router = Router();
  router.use('/programs/:id/readiness', requireUser());

  const findProgram = (rawId: unknown): Program => loadProgramOr404(municipalities, rawId);

  /** Whether a self-assessment of this program on this rubric has been shared with a panel the user sits on. */
  const isSharedWithPanelOf = (userId: number, programId: number, rubricId: string): boolean =>
    reviews
      .listReviewsOfPanelMember(userId)
      .filter((review) => review.programId === programId && review.kind === 'peer_review')
      .some((review) =>
        selfAssessments.listSharedWith(review.id).some((share) => reviews.findReviewById(share.selfAssessmentId)?.rubricId === rubricId),
      );

  const load = (req: Request): ReadinessContext => {
    const program = findProgram(req.params.id);
    const rubric = typeof req.params.rubricId === 'string' ? rubrics.get(req.params.rubricId) : undefined;
    if (!rubric) throw new NotFoundError();
    if (!req.user) throw new ForbiddenError();
    const viewer: ProgramViewer = { user: req.user, role: members.findRole(program.id, req.user.id) };
    if (!canViewReadiness(viewer, viewer.role === undefined && isSharedWithPanelOf(req.user.id, program.id, rubric.rubric.id))) {
      throw new ForbiddenError('readiness.notAllowed');
    }
    return { program, rubric, viewer };
  };

  const findSection = (context: ReadinessContext, sectionId: unknown): RubricSection => {
    const section = context.rubric.rubric.sections.find((s) => s.id === sectionId);
    if (!section) throw new NotFoundError();
    return section;
  };

  router.get('/programs/:id/readiness', async (req, res) => {
    const program = findProgram(req.params.id);
    const first = defaultRubricId(rubrics);
    if (first === undefined) throw new NotFoundError();
    res.redirect(303, `/programs/${program.id}/readiness/${first}`);
  });

  router.get('/programs/:id/readiness/:rubricId', async (req, res) => {
    const context = load(req);
    const { program, rubric } = context;
    const checks = readiness.listChecks(program.id, rubric.rubric.id);
    const summary = summarizeReadiness(rubric.rubric, checks);
    await renderPage(res, 'readiness/summary', {
      title: req.t('readiness.title', { program: program.name }),
      program,
      latest: latestResult?.(program, req.t, req.locale),
      rubric: rubric.rubric,
      rubricOptions: [...rubrics.values()].map(({ rubric: r }) => ({
        id: r.id,
        label: r.title[req.locale],
        current: r.id === rubric.rubric.id,
      })),
      overall: describeCounts(summary.overall, req.locale),
      sections: summary.sections.map((section) => ({
        ...describeCounts(section, req.locale),
        id: section.sectionId,
        code: section.code,
        title: section.title[req.locale],
      })),
      canEdit: isProgramLead(context.viewer),
    });
  });

  const renderSection = async (
    req: Request,
    res: Response,
    context: ReadinessContext,
    section: RubricSection,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { program, rubric } = context;
    const checks = readiness.listChecks(program.id, rubric.rubric.id);
    const sections = rubric.rubric.sections;
    const index = sections.findIndex((s) => s.id === section.id);
    const evidenceLabels = new Map(rubric.rubric.evidence_sources.map((source) => [source.code, source.label[req.locale]]));
    await renderPage(
      res,
      'readiness/section',
      {
        title: req.t('readiness.sectionTitle', { section: `${section.code} ${section.title[req.locale]}` }),
        program,
        latest: latestResult?.(program, req.t, req.locale),
        rubric: rubric.rubric,
        section,
        indicators: section.indicators.map((indicator, i) => {
          const check = checks.get(indicator.id);
          return {
            id: indicator.id,
            label: indicatorCode(section, i),
            text: indicator.text[req.locale],
            guidance: indicator.guidance?.[req.locale],
            evidence: indicator.evidence.map((code) => evidenceLabels.get(code) ?? code),
            names: readinessFieldNames(indicator.id),
            status: check?.status ?? 'unchecked',
            note: check?.note ?? '',
            checkedOn: check?.checkedOn,
          };
        }),
        sectionNav: sections.map((s) => ({ id: s.id, code: s.code, title: s.title[req.locale], current: s.id === section.id })),
        summaryTarget: READINESS_SUMMARY_TARGET,
        previous: sections[index - 1],
        next: sections[index + 1],
        choices: READINESS_CHOICES,
        noteMax: READINESS_NOTE_MAX,
        statusLabels: labelsOf(READINESS_CHOICES, (choice) => `readiness.statuses.${choice}`, req.t),
        canEdit: isProgramLead(context.viewer),
        form: createFormView(values, errors, status !== 200),
      },
      status,
    );
  };

  router.get('/programs/:id/readiness/:rubricId/sections/:sectionId', async (req, res) => {
    const context = load(req);
    const section = findSection(context, req.params.sectionId);
    await renderSection(
      req,
      res,
      context,
      section,
      checkValues(section, readiness.listChecks(context.program.id, context.rubric.rubric.id)),
      {},
    );
  });

  router.post('/programs/:id/readiness/:rubricId/sections/:sectionId', async (req, res) => {
    const context = load(req);
    if (!isProgramLead(context.viewer)) throw new ForbiddenError('selfAssessment.leadsOnly');
    const section = findSection(context, req.params.sectionId);
    const stored = readiness.listChecks(context.program.id, context.rubric.rubric.id);
    const parsed = parseForm(
      createReadinessSectionSchema(section, todayInSweden(clock()), stored),
      req.body,
      req.t,
      createReadinessFieldLabeller(section, req.t),
    );
    if (!parsed.ok) return renderSection(req, res, context, section, parsed.values, parsed.errors, 422);
    const saved = readiness.saveChecks(context.program.id, context.rubric.rubric.id, parsed.value.inputs, context.viewer.user.id);
    if (saved.outcome === 'conflict') {
      const { values, errors } = formAfterConflicts(req.body, saved.conflicts, (conflict) => ({
        versionField: readinessFieldNames(conflict.indicatorId).version,
        errorField: readinessFieldNames(conflict.indicatorId).status,
        message: req.t('reviews.editConflict', { value: describeCheck(conflict.current, req.t) }),
      }));
      return renderSection(req, res, context, section, values, errors, 409);
    }
    // A section link is a submit button of the form (goto): saved first, then there; otherwise the button's step.
    const { goto, action } = parsed.value;
    const sections = context.rubric.rubric.sections;
    const target =
      goto === READINESS_SUMMARY_TARGET ? undefined : (sections.find((s) => s.id === goto) ?? stepSection(sections, section, action));
    const base = `/programs/${context.program.id}/readiness/${context.rubric.rubric.id}`;
    setFlash(req, 'readiness.saved');
    res.redirect(303, target ? `${base}/sections/${target.id}` : base);
  });

  return router;
}
