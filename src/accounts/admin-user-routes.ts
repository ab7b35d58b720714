// User administration: list, create and edit accounts. Administrators only.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { logSecurityEvent } from '../http/logger.js';
import { type FieldErrors, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import type { Translate } from '../i18n/messages.js';
import { currentUser, requireRole, requireUser } from './access.js';
import { ACCOUNT_FIELD_LABELS, createEditUserFormSchema, NewUserFormSchema } from './account-forms.js';
import { hashPassword, PASSWORD_MIN_LENGTH, type PasswordHashing } from './passwords.js';
import { ROLES } from './roles.js';
import type { Db } from '../db/open-database.js';
import type { LoginThrottle } from './login-throttle.js';
import type { MfaStore } from './mfa-store.js';
import type { SessionRevoker } from './session-store.js';
import type { CurrentUser, UserStore, UserUpdate } from './user-store.js';

function roleOptions(t: Translate) {
  return ROLES.map((role) => ({
    value: role,
    label: t(`admin.roles.${role}`),
    description: t(`admin.roleDescriptions.${role}`),
  }));
}

/** Passwords are never sent back to the browser. */
function withoutPasswords(values: RawForm): RawForm {
  return { ...values, password: '', password_confirm: '' };
}

export type AdminUserDependencies = {
  readonly db: Db;
  readonly users: UserStore;
  readonly sessions: SessionRevoker;
  readonly throttle: Pick<LoginThrottle, 'unlockAccount'>;
  /** Whether an account has a second factor, for the form that removes it (mfa-routes.ts). */
  readonly mfa?: Pick<MfaStore, 'findTotp'>;
  readonly passwordHashing: PasswordHashing;
  /** The programs the person is one of the people of, and as what (program-members), for the edit page. */
  readonly programsOfUser?: (userId: number) => readonly UserProgram[];
};

/** A program the person belongs to, as the edit page names it. */
export type UserProgram = {
  readonly programId: number;
  readonly programName: string;
  readonly municipalityName: string;
  readonly role: 'lead' | 'staff';
  /** Whether a lead acts as one (program-access.ts's isProgramLead: the account holds Verksamhetsansvarig). */
  readonly actsAsLead: boolean;
};

export function createAdminUserRouter({
  db,
  users,
  sessions,
  throttle,
  mfa,
  passwordHashing,
  programsOfUser,
}: AdminUserDependencies): Router {
  const router = Router();
  router.use('/admin/users', requireUser(), requireRole('admin'));

  // A new password set by an administrator is what they do when an account may be in the wrong hands or its owner
  // is locked out: so it ends every session of the user (but the administrator's own current one) and lifts the lock.
  const saveUser = db.transaction(
    (admin: CurrentUser, user: CurrentUser, update: UserUpdate, passwordHash: string | undefined, keepSid: string | undefined) => {
      users.updateUser(user.id, update, admin.id);
      if (passwordHash === undefined) return;
      users.updatePassword(user.id, passwordHash, admin.id);
      sessions.endSessionsOf(user.id, keepSid);
      throttle.unlockAccount(user.email);
    },
  );

  const findUser = (id: unknown): CurrentUser => {
    const parsed = idParam.safeParse(id);
    const user = parsed.success ? users.findUserById(parsed.data) : undefined;
    if (!user) throw new NotFoundError();
    return user;
  };

  const renderNewForm = (req: Request, res: Response, form: FormView, status = 200) =>
    renderPage(
      res,
      'admin/user-form',
      {
        title: req.t('admin.newUser'),
        heading: req.t('admin.newUser'),
        mode: 'new',
        action: '/admin/users/new',
        submitLabel: req.t('admin.createUser'),
        form,
        roleOptions: roleOptions(req.t),
        passwordMin: PASSWORD_MIN_LENGTH,
      },
      status,
    );

  const renderEditForm = (req: Request, res: Response, user: CurrentUser, form: FormView, status = 200) =>
    renderPage(
      res,
      'admin/user-form',
      {
        title: req.t('admin.editUserNamed', { name: user.displayName }),
        heading: req.t('admin.editUserNamed', { name: user.displayName }),
        mode: 'edit',
        action: `/admin/users/${user.id}/edit`,
        submitLabel: req.t('common.save'),
        email: user.email,
        userId: user.id,
        // Not one's own: that is changed on the account page (POST .../mfa/reset refuses it).
        mfaEnabled: user.id !== currentUser(req).id && mfa?.findTotp(user.id) !== undefined,
        // Where the person belongs: a program's page is where they are taken off it (a role taken away leaves them there).
        programs: (programsOfUser?.(user.id) ?? []).map((program) => ({
          href: `/programs/${program.programId}/members`,
          name: program.programName,
          municipality: program.municipalityName,
          role: req.t(`programMembers.roles.${program.role}`),
          leadWithoutRole: program.role === 'lead' && !program.actsAsLead,
        })),
        form,
        roleOptions: roleOptions(req.t),
        passwordMin: PASSWORD_MIN_LENGTH,
      },
      status,
    );

  router.get('/admin/users', async (req, res) => {
    const me = currentUser(req);
    const rows = users.listUsers().map((user) => ({
      id: user.id,
      displayName: user.displayName,
      email: user.email,
      affiliation: user.affiliation,
      roles: user.roles.map((role) => req.t(`admin.roles.${role}`)).join(', ') || req.t('admin.noRoles'),
      active: user.active,
      isSelf: user.id === me.id,
    }));
    await renderPage(res, 'admin/users', { title: req.t('admin.usersTitle'), rows });
  });

  router.get('/admin/users/new', async (req, res) => {
    await renderNewForm(req, res, createFormView());
  });

  router.post('/admin/users/new', async (req, res) => {
    const parsed = parseForm(NewUserFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) return renderNewForm(req, res, createFormView(withoutPasswords(parsed.values), parsed.errors, true), 422);
    const { email, display_name, affiliation, roles, password } = parsed.value;
    const emailTaken = (): Promise<void> =>
      renderNewForm(req, res, createFormView(withoutPasswords(toRawForm(req.body)), { email: [req.t('auth.emailTaken')] }, true), 422);
    if (users.findUserByEmail(email)) return emailTaken();
    const passwordHash = await hashPassword(password, passwordHashing);
    let id: number;
    try {
      id = users.insertUser({ email, displayName: display_name, affiliation, passwordHash, roles }, currentUser(req).id);
    } catch (error) {
      // Someone created the same email while we were hashing.
      if (users.findUserByEmail(email)) return emailTaken();
      throw error;
    }
    logSecurityEvent(req, 'user_created', { userId: id, roles });
    setFlash(req, 'admin.userCreated');
    res.redirect(303, '/admin/users');
  });

  router.get('/admin/users/:id/edit', async (req, res) => {
    const user = findUser(req.params.id);
    const values: RawForm = {
      display_name: user.displayName,
      affiliation: user.affiliation,
      roles: user.roles,
      ...(user.active ? { active: '1' } : {}),
    };
    await renderEditForm(req, res, user, createFormView(values));
  });

  router.post('/admin/users/:id/edit', async (req, res) => {
    const user = findUser(req.params.id);
    const parsed = parseForm(createEditUserFormSchema(user.email), req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) return renderEditForm(req, res, user, createFormView(withoutPasswords(parsed.values), parsed.errors, true), 422);
    const { display_name, affiliation, roles, active, password } = parsed.value;

    // An administrator cannot lock themselves out; this also means the last administrator always stays one.
    const errors: Record<string, string[]> = {};
    if (user.id === currentUser(req).id) {
      if (!roles.includes('admin')) errors.roles = [req.t('admin.cannotRemoveOwnAdmin')];
      if (!active) errors.active = [req.t('admin.cannotDeactivateSelf')];
    }
    if (Object.keys(errors).length > 0) {
      const fieldErrors: FieldErrors = errors;
      return renderEditForm(req, res, user, createFormView(withoutPasswords(toRawForm(req.body)), fieldErrors, true), 422);
    }

    const passwordHash = password === '' ? undefined : await hashPassword(password, passwordHashing);
    saveUser(
      currentUser(req),
      user,
      { displayName: display_name, affiliation, active, roles },
      passwordHash,
      user.id === currentUser(req).id ? req.sessionID : undefined,
    );
    if (roles.length !== user.roles.length || roles.some((role) => !user.roles.includes(role))) {
      logSecurityEvent(req, 'role_changed', { userId: user.id, roles, previousRoles: user.roles });
    }
    if (active !== user.active) logSecurityEvent(req, active ? 'account_reactivated' : 'account_deactivated', { userId: user.id });
    if (passwordHash !== undefined) logSecurityEvent(req, 'password_set_by_admin', { userId: user.id });
    setFlash(req, passwordHash === undefined ? 'common.saved' : 'admin.passwordSet');
    res.redirect(303, '/admin/users');
  });

  return router;
}
