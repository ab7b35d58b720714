// Login, logout and the one-time setup of the first administrator. A password that is right hands over to the
// second factor (mfa-routes.ts) when the account has one, or when an administrator must set one up first.
import type { Clock } from '../clock.js';
import type { LocalLogin } from '../config.js';
import type { Transact } from '../db/transact.js';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { FORM_ERROR, labelFields, parseForm } from '../http/form-parsing.js';
import { logSecurityEvent } from '../http/logger.js';
import { safeLocalPath } from '../http/locale-middleware.js';
import { renderEndedSession, renderKeptInput, RESUME_PATH, resumeTargetOf, unprefixKeptFields } from '../http/kept-input.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { seedCsrfToken } from '../http/security.js';
import type { ProviderLogout } from './session-data.js';
import { hasAnyRole, hasRole } from './access.js';
import { ACCOUNT_FIELD_LABELS, LoginFormSchema, SetupFormSchema } from './account-forms.js';
import type { LoginLock, LoginReservation, LoginThrottle } from './login-throttle.js';
import type { MfaStore } from './mfa-store.js';
import type { PendingLogin } from './session-data.js';
import { hashPassword, PASSWORD_MIN_LENGTH, type PasswordHashing, verifyPassword } from './passwords.js';
import type { SetupStore } from './setup-store.js';
import type { CurrentUser, UserStore } from './user-store.js';

/** How the login page offers the ways in: single sign-on when configured, the password form unless LOCAL_LOGIN=off. */
export type LoginOptions = { readonly localLogin: LocalLogin; readonly signOn: boolean };

function loginLocals(req: Request, options: LoginOptions, next: string) {
  return {
    title: req.t('auth.loginTitle'),
    signOnUrl: options.signOn ? `/login/oidc${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}` : undefined,
    passwordForm: options.localLogin !== 'off',
    adminsOnly: options.localLogin === 'admins',
  };
}

/**
 * A lock-out's answer, the same for passwords and codes everywhere: Retry-After with the seconds left, and the
 * message with the minutes left, to show on the page (answered 429).
 */
export function announceLock(
  req: Request,
  res: Response,
  lock: LoginLock,
  now: number,
  message: 'auth.loginLocked' | 'auth.mfaLocked' = 'auth.loginLocked',
): string {
  const seconds = Math.max(1, Math.ceil((lock.lockedUntil - now) / 1000));
  res.set('Retry-After', String(seconds));
  return req.t(message, { minutes: Math.ceil(seconds / 60) });
}

/** 429 with the time left: the same page whether or not the account exists, so a lock-out reveals nothing. */
function renderLocked(
  req: Request,
  res: Response,
  options: LoginOptions,
  email: string,
  next: string | undefined,
  lock: LoginLock,
  now: number,
): Promise<void> {
  const locked = announceLock(req, res, lock, now);
  return renderPage(
    res,
    'accounts/login',
    { ...loginLocals(req, options, next ?? '/'), form: createFormView({ email, next: next ?? '/' }, { [FORM_ERROR]: [locked] }, true) },
    429,
  );
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}

type SignedIn = { readonly signedInWith: 'password' | 'oidc'; readonly idToken?: string | undefined };

/**
 * Replaces the session id (no fixation) and records who is logged in, and how: for a login (startSession), and for
 * a session that stays logged in under a new id (a password change keeps how and when it logged in).
 */
export async function renewSession(req: Request, userId: number, how: SignedIn, loggedInAt: number): Promise<void> {
  await regenerate(req);
  seedCsrfToken(req);
  req.session.userId = userId;
  req.session.loggedInAt = loggedInAt;
  req.session.signedInWith = how.signedInWith;
  if (how.idToken !== undefined) req.session.idToken = how.idToken;
  await save(req);
}

/** Replaces the session id (no fixation) and records who logged in, and how. */
export async function startSession(
  req: Request,
  userId: number,
  how: SignedIn = { signedInWith: 'password' },
  /** When the session starts, in ms (the app's clock); its absolute lifetime counts from here. */
  at: number,
): Promise<void> {
  await renewSession(req, userId, how, at);
  // Every way in ends here (password, second factor, single sign-on, setup): one place to log it.
  logSecurityEvent(req, 'login_succeeded', { userId, via: how.signedInWith });
}

