// Cookie flags and the session id at login, in the three deployments that matter: plain HTTP (development),
// HTTPS behind a reverse proxy that the app trusts, and the misconfiguration of a proxy the app does not trust.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/app.js';
import { createTestUser, extractCsrfToken, makeTestApp, TEST_PASSWORD } from '../helpers/test-app.js';

function sessionCookieOf(response: request.Response): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
}

function sessionIdOf(cookie: string | undefined): string | undefined {
  const value = cookie?.split(';')[0]?.slice(SESSION_COOKIE.length + 1);
  // The cookie holds "s:<sid>.<signature>", URL-encoded.
  return value ? /^s:([^.]+)\./.exec(decodeURIComponent(value))?.[1] : undefined;
}

describe('the session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and not Secure on plain HTTP by default', async () => {
    const { app } = makeTestApp();
    const cookie = sessionCookieOf(await request(app).get('/login'));
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it('gets a new id at login: the id from before login is gone from the store and logs nobody in', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const page = await request(app).get('/login');
    const before = sessionCookieOf(page);
    const beforeId = sessionIdOf(before);
    expect(beforeId).toBeDefined();
    const login = await request(app)
      .post('/login')
      .set('Cookie', before?.split(';')[0] ?? '')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: TEST_PASSWORD });
    expect(login.status).toBe(303);
    const afterId = sessionIdOf(sessionCookieOf(login));
    expect(afterId).toBeDefined();
    expect(afterId).not.toBe(beforeId);
    expect(db.prepare('SELECT count(*) AS n FROM sessions WHERE sid = ?').get(beforeId)).toEqual({ n: 0 });
    // Someone who planted or saw the old cookie (session fixation) is still anonymous.
    const withOldCookie = await request(app)
      .get('/municipalities')
      .set('Cookie', before?.split(';')[0] ?? '');
    expect(withOldCookie.status).toBe(303);
    expect(withOldCookie.headers.location).toMatch(/^\/login/);
  });

  it('is Secure with SECURE_COOKIES behind a trusted proxy that forwards https, and then HSTS is sent too', async () => {
    const { app, db } = makeTestApp({ config: { secureCookies: true, trustProxy: 1 } });
    const user = await createTestUser(db, ['reviewer']);
    // supertest talks plain HTTP to the app, so its cookie jar would keep a Secure cookie to itself: send it by hand.
    const page = await request(app).get('/login').set('X-Forwarded-Proto', 'https');
    const cookie = sessionCookieOf(page);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    const login = await request(app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookie?.split(';')[0] ?? '')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: TEST_PASSWORD });
    expect(login.status).toBe(303);
    expect(sessionCookieOf(login)).toMatch(/; Secure/i);
    // Over HTTPS the Origin must be https too: a page on the same host over plain HTTP is not this site.
    const postFrom = async (origin: string) => {
      const form = await request(app).get('/login').set('Host', 'hf.example').set('X-Forwarded-Proto', 'https');
      return request(app)
        .post('/login')
        .set('Host', 'hf.example')
        .set('X-Forwarded-Proto', 'https')
        .set('Origin', origin)
        .set('Cookie', sessionCookieOf(form)?.split(';')[0] ?? '')
        .type('form')
        .send({ _csrf: extractCsrfToken(form.text), email: user.email, password: TEST_PASSWORD });
    };
    expect((await postFrom('http://hf.example')).status).toBe(403);
    expect((await postFrom('https://hf.example')).status).toBe(303);
    const language = await request(app).get('/language/en').set('X-Forwarded-Proto', 'https');
    expect((language.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('lang='))).toMatch(/; Secure/i);
  });

  it('is never sent over plain HTTP with SECURE_COOKIES, so a session cannot leak there (express-session withholds it)', async () => {
    const { app } = makeTestApp({ config: { secureCookies: true, trustProxy: 1 } });
    expect(sessionCookieOf(await request(app).get('/login'))).toBeUndefined();
    expect(sessionCookieOf(await request(app).get('/login').set('X-Forwarded-Proto', 'http'))).toBeUndefined();
  });

  it('is withheld when the proxy is not trusted: without TRUST_PROXY a forwarded https is ignored', async () => {
    const { app } = makeTestApp({ config: { secureCookies: true, trustProxy: false } });
    expect(sessionCookieOf(await request(app).get('/login').set('X-Forwarded-Proto', 'https'))).toBeUndefined();
  });

  it('when SECURE_COOKIES is on and a request comes over plain HTTP, then the log says once why logins will fail', async () => {
    const plain = makeTestApp({ config: { secureCookies: true, trustProxy: 1 } });
    await request(plain.app).get('/login');
    await request(plain.app).get('/login');
    const warnings = plain.logs.filter((line) => line.includes('SECURE_COOKIES=true, but'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('GET /login came over plain HTTP: browsers get no session cookie over it');
    const proxied = makeTestApp({ config: { secureCookies: true, trustProxy: 1 } });
    await request(proxied.app).get('/login').set('X-Forwarded-Proto', 'https');
    expect(proxied.logs.join('\n')).not.toContain('SECURE_COOKIES=true, but');
  });
});
