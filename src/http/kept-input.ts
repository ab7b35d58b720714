// The page for a form that could not be saved through no fault of the user's (a full or read-only database, an
// ended session): it says that nothing was saved and why, gives back every field as typed, and posts them again
// to the same address with a fresh CSRF token, so nothing typed is lost. For a session that ended, the same page
// carries the login form too: the typed fields ride along with the login (POST /login/resume), and come back
// after it with a token of the new session, for one click on "Spara". They are never stored on the way, so the page is
// their only copy: leaving it by anything but its own button asks first (views/assets/unsaved-changes.js; an answer to
// a post, it cannot be had back from Back or Forward), and it has no language switch or login link. The switch leads
// to the form's own page, which after an ended session is the login page, and a draft it keeps rests on the session of
// the page's token, which a login replaces; the login link leads to an empty login form.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ForbiddenError } from '../errors.js';
import type { Translate } from '../i18n/messages.js';
import { fieldLabellerOf, isFormMarker, type KeptValue, labelFromFieldName } from './field-labels.js';
import type { Locale } from '../i18n/locale.js';
import { type RawForm, toRawForm } from './form-parsing.js';
import { safeLocalPath } from './locale-middleware.js';
import { createFormView, type FormView, renderPage } from './render-page.js';
import { isThisSite } from './site-address.js';

/** Where the login form of an ended session posts: it logs in and gives the typed fields back. */
export const RESUME_PATH = '/login/resume';
/** The address the typed form was posted to, carried on the login form. */
export const RESUME_TARGET_FIELD = '_resume';
/** The typed fields' prefix on the login form, so a field named "email" or "password" never meets the login's own. */
export const KEPT_PREFIX = 'kept.';

export type KeptInput = {
  readonly status: number;
  /** Why nothing was saved and what to do, in the user's language. */
  readonly reason: string;
  /** Where the form is posted again: the address it was posted to. */
  readonly action: string;
  /** The fields as posted; the old CSRF token among them is dropped. */
  readonly fields: RawForm;
  /** The page's heading; "Nothing was saved" when not given. */
  readonly heading?: string | undefined;
  /** The button's text; "Försök spara igen" when not given. */
  readonly button?: string | undefined;
  /** A link the reason refers to (a step of the login to finish in another tab). */
  readonly link?: { readonly href: string; readonly text: string } | undefined;
};

/** The login part of the page for a form posted after its session ended. */
export type EndedSessionLogin = {
  /** The email and password fields: false when passwords are off (LOCAL_LOGIN=off) and only single sign-on logs in. */
  readonly passwordForm: boolean;
  /** Single sign-on, opened in a new tab so this page and what it keeps stay. */
  readonly signOnUrl: string | undefined;
  /** The email typed, and the login's errors when the login itself was refused (a wrong password or a lock-out: FORM_ERROR). */
  readonly form: FormView;
};

export type KeptField =
  | { readonly kind: 'hidden'; readonly name: string; readonly value: string }
  | { readonly kind: 'password'; readonly id: string; readonly name: string; readonly label: string }
  | { readonly kind: 'text' | 'textarea'; readonly id: string; readonly name: string; readonly label: string; readonly value: string }
  /** A value chosen on the form (a radio, a select, a checkbox): shown in words, posted again as it was. */
  | { readonly kind: 'chosen'; readonly name: string; readonly label: string; readonly value: string; readonly words: string };

/** How a kept field is labelled and whether its value was typed or chosen (field-labels.ts). */
export type KeptFieldDescriber = {
  readonly label: (name: string) => string;
  readonly value: (name: string, value: string) => KeptValue;
};

const BY_NAME: KeptFieldDescriber = { label: labelFromFieldName, value: () => ({ chosen: false }) };

/**
 * Never written into a page, from any form: passwords, tokens (the setup link's too), secrets, TOTP and recovery
 * codes. They come back as empty fields, to be typed again. A field named `code` is one only on the forms of the
 * second factor (where it may be a recovery code); elsewhere it is what the user typed, a municipality's code.
 */
const SENSITIVE_FIELD = /password|token|secret|totp|recovery_code|(^|_)otp(_|$)/i;
const SECOND_FACTOR_FORM = /^\/(?:login|account)\/mfa(?:\/|\?|$)/;

/** Whether a field posted to `action` is one never to write into a page (see SENSITIVE_FIELD). */
export function isSensitiveField(name: string, action: string): boolean {
  return SENSITIVE_FIELD.test(name) || (name === 'code' && SECOND_FACTOR_FORM.test(action));
}
const LONG_TEXT = 80;

