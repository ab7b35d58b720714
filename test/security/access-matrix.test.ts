// The access-control matrix, generated from the app's own route table: every GET and POST route is requested as an
// anonymous visitor and as each persona, once per review status for routes under /reviews/:id, and the outcome is
// held to EXPECTED_ACCESS (expected-access.ts). A route that is not in the table fails here, with the line to add, so
// a new route cannot be forgotten. POSTs carry the persona's valid CSRF token and a minimal body: the point is the
// access decision, not success, so a 422 counts as access granted. Every request is rolled back (security-fixture.ts).
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewStatus } from '../../src/reviews/review-types.js';
import { makeTestApp } from '../helpers/test-app.js';
import { ACCESS_BODIES, ACCESS_QUERIES, EXPECTED_ACCESS, EXTRA_ACCESS_CHECKS, findExpectedRow } from './expected-access.js';
import { type AppRoute, listAppRoutes } from './route-table.js';
import {
  createSecurityFixture,
  fillPath,
  isUnchanged,
  snapshotDatabase,
  inRollback,
  isReviewRoute,
  PERSONAS,
  REVIEW_STATUSES,
  type SecurityFixture,
  sendAs,
} from './security-fixture.js';

// Read at collection time from a throwaway app, so each route gets a test of its own.
const ROUTES = listAppRoutes(makeTestApp().app);

function classify(response: request.Response): string {
  const location = String(response.headers.location ?? '');
  if (response.status === 303 && /^\/login(\?|$)/.test(location)) return 'L';
  if ((response.status >= 200 && response.status < 400) || response.status === 422) return 'Y';
  if (response.status === 403) return 'F';
  if (response.status === 404) return 'N';
  if (response.status === 409) return 'C';
  return `<${response.status}>`;
}

async function observeRow(
  fixture: SecurityFixture,
  route: AppRoute,
  status: ReviewStatus | undefined,
  query = ACCESS_QUERIES[route.key] ?? '',
): Promise<string> {
  const path = `${fillPath(route, fixture, status)}${query}`;
  const body = ACCESS_BODIES[route.key]?.(fixture, status ?? 'final');
  const letters: string[] = [];
  for (const name of PERSONAS) {
    const response = await inRollback(fixture.db, () => sendAs(fixture, fixture.personas[name], route.method, path, body ? { body } : {}));
    letters.push(classify(response));
  }
  return letters.join(' ');
}

function describeLineToAdd(route: AppRoute, rows: ReadonlyMap<ReviewStatus | undefined, string>): string {
  const line = isReviewRoute(route)
    ? `'${route.key}': { ${REVIEW_STATUSES.map((status) => `${status}: '${rows.get(status)}'`).join(', ')} },`
    : `'${route.key}': '${rows.get(undefined)}',`;
  return (
    `The route ${route.key} is not in the access table. Add this line to EXPECTED_ACCESS in ` +
    `test/security/expected-access.ts, after checking each letter (it is what the app does now, not necessarily what ` +
    `it should do; the order is ${PERSONAS.join(' ')}):\n  ${line}`
  );
}

describe('access matrix (every route × every persona)', { timeout: 120_000 }, () => {
  let fixture: SecurityFixture;
  beforeAll(async () => {
    fixture = await createSecurityFixture();
  }, 60_000);
  afterAll(() => fixture.close());

  it('finds the routes through the router stack, nested routers included', () => {
    const keys = ROUTES.map((route) => route.key);
    expect(keys).toContain('GET /login');
    expect(keys).toContain('POST /reviews/:id/rate/:sectionId');
    expect(keys).toContain('GET /reviews/:id/result');
    expect(ROUTES.length).toBeGreaterThanOrEqual(40);
  });

  it('has no line for a route that no longer exists', () => {
    const stale = Object.keys(EXPECTED_ACCESS).filter((key) => !ROUTES.some((route) => route.key === key));
    expect(stale, 'remove these lines from EXPECTED_ACCESS in test/security/expected-access.ts').toEqual([]);
  });

  for (const route of ROUTES) {
    it(`${route.key}: ${PERSONAS.join(' ')}`, async () => {
      const statuses: readonly (ReviewStatus | undefined)[] = isReviewRoute(route) ? REVIEW_STATUSES : [undefined];
      const observed = new Map<ReviewStatus | undefined, string>();
      for (const status of statuses) observed.set(status, await observeRow(fixture, route, status));
      if (EXPECTED_ACCESS[route.key] === undefined) expect.fail(describeLineToAdd(route, observed));
      for (const status of statuses) {
        expect(observed.get(status), `${route.key}${status ? ` (review ${status})` : ''}`).toBe(findExpectedRow(route.key, status));
      }
    });
  }

  for (const check of EXTRA_ACCESS_CHECKS) {
    it(`${check.key}${check.query}: ${check.why}`, async () => {
      const route = ROUTES.find((r) => r.key === check.key);
      if (!route) expect.fail(`${check.key} is gone: remove its entry from EXTRA_ACCESS_CHECKS in test/security/expected-access.ts`);
      for (const status of isReviewRoute(route) ? REVIEW_STATUSES : [undefined]) {
        const expected = typeof check.expect === 'string' ? check.expect : check.expect[status ?? 'final'];
        expect(
          await observeRow(fixture, route, status, check.query),
          `${check.key}${check.query}${status ? ` (review ${status})` : ''}`,
        ).toBe(expected);
      }
    });
  }

  it('refuses every POST without a CSRF token with 403, anonymous or logged in, and changes nothing', async () => {
    const before = snapshotDatabase(fixture.db);
    const problems: string[] = [];
    for (const route of ROUTES.filter((r) => r.method === 'POST')) {
      const path = fillPath(route, fixture, 'rating');
      for (const persona of [fixture.personas.anonymous, fixture.personas.admin, fixture.personas.lead]) {
        await inRollback(fixture.db, async () => {
          const response = await sendAs(fixture, persona, 'POST', path, {
            body: ACCESS_BODIES[route.key]?.(fixture, 'rating') ?? {},
            withToken: false,
          });
          if (response.status !== 403) problems.push(`${route.key} as ${persona.name}: ${response.status}`);
          if (!isUnchanged(fixture.db, before)) problems.push(`${route.key} as ${persona.name}: the database changed`);
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses a POST from another site (Origin check) even with a valid token', async () => {
    const admin = fixture.personas.admin;
    const response = await inRollback(fixture.db, () =>
      sendAs(fixture, admin, 'POST', '/municipalities/new', { body: { code: '0127', name: 'Botkyrka' } }).set(
        'Origin',
        'https://evil.example',
      ),
    );
    expect(response.status).toBe(403);
  });
});
