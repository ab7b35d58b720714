import type { RequestHandler } from 'express';
import { formatLongDate } from '../i18n/format.js';
import { guessTextLanguage } from '../i18n/text-language.js';
import { createBoundedCache } from './bounded-cache.js';
import { describeLengthLimit } from './form-parsing.js';
import { DEFAULT_LOCALE, type Locale, parseLocale } from '../i18n/locale.js';
import { createTranslator } from '../i18n/messages.js';
import { readCookie } from './cookies.js';
import { isThisSite } from './site-address.js';

export const LOCALE_COOKIE = 'lang';

/** The language of a request: ?lang=, then the language cookie, then Swedish. */
export function resolveLocale(query: unknown, cookieHeader: string | undefined): Locale {
  const fromQuery = typeof query === 'string' ? parseLocale(query) : undefined;
  return fromQuery ?? parseLocale(readCookie(cookieHeader, LOCALE_COOKIE)) ?? DEFAULT_LOCALE;
}

export function localeMiddleware(): RequestHandler {
  // A page shows the same notes and findings on every request: the guesses for the texts seen last are kept (guessing
  // each anew cost a consensus page about a tenth of its own time).
  const guesses = createBoundedCache<string, Locale | undefined>(5000);
  const guessLanguage = (text: string) => guesses.getOrCompute(text, () => guessTextLanguage(text));
  return (req, res, next) => {
    const locale = resolveLocale(req.query.lang, req.headers.cookie);
    req.locale = locale;
    req.t = createTranslator(locale);
    res.locals.locale = locale;
    res.locals.otherLocale = locale === 'sv' ? 'en' : 'sv';
    res.locals.t = req.t;
    // "This page", for the language switch: a page answering a posted form (a refused save) is at an address that
    // may take only POST, so the switch leads back to the form's own page.
    res.locals.currentPath =
      req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : formPageOf(req.get('referer'), (url) => isThisSite(req, url));
    // Pick the text of a { sv, en } pair, as rubric files carry it.
    res.locals.tr = (text: { sv: string; en: string } | undefined): string => (text ? text[locale] : '');
    // A date in prose, written out ("10 mars 2026"): an ISO day, or a stored UTC instant as its Swedish day.
    res.locals.longDate = (isoDayOrInstant: string): string => formatLongDate(isoDayOrInstant, locale);
    // A text box's limit in its hint ("Högst 2 000 tecken."), as a refusal would count it.
    res.locals.lengthLimit = (max: number): string => describeLengthLimit(max, req.t);
    // Free text someone wrote, in the other language than the page's: ` lang="sv"` for its element (WCAG 3.1.2), so a
    // screen reader reads it with the right voice; '' otherwise. A fixed string, written unescaped (<%- %>).
    res.locals.langAttr = (text: string | readonly string[]): string => {
      const lang = guessLanguage(typeof text === 'string' ? text : text.join(' '));
      return lang === undefined || lang === locale ? '' : ` lang="${lang}"`;
    };
    next();
  };
}

/**
 * The page a form was posted from: the path of its Referer when that is this site (the Referrer-Policy is same-origin,
 * so browsers send it with every form), else the home page.
 */
export function formPageOf(referer: string | undefined, isThisSite: (url: URL) => boolean): string {
  if (referer === undefined) return '/';
  try {
    const url = new URL(referer);
    return isThisSite(url) ? safeLocalPath(`${url.pathname}${url.search}`) : '/';
  } catch {
    return '/';
  }
}

/** Only local paths, so the language switch and login cannot be used as an open redirect. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return fallback;
  }
  return value.length > 2000 ? fallback : value;
}