/** A right password waiting for its second factor: a new session id already, but nobody logged in yet. */
export async function startPendingLogin(req: Request, pending: PendingLogin): Promise<void> {
  await regenerate(req);
  req.session.pendingLogin = pending;
  await save(req);
}

/**
 * What follows a right password (or the setup of the first administrator): the code of the account's second factor
 * (verify), setting one up first (enrol: an administrator, when LOCAL_ADMIN_MFA=required), or nothing more.
 */
export function nextLoginStep(user: CurrentUser, hasTotp: boolean, adminMfaRequired: boolean): PendingLogin['purpose'] | undefined {
  if (hasTotp) return 'verify';
  return adminMfaRequired && hasRole(user, 'admin') ? 'enrol' : undefined;
}

/** The page of each second-factor step of a login. */
export const SECOND_FACTOR_PATHS: Readonly<Record<PendingLogin['purpose'], string>> = { verify: '/login/mfa', enrol: '/login/mfa/setup' };

/**
 * A login_locked line for each lock this attempt started, saying which: the account's carries its id (none when the
 * e-mail has no account), the address's none, since the address, not an account, is locked then.
 */
export function logLocksStarted(req: Request, reservation: LoginReservation, userId: number | undefined): void {
  if (reservation.accountLockedUntil !== undefined) {
    logSecurityEvent(req, 'login_locked', { userId, lockedBy: 'account', reason: 'too_many_failures' });
  }
  if (reservation.clientLockedUntil !== undefined) {
    logSecurityEvent(req, 'login_locked', { lockedBy: 'address', reason: 'too_many_failures' });
  }
}

type PasswordCheck =
  | { readonly kind: 'ok'; readonly user: CurrentUser }
  | { readonly kind: 'failed' }
  | { readonly kind: 'locked'; readonly lock: LoginLock };

