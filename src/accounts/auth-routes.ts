// Login, logout and the one-time setup of the first administrator.
import type { Transact } from '../db/transact.js';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { NotFoundError } from '../errors.js';
import { parseForm } from '../http/form-parsing.js';
import { safeLocalPath } from '../http/locale-middleware.js';
import { createFormView, renderPage } from '../http/render-page.js';
import { LoginFormSchema, SetupFormSchema } from './account-forms.js';
import type { LoginLock, LoginThrottle } from './login-throttle.js';
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from './passwords.js';
import type { SetupStore } from './setup-store.js';
import type { UserStore } from './user-store.js';

/** 429 with the time left: the same page whether or not the account exists, so a lock-out reveals nothing. */
function renderLocked(req: Request, res: Response, email: string, next: string | undefined, lock: LoginLock): Promise<void> {
  const seconds = Math.max(1, Math.ceil((lock.lockedUntil - Date.now()) / 1000));
  res.set('Retry-After', String(seconds));
  return renderPage(
    res,
    'accounts/login',
    {
      title: req.t('auth.loginTitle'),
      form: createFormView({ email, next: next ?? '/' }, {}, true),
      failed: false,
      locked: req.t('auth.loginLocked', { minutes: Math.ceil(seconds / 60) }),
    },
    429,
  );
}

/** Replaces the session id (no fixation) and records who logged in. */
function startSession(req: Request, userId: number): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error);
      req.session.userId = userId;
      req.session.loggedInAt = Date.now();
      req.session.save((saveError) => (saveError ? reject(saveError) : resolve()));
    });
  });
}

export function createAuthRouter({
  users,
  setup,
  throttle,
  transact,
}: {
  users: UserStore;
  setup: SetupStore;
  throttle: LoginThrottle;
  transact: Transact;
}): Router {
  const router = Router();
  // Verified against when the email is unknown, so response time does not reveal which accounts exist.
  const dummyHash = hashPassword(`unused-${Date.now()}-${Math.random()}`);

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(303, safeLocalPath(req.query.next));
    const reason = req.query.reason === 'expired' ? req.t('auth.sessionExpired') : undefined;
    await renderPage(res, 'accounts/login', {
      title: req.t('auth.loginTitle'),
      form: createFormView({ next: safeLocalPath(req.query.next) }),
      notice: reason,
      failed: false,
    });
  });

  router.post('/login', async (req, res) => {
    const parsed = parseForm(LoginFormSchema, req.body, req.t);
    if (!parsed.ok) {
      const values = { ...parsed.values, password: '' };
      return renderPage(res, 'accounts/login', { title: req.t('auth.loginTitle'), form: createFormView(values, parsed.errors, true), failed: false }, 422);
    }
    const { email, password } = parsed.value;
    // The attempt takes its place in the counters before the password is checked, in one write, so a locked account
    // cannot be probed at all, and attempts sent at once cannot all get past a lock that none of them has written yet.
    const attempt = throttle.reserveAttempt(email, req.ip);
    if (!attempt.allowed) return renderLocked(req, res, email, parsed.value.next, attempt.lock);
    const credentials = users.findCredentials(email);
    const valid = credentials
      ? await verifyPassword(credentials.passwordHash, password)
      : (await verifyPassword(await dummyHash, password)) && false;
    if (!credentials || !valid || !credentials.active) {
      const newLock = throttle.recordFailure(attempt.reservation);
      if (newLock) return renderLocked(req, res, email, parsed.value.next, newLock);
      return renderPage(
        res,
        'accounts/login',
        { title: req.t('auth.loginTitle'), form: createFormView({ email, next: parsed.value.next ?? '/' }, {}, true), failed: true },
        401,
      );
    }
    // Another attempt may have locked the account while this password was checked: then nobody logs in, and the
    // answer is the same lock page as for a wrong password.
    const lockedMeanwhile = throttle.recordSuccess(attempt.reservation);
    if (lockedMeanwhile) return renderLocked(req, res, email, parsed.value.next, lockedMeanwhile);
    await startSession(req, credentials.id);
    res.redirect(303, safeLocalPath(parsed.value.next));
  });

  router.post('/logout', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie('hf.sid');
      res.redirect(303, '/login');
    });
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
    const parsed = parseForm(SetupFormSchema, req.body, req.t);
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
    const passwordHash = await hashPassword(password);
    // Checked again after the await: two setup requests racing must not both create an administrator.
    requireSetupOpen(parsed.value.token);
    const id = transact(() => {
      const adminId = users.insertUser({ email, displayName: display_name, affiliation, passwordHash, roles: ['admin'] });
      setup.clearSetupTokens();
      return adminId;
    });
    await startSession(req, id);
    res.redirect(303, '/');
  });

  return router;
}
