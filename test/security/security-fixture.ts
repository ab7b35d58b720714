// One seeded app shared by the access matrix and the form fuzz test: a municipality with a program, a review in each
// status, a logged-in session (cookie and CSRF token) for every persona, and an account that admins can edit.
// Every request runs inside a SAVEPOINT that is rolled back afterwards (see sendInRollback), so each request meets
// exactly this state however many forms the tests post, and only one login per persona is needed.
import { createHash } from 'node:crypto';
import { Agent, createServer, type Server } from 'node:http';
import request from 'supertest';
import { hashPassword } from '../../src/accounts/passwords.js';
import type { Role } from '../../src/accounts/roles.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import type { Db } from '../../src/db/open-database.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import type { ReviewStatus } from '../../src/reviews/review-types.js';
import { listIndicators, type Rubric } from '../../src/rubrics/rubric-schema.js';
import { extractCsrfToken, makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';
import { type ProgramWorkSeed, seedProgramWork } from './program-security-seed.js';
import { type AppRoute, listRouteParams } from './route-table.js';

export const PERSONAS = ['anonymous', 'admin', 'coordinator', 'lead', 'rater', 'outsider', 'programLead', 'researcher'] as const;
export type PersonaName = (typeof PERSONAS)[number];

export const REVIEW_STATUSES: readonly ReviewStatus[] = ['draft', 'rating', 'consensus', 'final'];

/** Who each persona is. `lead` and `rater` are on the panel of every review; `outsider` is a reviewer on none. */
const PERSONA_ROLES: Readonly<Record<Exclude<PersonaName, 'anonymous'>, readonly Role[]>> = {
  admin: ['admin'],
  coordinator: ['coordinator'],
  lead: ['reviewer'],
  rater: ['reviewer'],
  outsider: ['reviewer'],
  programLead: ['program_lead'],
  researcher: ['researcher'],
};

export type Persona = {
  readonly name: PersonaName;
  readonly userId: number | undefined;
  /** The Cookie header of the persona's session. */
  readonly cookie: string;
  readonly csrfToken: string;
};

export type SecurityFixture = TestApp & {
  readonly personas: Readonly<Record<PersonaName, Persona>>;
  readonly municipalityCode: string;
  readonly programId: number;
  readonly reviewIds: Readonly<Record<ReviewStatus, number>>;
  readonly rubric: Rubric;
  readonly sectionId: string;
  readonly indicatorId: string;
  /** An account that is no persona, for the user administration pages. */
  readonly subjectUserId: number;
  /** A conflict of interest an administrator declared for the subject account. */
  readonly conflictId: number;
  /** The program's own work: the program-lead persona leads the program; see security-seed.ts. */
  readonly programWork: ProgramWorkSeed;
  /**
   * The app listening on loopback, for sendAs: given the app, supertest would bind a new server for every request,
   * a seventh of the fuzz test's time.
   */
  readonly server: Server;
  /**
   * Connections to the server kept open between requests (supertest would open one per request): pass to a request's
   * .agent(), as sendAs does.
   */
  readonly connections: Agent;
  /** Stops the server and its connections; the tests call it in afterAll. */
  close(): Promise<void>;
};

async function logIn(app: TestApp['app'], email: string | undefined): Promise<{ cookie: string; csrfToken: string }> {
  const page = await request(app).get('/login');
  let cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  if (email !== undefined) {
    const login = await request(app)
      .post('/login')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email, password: TEST_PASSWORD });
    if (login.status !== 303) throw new Error(`fixture login failed for ${email}: ${login.status}`);
    cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  }
  // The login page of an anonymous visitor and the start page of a user both carry the session's CSRF token.
  const page2 = await request(app)
    .get(email === undefined ? '/login' : '/')
    .set('Cookie', cookie);
  return { cookie, csrfToken: extractCsrfToken(page2.text) };
}

