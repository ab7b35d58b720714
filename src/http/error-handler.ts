import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, NotFoundError } from '../errors.js';
import type { MessageKey } from '../i18n/messages.js';
import { renderPage } from './render-page.js';

export function notFound(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError());
}

type Classified = { status: number; titleKey: MessageKey; messageKey: MessageKey };

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
  if (e?.type === 'entity.too.large' || e?.type === 'parameters.too.many') {
    return { status: 413, titleKey: 'errors.badRequestTitle', messageKey: 'errors.tooLargeText' };
  }
  if (typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, titleKey: 'errors.badRequestTitle', messageKey: 'errors.badRequestText' };
  }
  return { status: 500, titleKey: 'errors.serverErrorTitle', messageKey: 'errors.serverErrorText' };
}

/** The one error handler: a page in the user's language; never the message or stack of an unexpected error. */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return async (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, titleKey, messageKey } = classify(error);
    if (status >= 500) log(`${req.method} ${req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const t = req.t;
    if (!t) {
      res.status(status).type('text/plain').send(String(status));
      return;
    }
    try {
      await renderPage(res, 'errors/error', { title: t(titleKey), heading: t(titleKey), message: t(messageKey), status }, status);
    } catch (renderError) {
      log(`error page failed: ${String(renderError)}`);
      res.status(status).type('text/plain').send(t(titleKey));
    }
  };
}
