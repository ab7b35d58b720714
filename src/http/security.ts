// Security headers, CSRF and the Origin check: applied to every route by createApp.
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';
import { ForbiddenError } from '../errors.js';
import type { Logger } from './logger.js';
import { describeRefusedOrigin, isThisSite } from './site-address.js';

export function securityHeaders(https: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        // Only over HTTPS: on plain HTTP this would break the app (see stack notes).
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

export type CsrfTools = {
  readonly protect: RequestHandler;
  readonly exposeToken: RequestHandler;
};

const CSRF_TOKEN_BYTES = 32;

/**
 * Gives a session that has just logged in its CSRF token at once. The token is otherwise made lazily by the first page
 * with a form; two pages opened at the same moment right after a login would then each make one, and the page whose
 * token was overwritten could not be saved.
 */
export function seedCsrfToken(req: Request): void {
  req.session.csrfToken = randomBytes(CSRF_TOKEN_BYTES).toString('hex');
}

/** Synchroniser tokens kept in the session; every form posts `_csrf`. */
export function createCsrfTools(): CsrfTools {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    // Stated rather than left to csrf-sync's defaults, because seedCsrfToken writes the same place and form.
    size: CSRF_TOKEN_BYTES,
    getTokenFromState: (req) => req.session.csrfToken,
    storeTokenInState: (req, token) => {
      req.session.csrfToken = token;
    },
    getTokenFromRequest: (req) => {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
  });
  return {
    protect: csrfSynchronisedProtection,
    // Lazy: the token (and so a session, and a session row) is made only when a view writes `<%= csrfToken %>`,
    // that is, for a page with a form. 404s, redirects and refused POSTs of a visitor without a cookie start none.
    // Views print the value through String(), which calls toString(); nothing else reads it.
    exposeToken: (req, res, next) => {
      let token: string | undefined;
      res.locals.csrfToken = { toString: () => (token ??= generateToken(req)) };
      next();
    },
  };
}

/**
 * Refuses state-changing requests whose Origin (when the browser sends one) is not this site (isThisSite: the Host,
 * PUBLIC_URL, or a trusted proxy's X-Forwarded-Host). Over HTTPS (secure cookies) the scheme must be https too: a
 * page served over plain HTTP on the same host is not this site. Each refusal writes one warning naming the Origin
 * and the hosts it was compared with, since to the person at the screen it looks like an expired form.
 */
export function sameOriginOnly(https = false): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.get('origin');
    if (origin === undefined) return next();
    if (origin !== 'null') {
      try {
        const url = new URL(origin);
        if (isThisSite(req, url) && (!https || url.protocol === 'https:')) return next();
      } catch {
        // fall through: a malformed Origin is not ours
      }
    }
    // Routers mounted outside createApp (a test of one router) have no request logger.
    const log: Logger | undefined = (req as Partial<Pick<Request, 'log'>>).log;
    const refused = describeRefusedOrigin(req, origin, https);
    log?.warn(refused.fields, refused.message);
    next(new ForbiddenError('errors.csrfText'));
  };
}
