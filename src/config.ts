// Configuration from environment variables, parsed once at startup. Defaults work out of the box.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const BooleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const MFA_KEY_BYTES = 32;

/**
 * The key that seals TOTP secrets at rest (src/accounts/totp-seal.ts): 32 random bytes written as base64 (standard or
 * url-safe) or as 64 hex digits, from MFA_KEY or the key file (src/accounts/mfa-key.ts). Held as a KeyObject, which
 * never prints its bytes, so a configuration logged by mistake does not carry it.
 */
export const MfaKeyTextSchema = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const bytes = /^[0-9a-f]{64}$/i.test(text)
      ? Buffer.from(text, 'hex')
      : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
        ? Buffer.from(text, 'base64')
        : undefined;
    if (bytes?.length !== MFA_KEY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message:
          'MFA_KEY must be 32 random bytes written as base64 (44 characters) or hex (64 digits); make one with: openssl rand -base64 32',
      });
      return z.NEVER;
    }
    return createSecretKey(bytes);
  });

export const MFA_KEY_FILE_NAME = 'mfa.key';

/**
 * The shipped rubrics, found from this file (src/config.ts, or dist/config.js in a build: both one level below the
 * installation folder, as the views are), so the default does not depend on the folder the server is started from.
 */
export const SHIPPED_RUBRICS_DIR = fileURLToPath(new URL('../rubrics', import.meta.url));

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_FILE: z.string().min(1).optional(),
  RUBRICS_DIR: z.string().min(1).default(SHIPPED_RUBRICS_DIR),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SECURE_COOKIES: BooleanFromEnv.default(false),
  TRUST_PROXY: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || isTrustProxyValue(value),
      'TRUST_PROXY must be true, false, a number of proxies, or a comma-separated list of addresses, subnets (10.0.0.0/8) and the names loopback, linklocal or uniquelocal',
    ),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  PUBLIC_URL: z.url().optional(),
  LOG_REQUESTS: BooleanFromEnv.optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  NODE_ENV: z.string().optional(),
  CONFLICT_RECIPROCAL_MONTHS: z.coerce.number().int().min(0).max(120).default(12),
  // Single sign-on (src/sign-on/) and local passwords as break-glass.
  OIDC_ISSUER_URL: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  OIDC_EMAIL_CLAIM: z.string().min(1).max(100).default('email'),
  OIDC_NAME_CLAIM: z.string().min(1).max(100).default('name'),
  /** The provider guarantees OIDC_EMAIL_CLAIM (when it is not `email`, whose email_verified is checked instead). */
  OIDC_TRUST_EMAIL_CLAIM: BooleanFromEnv.default(false),
  /** Development only: lets the issuer be plain http (a provider on this machine). */
  OIDC_ALLOW_INSECURE_HTTP: BooleanFromEnv.default(false),
  LOCAL_LOGIN: z.enum(['all', 'admins', 'off']).default('all'),
  LOCAL_ADMIN_MFA: z.enum(['required', 'optional']).default('required'),
  /** Test runs only: argon2 at its floor instead of the OWASP cost. Refused with NODE_ENV=production. */
  PASSWORD_HASH_COST: z.enum(['owasp', 'test']).default('owasp'),
  /** The key that seals TOTP secrets; unset, the key file mfa.key in DATA_DIR (made on first start). */
  MFA_KEY: MfaKeyTextSchema.optional(),
});

/** What the server needs before it has opened the database. */
export type Config = {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly rubricsDir: string;
  readonly sessionSecret: string | undefined;
  readonly publicUrl: string | undefined;
  /** The key that seals TOTP secrets, when MFA_KEY gives it; else it is read from (or made in) mfaKeyFile. */
  readonly mfaKey: KeyObject | undefined;
  /** DATA_DIR/mfa.key: never inside the database, which must not hold its own key. */
  readonly mfaKeyFile: string;
  readonly http: HttpConfig;
};

/** What createApp needs: no file paths, nothing it could read from the environment itself. */
export type HttpConfig = {
  /**
   * PUBLIC_URL without a trailing slash: the address people use, whose origin is this site's whatever Host header a
   * reverse proxy sends (src/http/site-address.ts). Undefined when not set.
   */
  readonly publicUrl: string | undefined;
  readonly secureCookies: boolean;
  /** Value for Express's 'trust proxy' setting (hops, 'loopback', a subnet list), or false. */
  readonly trustProxy: boolean | number | string;
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly logRequests: boolean;
  readonly viewCache: boolean;
  /** A reviewer whose municipality was reviewed by the program's municipality within this many months gets a warning. */
  readonly reciprocalReviewMonths: number;
  /** Failed logins for one account within loginWindowMs that lock it for loginLockMs. */
  readonly loginMaxFailures: number;
  /** Failed logins from one client address within loginWindowMs that lock the address for loginLockMs. */
  readonly loginMaxFailuresPerIp: number;
  readonly loginWindowMs: number;
  readonly loginLockMs: number;
  /** Who may log in with a password: everyone, administrators only (break-glass beside single sign-on), or nobody. */
  readonly localLogin: LocalLogin;
  /** Administrators who log in with a password must use a second factor (TOTP); they set it up right after the password. */
  readonly adminMfaRequired: boolean;
  /** OpenID Connect sign-in, when configured. */
  readonly oidc: OidcSettings | undefined;
  /** The argon2 cost of new password hashes: 'owasp' (19 MiB, 2 passes) always, but in tests. */
  readonly passwordHashing: PasswordHashing;
};

