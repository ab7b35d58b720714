// One-shot notices shown on the page after a redirect ("Saved."). Stored as a message key in the session.
import type { Request, RequestHandler } from 'express';
import { isMessageKey, type MessageKey } from '../i18n/messages.js';

export function setFlash(req: Request, key: MessageKey): void {
  req.session.flash = key;
}

export function flashMiddleware(): RequestHandler {
  return (req, res, next) => {
    const key = req.session.flash;
    res.locals.flash = undefined;
    if (key !== undefined && req.method === 'GET') {
      delete req.session.flash;
      if (isMessageKey(key)) res.locals.flash = req.t(key);
    }
    next();
  };
}
