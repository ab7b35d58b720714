import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { HttpError, NotFoundError } from '../errors.js';
import type { MessageKey } from '../i18n/messages.js';
import { classifyBodyError } from './body-errors.js';
import { createDatabaseDamage, DAMAGE_ADVICE, type DatabaseDamage } from './database-damage.js';
import { toRawForm } from './form-parsing.js';
import { renderKeptInput } from './kept-input.js';
import { localeMiddleware } from './locale-middleware.js';
import { type Logger, loggedRouteOf } from './logger.js';
import { renderPage } from './render-page.js';
import { isWriteLockHeld, type StorageFailure, storageFailureOf, WRITE_LOCK_HELD } from './storage-failure.js';

export function notFound(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError());
}

type Classified = { status: number; titleKey: MessageKey; messageKey: MessageKey };

const STORAGE_REASONS: Readonly<Record<StorageFailure, MessageKey>> = {
  full: 'errors.storageFullText',
  'read-only': 'errors.storageReadOnlyText',
  io: 'errors.storageIoText',
  busy: 'errors.storageBusyText',
};

function classify(error: unknown): Classified {
  if (error instanceof HttpError) {
    const titleKey: MessageKey =
      error.status === 404 ? 'errors.notFoundTitle' : error.status === 403 ? 'errors.forbiddenTitle' : 'errors.conflictTitle';
    return { status: error.status, titleKey, messageKey: error.messageKey };
  }
  const e = error as { code?: unknown; type?: unknown; status?: unknown } | null;
  if (e?.code === 'EBADCSRFTOKEN') return { status: 403, titleKey: 'errors.forbiddenTitle', messageKey: 'errors.csrfText' };
  // The router cannot decode a malformed %-escape in the path ("/reviews/%ED%A0%80"): the request is bad, not the server.
  if (error instanceof URIError) return { status: 400, titleKey: 'errors.badRequestTitle', messageKey: 'errors.badRequestText' };
  const body = classifyBodyError(error);
  if (body !== undefined) return { status: body.status, titleKey: 'errors.badRequestTitle', messageKey: body.messageKey };
  if (typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, titleKey: 'errors.badRequestTitle', messageKey: 'errors.badRequestText' };
  }
  return { status: 500, titleKey: 'errors.serverErrorTitle', messageKey: 'errors.serverErrorText' };
}

