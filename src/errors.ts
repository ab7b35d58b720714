// Errors whose status and message are safe to show to the user. Anything else becomes a generic 500 page.
import type { MessageKey } from './i18n/messages.js';

export class HttpError extends Error {
  readonly status: number;
  /** A message key, shown translated on the error page. */
  readonly messageKey: MessageKey;
  constructor(status: number, messageKey: MessageKey) {
    super(messageKey);
    this.name = 'HttpError';
    this.status = status;
    this.messageKey = messageKey;
  }
}

export class NotFoundError extends HttpError {
  constructor() {
    super(404, 'errors.notFoundText');
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends HttpError {
  constructor(messageKey: MessageKey = 'errors.forbiddenText') {
    super(403, messageKey);
    this.name = 'ForbiddenError';
  }
}

/** A request that is well-formed but not allowed in the current state (e.g. rating a final review). */
export class ConflictError extends HttpError {
  constructor(messageKey: MessageKey) {
    super(409, messageKey);
    this.name = 'ConflictError';
  }
}
