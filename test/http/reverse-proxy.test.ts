// The app behind reverse proxies as municipalities run them: one that does not pass the browser's Host header on
// (Apache without ProxyPreserveHost, IIS with ARR, nginx without proxy_set_header Host), one the app is not told to
// trust, and the settings that say what the proxy cannot.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/app.js';
import { createTestUser, extractCsrfToken, makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

/** What the app sees of the browser's request behind a proxy that sends its own upstream address as Host. */
const UPSTREAM_HOST = '127.0.0.1:4701';
const SITE = 'https://fidelity.example.se';

function sessionCookieOf(response: request.Response): string {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0] ?? '';
}

function loggedInUserIds(db: TestApp['db']): number[] {
  return (db.prepare('SELECT user_id FROM sessions WHERE user_id IS NOT NULL').all() as { user_id: number }[]).map((row) => row.user_id);
}

function warnings(logs: readonly string[]): { msg: string; [field: string]: unknown }[] {
  return logs.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((line) => line.level === 'warn');
}

/** A login through the proxy: the login page, then the form posted with its cookie and token, as a browser would. */
async function loginThroughProxy(
  testApp: TestApp,
  email: string,
  headers: Readonly<Record<string, string>>,
  origin = SITE,
): Promise<request.Response> {
  const page = await request(testApp.app).get('/login').set(headers);
  return request(testApp.app)
    .post('/login')
    .set(headers)
    .set('Origin', origin)
    .set('Cookie', sessionCookieOf(page))
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), email, password: TEST_PASSWORD });
}

const HOST_REWRITTEN = { Host: UPSTREAM_HOST, 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };

describe('a proxy that does not pass the browser’s Host header on', () => {
  it('when PUBLIC_URL is not set and nothing else names the site, then the login is refused (403) and one warning names the Origin and the Host', async () => {
    const testApp = makeTestApp({ config: { secureCookies: true, trustProxy: 1 } });
    const user = await createTestUser(testApp.db, ['reviewer']);
    const refused = await loginThroughProxy(testApp, user.email, HOST_REWRITTEN);
    expect(refused.status).toBe(403);
    expect(loggedInUserIds(testApp.db)).toEqual([]);
    const lines = warnings(testApp.logs).filter((line) => line.msg.startsWith('A form was refused'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ origin: SITE, host: UPSTREAM_HOST });
    expect(lines[0]?.msg).toContain(`its Origin ${SITE} is not this site's address (Host ${UPSTREAM_HOST}, PUBLIC_URL not set)`);
    expect(lines[0]?.msg).toContain('set PUBLIC_URL to that address');
    // Host names and fixed words: not the e-mail typed, the password, the token or the cookie.
    const log = testApp.logs.join('\n');
    expect(log).not.toContain(user.email);
    expect(log).not.toContain(TEST_PASSWORD);
    expect(log).not.toContain(SESSION_COOKIE);
  });

  it('when PUBLIC_URL is the address people use, then its Origin is this site and the login goes through (303)', async () => {
    const testApp = makeTestApp({ config: { secureCookies: true, trustProxy: 1, publicUrl: SITE } });
    const user = await createTestUser(testApp.db, ['reviewer']);
    const login = await loginThroughProxy(testApp, user.email, HOST_REWRITTEN);
    expect(login.status).toBe(303);
    expect(loggedInUserIds(testApp.db)).toEqual([user.id]);
    expect(testApp.logs.join('\n')).not.toContain('A form was refused');
  });

  it('when PUBLIC_URL is set, then a form from another site, or from this one over plain HTTP, is still refused', async () => {
    const testApp = makeTestApp({ config: { secureCookies: true, trustProxy: 1, publicUrl: SITE } });
    const user = await createTestUser(testApp.db, ['reviewer']);
    expect((await loginThroughProxy(testApp, user.email, HOST_REWRITTEN, 'https://evil.example')).status).toBe(403);
    expect((await loginThroughProxy(testApp, user.email, HOST_REWRITTEN, 'http://fidelity.example.se')).status).toBe(403);
    expect((await loginThroughProxy(testApp, user.email, HOST_REWRITTEN, 'null')).status).toBe(403);
    expect(loggedInUserIds(testApp.db)).toEqual([]);
    const lines = warnings(testApp.logs).filter((line) => line.msg.startsWith('A form was refused'));
    expect(lines.map((line) => line.origin)).toEqual(['https://evil.example', 'http://fidelity.example.se', 'null']);
    expect(lines[1]?.msg).toContain('is this site over plain HTTP');
  });

  it('when the trusted proxy sends X-Forwarded-Host, then that is this site too; from a proxy not trusted it counts for nothing', async () => {
    const trusted = makeTestApp({ config: { secureCookies: true, trustProxy: 1 } });
    const user = await createTestUser(trusted.db, ['reviewer']);
    const forwarded = { ...HOST_REWRITTEN, 'X-Forwarded-Host': 'fidelity.example.se' };
    expect((await loginThroughProxy(trusted, user.email, forwarded)).status).toBe(303);
    expect(loggedInUserIds(trusted.db)).toEqual([user.id]);

    // Without TRUST_PROXY (and so, plain HTTP cookies), whoever sends X-Forwarded-Host cannot name the site with it.
    const untrusted = makeTestApp({ config: { trustProxy: false } });
    const other = await createTestUser(untrusted.db, ['reviewer']);
    const refused = await loginThroughProxy(
      untrusted,
      other.email,
      { Host: UPSTREAM_HOST, 'X-Forwarded-Host': 'fidelity.example.se' },
      'http://fidelity.example.se',
    );
    expect(refused.status).toBe(403);
    expect(loggedInUserIds(untrusted.db)).toEqual([]);
    const line = warnings(untrusted.logs).find((warning) => warning.msg.startsWith('A form was refused'));
    expect(line?.msg).toContain('X-Forwarded-Host fidelity.example.se not used as TRUST_PROXY does not trust the proxy');
  });

  it('when a form of an ended session is posted through the proxy, then it comes back with what was typed (401), as without a proxy', async () => {
    const testApp = makeTestApp({ config: { secureCookies: true, trustProxy: 1, publicUrl: SITE } });
    const answer = await request(testApp.app)
      .post('/municipalities')
      .set(HOST_REWRITTEN)
      .set('Origin', SITE)
      .type('form')
      .send({ _csrf: 'a-token-of-a-session-that-ended', name: 'Typed before the session ended' });
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('Typed before the session ended');
  });

  it('when a posted form’s page comes back, then its language switch leads to the page the form was on', async () => {
    const testApp = makeTestApp({ config: { secureCookies: true, trustProxy: 1, publicUrl: SITE } });
    const page = await request(testApp.app).get('/login?next=%2Freviews').set(HOST_REWRITTEN);
    const refused = await request(testApp.app)
      .post('/login?next=%2Freviews')
      .set(HOST_REWRITTEN)
      .set('Origin', SITE)
      .set('Referer', `${SITE}/login?next=%2Freviews`)
      .set('Cookie', sessionCookieOf(page))
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: 'nobody@example.org', password: 'not the password at all' });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain(`/language/en?next=${encodeURIComponent('/login?next=%2Freviews')}`);
  });
});