export type LocalLogin = 'all' | 'admins' | 'off';

/** The argon2 cost of new password hashes (src/accounts/passwords.ts): 'owasp' everywhere real passwords are kept; 'test' only for test runs (refused with NODE_ENV=production). */
export type PasswordHashing = 'owasp' | 'test';

export type OidcSettings = {
  readonly issuerUrl: string;
  readonly clientId: string;
  /** Undefined for a public client (PKCE only, no client authentication). */
  readonly clientSecret: string | undefined;
  readonly emailClaim: string;
  readonly nameClaim: string;
  /**
   * Another claim than `email` is trusted as the account's e-mail (OIDC_TRUST_EMAIL_CLAIM=true): email_verified
   * vouches only for `email`, so any other claim needs the operator's word that the provider guarantees it.
   */
  readonly trustEmailClaim: boolean;
  /** PUBLIC_URL + /login/oidc/callback: must be registered with the provider exactly. */
  readonly redirectUrl: string;
  /** PUBLIC_URL + /login: where the provider sends the browser after its own logout. */
  readonly postLogoutRedirectUrl: string;
  /** Plain-http issuer allowed (tests and development on loopback only). */
  readonly allowInsecureRequests: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // A variable set to nothing (PORT= in a unit file or shell) means "not set": PORT= would otherwise be port 0, a random one.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = EnvSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && e.PASSWORD_HASH_COST === 'test') {
    throw new ConfigError(
      "Invalid configuration: PASSWORD_HASH_COST=test is for test runs only and is refused with NODE_ENV=production (passwords would be hashed at a cost far below OWASP's); remove it.",
    );
  }
  const givenPublicUrl = parsePublicUrl(e.PUBLIC_URL);
  if (production && givenPublicUrl === undefined && (e.OIDC_ISSUER_URL !== undefined || e.OIDC_CLIENT_ID !== undefined)) {
    throw new ConfigError(
      `Invalid configuration: single sign-on (OIDC_ISSUER_URL) needs PUBLIC_URL with NODE_ENV=production: set it to the address people use (such as https://fidelity.kommun.se), from which the redirect URI registered at the provider is made ($PUBLIC_URL/login/oidc/callback). Unset, the provider would be sent http://localhost:${e.PORT}/login/oidc/callback.`,
    );
  }
  const publicUrl = givenPublicUrl ?? `http://localhost:${e.PORT}`;
  // Absolute from here on, so every message about the data folder names the folder it really tried.
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: e.DATABASE_FILE ?? join(dataDir, 'hf-fidelity.sqlite'),
    rubricsDir: resolve(e.RUBRICS_DIR),
    sessionSecret: e.SESSION_SECRET,
    publicUrl: givenPublicUrl,
    mfaKey: e.MFA_KEY,
    mfaKeyFile: join(dataDir, MFA_KEY_FILE_NAME),
    http: {
      publicUrl: givenPublicUrl,
      secureCookies: e.SECURE_COOKIES,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: e.SESSION_MAX_HOURS * 3_600_000,
      logRequests: e.LOG_REQUESTS ?? true,
      viewCache: production || e.NODE_ENV === undefined,
      reciprocalReviewMonths: e.CONFLICT_RECIPROCAL_MONTHS,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      loginWindowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
      loginLockMs: e.LOGIN_LOCK_MINUTES * 60_000,
      localLogin: e.LOCAL_LOGIN,
      adminMfaRequired: e.LOCAL_ADMIN_MFA === 'required',
      oidc: parseOidcSettings(e, publicUrl),
      passwordHashing: e.PASSWORD_HASH_COST,
    },
  };
}

