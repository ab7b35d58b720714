// Municipalities and their Housing First programs: everyone logged in may read, administrators may change.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { hasRole, requireRole, requireUser } from '../accounts/access.js';
import { NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import type { Translate } from '../i18n/messages.js';
import type { RubricRegistry } from '../rubrics/rubric-registry.js';
import {
  MUNICIPALITY_FIELD_LABELS,
  MunicipalityCodeSchema,
  MunicipalityFormSchema,
  PROGRAM_FIELD_LABELS,
  ProgramFormSchema,
  type ProgramForm,
} from './municipality-forms.js';
import type { LatestResult, ProgramPageParts, ProgramReviewRow, ProgramWorkLinks } from './program-page-parts.js';
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

/** What views/municipalities/show.ejs is rendered with (besides res.locals). */
export type MunicipalityPageLocals = {
  readonly title: string;
  readonly municipality: Municipality;
  readonly programs: readonly {
    readonly id: number;
    readonly name: string;
    readonly supportProvider: string;
    readonly supportModel: string;
    readonly latest: LatestResult | undefined;
  }[];
  readonly canEdit: boolean;
  readonly hasFinalReview: boolean;
};

/** What views/municipalities/program-show.ejs is rendered with (besides res.locals). */
export type ProgramPageLocals<Outcomes = unknown> = {
  readonly title: string;
  readonly program: Program;
  readonly housingPartnerLines: readonly string[];
  readonly supportModel: string;
  readonly reviews: readonly ProgramReviewRow[];
  readonly someUnlinked: boolean;
  readonly canEdit: boolean;
  readonly canCreateReview: boolean;
  /** The program's own work (links, the viewer's role) and its outcome figures; views/municipalities/program-page-parts.ejs. */
  readonly programWork: (ProgramWorkLinks & { readonly outcomes: Outcomes }) | undefined;
  readonly latest: LatestResult | undefined;
};

export function createMunicipalityRouter<Outcomes>({
  municipalities,
  rubrics,
  parts,
}: {
  municipalities: MunicipalityStore;
  rubrics: RubricRegistry;
  /** What the pages show of the programs' reviews, own work and outcomes, from the capabilities that own them. */
  parts: ProgramPageParts<Outcomes>;
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
    await renderPage(res, 'municipalities/index', {
      title: req.t('municipalities.listTitle'),
      // Each municipality with the latest result of each of its programs that has one (results where people look).
      municipalities: municipalities.listMunicipalities().map((municipality) => ({
        ...municipality,
        results: municipalities.listProgramsOfMunicipality(municipality.id).flatMap((program) => {
          const latest = parts.describeLatestResult(program, req.t, req.locale);
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
      municipalities.insertMunicipality({ code, name }, req.user?.id);
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
      latest: parts.describeLatestResult(program, req.t, req.locale),
    }));
    await renderPage<MunicipalityPageLocals>(res, 'municipalities/show', {
      title: municipality.name,
      municipality,
      programs,
      canEdit: hasRole(req.user, 'admin'),
      // The PDF report is built from final reviews only, so its download is offered once there is one.
      hasFinalReview: programs.some((program) => parts.hasFinalPeerReview(program.id)),
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
      municipalities.updateMunicipality(municipality.id, { code, name }, req.user?.id);
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
      id = municipalities.insertProgram({ ...fields, municipalityId: municipality.id }, req.user?.id);
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
    const reviewRows = user ? parts.listReviewRows(program, user, req.t, req.locale) : [];
    await renderPage<ProgramPageLocals<Outcomes>>(res, 'municipalities/program-show', {
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
      programWork: user
        ? { ...parts.describeProgramWork(program, user, req.t), outcomes: parts.describeOutcomes(program.id, req.locale) }
        : undefined,
      latest: parts.describeLatestResult(program, req.t, req.locale),
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
      municipalities.updateProgram(program.id, fields, req.user?.id);
    } catch (error) {
      if (error instanceof DuplicateError) return renderProgramForm(req, res, duplicateForm(req, 'name'), municipality, program, 422);
      throw error;
    }
    setFlash(req, 'common.saved');
    res.redirect(303, `/programs/${program.id}`);
  });

  return router;
}
