// createApp builds the whole web app from its dependencies. It never listens and never reads the environment.
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';
import session from 'express-session';
import './http/types.js';
import { createAuthRouter, SECOND_FACTOR_PATHS, startPendingLogin } from './accounts/auth-routes.js';
import { createAccountPageRenderer, createAccountRouter } from './accounts/account-routes.js';
import { createMfaRouter } from './accounts/mfa-routes.js';
import { createOidcClient } from './sign-on/oidc-client.js';
import { createSignOnRouter } from './sign-on/sign-on-routes.js';
import { createLoginThrottle } from './accounts/login-throttle.js';
import { createAdminUserRouter } from './accounts/admin-user-routes.js';
import { hasAnyRole, hasRole } from './accounts/access.js';
import { type HttpConfig, listHttpConfigWarnings } from './config.js';
import { createHealthRouter } from './health/health-routes.js';
import { NotFoundError } from './errors.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { createDatabaseDamage } from './http/database-damage.js';
import { createLogger, type Logger } from './http/logger.js';
import { flashMiddleware } from './http/flash.js';
import { listPathWords, listStaticPaths } from './http/path-words.js';
import { guardByFirstSegment } from './http/router-guards.js';
import { LOCALE_COOKIE, localeMiddleware, safeLocalPath } from './http/locale-middleware.js';
import { requestLogger } from './http/request-logger.js';
import { createViewRenderer, useViewRenderer } from './http/view-renderer.js';
import { createFieldLabeller, useFieldLabeller } from './http/field-labels.js';
import { emailToResume, keepInputOfEndedSession, SessionEndedError } from './http/kept-input.js';
import { createCsrfTools, sameOriginOnly, securityHeaders } from './http/security.js';
import { trustsProxyOf, usePublicOrigin } from './http/site-address.js';
import { parseLocale } from './i18n/locale.js';
import { createHomeRouter } from './home/home-routes.js';
import { createMunicipalityRouter } from './municipalities/municipality-routes.js';
import { createReviewRouter } from './reviews/review-routes.js';
import { createReportRouter } from './reports/report-routes.js';
import { createDraftReports } from './reports/sent-draft.js';
import { createConflictRouter } from './conflicts/conflict-routes.js';
import { createAuditRouter } from './audit/audit-routes.js';
import { createResearchRouter, RESEARCH_ROLES } from './research/research-routes.js';
import { researchImportUpload } from './research/research-upload.js';
import { createActionRouter } from './actions/action-routes.js';
import { createLastRoundPart } from './actions/overview-part.js';
import { createProgramHomePart } from './home/program-home-part.js';
import { createOutcomeRouter } from './outcomes/outcome-routes.js';
import { createProgramOutcomesPart } from './outcomes/program-page-part.js';
import { isProgramLead as actsAsProgramLead } from './program-members/program-access.js';
import { createProgramWorkLinksPart } from './program-members/program-page-part.js';
import { createProgramMemberRouter } from './program-members/program-member-routes.js';
import { createReadinessRouter } from './readiness/readiness-routes.js';
import { createProgramReviewsPart } from './reviews/program-page-part.js';
import { scoringSheetOverviewPart } from './scoring-sheet/overview-part.js';
import { createScoringSheetRouter } from './scoring-sheet/scoring-sheet-routes.js';
import { createSharedSelfAssessmentsPart } from './self-assessment/overview-part.js';
import { createSelfAssessmentRouter } from './self-assessment/self-assessment-routes.js';
import type { Services } from './services.js';

export type AppConfig = HttpConfig & { readonly sessionSecret: string };

export type AppDependencies = {
  /** Every store, the rubric registry, the PDF pools and the clock (src/services.ts), built once by the caller. */
  readonly services: Services;
  readonly config: AppConfig;
  /** Where errors, request lines and security events go (created once by the server); JSON on stdout by default. */
  readonly logger?: Logger;
};

const VIEWS_DIR = fileURLToPath(new URL('../views', import.meta.url));
const ASSETS_DIR = fileURLToPath(new URL('../views/assets', import.meta.url));
const ASSETS_PATH = '/assets';
export const SESSION_COOKIE = 'hf.sid';

