// The account page: who you are, how you signed in, your password and your second factor. Everyone logged in.
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { Clock } from '../clock.js';
import type { LocalLogin } from '../config.js';
import type { Db } from '../db/open-database.js';
import { setFlash } from '../http/flash.js';
import { FORM_ERROR, type FieldErrors, labelFields, parseForm, toRawForm } from '../http/form-parsing.js';
import { logSecurityEvent } from '../http/logger.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { currentUser, hasRole, requireUser } from './access.js';
import { ACCOUNT_FIELD_LABELS } from './account-forms.js';
import { announceLock, logLocksStarted, renewSession } from './auth-routes.js';
import { createPasswordChangeFormSchema } from './account-security-forms.js';
import type { LoginLock, LoginThrottle } from './login-throttle.js';
import type { MfaStore } from './mfa-store.js';
import { hashPassword, PASSWORD_MIN_LENGTH, type PasswordHashing, verifyPassword } from './passwords.js';
import type { SessionRevoker } from './session-store.js';
import type { UserStore } from './user-store.js';

/**
 * What the account page shows besides the account: which of its MFA forms was refused, and that form's errors (a
 * wrong code on its field, a lock-out as the form's error, FORM_ERROR), shown in the page's one error summary.
 */
export type AccountPageState = {
  readonly mfaForm?: 'renew' | 'disable';
  readonly form?: FormView;
};

export type RenderAccountPage = (req: Request, res: Response, state?: AccountPageState, status?: number) => Promise<void>;

export type AccountDependencies = {
  readonly db: Db;
  readonly users: UserStore;
  readonly mfa: MfaStore;
  readonly throttle: LoginThrottle;
  readonly sessions: SessionRevoker;
  readonly localLogin: LocalLogin;
  readonly adminMfaRequired: boolean;
  readonly clock: Clock;
  readonly passwordHashing: PasswordHashing;
};

export function createAccountPageRenderer({
  mfa,
  localLogin,
  adminMfaRequired,
}: Pick<AccountDependencies, 'mfa' | 'localLogin' | 'adminMfaRequired'>): RenderAccountPage {
  return (req, res, state = {}, status = 200) => {
    const user = currentUser(req);
    const totp = mfa.findTotp(user.id);
    const mfaRequired = adminMfaRequired && hasRole(user, 'admin');
    return renderPage(
      res,
      'accounts/account',
      {
        title: req.t('auth.accountTitle'),
        account: user,
        signedInWith: req.session.signedInWith === 'oidc' ? req.t('auth.signedInWithOidc') : req.t('auth.signedInWithPassword'),
        passwordLogin: localLogin === 'all' || (localLogin === 'admins' && hasRole(user, 'admin')),
        mfaEnabled: totp !== undefined,
        recoveryCodesLeft: totp ? mfa.countRecoveryCodes(user.id) : 0,
        mfaRequired,
        mfaForm: state.mfaForm,
        form: state.form ?? createFormView(),
        emptyForm: createFormView(),
      },
      status,
    );
  };
}

export function createAccountRouter(deps: AccountDependencies & { readonly renderAccount: RenderAccountPage }): Router {
  const { db, users, throttle, sessions, renderAccount, clock, passwordHashing } = deps;
  const router = Router();
  router.use('/account', requireUser());

  // The new password and the end of every other session in one transaction: a session that was in the wrong hands
  // does not outlive the password that opened it. The audit log records that the password changed, never the hash.
  const changePassword = db.transaction((userId: number, passwordHash: string, keepSid: string): number => {
    users.updatePassword(userId, passwordHash, userId);
    return sessions.endSessionsOf(userId, keepSid);
  });

  router.get('/account', async (req, res) => {
    await renderAccount(req, res);
  });

  const renderPasswordForm = (req: Request, res: Response, errors: FieldErrors = {}, status = 200) =>
    renderPage(
      res,
      'accounts/password',
      {
        title: req.t('auth.passwordChangeTitle'),
        // Passwords are never sent back to the browser.
        form: createFormView({ ...toRawForm(req.body), current_password: '', password: '', password_confirm: '' }, errors, status !== 200),
        passwordMin: PASSWORD_MIN_LENGTH,
      },
      status,
    );

  // A lock-out is the form's error (no field's): the page's one error summary, focused, and "Fel: " in its title.
  const renderLocked = (req: Request, res: Response, lock: LoginLock) =>
    renderPasswordForm(req, res, { [FORM_ERROR]: [announceLock(req, res, lock, clock().getTime())] }, 429);

  router.get('/account/password', async (req, res) => {
    await renderPasswordForm(req, res);
  });

  router.post('/account/password', async (req, res) => {
    const user = currentUser(req);
    const parsed = parseForm(
      createPasswordChangeFormSchema({ email: user.email, displayName: user.displayName }),
      req.body,
      req.t,
      labelFields(req.t, ACCOUNT_FIELD_LABELS),
    );
    if (!parsed.ok) return renderPasswordForm(req, res, parsed.errors, 422);
    // The current password is guessed against the same counters as at login (the account's e-mail and the address):
    // a stolen session cannot try passwords here faster than at the login form.
    const attempt = throttle.reserveAttempt(user.email, req.ip);
    if (!attempt.allowed) {
      const lockedBy = attempt.lock.lockedBy;
      logSecurityEvent(req, 'login_failed', { userId: user.id, via: 'password', reason: 'password_change_locked', lockedBy });
      return renderLocked(req, res, attempt.lock);
    }
    const credentials = users.findCredentials(user.email);
    const valid = credentials !== undefined && (await verifyPassword(credentials.passwordHash, parsed.value.current_password));
    if (!valid) {
      logSecurityEvent(req, 'login_failed', { userId: user.id, via: 'password', reason: 'password_change_wrong_password' });
      const lock = throttle.recordFailure(attempt.reservation);
      logLocksStarted(req, attempt.reservation, user.id);
      if (lock) return renderLocked(req, res, lock);
      return renderPasswordForm(req, res, { current_password: [req.t('auth.currentPasswordWrong')] }, 422);
    }
    const lockedMeanwhile = throttle.recordSuccess(attempt.reservation);
    if (lockedMeanwhile) {
      const lockedBy = lockedMeanwhile.lockedBy;
      logSecurityEvent(req, 'login_failed', { userId: user.id, via: 'password', reason: 'password_change_locked', lockedBy });
      return renderLocked(req, res, lockedMeanwhile);
    }
    const passwordHash = await hashPassword(parsed.value.password, passwordHashing);
    const ended = changePassword(user.id, passwordHash, req.sessionID);
    logSecurityEvent(req, 'password_changed', { userId: user.id, reason: ended > 0 ? 'other_sessions_ended' : 'no_other_sessions' });
    // This session stays logged in, under a new id; how and when it logged in are kept (a session from before
    // single sign-on existed was a password login).
    const how = { signedInWith: req.session.signedInWith ?? 'password', idToken: req.session.idToken };
    await renewSession(req, user.id, how, req.session.loggedInAt ?? clock().getTime());
    setFlash(req, 'auth.passwordChanged');
    res.redirect(303, '/account');
  });

  return router;
}