export async function createSecurityFixture(): Promise<SecurityFixture> {
  const testApp = makeTestApp();
  const { db, rubrics } = testApp;
  const users = createUserStore(db);
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  // One argon2 hash for everyone: hashing is the slow part of creating users.
  const passwordHash = await hashPassword(TEST_PASSWORD, 'test');

  const ids: Partial<Record<PersonaName, number>> = {};
  for (const [name, roles] of Object.entries(PERSONA_ROLES) as [Exclude<PersonaName, 'anonymous'>, readonly Role[]][]) {
    ids[name] = users.insertUser(
      {
        email: `${name.toLowerCase()}@security.example`,
        displayName: `Persona ${name}`,
        affiliation: 'Testorganisation',
        passwordHash,
        roles,
      },
      undefined,
    );
  }
  const subjectUserId = users.insertUser(
    {
      email: 'subject@security.example',
      displayName: 'Subject Person',
      affiliation: '',
      passwordHash,
      roles: ['reviewer'],
    },
    undefined,
  );
  const need = (name: PersonaName): number => {
    const id = ids[name];
    if (id === undefined) throw new Error(`no user for ${name}`);
    return id;
  };

  const municipalityCode = '0180';
  const municipalityId = municipalities.insertMunicipality({ code: municipalityCode, name: 'Stockholm' });
  const programId = municipalities.insertProgram({
    municipalityId,
    name: 'Bostad först Stockholm',
    supportProvider: 'Stadsmissionen',
    housingPartners: 'Svenska Bostäder',
    supportModel: 'icm',
    startDate: '2020-01-01',
  });
  const loaded = rubrics.get('bostad-forst');
  if (!loaded) throw new Error('the shipped rubric is missing');
  const rubric = loaded.rubric;
  const indicators = listIndicators(rubric);

  const reviewIds: Partial<Record<ReviewStatus, number>> = {};
  for (const status of REVIEW_STATUSES) {
    const id = reviews.insertReview({
      programId,
      rubric: loaded,
      kind: 'peer_review',
      visitStart: '2026-03-02',
      visitEnd: '2026-03-03',
      createdBy: need('coordinator'),
    });
    reviews.setPanelMember(id, need('lead'), 'lead');
    reviews.setPanelMember(id, need('rater'), 'reviewer');
    reviewIds[status] = id;
    if (status === 'draft') continue;
    if (!reviews.transition(id, 'draft', 'rating')) throw new Error('could not start rating');
    if (status === 'rating') continue;
    for (const rater of [need('lead'), need('rater')]) {
      reviews.saveRatings(
        id,
        rater,
        indicators.map(({ indicator }) => ({
          indicatorId: indicator.id,
          score: indicator.scale.max,
          notApplicable: false,
          evidence: [],
          note: '',
        })),
      );
      if (
        reviews.submitRatings(
          id,
          rater,
          indicators.map(({ indicator }) => indicator.id),
        ) !== 'submitted'
      )
        throw new Error('submit failed');
    }
    if (!reviews.transition(id, 'rating', 'consensus')) throw new Error('could not start consensus');
    if (status === 'consensus') continue;
    for (const { indicator } of indicators) {
      reviews.saveConsensus(
        id,
        { indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false, rationale: '' },
        need('lead'),
      );
    }
    if (!reviews.transition(id, 'consensus', 'final')) throw new Error('could not finalise');
  }

  const conflictId = createConflictStore(db).insertDeclaredConflict(
    { userId: subjectUserId, municipalityId, provider: undefined, reason: 'Anställd i kommunen till 2025.' },
    need('admin'),
  );

  const programWork = seedProgramWork(db, reviews, loaded, {
    programId,
    programLead: need('programLead'),
    admin: need('admin'),
    coordinator: need('coordinator'),
    lead: need('lead'),
    rater: need('rater'),
    shareWithReviewId: reviewIds.draft ?? 0,
  });

  const personas = {} as Record<PersonaName, Persona>;
  for (const name of PERSONAS) {
    const session = await logIn(testApp.app, name === 'anonymous' ? undefined : `${name.toLowerCase()}@security.example`);
    personas[name] = { name, userId: ids[name], ...session };
  }

  const firstSection = rubric.sections[0];
  const firstIndicator = indicators[0];
  if (!firstSection || !firstIndicator) throw new Error('the rubric has no indicators');
  const server = createServer(testApp.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connections = new Agent({ keepAlive: true });
  return {
    ...testApp,
    server,
    connections,
    close: () => {
      connections.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
    personas,
    municipalityCode,
    programId,
    reviewIds: reviewIds as Record<ReviewStatus, number>,
    rubric,
    sectionId: firstSection.id,
    indicatorId: firstIndicator.indicator.id,
    subjectUserId,
    conflictId,
    programWork,
  };
}

/**
 * The value for each route parameter, by the path segment before it. A new parameter needs a line here: the error
 * thrown below says which.
 */
const PARAM_VALUES: Readonly<Record<string, (f: SecurityFixture, status: ReviewStatus) => string>> = {
  'municipalities/:code': (f) => f.municipalityCode,
  'programs/:id': (f) => String(f.programId),
  'reviews/:id': (f, status) => String(f.reviewIds[status]),
  'users/:id': (f) => String(f.subjectUserId),
  'rate/:sectionId': (f) => f.sectionId,
  'consensus/:indicatorId': (f) => f.indicatorId,
  'consensus/:sectionId': (f) => f.sectionId,
  'result/:sectionId': (f) => f.sectionId,
  'language/:locale': () => 'en',
  'conflicts/:id': (f) => String(f.conflictId),
  // The fixture has no research import: an unknown id still shows who passes the role check (404) and who not (403).
  'imports/:id': () => '999999',
  'self-assessments/:id': (f) => String(f.programWork.selfAssessmentId),
  'actions/:id': (f) => String(f.programWork.actionId),
  'outcomes/:id': (f) => String(f.programWork.outcomePeriodId),
  'readiness/:rubricId': () => 'bostad-forst',
  'sections/:sectionId': (f) => f.sectionId,
};

/** fillPath, or undefined for a route with a parameter the fixture has no value for (the access matrix reports those). */
export function tryFillPath(route: AppRoute, fixture: SecurityFixture, status: ReviewStatus = 'final'): string | undefined {
  try {
    return fillPath(route, fixture, status);
  } catch {
    return undefined;
  }
}

/** Whether the route names a review, so that it is tried once per review status. */
export function isReviewRoute(route: AppRoute): boolean {
  return /\/reviews\/:id(\/|$)/.test(route.path);
}

/** The route's path with fixture ids for its parameters. */
export function fillPath(route: AppRoute, fixture: SecurityFixture, status: ReviewStatus = 'final'): string {
  listRouteParams(route.path);
  return route.path.replace(/([^/]+)\/:(\w+)/g, (_match, segment: string, param: string) => {
    const value = PARAM_VALUES[`${segment}/:${param}`];
    if (!value) {
      throw new Error(
        `${route.key}: no fixture value for the parameter :${param} after "${segment}/". ` +
          `Add a line '${segment}/:${param}': (f) => …, to PARAM_VALUES in test/security/security-fixture.ts.`,
      );
    }
    return `${segment}/${encodeURIComponent(value(fixture, status))}`;
  });
}

export type FormBody = string | Readonly<Record<string, string | readonly string[]>>;

/** A urlencoded body: repeated fields for arrays, in the order given. Raw strings are sent as they are. */
export function encodeForm(fields: FormBody): string {
  if (typeof fields === 'string') return fields;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of typeof value === 'string' ? [value] : value) params.append(name, item);
  }
  return params.toString();
}

