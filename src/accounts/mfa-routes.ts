// The second factor: asked for after a right password (/login/mfa), set up by an administrator who must have one
// before any other page (/login/mfa/setup), and set up, renewed or turned off by anyone on their account page
// (/account/mfa/...). Codes are throttled like passwords, through the same counters (login-throttle.ts).
import type { Clock } from '../clock.js';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ConflictError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { FORM_ERROR, labelFields, parseForm } from '../http/form-parsing.js';
import { logSecurityEvent } from '../http/logger.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { currentUser, hasRole, requireRole, requireUser } from './access.js';
import type { RenderAccountPage } from './account-routes.js';
import { ACCOUNT_FIELD_LABELS } from './account-forms.js';
import { MfaCodeFormSchema } from './account-security-forms.js';
import { announceLock, startSession } from './auth-routes.js';
import { type LoginLock, type LoginReservation, type LoginThrottle, mfaThrottleKey } from './login-throttle.js';
import { checkTotp, createRecoveryCodes, createTotpSecret, formatSecret, hashRecoveryCode, looksLikeRecoveryCode, totpUri } from './mfa.js';
import type { MfaStore } from './mfa-store.js';
import type { PendingLogin } from './session-data.js';
import type { CurrentUser, UserStore } from './user-store.js';

/** A right password waits this long for its second factor. */
export const PENDING_LOGIN_MS = 10 * 60_000;

export type SecondFactorResult =
  | { readonly ok: true; readonly recoveryCodeUsed: boolean }
  | { readonly ok: false; readonly refused: 'code'; readonly lock: LoginLock | undefined }
  /**
   * A TOTP code was given, but the user's stored secret does not open with this installation's key (another key, a
   * damaged row): no code could be right, and it is not the user's doing, so it is not counted as a failed attempt.
   */
  | { readonly ok: false; readonly refused: 'secret_unopenable' };

export type MfaDependencies = {
  readonly users: UserStore;
  readonly mfa: MfaStore;
  readonly throttle: LoginThrottle;
  readonly adminMfaRequired: boolean;
  /** The account page (account-routes.ts), shown again when a code typed on it is wrong. */
  readonly renderAccount: RenderAccountPage;
  readonly clock: Clock;
};