/** One line naming an error without its stack: for failures of the machine, which are no bug to trace. */
function describeBriefly(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** The error and, for SQLITE_BUSY, its likely cause: "SQLITE_BUSY: database is locked" alone does not say whose lock. */
function describeWithCause(error: unknown): string {
  return isWriteLockHeld(error) ? `${WRITE_LOCK_HELD} (${describeBriefly(error)})` : describeBriefly(error);
}

/**
 * An error raised before the locale, session or user middleware ran (a body that cannot be read is refused by the
 * body parser, which runs first) still gets its page in the user's language, with the layout's locals set.
 */
function ensurePageLocals(req: Request, res: Response): void {
  if (typeof req.t !== 'function') localeMiddleware()(req, res, () => undefined);
  if (!('user' in res.locals)) res.locals.user = undefined;
  if (!('nav' in res.locals)) res.locals.nav = { canAdminUsers: false, canResearch: false };
  // Refused before the token was put on the page (the import's upload is read first): the logout form then
  // answers that the form expired, on a page whose own logout form works.
  if (!('csrfToken' in res.locals)) res.locals.csrfToken = '';
}

/** Requests that only ask for a page: nothing of theirs is saved, so an error page does not say it was not. */
const READ_ONLY_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The request id (sent as X-Request-Id, and on each of the request's log lines) shown on the page of a server error, so
 * the user has something to give the operator, who finds the lines with it. Undefined below 500: those say what to do.
 */
function supportCodeOf(res: Response, status: number): string | undefined {
  const id = res.getHeader('X-Request-Id');
  return status >= 500 && typeof id === 'string' && id !== '' ? id : undefined;
}

/** How long after a session could not be stored a refused form token is put down to that failure. */
const SESSION_FAILURE_WINDOW_MS = 10 * 60_000;

/**
 * The one error handler: a page in the user's language; never the message or stack of an unexpected error.
 * A write the database refused because it is full, read-only or failing is a 503, and a form posted with it
 * comes back with everything typed (renderKeptInput), so nothing is lost.
 */
export function errorHandler(
  logger: Logger,
  now: () => number,
  pathWords: () => ReadonlySet<string>,
  /** Where a damaged database a request met is noted, for the readiness check (GET /readyz). */
  damage: DatabaseDamage = createDatabaseDamage(),
): ErrorRequestHandler {
  // The last time a session could not be stored, and why: a form from such a page has a token no session holds, so
  // its post fails the CSRF check. Within SESSION_FAILURE_WINDOW_MS that refusal is explained as the storage failure
  // (and answered 503 with the typed values) rather than as an expired form, which reloading would never mend.
  let sessionFailure: { readonly at: number; readonly failure: StorageFailure } | undefined;
  // Four parameters, or express would not take it for an error handler; nothing is passed on: every error ends here.
  return async (error, req, res, _next) => {
    // The request's own logger, so each line carries its request id.
    const log: Logger = (req as Partial<Pick<Request, 'log'>>).log ?? logger;
    let storage = storageFailureOf(error);
    // The path as request lines show it: of a path no route answered, only its ids and the app's own path words.
    const path = (status: number) => loggedRouteOf(req, status, pathWords());
    // The first damaged page any request meets is said once, with what to do; the request's own line follows as ever.
    if (damage.note(error)) {
      log.error(
        `the database is damaged: ${DAMAGE_ADVICE}. ${req.method} ${path(500)} met ${describeBriefly(error)}; /readyz answers 503 until the server is restarted`,
      );
    }
    if (res.headersSent) {
      // express-session stores the session as the page goes out; on a full or read-only database that write fails
      // with the answer already begun, often on the very page that says the disk is full. Worth a line for the
      // administrator, not a stack trace: express's own last handler would print one outside the JSON log.
      if (storage !== undefined) {
        sessionFailure = { at: now(), failure: storage };
        log.error(
          `${req.method} ${path(res.statusCode)}: the session could not be stored (${describeWithCause(error)}); logins and forms fail until it can be`,
        );
      } else {
        const message = error instanceof Error ? error.message : String(error);
        log.error(
          { err: error, userId: req.user?.id, method: req.method, route: path(res.statusCode) },
          `${req.method} ${path(res.statusCode)} failed after its answer began: ${message}`,
        );
      }
      // An answer cut short must not look complete: the connection is closed, as express itself would.
      if (!res.writableEnded) req.socket.destroy();
      return;
    }
    const code = (error as { code?: unknown } | null)?.code;
    let cause = isWriteLockHeld(error)
      ? `${WRITE_LOCK_HELD} (${describeBriefly(error)})`
      : `the database refused the write (${describeBriefly(error)})`;
    if (
      storage === undefined &&
      code === 'EBADCSRFTOKEN' &&
      sessionFailure !== undefined &&
      now() - sessionFailure.at < SESSION_FAILURE_WINDOW_MS
    ) {
      storage = sessionFailure.failure;
      cause = `the form's token could not be checked, as sessions could not be stored a moment ago (${storage})`;
    }
    ensurePageLocals(req, res);
    const t = req.t;
    if (storage !== undefined) {
      log.error(`${req.method} ${path(503)}: nothing saved, ${cause}`);
      const reason = t(STORAGE_REASONS[storage]);
      try {
        // Any posted form (urlencoded, or the fields of a multipart one) comes back to be posted again.
        if (req.method === 'POST' && req.body !== null && typeof req.body === 'object') {
          await renderKeptInput(res, { status: 503, reason, action: req.originalUrl, fields: toRawForm(req.body) });
        } else {
          const title = t('errors.serviceUnavailableTitle');
          await renderPage(
            res,
            'errors/error',
            { title, heading: title, message: reason, status: 503, supportCode: supportCodeOf(res, 503) },
            503,
          );
        }
      } catch (renderError) {
        log.error({ err: renderError }, 'error page failed');
        res.status(503).type('text/plain').send(reason);
      }
      return;
    }
    const { status, titleKey, messageKey: classifiedKey } = classify(error);
    // "Nothing you sent was saved" only where something was sent to be saved: not on a page that was only asked for.
    const messageKey: MessageKey =
      classifiedKey === 'errors.serverErrorText' && !READ_ONLY_METHODS.has(req.method) ? 'errors.serverErrorNotSavedText' : classifiedKey;
    if (status >= 500) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(
        { err: error, userId: req.user?.id, method: req.method, route: path(status) },
        `${req.method} ${path(status)} failed: ${message}`,
      );
    }
    try {
      await renderPage(
        res,
        'errors/error',
        { title: t(titleKey), heading: t(titleKey), message: t(messageKey), status, supportCode: supportCodeOf(res, status) },
        status,
      );
    } catch (renderError) {
      log.error({ err: renderError }, 'error page failed');
      res.status(status).type('text/plain').send(t(titleKey));
    }
  };
}
