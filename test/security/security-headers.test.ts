// Every page, generated from the route table: the security headers are there, and no page holds anything the strict
// Content-Security-Policy would block (inline scripts, inline event handlers, style attributes), so the policy can
// stay strict without breaking a page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewRendererOf } from '../../src/http/view-renderer.js';
import { makeTestApp } from '../helpers/test-app.js';
import { listAppRoutes } from './route-table.js';
import {
  createSecurityFixture,
  inRollback,
  isReviewRoute,
  REVIEW_STATUSES,
  type SecurityFixture,
  sendAs,
  tryFillPath,
} from './security-fixture.js';

const ALL_GET = listAppRoutes(makeTestApp().app).filter((route) => route.method === 'GET');
const ROUTES = ALL_GET.filter((route) => !/\.(pdf|csv)$/.test(route.path));
const DOWNLOADS = ALL_GET.filter((route) => /\.(pdf|csv)$/.test(route.path));

describe('security headers and CSP-safe pages', { timeout: 120_000 }, () => {
  let fixture: SecurityFixture;
  beforeAll(async () => {
    fixture = await createSecurityFixture();
  }, 60_000);
  afterAll(() => fixture.close());

  it('sends a strict CSP and the other helmet headers on every page, and no page has inline script or style', async () => {
    const problems: string[] = [];
    let pages = 0;
    for (const route of ROUTES) {
      for (const status of isReviewRoute(route) ? REVIEW_STATUSES : [undefined]) {
        const path = tryFillPath(route, fixture, status);
        if (path === undefined) continue;
        for (const persona of [fixture.personas.anonymous, fixture.personas.admin, fixture.personas.lead]) {
          const response = await inRollback(fixture.db, () => sendAs(fixture, persona, 'GET', path));
          const where = `GET ${path} as ${persona.name}`;
          const csp = String(response.headers['content-security-policy'] ?? '');
          if (!/script-src 'self'(;|$)/.test(csp) || csp.includes('unsafe-inline') || !csp.includes("frame-ancestors 'none'")) {
            problems.push(`${where}: Content-Security-Policy is "${csp}"`);
          }
          if (response.headers['x-content-type-options'] !== 'nosniff') problems.push(`${where}: no X-Content-Type-Options: nosniff`);
          if (response.headers['referrer-policy'] !== 'same-origin')
            problems.push(`${where}: Referrer-Policy is ${response.headers['referrer-policy']}`);
          if (response.headers['x-powered-by'] !== undefined) problems.push(`${where}: X-Powered-By is sent`);
          if (response.status !== 200 || !String(response.headers['content-type']).includes('html')) continue;
          pages++;
          // Pages hold a CSRF token and, once logged in, review data: no browser, proxy or back button may keep them.
          if (response.headers['cache-control'] !== 'no-store')
            problems.push(`${where}: Cache-Control is ${response.headers['cache-control']}`);
          if (response.headers.etag !== undefined) problems.push(`${where}: an ETag on a page that may not be stored`);
          const html = response.text;
          if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) problems.push(`${where}: an inline <script>`);
          if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) problems.push(`${where}: an inline event handler (on…=)`);
          if (/<[a-z][^>]*\sstyle\s*=/i.test(html) || /<style[\s>]/i.test(html)) problems.push(`${where}: inline style`);
        }
      }
    }
    expect(pages).toBeGreaterThan(30);
    expect(problems).toEqual([]);
    // Every page rendered above ran its templates in the fast form: none declares a variable named like a local.
    expect(viewRendererOf(fixture.app).slowTemplates()).toEqual([]);
  });

  it('sends every download (PDF, CSV, the audit logs) with no-store, so no shared PC or proxy keeps a copy', async () => {
    const problems: string[] = [];
    let downloads = 0;
    for (const route of DOWNLOADS) {
      for (const status of isReviewRoute(route) ? REVIEW_STATUSES : [undefined]) {
        const path = tryFillPath(route, fixture, status);
        if (path === undefined) continue;
        for (const persona of [fixture.personas.admin, fixture.personas.lead]) {
          const response = await inRollback(fixture.db, () => sendAs(fixture, persona, 'GET', path));
          if (response.status !== 200) continue;
          downloads++;
          if (!String(response.headers['cache-control']).includes('no-store'))
            problems.push(`GET ${path} as ${persona.name}: Cache-Control is ${response.headers['cache-control']}`);
        }
      }
    }
    // The audit log, the research exports, the reports and the scoring sheets.
    expect(downloads).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  it('lets the browser cache the stylesheet (it holds nothing private)', async () => {
    const response = await sendAs(fixture, fixture.personas.anonymous, 'GET', '/assets/app.css');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.headers.etag).toBeDefined();
  });
});