export function createMfaRouter({ users, mfa, throttle, adminMfaRequired, renderAccount, clock }: MfaDependencies): Router {
  const router = Router();
  const now = () => clock().getTime();

  /** A refused code takes its place in the counters; the attempt that locks the user writes a lock-out (an audit entry). */
  const refuseCode = (req: Request, userId: number, reservation: LoginReservation): SecondFactorResult => {
    const lock = throttle.recordFailure(reservation);
    logCodeLocksStarted(req, userId, reservation);
    return { ok: false, refused: 'code', lock };
  };

  /**
   * The locks a wrong code started: the user's codes (an audit entry, and mfa_locked with their id), and the address
   * it came from, whose counter codes share with logins (login_locked, with no user's id: the address is locked).
   */
  const logCodeLocksStarted = (req: Request, userId: number, reservation: LoginReservation): void => {
    if (reservation.accountLockedUntil !== undefined) {
      mfa.recordLockout(userId, reservation.accountLockedUntil);
      logSecurityEvent(req, 'mfa_locked', { userId, lockedBy: 'account', reason: 'too_many_failures' });
    }
    if (reservation.clientLockedUntil !== undefined) {
      logSecurityEvent(req, 'login_locked', { lockedBy: 'address', reason: 'too_many_failures' });
    }
  };

  /**
   * Checks a TOTP code or a recovery code, throttled: each attempt takes its place in the counters first, and the
   * attempt that locks the user writes a lock-out (an audit entry). A recovery code is used up when it is accepted.
   * Every place that checks a stored second factor (the login, new recovery codes, turning it off) comes here.
   */
  const checkSecondFactor = async (req: Request, user: { id: number }, code: string): Promise<SecondFactorResult> => {
    const totp = mfa.findTotp(user.id);
    const via = looksLikeRecoveryCode(code) ? 'recovery_code' : 'totp';
    if (totp && via === 'totp' && !totp.secret.ok) {
      // Decided before the attempt takes a place in the counters: whatever was typed, the answer is this one, so
      // nothing can be guessed here, and a user must not be locked out for the installation's fault. An error line
      // for the operator (docs/operations.md#the-mfa-key), by user id; the stored value never reaches the log.
      logSecurityEvent(req, 'mfa_secret_unopenable', { userId: user.id, via, reason: totp.secret.reason });
      return { ok: false, refused: 'secret_unopenable' };
    }
    const attempt = throttle.reserveAttempt(mfaThrottleKey(user.id), req.ip);
    if (!attempt.allowed) {
      logSecurityEvent(req, 'mfa_failed', { userId: user.id, reason: 'locked', lockedBy: attempt.lock.lockedBy });
      return { ok: false, refused: 'code', lock: attempt.lock };
    }
    let accepted = false;
    let recoveryCodeUsed = false;
    if (totp && via === 'recovery_code') {
      accepted = mfa.useRecoveryCode(user.id, hashRecoveryCode(code));
      recoveryCodeUsed = accepted;
    } else if (totp?.secret.ok) {
      const check = await checkTotp(totp.secret.secret, code, totp.lastUsedStep);
      // Recorded before the answer, so the same code sent twice at once is accepted once.
      accepted = check.valid && mfa.useTimeStep(user.id, check.timeStep, check.clockSetBack ? totp.lastUsedStep : undefined);
      if (accepted && check.valid && check.clockSetBack) {
        // The one trace of it: a clock set back is an operator's business (docs/operations.md#single-sign-on-and-mfa).
        logSecurityEvent(req, 'mfa_clock_set_back', { userId: user.id, via: 'totp' });
      }
    }
    if (!accepted) {
      logSecurityEvent(req, 'mfa_failed', { userId: user.id, via, reason: 'wrong_code' });
      return refuseCode(req, user.id, attempt.reservation);
    }
    const lockedMeanwhile = throttle.recordSuccess(attempt.reservation);
    if (lockedMeanwhile) {
      logSecurityEvent(req, 'mfa_failed', { userId: user.id, via, reason: 'locked', lockedBy: lockedMeanwhile.lockedBy });
      return { ok: false, refused: 'code', lock: lockedMeanwhile };
    }
    logSecurityEvent(req, recoveryCodeUsed ? 'mfa_recovery_code_used' : 'mfa_succeeded', { userId: user.id, via });
    return { ok: true, recoveryCodeUsed };
  };

  /** A first code for a secret being set up, throttled the same way. */
  const confirmNewSecret = async (req: Request, userId: number, secret: string, code: string) => {
    const attempt = throttle.reserveAttempt(mfaThrottleKey(userId), req.ip);
    if (!attempt.allowed) {
      logSecurityEvent(req, 'mfa_failed', { userId, via: 'totp', reason: 'locked', lockedBy: attempt.lock.lockedBy });
      return { ok: false as const, lock: attempt.lock };
    }
    const check = await checkTotp(secret, code, undefined);
    if (!check.valid) {
      logSecurityEvent(req, 'mfa_failed', { userId, via: 'totp', reason: 'wrong_setup_code' });
      const lock = throttle.recordFailure(attempt.reservation);
      logCodeLocksStarted(req, userId, attempt.reservation);
      return { ok: false as const, lock };
    }
    const lockedMeanwhile = throttle.recordSuccess(attempt.reservation);
    if (lockedMeanwhile) return { ok: false as const, lock: lockedMeanwhile };
    return { ok: true as const, timeStep: check.timeStep };
  };

  /** Retry-After, and the message for the page (answered 429). */
  const lockMessage = (req: Request, res: Response, lock: LoginLock): string => announceLock(req, res, lock, now(), 'auth.mfaLocked');

  /**
   * The form of a refused code: a wrong code is the code field's error, a lock-out the form's (FORM_ERROR), so either
   * is the page's one error summary, focused, with "Fel: " in the title. The code typed is never sent back.
   */
  const refusedCodeForm = (req: Request, res: Response, lock: LoginLock | undefined): FormView =>
    createFormView({}, lock ? { [FORM_ERROR]: [lockMessage(req, res, lock)] } : { code: [req.t('auth.mfaCodeWrong')] }, true);

  /**
   * The form and status of a refused second factor. A secret that does not open is the form's error (no code typed
   * again would help): what to do instead, answered 409 (the stored state is at fault, neither the request nor the
   * server); a lock-out 429; a wrong code `wrongCodeStatus`.
   */
  const refusedSecondFactor = (
    req: Request,
    res: Response,
    result: Extract<SecondFactorResult, { ok: false }>,
    wrongCodeStatus: number,
  ): { form: FormView; status: number } => {
    if (result.refused === 'secret_unopenable') {
      return { form: createFormView({}, { [FORM_ERROR]: [req.t('auth.mfaSecretUnopenable')] }, true), status: 409 };
    }
    return { form: refusedCodeForm(req, res, result.lock), status: result.lock ? 429 : wrongCodeStatus };
  };

  /** The login waiting for a second factor, if it is this purpose's and fresh; an old one is dropped. */
  const pendingLoginOf = (req: Request, purpose: PendingLogin['purpose']): PendingLogin | undefined => {
    const pending = req.session.pendingLogin;
    if (!pending) return undefined;
    if (now() - pending.at > PENDING_LOGIN_MS) {
      delete req.session.pendingLogin;
      return undefined;
    }
    return pending.purpose === purpose ? pending : undefined;
  };

  /** Whoever reaches a login step without a waiting login: logged in already goes home, anyone else to the login page. */
  const leave = (req: Request, res: Response): void => res.redirect(303, req.user ? '/' : '/login');

  const renderVerify = (req: Request, res: Response, form: FormView, status = 200) =>
    renderPage(res, 'accounts/mfa-verify', { title: req.t('auth.mfaVerifyTitle'), form }, status);

  /** The secret being set up, made once per session so the page shows the same secret when reloaded. */
  const setupSecretOf = (req: Request): string => {
    req.session.totpSetupSecret ??= createTotpSecret();
    return req.session.totpSetupSecret;
  };

  const renderSetup = (
    req: Request,
    res: Response,
    options: { email: string; action: string; required: boolean; form: FormView; status?: number },
  ) => {
    const secret = setupSecretOf(req);
    return renderPage(
      res,
      'accounts/mfa-setup',
      {
        title: req.t('auth.mfaSetupTitle'),
        secret: formatSecret(secret),
        uri: totpUri(secret, options.email),
        action: options.action,
        required: options.required,
        form: options.form,
      },
      options.status ?? 200,
    );
  };

  /** Turns TOTP on with ten fresh recovery codes, shown once on the page this returns. */
  const enableWithCodes = (req: Request, userId: number, secret: string, timeStep: number): string[] | undefined => {
    const codes = createRecoveryCodes();
    if (!mfa.enableTotp(userId, secret, codes.map(hashRecoveryCode), timeStep)) return undefined;
    logSecurityEvent(req, 'mfa_enabled', { userId, via: 'totp' });
    return codes;
  };

  const renderCodes = (req: Request, res: Response, codes: readonly string[], next: string) =>
    renderPage(res, 'accounts/recovery-codes', { title: req.t('auth.recoveryCodesTitle'), codes, next });

  // --- during login ---

  router.get('/login/mfa', async (req, res) => {
    if (!pendingLoginOf(req, 'verify')) return leave(req, res);
    await renderVerify(req, res, createFormView());
  });

  router.post('/login/mfa', async (req, res) => {
    const pending = pendingLoginOf(req, 'verify');
    if (!pending) return leave(req, res);
    const parsed = parseForm(MfaCodeFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) return renderVerify(req, res, createFormView({}, parsed.errors, true), 422);
    const result = await checkSecondFactor(req, { id: pending.userId }, parsed.value.code);
    if (!result.ok) {
      // The login stays waiting, as after a wrong code: a recovery code may still complete it.
      const refused = refusedSecondFactor(req, res, result, 401);
      return renderVerify(req, res, refused.form, refused.status);
    }
    const user = users.findUserById(pending.userId);
    if (!user?.active) return leave(req, res);
    await startSession(req, user.id, undefined, now());
    if (result.recoveryCodeUsed) setFlash(req, mfa.countRecoveryCodes(user.id) <= 3 ? 'auth.recoveryCodeUsedFew' : 'auth.recoveryCodeUsed');
    res.redirect(303, pending.next);
  });

  router.get('/login/mfa/setup', async (req, res) => {
    const pending = pendingLoginOf(req, 'enrol');
    const user = pending && users.findUserById(pending.userId);
    if (!user) return leave(req, res);
    await renderSetup(req, res, { email: user.email, action: '/login/mfa/setup', required: true, form: createFormView() });
  });

  router.post('/login/mfa/setup', async (req, res) => {
    const pending = pendingLoginOf(req, 'enrol');
    const user = pending && users.findUserById(pending.userId);
    if (!pending || !user?.active) return leave(req, res);
    const secret = setupSecretOf(req);
    const setup = { email: user.email, action: '/login/mfa/setup', required: true };
    const parsed = parseForm(MfaCodeFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) return renderSetup(req, res, { ...setup, form: createFormView({}, parsed.errors, true), status: 422 });
    const confirmed = await confirmNewSecret(req, user.id, secret, parsed.value.code);
    if (!confirmed.ok) {
      return renderSetup(req, res, { ...setup, form: refusedCodeForm(req, res, confirmed.lock), status: confirmed.lock ? 429 : 422 });
    }
    const codes = enableWithCodes(req, user.id, secret, confirmed.timeStep);
    // Set up meanwhile (a second tab): the code just checked was for another secret, so log in through the code page.
    if (!codes) return res.redirect(303, '/login');
    // The login completes here (a new session id, the setup secret gone with the old session); the codes are shown once.
    await startSession(req, user.id, undefined, now());
    await renderCodes(req, res, codes, pending.next);
  });

  // --- on the account page ---

  router.use('/account/mfa', requireUser());

  const accountSetup = (user: CurrentUser) => ({ email: user.email, action: '/account/mfa/setup', required: false });

  router.get('/account/mfa/setup', async (req, res) => {
    const user = currentUser(req);
    if (mfa.findTotp(user.id)) return res.redirect(303, '/account');
    await renderSetup(req, res, { ...accountSetup(user), form: createFormView() });
  });

  router.post('/account/mfa/setup', async (req, res) => {
    const user = currentUser(req);
    if (mfa.findTotp(user.id)) return res.redirect(303, '/account');
    const secret = setupSecretOf(req);
    const parsed = parseForm(MfaCodeFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) return renderSetup(req, res, { ...accountSetup(user), form: createFormView({}, parsed.errors, true), status: 422 });
    const confirmed = await confirmNewSecret(req, user.id, secret, parsed.value.code);
    if (!confirmed.ok) {
      return renderSetup(req, res, {
        ...accountSetup(user),
        form: refusedCodeForm(req, res, confirmed.lock),
        status: confirmed.lock ? 429 : 422,
      });
    }
    const codes = enableWithCodes(req, user.id, secret, confirmed.timeStep);
    delete req.session.totpSetupSecret;
    if (!codes) return res.redirect(303, '/account');
    await renderCodes(req, res, codes, '/account');
  });

  /** The account page again, with what was wrong with the code typed into one of its MFA forms. */
  const refuseOnAccountPage = (
    req: Request,
    res: Response,
    form: 'renew' | 'disable',
    refusal: Extract<SecondFactorResult, { ok: false }> | { readonly errors: Record<string, readonly string[]> },
  ) => {
    const refused =
      'errors' in refusal ? { form: createFormView({}, refusal.errors, true), status: 422 } : refusedSecondFactor(req, res, refusal, 422);
    return renderAccount(req, res, { mfaForm: form, form: refused.form }, refused.status);
  };

  router.post('/account/mfa/recovery-codes', async (req, res) => {
    const user = currentUser(req);
    if (!mfa.findTotp(user.id)) return res.redirect(303, '/account');
    const parsed = parseForm(MfaCodeFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) return refuseOnAccountPage(req, res, 'renew', { errors: parsed.errors });
    const result = await checkSecondFactor(req, user, parsed.value.code);
    if (!result.ok) return refuseOnAccountPage(req, res, 'renew', result);
    const codes = createRecoveryCodes();
    mfa.renewRecoveryCodes(user.id, codes.map(hashRecoveryCode));
    logSecurityEvent(req, 'mfa_recovery_codes_renewed', { userId: user.id });
    await renderCodes(req, res, codes, '/account');
  });

  router.post('/account/mfa/disable', async (req, res) => {
    const user = currentUser(req);
    if (!mfa.findTotp(user.id)) return res.redirect(303, '/account');
    if (adminMfaRequired && hasRole(user, 'admin')) throw new ConflictError('auth.mfaRequiredForAdmins');
    const parsed = parseForm(MfaCodeFormSchema, req.body, req.t, labelFields(req.t, ACCOUNT_FIELD_LABELS));
    if (!parsed.ok) return refuseOnAccountPage(req, res, 'disable', { errors: parsed.errors });
    const result = await checkSecondFactor(req, user, parsed.value.code);
    if (!result.ok) return refuseOnAccountPage(req, res, 'disable', result);
    mfa.disableTotp(user.id, user.id);
    logSecurityEvent(req, 'mfa_disabled', { userId: user.id, via: 'totp' });
    setFlash(req, 'auth.mfaDisabled');
    res.redirect(303, '/account');
  });

  // --- an administrator removing someone's second factor (a lost phone and lost recovery codes) ---

  router.post('/admin/users/:id/mfa/reset', requireUser(), requireRole('admin'), (req, res) => {
    const parsed = idParam.safeParse(req.params.id);
    const user = parsed.success ? users.findUserById(parsed.data) : undefined;
    if (!user) throw new NotFoundError();
    // One's own second factor is changed on the account page, with a code: a session in the wrong hands must not
    // take an administrator's second factor away with one click.
    if (user.id === currentUser(req).id) throw new ConflictError('auth.mfaResetOwn');
    if (mfa.findTotp(user.id)) {
      mfa.disableTotp(user.id, currentUser(req).id);
      logSecurityEvent(req, 'mfa_disabled', { userId: user.id, reason: 'removed_by_admin' });
      setFlash(req, 'auth.mfaReset');
    }
    res.redirect(303, `/admin/users/${user.id}/edit`);
  });

  return router;
}