export function createApp({ services, config, logger = createLogger() }: AppDependencies): express.Express {
  const { db, clock, rubrics, users, setup, municipalities, reviews, transact } = services;
  const { members, selfAssessments, readiness, actions, outcomes } = services;
  // The program's leads answer the factual check of its reviews (pages of reviews and reports; the table is program-members').
  const isProgramLead = (programId: number, userId: number) => {
    const user = users.findUserById(userId);
    return user !== undefined && actsAsProgramLead({ user, role: members.findRole(programId, userId) });
  };
  // Second factors: read by the user middleware too, for administrators who must have one.
  const { mfa } = services;
  const now = () => clock().getTime();
  const csrf = createCsrfTools();

  const app = express();
  // The app's own path words, which a logged path no route answered may keep (src/http/path-words.ts): read from the
  // route table and the asset folder once, at the first line that needs them, when every route below is mounted.
  let pathWords: ReadonlySet<string> | undefined;
  const knownPathWords = () => {
    pathWords ??= listPathWords(app.router, listStaticPaths(ASSETS_PATH, ASSETS_DIR));
    return pathWords;
  };
  useViewRenderer(app, createViewRenderer({ viewsDir: VIEWS_DIR, cache: config.viewCache }));
  useFieldLabeller(app, createFieldLabeller(rubrics));
  app.set('trust proxy', config.trustProxy);
  usePublicOrigin(app, config.publicUrl);
  for (const warning of listHttpConfigWarnings(config)) logger.warn(warning);
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  // Pages are sent with Cache-Control: no-store (renderPage), so an ETag (a hash of every page) would buy nothing.
  app.set('etag', false);

  // Always first: every request gets its id (X-Request-Id) and req.log; LOG_REQUESTS=false only silences request lines.
  app.use(requestLogger(logger, { logRequests: config.logRequests, pathWords: knownPathWords }));
  app.use(securityHeaders(config.secureCookies));
  // Health probes answer before the session middleware: no session needed, none created. A damaged page any request
  // meets (noted by the error handler) makes the server not ready.
  const damage = createDatabaseDamage();
  app.use(
    createHealthRouter({
      health: services.health,
      damage,
      log: { warn: (line) => logger.warn(line), info: (line) => logger.info(line) },
    }),
  );
  app.use(ASSETS_PATH, express.static(ASSETS_DIR, { index: false, maxAge: '1h', fallthrough: true }));
  // Everything past the assets may hold personal data (pages, PDFs, CSV downloads): no browser or proxy keeps a copy,
  // whether or not its route remembers to say so.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(warnOfUntrustedProxy(logger));
  if (config.secureCookies) app.use(warnOfPlainHttp(logger));
  app.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 3000 }));
  app.use(
    session({
      name: SESSION_COOKIE,
      store: services.sessionStore,
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      // A browser-session cookie (no Max-Age): the idle limit is kept on the server, where the store moves a
      // session's expiry forward as it is used and refuses it once it has been idle for sessionIdleMs. So the
      // cookie needs no new signature and Set-Cookie on every response, and it is gone when the browser closes.
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies },
    }),
  );
  app.use(localeMiddleware());
  // Before the user middleware: a form posted from another site is refused before its session is looked at, so an
  // ended session never answers it with a page of its fields (kept-input.ts).
  app.use(sameOriginOnly(config.secureCookies));
  app.use((req, res, next) => {
    req.user = undefined;
    const userId = req.session.userId;
    if (userId !== undefined) {
      const tooOld = now() - (req.session.loggedInAt ?? 0) > config.sessionAbsoluteMs;
      const user = tooOld ? undefined : users.findUserById(userId);
      if (!user?.active) {
        // A form posted now keeps what was typed: a fresh, empty session, and the login form with the fields (below).
        if (req.method === 'POST') {
          const email = tooOld ? emailToResume(users.findUserById(userId)) : undefined;
          req.session.regenerate((error) => next(error ?? new SessionEndedError(tooOld ? 'absolute' : 'idle', email)));
          return;
        }
        req.session.destroy(() => res.redirect(303, `/login${tooOld ? '?reason=expired' : ''}`));
        return;
      }
      // An administrator who must have a second factor and has none, in a session that did not get it from the
      // provider (the role given while signed in, the factor removed by another administrator, a session from before
      // MFA): the session becomes a login waiting for that setup, as after a password, and nothing posted is done.
      if (
        config.adminMfaRequired &&
        hasRole(user, 'admin') &&
        req.session.signedInWith !== 'oidc' &&
        !(req.method === 'POST' && req.path === '/logout') &&
        !mfa.findTotp(user.id)
      ) {
        const pending = {
          userId: user.id,
          purpose: 'enrol',
          next: req.method === 'GET' ? safeLocalPath(req.originalUrl) : '/',
          at: now(),
        } as const;
        startPendingLogin(req, pending).then(() => res.redirect(303, SECOND_FACTOR_PATHS.enrol), next);
        return;
      }
      req.user = user;
    }
    res.locals.user = req.user;
    res.locals.nav = { canAdminUsers: hasRole(req.user, 'admin'), canResearch: hasAnyRole(req.user, ['researcher', 'coordinator']) };
    next();
  });
  app.use(flashMiddleware());
  // The research import's CSV file (multipart), read before the CSRF check so the check sees the form's token.
  app.use(researchImportUpload(RESEARCH_ROLES));
  // The token is put on the page before the check, so even the error page of a refused POST has a working logout form.
  app.use(csrf.exposeToken);
  app.use(csrf.protect);
  // A form posted after its session ended comes back with the login form and everything typed.
  app.use(
    keepInputOfEndedSession({
      idleMinutes: Math.round(config.sessionIdleMs / 60_000),
      absoluteHours: Math.round(config.sessionAbsoluteMs / 3_600_000),
      passwordForm: config.localLogin !== 'off',
      signOn: config.oidc !== undefined,
      exposeToken: csrf.exposeToken,
    }),
  );

  app.get('/language/:locale', (req, res) => {
    // Only a language the app has: anything else is what someone typed, answered 404 (and so masked in the log).
    const locale = parseLocale(req.params.locale);
    if (locale === undefined) throw new NotFoundError();
    res.cookie(LOCALE_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 365 * 86_400_000 });
    // Drop any ?lang= from the target so the cookie decides from now on.
    const target = safeLocalPath(req.query.next)
      .replace(/([?&])lang=(sv|en)(&|$)/, '$1')
      .replace(/[?&]$/, '');
    res.redirect(303, target || '/');
  });

  const throttle = createLoginThrottle(services.loginAttempts, config, now);
  // Sign-in: passwords with a second factor, single sign-on, and the account page.
  const oidc = config.oidc ? createOidcClient(config.oidc, clock) : undefined;
  const { localLogin, adminMfaRequired, passwordHashing } = config;
  const renderAccount = createAccountPageRenderer({ mfa, localLogin, adminMfaRequired });
  // Each capability router is tried only for the first path segments it answers (/reviews, /admin, …), so a page
  // does not walk every other capability's layers before its own (src/http/router-guards.ts).
  const useCapability = (router: express.Router) => app.use(guardByFirstSegment(router));
  useCapability(createAuthRouter({ users, setup, throttle, transact, mfa, localLogin, adminMfaRequired, oidc, clock, passwordHashing }));
  useCapability(createSignOnRouter({ users, oidc, clock }));
  useCapability(createMfaRouter({ users, mfa, throttle, adminMfaRequired, renderAccount, clock }));
  useCapability(
    createAccountRouter({
      db,
      users,
      mfa,
      throttle,
      sessions: services.sessionRevoker,
      localLogin,
      adminMfaRequired,
      renderAccount,
      clock,
      passwordHashing,
    }),
  );
  useCapability(
    createHomeRouter({
      reviews,
      describeHomePrograms: createProgramHomePart({ reviews, members, readiness, actions, rubrics, clock }),
    }),
  );
  useCapability(
    createAdminUserRouter({
      db,
      users,
      sessions: services.sessionRevoker,
      throttle,
      mfa,
      passwordHashing,
      // A lead who does not act as one (the account lacks Verksamhetsansvarig) is staff there: the page says so.
      programsOfUser: (userId) => {
        const user = users.findUserById(userId);
        return members.listProgramsOfUser(userId).map((program) => ({
          ...program,
          actsAsLead: user !== undefined && actsAsProgramLead({ user, role: program.role }),
        }));
      },
    }),
  );
  // The program's latest result, for every page that names the program (ux.md rule 9).
  const programReviewsPart = createProgramReviewsPart({ reviews, clock, isProgramLead });
  const latestResult = programReviewsPart.describeLatestResult;
  useCapability(
    createMunicipalityRouter({
      municipalities,
      rubrics,
      parts: {
        ...programReviewsPart,
        ...createProgramWorkLinksPart({ members, reviews }),
        ...createProgramOutcomesPart({ outcomes }),
      },
    }),
  );
  useCapability(
    createReviewRouter({
      reviews,
      users,
      municipalities,
      rubrics,
      conflicts: services.conflictChecker,
      reciprocalReviewMonths: config.reciprocalReviewMonths,
      transact,
      overviewParts: {
        ...createLastRoundPart({ reviews, actions, clock }),
        ...createSharedSelfAssessmentsPart({ reviews, selfAssessments }),
        ...scoringSheetOverviewPart,
      },
      isProgramLead,
      draftReports: createDraftReports({
        stores: { municipalities, reviews, programWork: { actions, outcomes } },
        renderer: services.reportRenderer,
      }),
      clock,
    }),
  );
  // (more capability routers are mounted here, one line each, with useCapability)
  // The program's own work: its people, self-assessments, readiness, action plan, outcomes and paper scoring sheets.
  useCapability(createProgramMemberRouter({ members, users, municipalities }));
  useCapability(createSelfAssessmentRouter({ selfAssessments, members, reviews, municipalities, rubrics, clock, latestResult }));
  useCapability(createReadinessRouter({ readiness, members, selfAssessments, reviews, municipalities, rubrics, clock, latestResult }));
  useCapability(createActionRouter({ actions, actionPlans: services.actionPlans, members, reviews, municipalities, clock, latestResult }));
  useCapability(createOutcomeRouter({ outcomes, members, municipalities, clock, latestResult }));
  useCapability(createScoringSheetRouter({ reviews, renderer: services.sheetRenderer }));
  useCapability(
    createReportRouter({ municipalities, reviews, programWork: { actions, outcomes }, renderer: services.reportRenderer, isProgramLead }),
  );
  useCapability(createResearchRouter({ research: services.research, researchImport: services.researchImport, rubrics }));
  useCapability(createConflictRouter({ conflicts: services.conflicts, users, municipalities }));
  useCapability(createAuditRouter({ audit: services.audit, reviews }));

  app.use(notFound());
  app.use(errorHandler(logger, now, knownPathWords, damage));
  return app;
}