export function createAuthRouter({
  users,
  setup,
  throttle,
  transact,
  mfa,
  localLogin,
  adminMfaRequired,
  oidc,
  clock,
  passwordHashing,
}: {
  users: UserStore;
  setup: SetupStore;
  throttle: LoginThrottle;
  transact: Transact;
  mfa: MfaStore;
  localLogin: LocalLogin;
  adminMfaRequired: boolean;
  oidc: ProviderLogout | undefined;
  clock: Clock;
  passwordHashing: PasswordHashing;
}): Router {
  const now = () => clock().getTime();
  const options: LoginOptions = { localLogin, signOn: oidc !== undefined };
  const router = Router();
  // Verified against when the email is unknown, so response time does not reveal which accounts exist.
  const dummyHash = hashPassword(`unused-${Math.random()}`, passwordHashing);

  /** The login waits for its second factor when one is needed (the step's page, to send the user to); else undefined. */
  const startSecondFactor = async (req: Request, user: CurrentUser, next: string): Promise<string | undefined> => {
    const step = nextLoginStep(user, mfa.findTotp(user.id) !== undefined, adminMfaRequired);
    if (step === undefined) return undefined;
    await startPendingLogin(req, { userId: user.id, purpose: step, next, at: now() });
    return SECOND_FACTOR_PATHS[step];
  };

  /**
   * The password check of every form that logs in (the login page, and the login of an ended session): throttled,
   * the same time for unknown accounts, and never saying whether a password was right for an account it refuses.
   */
  const checkPassword = async (req: Request, email: string, password: string): Promise<PasswordCheck> => {
    // The attempt takes its place in the counters before the password is checked, in one write, so a locked account
    // cannot be probed at all, and attempts sent at once cannot all get past a lock that none of them has written yet.
    const attempt = throttle.reserveAttempt(email, req.ip);
    const credentials = users.findCredentials(email);
    if (!attempt.allowed) {
      // The account's id when it exists, as for any refused login: the password is not checked, and the answer is the
      // same either way, so only the operator learns which account was tried.
      logSecurityEvent(req, 'login_failed', {
        userId: credentials?.id,
        via: 'password',
        reason: 'locked',
        lockedBy: attempt.lock.lockedBy,
      });
      return { kind: 'locked', lock: attempt.lock };
    }
    const valid = credentials
      ? await verifyPassword(credentials.passwordHash, password)
      : (await verifyPassword(await dummyHash, password)) && false;
    const user = credentials && valid && credentials.active ? users.findUserById(credentials.id) : undefined;
    // LOCAL_LOGIN=admins: anyone else gets the answer of a wrong password (the page says the form is for administrators),
    // so the form never confirms that a password is right.
    if (!user || (localLogin === 'admins' && !hasRole(user, 'admin'))) {
      // The account's id when there is one; never the e-mail typed, which may be a password typed in the wrong field.
      const reason = !credentials ? 'unknown_account' : !valid ? 'wrong_password' : !user ? 'inactive' : 'admins_only';
      logSecurityEvent(req, 'login_failed', { userId: credentials?.id, via: 'password', reason });
      const lock = throttle.recordFailure(attempt.reservation);
      logLocksStarted(req, attempt.reservation, credentials?.id);
      return lock ? { kind: 'locked', lock } : { kind: 'failed' };
    }
    // Another attempt may have locked the account while this password was checked: then nobody logs in, and the
    // answer is the same lock page as for a wrong password.
    const lockedMeanwhile = throttle.recordSuccess(attempt.reservation);
    if (lockedMeanwhile) {
      logSecurityEvent(req, 'login_failed', { userId: user.id, via: 'password', reason: 'locked', lockedBy: lockedMeanwhile.lockedBy });
      return { kind: 'locked', lock: lockedMeanwhile };
    }
    return { kind: 'ok', user };
  };

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(303, safeLocalPath(req.query.next));
    const reason = req.query.reason === 'expired' ? req.t('auth.sessionExpired') : undefined;
    const next = safeLocalPath(req.query.next);
    await renderPage(res, 'accounts/login', {
      ...loginLocals(req, options, next),
      form: createFormView({ next }),
      notice: reason,
    });
  });

  router.post('/login', async (req, res) => {
    // LOCAL_LOGIN=off: the password form is not shown, and a password posted anyway is refused before it is read.
    if (localLogin === 'off') throw new ForbiddenError('auth.localLoginOff');
    const parsed = parseForm(LoginFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) {
      const values = { ...parsed.values, password: '' };
      return renderPage(
        res,
        'accounts/login',
        {
          ...loginLocals(req, options, safeLocalPath(parsed.values.next)),
          form: createFormView(values, parsed.errors, true),
        },
        422,
      );
    }
    const { email, password } = parsed.value;
    const next = safeLocalPath(parsed.value.next);
    const checked = await checkPassword(req, email, password);
    if (checked.kind === 'locked') return renderLocked(req, res, options, email, parsed.value.next, checked.lock, now());
    if (checked.kind === 'failed') {
      return renderPage(
        res,
        'accounts/login',
        { ...loginLocals(req, options, next), form: createFormView({ email, next }, { [FORM_ERROR]: [req.t('auth.loginFailed')] }, true) },
        401,
      );
    }
    const { user } = checked;
    const secondFactor = await startSecondFactor(req, user, next);
    if (secondFactor !== undefined) return res.redirect(303, secondFactor);
    await startSession(req, user.id, undefined, now());
    res.redirect(303, next);
  });

  /**
   * The login of a form posted after its session ended (kept-input.ts): logs in like POST /login, then gives the
   * typed fields back with a token of the new session, to be saved with one click; never saved without it. A refused
   * login comes back with the fields too. With a second factor the login is finished in another tab, and the fields
   * wait here.
   */
  router.post(RESUME_PATH, async (req, res) => {
    if (localLogin === 'off') throw new ForbiddenError('auth.localLoginOff');
    const fields = unprefixKeptFields(req.body);
    const target = resumeTargetOf(req);
    const again = (status: number, form: FormView) =>
      renderEndedSession(res, {
        status,
        reason: req.t('auth.resumeKeptReason'),
        action: target,
        fields,
        login: { passwordForm: true, signOnUrl: undefined, form },
      });
    const parsed = parseForm(LoginFormSchema, req.body, req.t);
    if (!parsed.ok) return again(422, createFormView({ email: String(parsed.values.email ?? '') }, parsed.errors, true));
    const { email, password } = parsed.value;
    const checked = await checkPassword(req, email, password);
    // A refused login is the form's error (no field's): the page's one error summary, focused, and "Fel: " in its title.
    const refused = (problem: string) => createFormView({ email }, { [FORM_ERROR]: [problem] }, true);
    if (checked.kind === 'locked') return again(429, refused(announceLock(req, res, checked.lock, now())));
    if (checked.kind === 'failed') return again(401, refused(req.t('auth.loginFailed')));
    const { user } = checked;
    const href = await startSecondFactor(req, user, '/');
    if (href !== undefined) {
      return renderKeptInput(res, {
        status: 200,
        heading: req.t('auth.resumeTitle'),
        reason: req.t('auth.resumeSecondFactor'),
        link: { href, text: req.t('auth.resumeSecondFactorLink') },
        action: target,
        fields,
        button: req.t('auth.saveButton'),
      });
    }
    await startSession(req, user.id, undefined, now());
    req.user = user;
    res.locals.user = user;
    res.locals.nav = { canAdminUsers: hasRole(user, 'admin'), canResearch: hasAnyRole(user, ['researcher', 'coordinator']) };
    await renderKeptInput(res, {
      status: 200,
      heading: req.t('auth.resumedTitle'),
      reason: req.t('auth.resumedText'),
      action: target,
      fields,
      button: req.t('auth.saveButton'),
    });
  });

  router.post('/logout', async (req, res) => {
    if (req.user) logSecurityEvent(req, 'logout', { userId: req.user.id });
    const idToken = req.session.idToken;
    await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
    res.clearCookie('hf.sid');
    // Signed in through the provider: end its session too, where it supports that (RP-initiated logout).
    const providerLogout = idToken !== undefined && oidc ? await oidc.logoutUrl(idToken).catch(() => undefined) : undefined;
    res.redirect(303, providerLogout ?? '/login');
  });

  const requireSetupOpen = (token: unknown): string => {
    if (users.countUsers() > 0 || typeof token !== 'string' || !setup.isValidSetupToken(token)) throw new NotFoundError();
    return token;
  };

  router.get('/setup', async (req, res) => {
    const token = requireSetupOpen(req.query.token);
    await renderPage(res, 'accounts/setup', {
      title: req.t('auth.setupTitle'),
      form: createFormView({ token }),
      passwordMin: PASSWORD_MIN_LENGTH,
    });
  });

  router.post('/setup', async (req, res) => {
    requireSetupOpen((req.body as { token?: unknown } | undefined)?.token);
    const parsed = parseForm(SetupFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) {
      const values = { ...parsed.values, password: '', password_confirm: '' };
      return renderPage(
        res,
        'accounts/setup',
        { title: req.t('auth.setupTitle'), form: createFormView(values, parsed.errors, true), passwordMin: PASSWORD_MIN_LENGTH },
        422,
      );
    }
    const { display_name, email, affiliation, password } = parsed.value;
    const passwordHash = await hashPassword(password, passwordHashing);
    // Checked again after the await: two setup requests racing must not both create an administrator.
    requireSetupOpen(parsed.value.token);
    const id = transact(() => {
      // No one is logged in yet: the audit log names no actor for the first administrator.
      const adminId = users.insertUser({ email, displayName: display_name, affiliation, passwordHash, roles: ['admin'] }, undefined);
      setup.clearSetupTokens();
      return adminId;
    });
    logSecurityEvent(req, 'setup_completed', { userId: id, roles: ['admin'] });
    const admin = users.findUserById(id);
    if (!admin) throw new NotFoundError();
    // The first administrator too gives a second factor before anything else, like an administrator's password login.
    const secondFactor = await startSecondFactor(req, admin, '/');
    if (secondFactor !== undefined) return res.redirect(303, secondFactor);
    await startSession(req, id, undefined, now());
    res.redirect(303, '/');
  });

  return router;
}
