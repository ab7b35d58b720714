// Municipalities and their Housing First programs: everyone logged in may read, administrators may change.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { hasRole, requireRole, requireUser } from '../accounts/access.js';
import { NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import type { CurrentUser } from '../accounts/user-store.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import { canSeeInLists, canViewOverview, canViewResult, findMembership, type Viewer } from '../reviews/review-access.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { describeLatestResult } from '../program-work/latest-result.js';
import type { ProgramWork } from '../program-work/program-work.js';
import { todayInSweden } from '../i18n/calendar.js';
import type { ReviewSummary } from '../reviews/review-types.js';
import type { RubricRegistry } from '../rubrics/rubric-registry.js';
import {
  MUNICIPALITY_FIELD_LABELS,
  MunicipalityCodeSchema,
  MunicipalityFormSchema,
  PROGRAM_FIELD_LABELS,
  ProgramFormSchema,
  type ProgramForm,
} from './municipality-forms.js';
import {
  DuplicateError,
  type Municipality,
  type MunicipalityStore,
  type Program,
  type ProgramFields,
  SUPPORT_MODELS,
} from './municipality-store.js';

function supportModelOptions(t: Translate, withPlaceholder: boolean) {
  const models = SUPPORT_MODELS.map((model) => ({ value: model, label: t(`municipalities.supportModels.${model}`) }));
  return withPlaceholder ? [{ value: '', label: t('municipalities.program.chooseSupportModel') }, ...models] : models;
}

function municipalityOf(program: Program): Municipality {
  return { id: program.municipalityId, code: program.municipalityCode, name: program.municipalityName };
}

function toProgramFields(form: ProgramForm): ProgramFields {
  return {
    name: form.name,
    supportProvider: form.support_provider,
    housingPartners: form.housing_partners,
    supportModel: form.support_model,
    startDate: form.start_date,
  };
}

function programFormValues(program: Program): RawForm {
  return {
    name: program.name,
    support_provider: program.supportProvider,
    housing_partners: program.housingPartners,
    support_model: program.supportModel,
    start_date: program.startDate ?? '',
  };
}

/** "2025-03-10 – 2025-03-11", a single day, or undefined when no date is set. */
function formatVisit(start: string | undefined, end: string | undefined): string | undefined {
  if (start !== undefined && end !== undefined && start !== end) return `${start} – ${end}`;
  return start ?? end;
}

/**
 * Where the program page may send the viewer for a review, as review-access decides: a final review opens on its
 * result, one in progress on its overview. Undefined when the viewer may open neither (a program's people are not on
 * the panel of a peer review in progress), so the page names the review without a link that would be a 404.
 */
function findReviewHref(viewer: Viewer, review: ReviewSummary): string | undefined {
  const base = `/reviews/${review.id}`;
  const result = canViewResult(viewer, review.status) ? `${base}/result` : undefined;
  const overview = canViewOverview(viewer) ? base : undefined;
  return review.status === 'final' ? (result ?? overview) : (overview ?? result);
}

/** What the program page shows of a review: kind, status, rubric and visit dates for all it is listed to, a link for those who may open it. */
function toReviewRow(review: ReviewSummary, viewer: Viewer, t: Translate, locale: Locale) {
  return {
    id: review.id,
    href: findReviewHref(viewer, review),
    kind: t(`reviews.kind.${review.kind}`),
    status: review.status,
    statusLabel: t(`reviews.status.${review.status}`),
    rubric: t('municipalities.reviews.rubricVersion', { title: review.rubricTitle[locale], version: review.rubricVersion }),
    visit: formatVisit(review.visitStart, review.visitEnd),
  };
}

/** What views/municipalities/show.ejs is rendered with (besides res.locals). */
export type MunicipalityPageLocals = {
  readonly title: string;
  readonly municipality: Municipality;
  readonly programs: readonly {
    readonly id: number;
    readonly name: string;
    readonly supportProvider: string;
    readonly supportModel: string;
  }[];
  readonly canEdit: boolean;
  readonly hasFinalReview: boolean;
};

/** What views/municipalities/program-show.ejs is rendered with (besides res.locals). */
export type ProgramPageLocals = {
  readonly title: string;
  readonly program: Program;
  readonly housingPartnerLines: readonly string[];
  readonly supportModel: string;
  readonly reviews: readonly ReturnType<typeof toReviewRow>[];
  readonly someUnlinked: boolean;
  readonly canEdit: boolean;
  readonly canCreateReview: boolean;
  readonly programWork: ReturnType<ProgramWork['describeProgramPage']> | undefined;
  readonly latest: ReturnType<typeof describeLatestResult>;
};

export function createMunicipalityRouter({
  municipalities,
  reviews,
  rubrics,
  programWork,
}: {
  municipalities: MunicipalityStore;
  reviews: ReviewStore;
  rubrics: RubricRegistry;
  /** The program's own work: outcome figures and links on the program page. */
  programWork?: ProgramWork | undefined;
}): Router {
  const router = Router();
  const signedIn = requireUser();
  const adminOnly = [requireUser(), requireRole('admin')];

  const findMunicipality = (code: unknown): Municipality => {
    const parsed = MunicipalityCodeSchema.safeParse(code);
    const municipality = parsed.success ? municipalities.findMunicipalityByCode(parsed.data) : undefined;
    if (!municipality) throw new NotFoundError();
    return municipality;
  };

  /** The viewer's standing on a review of the program page: their panel place, and for a self-assessment their relation to it. */
  const viewerOf = (summary: ReviewSummary, user: CurrentUser): Viewer | undefined => {
    // One panel query per review: a program has a handful.
    const membership = findMembership(reviews.listPanel(summary.id), user.id);
    if (summary.kind !== 'self_assessment') return { user, membership };
    const review = reviews.findReviewById(summary.id);
    return review ? { user, membership, selfAssessment: reviews.findSelfAssessmentRelation(review, user.id) } : undefined;
  };

  const findProgram = (id: unknown): Program => {
    const parsed = idParam.safeParse(id);
    const program = parsed.success ? municipalities.findProgramById(parsed.data) : undefined;
    if (!program) throw new NotFoundError();
    return program;
  };

  const renderMunicipalityForm = (
    req: Request,
    res: Response,
    form: FormView,
    target: Municipality | undefined,
    status = 200,
  ): Promise<void> => {
    const heading = target ? req.t('municipalities.editMunicipalityNamed', { name: target.name }) : req.t('municipalities.newMunicipality');
    return renderPage(
      res,
      'municipalities/form',
      {
        title: heading,
        heading,
        action: target ? `/municipalities/${target.code}/edit` : '/municipalities/new',
        cancelHref: target ? `/municipalities/${target.code}` : '/municipalities',
        submitLabel: target ? req.t('common.save') : req.t('municipalities.createMunicipality'),
        form,
      },
      status,
    );
  };

  const renderProgramForm = (
    req: Request,
    res: Response,
    form: FormView,
    municipality: Municipality,
    target: Program | undefined,
    status = 200,
  ): Promise<void> => {
    const heading = target
      ? req.t('municipalities.program.editProgramNamed', { name: target.name })
      : req.t('municipalities.program.newProgramIn', { municipality: municipality.name });
    return renderPage(
      res,
      'municipalities/program-form',
      {
        title: heading,
        heading,
        municipality,
        action: target ? `/programs/${target.id}/edit` : `/municipalities/${municipality.code}/programs/new`,
        cancelHref: target ? `/programs/${target.id}` : `/municipalities/${municipality.code}`,
        submitLabel: target ? req.t('common.save') : req.t('municipalities.program.createProgram'),
        supportModels: supportModelOptions(req.t, target === undefined),
        form,
      },
      status,
    );
  };

  /** The form again with 422 and one error on `field`, keeping everything as typed. */
  const duplicateForm = (req: Request, field: 'code' | 'name'): FormView => {
    const message = field === 'code' ? req.t('municipalities.codeTaken') : req.t('municipalities.program.nameTaken');
    return createFormView(toRawForm(req.body), { [field]: [message] }, true);
  };

  router.get('/municipalities', signedIn, async (req, res) => {
    const today = todayInSweden();
    await renderPage(res, 'municipalities/index', {
      title: req.t('municipalities.listTitle'),
      // Each municipality with the latest result of each of its programs that has one (results where people look).
      municipalities: municipalities.listMunicipalities().map((municipality) => ({
        ...municipality,
        results: municipalities.listProgramsOfMunicipality(municipality.id).flatMap((program) => {
          const latest = describeLatestResult(reviews, program, req.t, req.locale, today);
          return latest ? [{ programId: program.id, programName: program.name, latest }] : [];
        }),
      })),
      canEdit: hasRole(req.user, 'admin'),
    });
  });

  router.get('/municipalities/new', ...adminOnly, async (req, res) => {
    await renderMunicipalityForm(req, res, createFormView(), undefined);
  });

  router.post('/municipalities/new', ...adminOnly, async (req, res) => {
    const parsed = parseForm(MunicipalityFormSchema, req.body, req.t, labelFields(req.t, MUNICIPALITY_FIELD_LABELS));
    if (!parsed.ok) return renderMunicipalityForm(req, res, createFormView(parsed.values, parsed.errors, true), undefined, 422);
    const { code, name } = parsed.value;
    if (municipalities.findMunicipalityByCode(code)) {
      return renderMunicipalityForm(req, res, duplicateForm(req, 'code'), undefined, 422);
    }
    try {
      municipalities.insertMunicipality({ code, name });
    } catch (error) {
      if (error instanceof DuplicateError) return renderMunicipalityForm(req, res, duplicateForm(req, 'code'), undefined, 422);
      throw error;
    }
    setFlash(req, 'common.saved');
    res.redirect(303, `/municipalities/${code}`);
  });

  router.get('/municipalities/:code', signedIn, async (req, res) => {
    const municipality = findMunicipality(req.params.code);
    const programs = municipalities.listProgramsOfMunicipality(municipality.id).map((program) => ({
      id: program.id,
      name: program.name,
      supportProvider: program.supportProvider,
      supportModel: req.t(`municipalities.supportModels.${program.supportModel}`),
    }));
    await renderPage<MunicipalityPageLocals>(res, 'municipalities/show', {
      title: municipality.name,
      municipality,
      programs,
      canEdit: hasRole(req.user, 'admin'),
      // The PDF report is built from final reviews only, so its download is offered once there is one.
      hasFinalReview: programs.some((program) =>
        reviews.listReviewsForProgram(program.id).some((review) => review.status === 'final' && review.kind === 'peer_review'),
      ),
    });
  });

  router.get('/municipalities/:code/edit', ...adminOnly, async (req, res) => {
    const municipality = findMunicipality(req.params.code);
    await renderMunicipalityForm(req, res, createFormView({ code: municipality.code, name: municipality.name }), municipality);
  });

  router.post('/municipalities/:code/edit', ...adminOnly, async (req, res) => {
    const municipality = findMunicipality(req.params.code);
    const parsed = parseForm(MunicipalityFormSchema, req.body, req.t, labelFields(req.t, MUNICIPALITY_FIELD_LABELS));
    if (!parsed.ok) return renderMunicipalityForm(req, res, createFormView(parsed.values, parsed.errors, true), municipality, 422);
    const { code, name } = parsed.value;
    const holder = municipalities.findMunicipalityByCode(code);
    if (holder && holder.id !== municipality.id) {
      return renderMunicipalityForm(req, res, duplicateForm(req, 'code'), municipality, 422);
    }
    try {
      municipalities.updateMunicipality(municipality.id, { code, name });
    } catch (error) {
      if (error instanceof DuplicateError) return renderMunicipalityForm(req, res, duplicateForm(req, 'code'), municipality, 422);
      throw error;
    }
    setFlash(req, 'common.saved');
    res.redirect(303, `/municipalities/${code}`);
  });

  router.get('/municipalities/:code/programs/new', ...adminOnly, async (req, res) => {
    const municipality = findMunicipality(req.params.code);
    await renderProgramForm(req, res, createFormView(), municipality, undefined);
  });

  router.post('/municipalities/:code/programs/new', ...adminOnly, async (req, res) => {
    const municipality = findMunicipality(req.params.code);
    const parsed = parseForm(ProgramFormSchema, req.body, req.t, labelFields(req.t, PROGRAM_FIELD_LABELS));
    if (!parsed.ok) return renderProgramForm(req, res, createFormView(parsed.values, parsed.errors, true), municipality, undefined, 422);
    const fields = toProgramFields(parsed.value);
    if (municipalities.findProgramByName(municipality.id, fields.name)) {
      return renderProgramForm(req, res, duplicateForm(req, 'name'), municipality, undefined, 422);
    }
    let id: number;
    try {
      id = municipalities.insertProgram({ ...fields, municipalityId: municipality.id });
    } catch (error) {
      if (error instanceof DuplicateError) return renderProgramForm(req, res, duplicateForm(req, 'name'), municipality, undefined, 422);
      throw error;
    }
    setFlash(req, 'common.saved');
    res.redirect(303, `/programs/${id}`);
  });

  router.get('/programs/:id', signedIn, async (req, res) => {
    const program = findProgram(req.params.id);
    const user = req.user;
    // Self-assessments are listed only to those who may open them; every row links only where the viewer may go.
    const reviewRows = user
      ? reviews.listReviewsForProgram(program.id).flatMap((summary) => {
          const viewer = viewerOf(summary, user);
          if (!viewer || !canSeeInLists(viewer)) return [];
          const row = toReviewRow(summary, viewer, req.t, req.locale);
          // The program's leads reach the factual check of a peer review in consensus from here.
          const checks =
            row.href === undefined &&
            summary.kind === 'peer_review' &&
            summary.status === 'consensus' &&
            reviews.isProgramLead(program.id, user.id);
          return [checks ? { ...row, href: `/reviews/${summary.id}/factual-check` } : row];
        })
      : [];
    await renderPage<ProgramPageLocals>(res, 'municipalities/program-show', {
      title: program.name,
      program,
      housingPartnerLines: program.housingPartners.split('\n').filter((line) => line.trim() !== ''),
      supportModel: req.t(`municipalities.supportModels.${program.supportModel}`),
      reviews: reviewRows,
      // Said once under the table when some reviews cannot be opened by this viewer (yet).
      someUnlinked: reviewRows.some((row) => row.href === undefined),
      canEdit: hasRole(req.user, 'admin'),
      // A review needs a rubric to be pinned to.
      canCreateReview: hasRole(req.user, 'coordinator') && rubrics.size > 0,
      programWork: req.user ? programWork?.describeProgramPage(program, req.user, req.t, req.locale) : undefined,
      latest: describeLatestResult(reviews, program, req.t, req.locale, todayInSweden()),
    });
  });

  router.get('/programs/:id/edit', ...adminOnly, async (req, res) => {
    const program = findProgram(req.params.id);
    const municipality = municipalityOf(program);
    await renderProgramForm(req, res, createFormView(programFormValues(program)), municipality, program);
  });

  router.post('/programs/:id/edit', ...adminOnly, async (req, res) => {
    const program = findProgram(req.params.id);
    const municipality = municipalityOf(program);
    const parsed = parseForm(ProgramFormSchema, req.body, req.t, labelFields(req.t, PROGRAM_FIELD_LABELS));
    if (!parsed.ok) return renderProgramForm(req, res, createFormView(parsed.values, parsed.errors, true), municipality, program, 422);
    const fields = toProgramFields(parsed.value);
    const holder = municipalities.findProgramByName(municipality.id, fields.name);
    if (holder && holder.id !== program.id) {
      return renderProgramForm(req, res, duplicateForm(req, 'name'), municipality, program, 422);
    }
    try {
      municipalities.updateProgram(program.id, fields);
    } catch (error) {
      if (error instanceof DuplicateError) return renderProgramForm(req, res, duplicateForm(req, 'name'), municipality, program, 422);
      throw error;
    }
    setFlash(req, 'common.saved');
    res.redirect(303, `/programs/${program.id}`);
  });

  return router;
}
