// Administrators record people's affiliations, declared conflicts of interest and dismissed warnings.
import type { Request, Response } from 'express';
import { Router } from 'express';
import { currentUser, requireRole, requireUser } from '../accounts/access.js';
import type { UserStore } from '../accounts/user-store.js';
import { NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { type FieldErrors, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import type { MunicipalityStore } from '../municipalities/municipality-store.js';
import { AffiliationFormSchema, CONFLICT_FIELD_LABELS, DeclareConflictFormSchema, DismissWarningFormSchema } from './conflict-forms.js';
import { AFFILIATION_KINDS } from './conflict-rules.js';
import type { ConflictStore } from './conflict-store.js';

type FormState = { values: RawForm; errors: FieldErrors };

export function createConflictRouter(deps: { conflicts: ConflictStore; users: UserStore; municipalities: MunicipalityStore }): Router {
  const { conflicts, users, municipalities } = deps;
  const router = Router();
  router.use(['/admin/conflicts', '/admin/users/:id/affiliation'], requireUser(), requireRole('admin'));

  const userOptions = () => users.listUsers().map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})` }));
  const municipalityOptions = (req: Request, withNone: boolean) => [
    ...(withNone ? [{ value: '', label: req.t('conflicts.noMunicipality') }] : []),
    ...municipalities.listMunicipalities().map((m) => ({ value: m.id, label: `${m.name} (${m.code})` })),
  ];

  /** Errors for a chosen person or municipality that does not exist, each on its own field; undefined when both exist. */
  const unknownChoices = (req: Request, userId: number, municipalityId: number | undefined): FieldErrors | undefined => {
    const errors: Record<string, string[]> = {};
    if (!users.findUserById(userId)) errors.user_id = [req.t('conflicts.unknownUser')];
    if (municipalityId !== undefined && !municipalities.findMunicipalityById(municipalityId)) {
      errors.municipality_id = [req.t('conflicts.unknownMunicipality')];
    }
    return Object.keys(errors).length > 0 ? errors : undefined;
  };

  const renderAdmin = (req: Request, res: Response, forms: { declare?: FormState; dismiss?: FormState } = {}, status = 200) =>
    renderPage(
      res,
      'conflicts/admin',
      {
        title: req.t('conflicts.adminTitle'),
        declared: conflicts.listDeclaredConflicts(),
        dismissals: conflicts.listDismissals(),
        userOptions: userOptions(),
        municipalityOptions: municipalityOptions(req, true),
        requiredMunicipalityOptions: municipalityOptions(req, false),
        declareForm: createFormView(forms.declare?.values ?? {}, forms.declare?.errors ?? {}, forms.declare !== undefined),
        dismissForm: createFormView(forms.dismiss?.values ?? {}, forms.dismiss?.errors ?? {}, forms.dismiss !== undefined),
      },
      status,
    );

  router.get('/admin/conflicts', async (req, res) => {
    await renderAdmin(req, res);
  });

  router.post('/admin/conflicts', async (req, res) => {
    const parsed = parseForm(DeclareConflictFormSchema, req.body, req.t, labelFields(req.t, CONFLICT_FIELD_LABELS));
    if (!parsed.ok) return renderAdmin(req, res, { declare: parsed }, 422);
    const { user_id, municipality_id, provider, reason } = parsed.value;
    const unknown = unknownChoices(req, user_id, municipality_id);
    if (unknown) return renderAdmin(req, res, { declare: { values: toRawForm(req.body), errors: unknown } }, 422);
    conflicts.insertDeclaredConflict(
      { userId: user_id, municipalityId: municipality_id, provider: provider === '' ? undefined : provider, reason },
      currentUser(req).id,
    );
    setFlash(req, 'conflicts.saved');
    res.redirect(303, '/admin/conflicts');
  });

  router.post('/admin/conflicts/:id/remove', async (req, res) => {
    const id = idParam.safeParse(req.params.id);
    if (!id.success || !conflicts.deleteDeclaredConflict(id.data, currentUser(req).id)) throw new NotFoundError();
    setFlash(req, 'conflicts.saved');
    res.redirect(303, '/admin/conflicts');
  });

  router.post('/admin/conflicts/dismissals', async (req, res) => {
    const parsed = parseForm(DismissWarningFormSchema, req.body, req.t, labelFields(req.t, CONFLICT_FIELD_LABELS));
    if (!parsed.ok) return renderAdmin(req, res, { dismiss: parsed }, 422);
    const { user_id, municipality_id, reason } = parsed.value;
    const unknown = unknownChoices(req, user_id, municipality_id);
    if (unknown) return renderAdmin(req, res, { dismiss: { values: toRawForm(req.body), errors: unknown } }, 422);
    conflicts.insertDismissal({ userId: user_id, municipalityId: municipality_id, reason }, currentUser(req).id);
    setFlash(req, 'conflicts.saved');
    res.redirect(303, '/admin/conflicts');
  });

  const findUser = (rawId: unknown) => {
    const id = idParam.safeParse(rawId);
    const user = id.success ? users.findUserById(id.data) : undefined;
    if (!user) throw new NotFoundError();
    return user;
  };

  const renderAffiliation = (req: Request, res: Response, userId: number, form: FormState, status = 200) => {
    const user = findUser(userId);
    return renderPage(
      res,
      'conflicts/affiliation',
      {
        title: `${req.t('auth.affiliation')}: ${user.displayName}`,
        person: user,
        kindOptions: AFFILIATION_KINDS.map((kind) => ({ value: kind, label: req.t(`conflicts.kinds.${kind}`) })),
        municipalityOptions: municipalityOptions(req, true),
        declared: conflicts.listDeclaredConflictsOfUser(user.id),
        form: createFormView(form.values, form.errors, status !== 200),
      },
      status,
    );
  };

  router.get('/admin/users/:id/affiliation', async (req, res) => {
    const user = findUser(req.params.id);
    const affiliation = users.findAffiliation(user.id);
    await renderAffiliation(req, res, user.id, {
      values: {
        affiliation_kind: affiliation?.kind ?? 'other',
        affiliation_municipality_id: affiliation?.municipalityId === undefined ? '' : String(affiliation.municipalityId),
        affiliation: affiliation?.organisation ?? '',
      },
      errors: {},
    });
  });

  router.post('/admin/users/:id/affiliation', async (req, res) => {
    const user = findUser(req.params.id);
    const parsed = parseForm(AffiliationFormSchema, req.body, req.t, labelFields(req.t, CONFLICT_FIELD_LABELS));
    if (!parsed.ok) return renderAffiliation(req, res, user.id, parsed, 422);
    const { affiliation_kind, affiliation_municipality_id, affiliation } = parsed.value;
    const municipality =
      affiliation_municipality_id === undefined ? undefined : municipalities.findMunicipalityById(affiliation_municipality_id);
    if (affiliation_municipality_id !== undefined && !municipality) {
      return renderAffiliation(
        req,
        res,
        user.id,
        { values: toRawForm(req.body), errors: { affiliation_municipality_id: [req.t('conflicts.unknownMunicipality')] } },
        422,
      );
    }
    // For municipal staff the organisation is the municipality, unless a more precise name was given.
    const organisation = affiliation !== '' ? affiliation : (municipality?.name ?? '');
    users.updateAffiliation(
      user.id,
      { kind: affiliation_kind, municipalityId: affiliation_municipality_id, organisation },
      currentUser(req).id,
    );
    setFlash(req, 'conflicts.saved');
    res.redirect(303, `/admin/users/${user.id}/affiliation`);
  });

  return router;
}