/**
 * The fields to give back, in the order posted: a field sent several times (checkboxes) gives one input per value.
 * `prefix` goes before each name (not the label), for fields carried on the login form of an ended session;
 * `action` is where the form was posted (it decides whether a `code` is a secret). What was typed is given back to
 * edit; what was chosen is shown in words and posted again as it was, or carried hidden when no words are known
 * (an id): never a raw code in a text box.
 */
export function keptFields(fields: RawForm, prefix = '', action = '', describe: KeptFieldDescriber = BY_NAME): readonly KeptField[] {
  const labelOf = describe.label;
  const kept: KeptField[] = [];
  for (const [name, raw] of Object.entries(fields)) {
    if (name === '_csrf') continue;
    const values = typeof raw === 'string' ? [raw] : raw;
    const posted = `${prefix}${name}`;
    for (const value of values) {
      const id = `kept-${kept.length}`;
      if (isFormMarker(name)) kept.push({ kind: 'hidden', name: posted, value });
      // A password or a code is never written into a page: it is typed again.
      else if (isSensitiveField(name, action)) kept.push({ kind: 'password', id, name: posted, label: labelOf(name) });
      else {
        const described = describe.value(name, value);
        if (!described.chosen) {
          const kind = value.includes('\n') || value.length > LONG_TEXT ? 'textarea' : 'text';
          kept.push({ kind, id, name: posted, label: labelOf(name), value });
        } else if (described.words === undefined) kept.push({ kind: 'hidden', name: posted, value });
        else kept.push({ kind: 'chosen', name: posted, label: labelOf(name), value, words: described.words });
      }
    }
  }
  return kept;
}

/** The typed fields a login form of an ended session carried, under their own names again. */
export function unprefixKeptFields(body: unknown): RawForm {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(toRawForm(body))) {
    if (name.startsWith(KEPT_PREFIX) && name.length > KEPT_PREFIX.length)
      kept[name.slice(KEPT_PREFIX.length)] = typeof value === 'string' ? value : [...value];
  }
  return kept;
}

/** The app's field labels and chosen values' words in the page's language (field-labels.ts). */
function labelsFor(res: Response, action: string): KeptFieldDescriber {
  const t = res.locals.t as Translate | undefined;
  const locale = (res.locals.locale as Locale | undefined) ?? 'sv';
  const labeller = fieldLabellerOf(res.app);
  if (t === undefined) return BY_NAME;
  return { label: (name) => labeller.label(name, action, t), value: (name, value) => labeller.value(name, action, value, t, locale) };
}

/** Renders views/errors/not-saved.ejs with the given status. */
export async function renderKeptInput(res: Response, input: KeptInput): Promise<void> {
  const t = res.locals.t as Translate | undefined;
  const heading = input.heading ?? t?.('errors.notSavedTitle') ?? 'Nothing was saved';
  await renderPage(
    res,
    'errors/not-saved',
    {
      title: heading,
      heading,
      reason: input.reason,
      action: safeLocalPath(input.action),
      fields: keptFields(input.fields, '', input.action, labelsFor(res, input.action)),
      button: input.button ?? t?.('errors.retrySave') ?? 'Try saving again',
      link: input.link,
      login: undefined,
      holdsTypedInput: true,
    },
    input.status,
  );
}

/**
 * The page for a form posted after its session ended: the reason, the login form, and every typed field, all in
 * one form that posts to RESUME_PATH. Without a password form (single sign-on only) the typed fields post straight
 * to where they were going, after the user has logged in in another tab.
 */
export async function renderEndedSession(res: Response, input: KeptInput & { readonly login: EndedSessionLogin }): Promise<void> {
  const t = res.locals.t as Translate;
  const heading = t('auth.resumeTitle');
  const { passwordForm } = input.login;
  await renderPage(
    res,
    'errors/not-saved',
    {
      title: heading,
      heading,
      reason: input.reason,
      action: passwordForm ? RESUME_PATH : safeLocalPath(input.action),
      resumeTarget: safeLocalPath(input.action),
      fields: keptFields(input.fields, passwordForm ? KEPT_PREFIX : '', input.action, labelsFor(res, input.action)),
      button: t(passwordForm ? 'auth.resumeButton' : 'auth.saveButton'),
      link: input.login.signOnUrl ? { href: input.login.signOnUrl, text: t('auth.resumeSignOnLink') } : undefined,
      login: input.login,
      form: input.login.form,
      holdsTypedInput: true,
    },
    input.status,
  );
}

/** A form posted by a user whose session had ended: raised by the user middleware (absolute limit, user gone). */
export class SessionEndedError extends Error {
  override name = 'SessionEndedError';
  readonly limit: 'idle' | 'absolute';
  /** The e-mail to fill in on the login form (emailToResume), or undefined to leave it empty. */
  readonly email: string | undefined;
  constructor(limit: 'idle' | 'absolute', email: string | undefined = undefined) {
    super(`session ended (${limit} limit)`);
    this.limit = limit;
    this.email = email;
  }
}