function parseOidcSettings(e: z.infer<typeof EnvSchema>, publicUrl: string): OidcSettings | undefined {
  if (e.OIDC_ISSUER_URL === undefined && e.OIDC_CLIENT_ID === undefined) {
    if (e.LOCAL_LOGIN === 'off')
      throw new ConfigError('Invalid configuration: LOCAL_LOGIN=off needs single sign-on (OIDC_ISSUER_URL), or nobody could log in.');
    return undefined;
  }
  if (e.OIDC_ISSUER_URL === undefined || e.OIDC_CLIENT_ID === undefined) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER_URL and OIDC_CLIENT_ID are set together (or neither).');
  }
  if (!e.OIDC_ISSUER_URL.startsWith('https://') && !e.OIDC_ALLOW_INSECURE_HTTP) {
    throw new ConfigError(
      'Invalid configuration: OIDC_ISSUER_URL must be https:// (OIDC_ALLOW_INSECURE_HTTP=true is for development only).',
    );
  }
  const trustEmailClaim = e.OIDC_EMAIL_CLAIM !== 'email' && e.OIDC_TRUST_EMAIL_CLAIM;
  if (e.OIDC_EMAIL_CLAIM !== 'email' && !trustEmailClaim) {
    throw new ConfigError(
      `Invalid configuration: OIDC_EMAIL_CLAIM=${e.OIDC_EMAIL_CLAIM} is not verified by the provider's email_verified, which vouches only for the email claim. ` +
        "Set OIDC_TRUST_EMAIL_CLAIM=true only if the provider guarantees that claim is the person's own address (see docs/operations.md).",
    );
  }
  return {
    issuerUrl: e.OIDC_ISSUER_URL,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    emailClaim: e.OIDC_EMAIL_CLAIM,
    nameClaim: e.OIDC_NAME_CLAIM,
    trustEmailClaim,
    redirectUrl: `${publicUrl}/login/oidc/callback`,
    postLogoutRedirectUrl: `${publicUrl}/login`,
    allowInsecureRequests: e.OIDC_ALLOW_INSECURE_HTTP,
  };
}

/**
 * PUBLIC_URL without its trailing slash, refused when it is not a site's own address: the app's pages, forms and
 * redirects use paths from the root (/login, /reviews/12), so it cannot be served under a sub-path of another site.
 */
function parsePublicUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`Invalid configuration: PUBLIC_URL must start with https:// (or http://), not ${url.protocol}//.`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `Invalid configuration: PUBLIC_URL must be a site's address with no path (such as https://fidelity.kommun.se), not ${value}: ` +
        "hf-fidelity's pages link to paths from the root of the site (/login, /reviews), so it cannot be served under a sub-path. " +
        'Give it a host name (or sub-domain) of its own, such as https://hf-fidelity.intra.kommun.se (docs/operations.md#reverse-proxy-nginx-with-tls).',
    );
  }
  return url.origin;
}

/**
 * Settings that work together badly without stopping the server, each as one line for the log (createApp writes
 * them once): an https PUBLIC_URL whose session cookie is not marked Secure.
 */
export function listHttpConfigWarnings(http: HttpConfig): string[] {
  const warnings: string[] = [];
  if (http.publicUrl?.startsWith('https://') && !http.secureCookies) {
    warnings.push(
      `PUBLIC_URL is ${http.publicUrl}, but SECURE_COOKIES is not true: the session cookie is not marked Secure and no HSTS is sent, so a browser may send the session over plain HTTP. Set SECURE_COOKIES=true, with TRUST_PROXY for the proxy that ends TLS (docs/operations.md#reverse-proxy-nginx-with-tls).`,
    );
  }
  return warnings;
}

/** What Express's `trust proxy` accepts (proxy-addr): true, false, a hop count, or addresses, subnets and names. */
function isTrustProxyValue(value: string): boolean {
  if (value === '' || value === 'true' || value === 'false' || /^\d+$/.test(value)) return true;
  return value.split(',').every((part) => {
    const item = part.trim();
    if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) return true;
    const [address = '', prefix, extra] = item.split('/');
    if (extra !== undefined || isIP(address) === 0) return false;
    return prefix === undefined || /^\d{1,3}$/.test(prefix) || isIP(prefix) === 4;
  });
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Settings for tests and tools that build an app without a server. */
export function defaultHttpConfig(overrides: Partial<HttpConfig> = {}): HttpConfig {
  return {
    publicUrl: undefined,
    secureCookies: false,
    trustProxy: false,
    sessionIdleMs: 120 * 60_000,
    sessionAbsoluteMs: 12 * 3_600_000,
    logRequests: false,
    viewCache: true,
    reciprocalReviewMonths: 12,
    loginMaxFailures: 5,
    loginMaxFailuresPerIp: 20,
    loginWindowMs: 15 * 60_000,
    loginLockMs: 15 * 60_000,
    localLogin: 'all',
    // Off here, on in production (LOCAL_ADMIN_MFA=required): tests of other areas log administrators in with a password
    // alone; the MFA tests (test/accounts/mfa-*.test.ts) turn it on.
    adminMfaRequired: false,
    oidc: undefined,
    // The OWASP cost unless asked otherwise: makeTestApp (test/helpers/test-app.ts) asks for 'test'.
    passwordHashing: 'owasp',
    ...overrides,
  };
}
