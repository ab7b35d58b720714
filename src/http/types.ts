// What our middleware adds to every request. Declared once here so routes stay typed.
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';

declare global {
  // Express's request type can only be extended through its namespace.
  namespace Express {
    interface Request {
      locale: Locale;
      t: Translate;
      // user: declared by src/accounts/session-data.ts, so http never imports accounts.
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** When the user logged in (ms): sessions end after an absolute lifetime however active. */
    loggedInAt: number;
    flash: string;
    /** The id of the place on the next page the notice belongs to (where the redirect jumps), if not the top. */
    flashAt: string;
    /** The notice's values ("Sparat: {parts}"), already in the language of the page that set it. */
    flashParams: Record<string, string | number>;
  }
}
