// A fresh app over a fresh in-memory database for every test: no shared rows, no mocks of our own code.
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { generateMfaKey, type MfaKey } from '../../src/accounts/mfa-key.js';
import type { Role } from '../../src/accounts/roles.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { hashPassword } from '../../src/accounts/passwords.js';
import { type AppConfig, createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { defaultHttpConfig } from '../../src/config.js';
import { createLogger, type LogLevel } from '../../src/http/logger.js';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase, openMemoryImage } from '../../src/db/open-database.js';
import { type LoadedRubric, loadRubricFile } from '../../src/rubrics/load-rubrics.js';
import type { RubricRegistry } from '../../src/rubrics/rubric-registry.js';
import { createReportPool } from '../../src/reports/report-renderer.js';
import { createSheetPool } from '../../src/scoring-sheet/scoring-sheet-renderer.js';
import { createServices, type Services, type ServicesOptions } from '../../src/services.js';
import { createActionStore } from '../../src/actions/action-store.js';
import { createOutcomeStore } from '../../src/outcomes/outcome-store.js';
import type { ProgramWorkSource } from '../../src/reports/report-data.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHIPPED_RUBRIC_FILE = `${ROOT}rubrics/bostad-forst.yaml`;
export const MINI_RUBRIC_FILE = `${ROOT}test/fixtures/rubrics/mini-five.yaml`;
/** Rubric bostad-forst as 1.1 shipped, before 2.0: for tests written against its items and figures. */
export const FROZEN_1_1_RUBRIC_FILE = `${ROOT}test/fixtures/rubrics/bostad-forst-1.1/bostad-forst.yaml`;
export const TEST_PASSWORD = 'correct horse battery staple';

/** Rubric files read once per test process: parsing and checking one cost a test about 18 ms, every time. */
const loadedRubricFiles = new Map<string, LoadedRubric>();

/** Freezes a parsed rubric all through, so a test whose code changed a shared one would fail at once. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function loadTestRubrics(files: readonly string[] = [SHIPPED_RUBRIC_FILE, MINI_RUBRIC_FILE]): RubricRegistry {
  return new Map(
    files.map((file) => {
      let loaded = loadedRubricFiles.get(file);
      if (!loaded) {
        loaded = deepFreeze(loadRubricFile(file));
        loadedRubricFiles.set(file, loaded);
      }
      return [loaded.rubric.id, loaded] as const;
    }),
  );
}

/** The image of a freshly migrated database, made once per test process. */
let migratedImage: Buffer | undefined;

/**
 * A new in-memory database at the current schema: a copy of one migrated once, which is what running every migration
 * would give (test/db/migrate.test.ts runs them for real). Copying takes a fraction of a millisecond; migrating, 20 ms.
 */
export function openTestDatabase(): Db {
  if (!migratedImage) {
    const db = openDatabase(':memory:');
    migrate(db);
    migratedImage = db.serialize();
    db.close();
  }
  return openMemoryImage(migratedImage);
}

export type TestApp = {
  readonly app: ReturnType<typeof createApp>;
  readonly db: Db;
  readonly rubrics: RubricRegistry;
  /** Every store the app uses, over the same database and clock (src/services.ts). */
  readonly services: Services;
  /** The log lines the app wrote, each one JSON object as text (JSON.parse it to read the fields). */
  readonly logs: string[];
  /** The app's own key for TOTP secrets, in memory only (no key file). */
  readonly mfaKey: MfaKey;
};

/**
 * The shared pools' workers stop after 10 s idle, none kept warm: long enough to carry a worker from one test or file to
 * the next (test:fast runs many files in one process), and no idle test process holds pdfkit and the fonts (about
 * 115 MB a worker) for long.
 */
const TEST_PDF_WORKERS = { keepWarm: 0, idleMs: 10_000 } as const;

/**
 * The PDF worker pools every test app shares, made on first use in each test process: starting a worker (tsx, pdfkit,
 * the fonts) and shaping its first report's words made a test app's first report 1.3 s slower than one from a warm
 * worker. Each app renders on a share of its own (sharePool, src/workers/worker-pool.ts), which closing its services
 * closes without stopping the pools.
 */
let sharedPdfPools: NonNullable<ServicesOptions['pdfPools']> | undefined;
function testPdfPools(): NonNullable<ServicesOptions['pdfPools']> {
  sharedPdfPools ??= { report: createReportPool(TEST_PDF_WORKERS), sheet: createSheetPool(TEST_PDF_WORKERS) };
  return sharedPdfPools;
}

/** The services over a test database (already migrated), with the test rubrics unless others are given, and a key of their own for TOTP secrets. */
export function makeTestServices(db: Db, rubrics: RubricRegistry = loadTestRubrics(), clock?: Clock): Services {
  return createServices(db, defaultHttpConfig({ passwordHashing: 'test' }), {
    rubrics,
    clock,
    pdfPools: testPdfPools(),
    mfaKey: generateMfaKey(),
  });
}

