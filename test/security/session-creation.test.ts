// Session rows are made only for visitors who need one: a page with a form (login, setup) starts a session for its
// CSRF token; 404s, redirects, static files and refused POSTs from a client without a cookie write nothing, so a
// client without cookies cannot fill the sessions table. Expired sessions are purged by later writes.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSetupStore } from '../../src/accounts/setup-store.js';
import { SESSION_COOKIE } from '../../src/app.js';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp, type TestApp, TEST_PASSWORD } from '../helpers/test-app.js';
import { createTestClock } from '../helpers/test-clock.js';

const countSessions = (db: TestApp['db']): number => (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;

function sessionCookieOf(response: request.Response): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
}

describe('session creation', () => {
  it('when a client without a cookie gets 404s, redirects, static files and refused POSTs, then no session row is written', async () => {
    const { app, db } = makeTestApp();
    await createTestUser(db, ['admin']);
    const requests: readonly (readonly ['get' | 'post', string])[] = [
      ['get', '/no-such-page'],
      ['get', '/reviews/999999'],
      ['get', '/'],
      ['get', '/municipalities'],
      ['get', '/language/en?next=/login'],
      ['get', '/assets/app.css'],
      ['get', '/assets/no-such-file.css'],
      ['post', '/login'],
      ['post', '/logout'],
      ['post', '/reviews'],
      ['post', '/no-such-page'],
    ];
    for (const [method, path] of requests) {
      // A fresh request each time: no cookie jar, like a scanner or a bot.
      const response = await request(app)
        [method](path)
        .type('form')
        .send(method === 'post' ? { email: 'x@example.org', password: 'y' } : {});
      expect(response.status, `${method.toUpperCase()} ${path}`).toBeLessThan(500);
      expect(sessionCookieOf(response), `${method.toUpperCase()} ${path} sets no session cookie`).toBeUndefined();
    }
    expect(countSessions(db)).toBe(0);
  });

  it('when a visitor without a cookie gets a page in English, then its language and login links work without a session', async () => {
    const { app, db } = makeTestApp();
    const notFound = await request(app).get('/no-such-page?lang=en');
    expect(notFound.status).toBe(404);
    expect(notFound.text).toContain('href="/language/sv?next=');
    expect(notFound.text).toContain('href="/login"');
    const switched = await request(app).get('/language/en?next=/login');
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe('/login');
    expect(countSessions(db)).toBe(0);
  });

  it('when a client opens the login page, then one session is started for its form, and its token logs in', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    expect(sessionCookieOf(page)).toBeDefined();
    expect(countSessions(db)).toBe(1);
    // A second visit keeps its session and token.
    const again = await agent.get('/login');
    expect(extractCsrfToken(again.text)).toBe(extractCsrfToken(page.text));
    expect(countSessions(db)).toBe(1);
    const login = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: TEST_PASSWORD });
    expect(login.status).toBe(303);
    expect(countSessions(db)).toBe(1);
    expect(db.prepare('SELECT user_id FROM sessions').get()).toEqual({ user_id: user.id });
  });

  it('when a client opens the one-time setup page, then a session is started for its form', async () => {
    const { app, db } = makeTestApp();
    const token = createSetupStore(db).issueSetupToken();
    expect((await request(app).get(`/setup?token=${token}`)).status).toBe(200);
    expect(countSessions(db)).toBe(1);
  });

  it('when a logged-in user gets a 404, then the page still has a working logout form', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const page = await agent.get('/no-such-page');
    expect(page.status).toBe(404);
    const logout = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text) });
    expect(logout.status).toBe(303);
    expect(countSessions(db)).toBe(0);
  });

  it('when sessions have expired, then a later session write purges them', async () => {
    const { app, db } = makeTestApp();
    const insert = db.prepare('INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)');
    insert.run('expired-1', '{"cookie":{}}', Date.now() - 1);
    insert.run('expired-2', '{"cookie":{},"userId":1}', Date.now() - 60_000);
    insert.run('alive', '{"cookie":{}}', Date.now() + 60_000);
    await request(app).get('/login');
    const sids = (db.prepare('SELECT sid FROM sessions').all() as { sid: string }[]).map((row) => row.sid);
    expect(sids).not.toContain('expired-1');
    expect(sids).not.toContain('expired-2');
    expect(sids).toContain('alive');
    expect(sids).toHaveLength(2);
  });
});

const countAnonymousSessions = (db: TestApp['db']): number =>
  (db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id IS NULL').get() as { n: number }).n;

/** The session id in a response's session cookie (its signed value), or undefined when it sets none. */
function sessionIdOf(response: request.Response): string | undefined {
  return sessionCookieOf(response)?.split(';')[0];
}

describe('sessions of visitors who have not logged in', () => {
  it('when 3,000 clients without a cookie open the login page, then at most 1,000 sessions are kept, and logging in still works under a new id', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    // A login form opened before the flood: its session is among the longest unused when the limit is reached.
    const early = request.agent(app);
    const earlyPage = await early.get('/login');
    // One listening server for the loop: what a scanner without cookies does, 3,000 times.
    const server = app.listen(0, '127.0.0.1');
    try {
      for (let i = 0; i < 3000; i++) {
        const response = await request(server).get('/login');
        expect(response.status).toBe(200);
      }
    } finally {
      server.close();
    }
    expect(countSessions(db)).toBe(1000);
    expect(countAnonymousSessions(db)).toBe(1000);

    // The early form's session went first: its post is the expired form of today ("reload and send again")...
    const stale = await early
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(earlyPage.text), email: user.email, password: TEST_PASSWORD });
    expect(stale.status).toBe(403);
    expect(stale.text).toContain('Formuläret hade gått ut');
    // ...and the reloaded form logs in, under a session id other than the form's.
    const reloaded = await early.get('/login');
    const formSid = sessionIdOf(reloaded);
    expect(formSid).toBeDefined();
    const login = await early
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(reloaded.text), email: user.email, password: TEST_PASSWORD });
    expect(login.status).toBe(303);
    expect(sessionIdOf(login)).toBeDefined();
    expect(sessionIdOf(login)).not.toBe(formSid);
    expect(db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(user.id)).toBe(1);
    expect((await early.get('/municipalities')).status).toBe(200);
  }, 120_000);

  it('when a login form has been open for 30 minutes, then it logs in; after an hour, it is the expired form and a reload logs in', async () => {
    const clock = createTestClock();
    const { app, db } = makeTestApp({ clock: clock.now });
    const user = await createTestUser(db, ['reviewer']);
    const send = (agent: ReturnType<typeof request.agent>, html: string) =>
      agent
        .post('/login')
        .type('form')
        .send({ _csrf: extractCsrfToken(html), email: user.email, password: TEST_PASSWORD });

    const patient = request.agent(app);
    const page = await patient.get('/login');
    clock.advance(30 * 60_000);
    expect((await send(patient, page.text)).status).toBe(303);

    const away = request.agent(app);
    const forgotten = await away.get('/login');
    const expiresAt = db.prepare('SELECT expires_at FROM sessions WHERE user_id IS NULL').pluck().get();
    expect(expiresAt).toBe(clock.now().getTime() + 60 * 60_000);
    clock.advance(60 * 60_000);
    const expired = await send(away, forgotten.text);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('Formuläret hade gått ut');
    expect((await send(away, (await away.get('/login')).text)).status).toBe(303);
  });
});
