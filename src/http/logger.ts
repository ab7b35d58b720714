// Structured logs (pino): one JSON object a line on stdout, or readable text in development (LOG_FORMAT=pretty).
// The server and each command that logs create one logger and pass it on; nothing here keeps a logger of its own.
import { createRequire } from 'node:module';
import type { Request } from 'express';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { z } from 'zod';
import { ConfigError } from '../config.js';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';
export type LogConfig = { readonly format: LogFormat; readonly level: LogLevel };

export const DEFAULT_LOG_CONFIG: LogConfig = { format: 'json', level: 'info' };

const LogEnvSchema = z.object({
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/** LOG_FORMAT and LOG_LEVEL from the environment; a bad value stops the start with a clear message. */
export function loadLogConfig(env: NodeJS.ProcessEnv = process.env): LogConfig {
  // As in loadConfig: a variable set to nothing means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = LogEnvSchema.safeParse(given);
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  return { format: parsed.data.LOG_FORMAT, level: parsed.data.LOG_LEVEL };
}

/**
 * Belt and braces: no code logs headers or bodies, but should a request or response object ever reach a log
 * line, its cookies and credentials are censored, and so are fields named like secrets.
 */
const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'password',
  'token',
  'idToken',
  'secret',
  '_csrf',
  '*.password',
  '*.token',
  '*.idToken',
  '*.secret',
  '*._csrf',
];

/** An error as a log field: its name, code, message and stack, never its other properties (a parser's error carries the body). */
function serializeError(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const error = value as { name?: unknown; type?: unknown; code?: unknown; message?: unknown; stack?: unknown };
  const type = typeof error.name === 'string' ? error.name : typeof error.type === 'string' ? error.type : 'Error';
  return {
    type,
    ...(typeof error.code === 'string' || typeof error.code === 'number' ? { code: error.code } : {}),
    message: typeof error.message === 'string' ? error.message : String(value),
    ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
  };
}

/** The longest path a log line shows. */
const MAX_LOGGED_PATH = 300;

/** The path of a request without its query string, which may hold tokens. */
function pathOf(req: { originalUrl?: string; url?: string }): string {
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The path of a request without its query string, cut short for a log line. */
function routeOf(req: { originalUrl?: string; url?: string }): string {
  return pathOf(req).slice(0, MAX_LOGGED_PATH);
}

/** A record id: a personnummer or a date of birth has more digits than any id of this tool will reach. */
const RECORD_ID = /^\d{1,6}$/;

/** What stands in a logged path for a segment that may be something a person typed. */
export const MASKED_SEGMENT = ':x';

/**
 * The path with each segment that is neither a record id nor one of the app's own path words (the literal segments of
 * its routes and static files, listPathWords) replaced by ':x'. A word is kept only as the app spells it: a name in
 * lower case ("anna") looks like a route word, but the app has no such route.
 */
export function maskPath(path: string, pathWords: ReadonlySet<string>): string {
  return path
    .split('/')
    .map((segment) => (segment === '' || RECORD_ID.test(segment) || pathWords.has(segment) ? segment : MASKED_SEGMENT))
    .join('/');
}

/**
 * The path a log line shows for a request, never its query string. A route that answered logs its path as it is:
 * the route's own words and record ids. A path no route answered (nothing matched, or a route found no record for
 * it: a 404) is what someone typed, maybe a name, an e-mail address or a personnummer, so only its record ids and
 * the app's own path words are kept.
 */
export function loggedRouteOf(
  req: { route?: unknown; originalUrl?: string; url?: string },
  status: number,
  pathWords: ReadonlySet<string>,
): string {
  const answered = req.route !== undefined && status !== 404;
  return (answered ? pathOf(req) : maskPath(pathOf(req), pathWords)).slice(0, MAX_LOGGED_PATH);
}

export type CreateLoggerOptions = {
  /** Where the lines go instead of stdout (tests collect them). Only with LOG_FORMAT=json. */
  readonly destination?: DestinationStream | undefined;
  /** Finds pino-pretty; replaceable so a test can show the message when it is missing. */
  readonly resolveModule?: ((name: string) => string) | undefined;
};

export function createLogger(config: LogConfig = DEFAULT_LOG_CONFIG, options: CreateLoggerOptions = {}): Logger {
  const loggerOptions: LoggerOptions = {
    level: config.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"info" rather than 30: read by people as often as by machines.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      err: serializeError,
      req: (req: { method?: string; originalUrl?: string; url?: string }) => ({ method: req.method, route: routeOf(req) }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
    },
  };
  if (config.format === 'json') return options.destination ? pino(loggerOptions, options.destination) : pino(loggerOptions);
  // pino-pretty is a devDependency: looked for only when asked for, and missing in a production install.
  const resolve = options.resolveModule ?? ((name: string) => createRequire(import.meta.url).resolve(name));
  let target: string;
  try {
    target = resolve('pino-pretty');
  } catch {
    throw new ConfigError(
      'LOG_FORMAT=pretty needs the package pino-pretty, a development dependency that is not installed here. ' +
        'Install the development dependencies (npm install), or use LOG_FORMAT=json (the default).',
    );
  }
  return pino({ ...loggerOptions, transport: { target, options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
}

/**
 * Security events, each on a line of its own with an `event` field (documented in docs/operations.md, "Logs").
 * The MFA and single sign-on events are declared here for src/accounts and src/sign-on to use.
 */
export type SecurityEvent =
  | 'login_succeeded'
  | 'login_failed'
  | 'login_locked'
  | 'logout'
  | 'setup_completed'
  | 'password_changed'
  | 'user_created'
  | 'role_changed'
  | 'account_deactivated'
  | 'account_reactivated'
  | 'password_set_by_admin'
  | 'mfa_enabled'
  | 'mfa_disabled'
  | 'mfa_succeeded'
  | 'mfa_failed'
  | 'mfa_locked'
  | 'mfa_clock_set_back'
  | 'mfa_recovery_code_used'
  | 'mfa_recovery_codes_renewed'
  | 'mfa_secret_unopenable'
  | 'oidc_failed';

const WARNING_EVENTS: ReadonlySet<SecurityEvent> = new Set([
  'login_failed',
  'login_locked',
  'mfa_failed',
  'mfa_locked',
  'mfa_clock_set_back',
  'oidc_failed',
]);

/** What an operator must mend, not what a user did: a stored second factor that does not open with this installation's key. */
const ERROR_EVENTS: ReadonlySet<SecurityEvent> = new Set(['mfa_secret_unopenable']);

/** What an event line may carry besides the event: ids and fixed words, never anything a person typed. */
export type SecurityEventFields = {
  /** The account the event is about (the one logging in, or the one an administrator changed). */
  readonly userId?: number | undefined;
  /** By what means: a password, single sign-on, a TOTP code or a recovery code. */
  readonly via?: 'password' | 'oidc' | 'totp' | 'recovery_code' | undefined;
  /** Why, as a fixed word ('wrong_password', 'unknown_account', 'expired', …). Anything else is replaced. */
  readonly reason?: string | undefined;
  /**
   * For a lock-out and a refusal while locked: which counter is locked, the account's (its e-mail's, or a user's
   * codes), the client address's, or both.
   */
  readonly lockedBy?: 'account' | 'address' | 'both' | undefined;
  readonly roles?: readonly string[] | undefined;
  readonly previousRoles?: readonly string[] | undefined;
};

const WORD = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A fixed word passes; anything else (which could be typed text) is replaced, so no free text reaches the log. */
function safeWord(value: string): string {
  return WORD.test(value) ? value : '[not-a-word]';
}

/**
 * Logs a security event through the request's logger (so the line carries the request id), with the client
 * address and, when someone else is logged in (an administrator changing an account), their id as actorId.
 */
export function logSecurityEvent(req: Request, event: SecurityEvent, fields: SecurityEventFields = {}): void {
  // Routers mounted outside createApp (a test of one router) have no request logger: then nothing is logged.
  const log: Logger | undefined = (req as Partial<Pick<Request, 'log'>>).log;
  if (!log) return;
  const actorId = req.user?.id;
  const line = {
    event,
    ...(fields.userId !== undefined ? { userId: fields.userId } : {}),
    ...(actorId !== undefined && actorId !== fields.userId ? { actorId } : {}),
    ...(fields.via !== undefined ? { via: fields.via } : {}),
    ...(fields.reason !== undefined ? { reason: safeWord(fields.reason) } : {}),
    ...(fields.lockedBy !== undefined ? { lockedBy: fields.lockedBy } : {}),
    ...(fields.roles !== undefined ? { roles: fields.roles.map(safeWord) } : {}),
    ...(fields.previousRoles !== undefined ? { previousRoles: fields.previousRoles.map(safeWord) } : {}),
    ip: req.ip,
  };
  if (ERROR_EVENTS.has(event)) log.error(line, `security: ${event}`);
  else if (WARNING_EVENTS.has(event)) log.warn(line, `security: ${event}`);
  else log.info(line, `security: ${event}`);
}
