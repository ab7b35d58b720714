// One-shot notices shown on the page after a redirect ("Saved."). Stored as a message key in the session.
//
// A redirect that jumps to a place on the page (`…#ind-a1-lease`) names that place (`at`): a page that can show the
// notice there lists the place among its `flashTargets`, and its view puts views/partials/flash-at.ejs inside it, so
// the notice stands where the person lands instead of above them, out of sight. Anywhere else it is shown at the top.
import type { Request, RequestHandler } from 'express';
import { isMessageKey, type MessageKey, type MessageParams } from '../i18n/messages.js';

const PLACE_ID = /^[\w.-]{1,120}$/;

export function setFlash(req: Request, key: MessageKey, at?: string, params?: MessageParams): void {
  req.session.flash = key;
  if (at !== undefined && PLACE_ID.test(at)) req.session.flashAt = at;
  else delete req.session.flashAt;
  if (params !== undefined) req.session.flashParams = { ...params };
  else delete req.session.flashParams;
}

export function flashMiddleware(): RequestHandler {
  return (req, res, next) => {
    const key = req.session.flash;
    res.locals.flash = undefined;
    res.locals.flashAt = undefined;
    if (key !== undefined && req.method === 'GET') {
      const at = req.session.flashAt;
      const params = req.session.flashParams;
      delete req.session.flash;
      delete req.session.flashAt;
      delete req.session.flashParams;
      if (isMessageKey(key)) {
        res.locals.flash = req.t(key, params);
        res.locals.flashAt = at;
      }
    }
    next();
  };
}