/** Sends one request as a persona, with its session and (for POST, unless withToken is false) its CSRF token. */
export function sendAs(
  fixture: SecurityFixture,
  persona: Persona,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: FormBody; withToken?: boolean } = {},
): request.Test {
  if (method === 'GET') return request(fixture.server).get(path).agent(fixture.connections).set('Cookie', persona.cookie).redirects(0);
  const token = options.withToken === false ? '' : `_csrf=${encodeURIComponent(persona.csrfToken)}`;
  const rest = options.body === undefined ? '' : encodeForm(options.body);
  const body = [token, rest].filter((part) => part !== '').join('&');
  return request(fixture.server).post(path).agent(fixture.connections).set('Cookie', persona.cookie).type('form').send(body).redirects(0);
}

/**
 * Runs `work` inside a SAVEPOINT and rolls it back afterwards, so the next request sees the seeded state again.
 * Routes' own db.transaction() calls nest inside it as savepoints of their own. `work` gets to look at the database
 * before the rollback.
 */
export async function inRollback<T>(db: Db, work: () => Promise<T>): Promise<T> {
  db.exec('SAVEPOINT security_test');
  try {
    return await work();
  } finally {
    db.exec('ROLLBACK TO security_test');
    db.exec('RELEASE security_test');
  }
}