/** A proxy on this machine, which TRUST_PROXY=loopback names. */
const LOOPBACK_ADDRESS = /^(127\.|::1$|::ffff:127\.)/;

/**
 * A reverse proxy the app does not trust (TRUST_PROXY unset, or naming another address) makes every client look like
 * the proxy: the failed logins of one person count against everyone's address, so LOGIN_MAX_FAILURES_PER_IP of them
 * lock the whole organisation out, and the security log shows only the proxy's address. Its forwarded headers give it
 * away: the first request with them is said once, with what to set.
 */
function warnOfUntrustedProxy(logger: Logger): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (!warned && (req.get('x-forwarded-for') !== undefined || req.get('x-forwarded-proto') !== undefined) && !trustsProxyOf(req)) {
      warned = true;
      // The peer is the proxy (an address of the organisation's own network), never a header someone could write.
      const proxy = req.socket.remoteAddress ?? 'unknown';
      const setting = req.app.get('trust proxy') === false ? 'TRUST_PROXY is not set' : 'TRUST_PROXY does not name that address';
      const named = LOOPBACK_ADDRESS.test(proxy) ? 'loopback' : proxy;
      logger.warn(
        { proxy },
        `Requests come through a reverse proxy at ${proxy} (X-Forwarded-For or X-Forwarded-Proto), but ${setting}: every client then looks like the proxy, so LOGIN_MAX_FAILURES_PER_IP failed logins by anyone lock everyone out (429), the security log shows only the proxy's address, and with SECURE_COOKIES=true no session cookie is sent. Set TRUST_PROXY=1 for one proxy in front, or to its address (TRUST_PROXY=${named}) (docs/operations.md#reverse-proxy-nginx-with-tls).`,
      );
    }
    next();
  };
}

/**
 * With SECURE_COOKIES the session cookie is never sent over plain HTTP, so a login over it fails as an expired form
 * with nothing in the log. The first such request (not a proxy-forwarded https one Express trusts) is said once: an
 * installation reached before its TLS proxy is set up, or a proxy TRUST_PROXY does not name.
 */
function warnOfPlainHttp(logger: Logger): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (!warned && !req.secure) {
      warned = true;
      logger.warn(
        `SECURE_COOKIES=true, but ${req.method} ${req.path} came over plain HTTP: browsers get no session cookie over it, so logins and forms fail. Serve the app over HTTPS, or set TRUST_PROXY to the proxy that ends TLS (docs/operations.md#reverse-proxy-nginx-with-tls).`,
      );
    }
    next();
  };
}