/** Where a report reads the program's own work from, over a test database (the app uses its services' stores). */
export function createProgramWorkReportSource(db: Db): ProgramWorkSource {
  return { actions: createActionStore(db), outcomes: createOutcomeStore(db) };
}

export function makeTestApp(
  overrides: {
    config?: Partial<AppConfig>;
    rubrics?: RubricRegistry;
    db?: Db;
    clock?: Clock;
    /** 'production': pools of the app's own that keep a worker warm, as the server's do (for the benchmarks). */
    pdfWorkers?: 'production';
    /** The key for TOTP secrets; by default one of the app's own, in memory. */
    mfaKey?: MfaKey;
    /** The lowest level of line kept in `logs`; info by default, as in production. */
    logLevel?: LogLevel;
  } = {},
): TestApp {
  const db = overrides.db ?? openTestDatabase();
  if (overrides.db) migrate(overrides.db);
  const rubrics = overrides.rubrics ?? loadTestRubrics();
  const logs: string[] = [];
  // Passwords hashed at argon2's floor (src/accounts/passwords.ts): the OWASP cost would be most of the suite's time.
  const config: AppConfig = {
    ...defaultHttpConfig({ passwordHashing: 'test' }),
    sessionSecret: 'test-secret-test-secret-test-secret-!!',
    ...overrides.config,
  };
  const logger = createLogger(
    { format: 'json', level: overrides.logLevel ?? 'info' },
    { destination: { write: (line: string) => logs.push(line.trimEnd()) } },
  );
  const pdfPools = overrides.pdfWorkers === 'production' ? undefined : testPdfPools();
  const mfaKey = overrides.mfaKey ?? generateMfaKey();
  const services = createServices(db, config, { rubrics, clock: overrides.clock, pdfPools, mfaKey });
  const app = createApp({ services, config, logger });
  return { app, db, rubrics, services, logs, mfaKey };
}

let userCounter = 0;

/** Creates a user directly in the store. Password hashing is real argon2id, at the cheap test cost. */
export async function createTestUser(
  db: Db,
  roles: readonly Role[],
  fields: { email?: string; displayName?: string; affiliation?: string } = {},
): Promise<{ id: number; email: string; password: string; displayName: string }> {
  userCounter += 1;
  const email = fields.email ?? `user${userCounter}-${roles.join('-') || 'none'}@example.org`;
  const displayName = fields.displayName ?? `Test User ${userCounter}`;
  const id = createUserStore(db).insertUser(
    {
      email,
      displayName,
      affiliation: fields.affiliation ?? 'Testkommun',
      passwordHash: await hashPassword(TEST_PASSWORD, 'test'),
      roles,
    },
    undefined,
  );
  return { id, email, password: TEST_PASSWORD, displayName };
}

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token of the first form on a page. */
export function extractCsrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A logged-in supertest agent (cookies kept between requests). */
export async function loginAgent(app: TestApp['app'], email: string, password = TEST_PASSWORD): Promise<Agent> {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const response = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), email, password });
  if (response.status !== 303) throw new Error(`login failed for ${email}: ${response.status}`);
  return agent;
}

/**
 * A refused form's page opens with its error summary (ux.md 5): the first thing after the h1, focused on load, and the
 * only one on the page, with a link to the field named (its id, `f-…`).
 */
export function expectErrorSummaryFirst(html: string, fieldId: string): void {
  const summary = /<\/h1>\s*<div class="error-summary" role="alert" tabindex="-1" autofocus>([\s\S]*?)<\/div>/.exec(html);
  if (!summary) throw new Error('the page does not open with an error summary under its h1');
  if (!summary[1]?.includes(`href="#${fieldId}"`)) throw new Error(`the error summary has no link to #${fieldId}: ${summary[1]}`);
  const misplaced = findMisplacedErrorSummary(html);
  if (misplaced) throw new Error(misplaced);
}

/**
 * What is wrong with where a page's error summary stands, if anything (ux.md 5): there is one at most, and it is the
 * first thing under the h1. A page without one passes.
 */
export function findMisplacedErrorSummary(html: string): string | undefined {
  const count = (html.match(/class="error-summary"/g) ?? []).length;
  if (count === 0) return undefined;
  if (count > 1) return `${count} error summaries on one page`;
  if (/<\/h1>\s*<div class="error-summary"/.test(html)) return undefined;
  const before = /<\/h1>([\s\S]*?)<div class="error-summary"/.exec(html)?.[1]?.replace(/\s+/g, ' ').trim().slice(0, 120);
  return `the error summary is not the first thing under the h1 (before it: ${before ?? 'no h1 above it'})`;
}

/** GETs a page and posts a form with that page's CSRF token. */
export async function postForm(
  agent: Agent,
  pagePath: string,
  actionPath: string,
  fields: Record<string, string | string[]>,
): Promise<request.Response> {
  const page = await agent.get(pagePath);
  return agent
    .post(actionPath)
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), ...fields });
}
