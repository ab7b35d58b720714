// Single sign-on through the organisation's OpenID provider: GET /login/oidc leaves for the provider, and
// GET /login/oidc/callback comes back. A person is let in only as an existing, active account whose e-mail the
// provider has verified; administrators keep deciding who has which role. Anyone else gets "no access yet".
import { Router } from 'express';
import type { Request, Response } from 'express';
import { NotFoundError } from '../errors.js';
import { logSecurityEvent } from '../http/logger.js';
import { safeLocalPath } from '../http/locale-middleware.js';
import { renderPage } from '../http/render-page.js';
import { startSession } from '../accounts/auth-routes.js';
import type { UserStore } from '../accounts/user-store.js';
import type { Clock } from '../clock.js';
import { describeOidcError, OIDC_TRANSACTION_MS, type OidcClient } from './oidc-client.js';

/** Why a sign-in ended without a session, for the log: a word, never a token, code or e-mail. */
export type SignOnFailure = 'provider_unavailable' | 'no_transaction' | 'expired' | 'provider_error' | 'rejected' | 'no_access';

export type SignOnDependencies = {
  readonly users: UserStore;
  readonly oidc: OidcClient | undefined;
  /** When a sign-in started and whether it has expired: the app's clock. */
  readonly clock: Clock;
};

/** The longest reason a security event keeps as it is (src/http/logger.ts). */
const MAX_REASON_LENGTH = 64;

/**
 * A refused sign-in to the security log: a fixed reason and, after a colon, a fixed word for why (describeOidcError:
 * the OAuth error code, the network or TLS failure's code, or the error's class name), nothing else the provider sent.
 */
function logFailure(req: Request, reason: SignOnFailure, detail?: string): void {
  const full = detail === undefined ? reason : `${reason}:${detail}`;
  // A detail too long to be kept is cut at a colon, rather than the whole reason replaced.
  const kept = full.length <= MAX_REASON_LENGTH ? full : full.slice(0, full.lastIndexOf(':', MAX_REASON_LENGTH));
  logSecurityEvent(req, 'oidc_failed', { via: 'oidc', reason: kept });
}

export function createSignOnRouter({ users, oidc, clock }: SignOnDependencies): Router {
  const router = Router();
  const onFailure = logFailure;

  const requireOidc = (): OidcClient => {
    if (!oidc) throw new NotFoundError();
    return oidc;
  };

  const renderFailed = (req: Request, res: Response, status: number) =>
    renderPage(res, 'sign-on/failed', { title: req.t('auth.signOnFailedTitle') }, status);

  router.get('/login/oidc', async (req, res) => {
    const client = requireOidc();
    const next = safeLocalPath(req.query.next);
    if (req.user) return res.redirect(303, next);
    let started: Awaited<ReturnType<OidcClient['start']>>;
    try {
      started = await client.start(next);
    } catch (error) {
      onFailure(req, 'provider_unavailable', describeOidcError(error));
      return renderFailed(req, res, 502);
    }
    // The session starts here, when the person has asked to sign in: state, nonce and PKCE verifier wait in it.
    req.session.oidc = started.transaction;
    await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
    res.redirect(303, started.authorizationUrl);
  });

  router.get('/login/oidc/callback', async (req, res) => {
    const client = requireOidc();
    const transaction = req.session.oidc;
    // One use only: a replayed or second callback finds nothing to finish.
    delete req.session.oidc;
    if (!transaction) {
      onFailure(req, 'no_transaction');
      return renderFailed(req, res, 400);
    }
    if (clock().getTime() - transaction.startedAt > OIDC_TRANSACTION_MS) {
      onFailure(req, 'expired');
      return renderFailed(req, res, 400);
    }
    const search = new URL(req.originalUrl, 'http://callback.invalid').search;
    let identity: Awaited<ReturnType<OidcClient['finish']>>;
    try {
      identity = await client.finish(search, transaction);
    } catch (error) {
      // A wrong state or nonce, a code used twice or expired, the person cancelling at the provider: all refused alike.
      onFailure(req, req.query.error === undefined ? 'rejected' : 'provider_error', describeOidcError(error));
      return renderFailed(req, res, 400);
    }
    const user = identity.emailVerified && identity.email !== undefined ? users.findUserByEmail(identity.email) : undefined;
    if (!user?.active) {
      onFailure(req, 'no_access', identity.emailVerified ? 'unknown_account' : 'email_not_verified');
      return renderPage(res, 'sign-on/no-access', { title: req.t('auth.noAccessTitle') }, 403);
    }
    await startSession(req, user.id, { signedInWith: 'oidc', idToken: identity.idToken }, clock().getTime());
    res.redirect(303, transaction.next);
  });

  return router;
}