describe('a proxy the app is not told to trust', () => {
  it('when forwarded headers arrive and TRUST_PROXY is not set, then the log says once, with what to set', async () => {
    const { app, logs } = makeTestApp({ config: { trustProxy: false } });
    await request(app).get('/login');
    expect(warnings(logs)).toEqual([]);
    await request(app).get('/login').set('X-Forwarded-For', '203.0.113.7');
    await request(app).get('/login').set('X-Forwarded-Proto', 'https');
    await request(app).get('/login').set('X-Forwarded-For', '203.0.113.8');
    const lines = warnings(logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(
      /^Requests come through a reverse proxy at \S+ \(X-Forwarded-For or X-Forwarded-Proto\), but TRUST_PROXY is not set/,
    );
    expect(lines[0]?.msg).toContain('LOGIN_MAX_FAILURES_PER_IP failed logins by anyone lock everyone out (429)');
    expect(lines[0]?.msg).toContain('TRUST_PROXY=loopback');
    // The proxy's address is said; the client's it forwarded is not.
    expect(logs.join('\n')).not.toContain('203.0.113');
  });

  it('when TRUST_PROXY names another address than the proxy’s, then the log says that once', async () => {
    const { app, logs } = makeTestApp({ config: { trustProxy: '10.0.0.0/8' } });
    await request(app).get('/login').set('X-Forwarded-For', '203.0.113.7');
    await request(app).get('/login').set('X-Forwarded-For', '203.0.113.7');
    const lines = warnings(logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toContain('but TRUST_PROXY does not name that address');
  });

  it('when the proxy is trusted, then nothing is said', async () => {
    const { app, logs } = makeTestApp({ config: { trustProxy: 1 } });
    await request(app).get('/login').set('X-Forwarded-For', '203.0.113.7').set('X-Forwarded-Proto', 'https');
    expect(warnings(logs)).toEqual([]);
  });
});

describe('PUBLIC_URL and SECURE_COOKIES', () => {
  it('when PUBLIC_URL is https but SECURE_COOKIES is off, then the app says so once as it starts', async () => {
    const { app, logs } = makeTestApp({ config: { publicUrl: SITE, secureCookies: false } });
    await request(app).get('/login');
    const lines = warnings(logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toContain(`PUBLIC_URL is ${SITE}, but SECURE_COOKIES is not true`);
    expect(warnings(makeTestApp({ config: { publicUrl: SITE, secureCookies: true } }).logs)).toEqual([]);
    expect(warnings(makeTestApp({ config: { publicUrl: 'http://localhost:3000', secureCookies: false } }).logs)).toEqual([]);
  });
});