/**
 * The e-mail filled in on the login form of a session that reached its absolute limit: the server still holds that
 * session, and it was in use within the idle limit (the store drops it otherwise), so the person at the screen is
 * almost surely its owner, whose name the page they typed on showed. Only an active account's: a deactivated one
 * cannot log in. Never for an idle session (the store has dropped it, and with it whose it was: on a shared computer
 * that is the point) or a logout, and never from the request: a link or a form of someone else's could fill in any
 * address, to have a password typed under it.
 */
export function emailToResume(user: { readonly email: string; readonly active: boolean } | undefined): string | undefined {
  return user?.active ? user.email : undefined;
}

/**
 * Whether a post shows that it came from a page of this site (isThisSite: the Host, PUBLIC_URL, or a trusted proxy's
 * X-Forwarded-Host): its Origin is, or, without an Origin, its Referer is (our pages send it: Referrer-Policy
 * same-origin). sameOriginOnly lets a post with neither through (a client that is not a browser), but a page offering
 * its fields for a one-click save needs this proof.
 */
export function postedFromThisSite(req: Request): boolean {
  const source = req.get('origin') ?? req.get('referer');
  if (source === undefined || source === 'null') return false;
  try {
    return isThisSite(req, new URL(source));
  } catch {
    return false;
  }
}

/** Forms of the login itself, the logout and the setup: an expired one of those is refused as before. */
const SIGN_IN_FORMS = /^\/(?:login(?:\/(?:mfa|oidc)(?:\/.*)?)?|logout|setup)\/?$/;

/**
 * Mounted right after the CSRF check. A form of ours (it carries a token) refused because its session ended, idle
 * or at the absolute limit or by a logout in another tab, is answered 401 with the login form and everything typed;
 * one posted by a user logged in again since (the token of an ended session) gets what was typed back with a fresh
 * token, 403. Nothing of the form is stored: the page is the only copy. Any other error goes on to the error handler.
 */
export function keepInputOfEndedSession(options: {
  readonly idleMinutes: number;
  readonly absoluteHours: number;
  readonly passwordForm: boolean;
  readonly signOn: boolean;
  readonly exposeToken: RequestHandler;
}): ErrorRequestHandler {
  return async (error, req, res, next) => {
    const code = (error as { code?: unknown } | null)?.code;
    const ended = error instanceof SessionEndedError;
    if (!ended && code !== 'EBADCSRFTOKEN') return next(error);
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (req.method !== 'POST' || typeof token !== 'string' || token === '' || SIGN_IN_FORMS.test(req.path) || res.headersSent)
      return next(error);
    // Not shown to be from a page of this site: refused like a form from another site, without its fields.
    if (!postedFromThisSite(req)) return next(ended ? new ForbiddenError('errors.csrfText') : error);
    // Raised before the user middleware set these (SessionEndedError), or with a session that changed under the page.
    if (!('user' in res.locals)) res.locals.user = req.user;
    if (!('nav' in res.locals)) res.locals.nav = { canAdminUsers: false, canResearch: false };
    options.exposeToken(req, res, () => undefined);
    const resuming = req.path === RESUME_PATH;
    const fields = resuming ? unprefixKeptFields(req.body) : toRawForm(req.body);
    const action = resuming ? resumeTargetOf(req) : req.originalUrl;
    if (req.user) {
      await renderKeptInput(res, {
        status: 403,
        reason: req.t('auth.formFromEndedSession'),
        action,
        fields,
        button: req.t('auth.saveButton'),
      });
      return;
    }
    // Only the absolute limit is known for certain; an idle timeout, a logout in another tab and a changed session
    // secret all look the same here (no session), so the message names them as examples, not as the cause.
    const reason =
      ended && error.limit === 'absolute'
        ? req.t('auth.sessionEndedAbsolute', { hours: options.absoluteHours })
        : req.t('auth.sessionEndedIdle', { minutes: options.idleMinutes });
    await renderEndedSession(res, {
      status: 401,
      reason,
      action,
      fields,
      login: {
        passwordForm: options.passwordForm,
        signOnUrl: options.signOn ? `/login/oidc?next=${encodeURIComponent(safeLocalPath(action))}` : undefined,
        form: createFormView(
          resuming ? { email: String(toRawForm(req.body).email ?? '') } : ended && error.email !== undefined ? { email: error.email } : {},
        ),
      },
    });
  };
}

/** The address a login form of an ended session carried: a local path, or the start page. */
export function resumeTargetOf(req: Request): string {
  const target = toRawForm(req.body)[RESUME_TARGET_FIELD];
  return safeLocalPath(typeof target === 'string' ? target : undefined);
}