/**
 * Tables that change on any request and hold no data a form could damage: sessions (touched on every request), the
 * failed-login counters (a refused login is meant to count), and the audit log's "who is acting" scratch row.
 */
export const HOUSEKEEPING_TABLES: ReadonlySet<string> = new Set(['sessions', 'login_attempts', 'audit_actor']);

/** The database as a test compares it later: the hash of its rows, and how many writes watchWrites had counted. */
export type DatabaseSnapshot = { readonly hash: string; readonly writes: number };

/** Where watchWrites counts. */
const WRITE_COUNTER = 'temp.security_test_writes';

/**
 * Counts every insert, update and delete on the tables hashDatabase reads, with TEMP triggers (this connection only,
 * gone with it; the app's own triggers and its statements' change counts are untouched). Rows change only through
 * such statements (a REPLACE's implicit delete comes with its insert, a cascade fires the child table's triggers), so
 * no count since a snapshot means no change, and isUnchanged reads the rows only after a write. The fuzz test asks
 * after each of some 2,000 refused requests: reading every row took 5.5 ms a time, a third of the test. The counter
 * sits in the same transaction as the rows, so a rollback takes back its count with the writes.
 */
export function watchWrites(db: Db): void {
  db.exec(
    `CREATE TEMP TABLE IF NOT EXISTS security_test_writes (n INTEGER NOT NULL); INSERT INTO ${WRITE_COUNTER} SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ${WRITE_COUNTER})`,
  );
  for (const table of listHashedTables(db)) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      // Table names come from sqlite_master, not from input.
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS "security_test_${event}_${table}" AFTER ${event} ON main."${table}" BEGIN UPDATE ${WRITE_COUNTER} SET n = n + 1; END`,
      );
    }
  }
}

function countWrites(db: Db): number {
  return (db.prepare(`SELECT n FROM ${WRITE_COUNTER}`).pluck().get() as number | undefined) ?? Number.NaN;
}

/** The database now; watched with watchWrites first, isUnchanged then reads the rows only after a write. */
export function snapshotDatabase(db: Db): DatabaseSnapshot {
  watchWrites(db);
  return { hash: hashDatabase(db), writes: countWrites(db) };
}

/** Whether every row of every table but the housekeeping ones is as it was at the snapshot. */
export function isUnchanged(db: Db, snapshot: DatabaseSnapshot): boolean {
  return countWrites(db) === snapshot.writes || hashDatabase(db) === snapshot.hash;
}

function listHashedTables(db: Db): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
  )
    .map((row) => row.name)
    .filter((name) => !HOUSEKEEPING_TABLES.has(name));
}

/** A hash of every row of every table but the housekeeping ones: equal hashes mean an unchanged database. */
export function hashDatabase(db: Db): string {
  const tables = listHashedTables(db);
  const hash = createHash('sha256');
  for (const table of tables) {
    // Table names come from sqlite_master, not from input; WITHOUT ROWID tables have no rowid, so rows are sorted here.
    const rows = db
      .prepare(`SELECT * FROM "${table}"`)
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
    hash.update(`${table}\n${rows.join('\n')}\n`);
  }
  return hash.digest('hex');
}
