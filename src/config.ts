// Configuration from environment variables, parsed once at startup. Defaults work out of the box.
import { join } from 'node:path';
import { z } from 'zod';

const BooleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_FILE: z.string().min(1).optional(),
  RUBRICS_DIR: z.string().min(1).default('./rubrics'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SECURE_COOKIES: BooleanFromEnv.default(false),
  TRUST_PROXY: z.string().optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  PUBLIC_URL: z.url().optional(),
  LOG_REQUESTS: BooleanFromEnv.optional(),
  NODE_ENV: z.string().optional(),
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
  readonly http: HttpConfig;
};

/** What createApp needs: no file paths, nothing it could read from the environment itself. */
export type HttpConfig = {
  readonly secureCookies: boolean;
  /** Value for Express's 'trust proxy' setting (hops, 'loopback', a subnet list), or false. */
  readonly trustProxy: boolean | number | string;
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly logRequests: boolean;
  readonly viewCache: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseFile: e.DATABASE_FILE ?? join(e.DATA_DIR, 'hf-fidelity.sqlite'),
    rubricsDir: e.RUBRICS_DIR,
    sessionSecret: e.SESSION_SECRET,
    publicUrl: e.PUBLIC_URL,
    http: {
      secureCookies: e.SECURE_COOKIES,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: e.SESSION_MAX_HOURS * 3_600_000,
      logRequests: e.LOG_REQUESTS ?? true,
      viewCache: production || e.NODE_ENV === undefined,
    },
  };
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Settings for tests and tools that build an app without a server. */
export function defaultHttpConfig(overrides: Partial<HttpConfig> = {}): HttpConfig {
  return {
    secureCookies: false,
    trustProxy: false,
    sessionIdleMs: 120 * 60_000,
    sessionAbsoluteMs: 12 * 3_600_000,
    logRequests: false,
    viewCache: true,
    ...overrides,
  };
}
