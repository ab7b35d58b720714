// JSON logs: every line a JSON object; request lines with id, user, method, route, status and time;
// security events as lines of their own; never a password, token, cookie or typed text in any line.
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { createSetupStore } from '../../src/accounts/setup-store.js';
import { ConfigError } from '../../src/config.js';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { createLogger, loadLogConfig, maskPath } from '../../src/http/logger.js';
import { listPathWords } from '../../src/http/path-words.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp, postForm, type TestApp } from '../helpers/test-app.js';
import { listAppRoutes } from '../security/route-table.js';

type LogLine = Record<string, unknown>;

/** Every captured line, parsed: JSON.parse throws on a line that is not JSON, failing the test. */
function parsed(t: Pick<TestApp, 'logs'>): LogLine[] {
  return t.logs.map((line) => JSON.parse(line) as LogLine);
}

const requestLines = (t: Pick<TestApp, 'logs'>) => parsed(t).filter((line) => typeof line.durationMs === 'number');
const events = (t: Pick<TestApp, 'logs'>, event: string) => parsed(t).filter((line) => line.event === event);

/** The request line is written when the response has gone out, which can be a moment after the client has it. */
async function waitForRequestLine(t: TestApp, route: string): Promise<LogLine> {
  return vi.waitFor(() => {
    const line = requestLines(t).find((candidate) => candidate.route === route);
    if (!line) throw new Error(`no request line for ${route} yet`);
    return line;
  });
}

async function postLogin(t: TestApp, email: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  return agent
    .post('/login')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), email, password });
}

describe('request lines', () => {
  it('when a page is requested, then one JSON line carries time, level, request id, method, route without the query, status and duration', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const response = await request(t.app).get('/login?next=%2Fsecret-place');
    expect(response.status).toBe(200);
    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = await waitForRequestLine(t, '/login');
    expect(line).toMatchObject({ level: 'info', reqId: id, method: 'GET', route: '/login', status: 200, msg: 'GET /login 200' });
    expect(Date.parse(String(line.time))).not.toBeNaN();
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(line.userId).toBeUndefined();
    expect(t.logs.join('\n')).not.toContain('secret-place');
  });

  it('when a health probe answers 200, then its request line is at debug, out of the info log', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    expect((await request(t.app).get('/healthz')).status).toBe(200);
    expect((await request(t.app).get('/readyz')).status).toBe(200);
    // A page after them: by the time its line is written, the probes' lines would have been.
    await request(t.app).get('/login');
    await waitForRequestLine(t, '/login');
    expect(requestLines(t).map((line) => line.route)).toEqual(['/login']);
  });

  it('when a readiness probe fails, then its request lines are at debug, and the reason is logged once as a warning', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    t.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    for (let i = 0; i < 3; i++) expect((await request(t.app).get('/readyz')).status).toBe(503);
    await request(t.app).get('/login');
    await waitForRequestLine(t, '/login');
    expect(requestLines(t).map((line) => line.route)).toEqual(['/login']);
    expect(parsed(t).filter((line) => String(line.msg).startsWith('readyz: not ready'))).toEqual([
      expect.objectContaining({ level: 'warn' }),
    ]);
    // Still there for whoever asks for debug lines.
    const debug = makeTestApp({ config: { logRequests: true }, logLevel: 'debug' });
    debug.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect((await request(debug.app).get('/readyz')).status).toBe(503);
    expect(await waitForRequestLine(debug, '/readyz')).toMatchObject({ level: 'debug', status: 503, msg: 'GET /readyz 503' });
  });

  it('when someone is logged in, then the request line carries their user id', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const user = await createTestUser(t.db, ['reviewer']);
    const agent = await loginAgent(t.app, user.email);
    await agent.get('/municipalities').expect(200);
    expect(await waitForRequestLine(t, '/municipalities')).toMatchObject({ userId: user.id, status: 200 });
  });

  it('when a proxy sends a short safe X-Request-Id, then it is kept and echoed; anything else is replaced by a new id', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const kept = await request(t.app).get('/login').set('X-Request-Id', 'nginx-4f2a.91');
    expect(kept.headers['x-request-id']).toBe('nginx-4f2a.91');
    expect(await waitForRequestLine(t, '/login')).toMatchObject({ reqId: 'nginx-4f2a.91' });
    for (const unsafe of ['a b', 'x'.repeat(65), '<script>', 'id"},"level":"fatal']) {
      const replaced = await request(t.app).get('/login').set('X-Request-Id', unsafe);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    await vi.waitFor(() => expect(requestLines(t)).toHaveLength(5));
    expect(t.logs.join('\n')).not.toContain('<script>');
  });

  it('when LOG_REQUESTS is off, then no request lines, but the id is still sent and events are still logged', async () => {
    const t = makeTestApp({ config: { logRequests: false } });
    const user = await createTestUser(t.db, ['reviewer']);
    const response = await postLogin(t, user.email, 'wrong password here');
    expect(response.status).toBe(401);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    expect(events(t, 'login_failed')).toHaveLength(1);
    expect(requestLines(t)).toEqual([]);
  });

  it('when a route throws, then the error is logged at error level with its stack and the request id', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const user = await createTestUser(t.db, ['reviewer']);
    const agent = await loginAgent(t.app, user.email);
    t.db.exec('DROP TABLE programs');
    const response = await agent.get('/municipalities');
    expect(response.status).toBe(500);
    const id = response.headers['x-request-id'];
    const failure = parsed(t).find((line) => line.err !== undefined);
    expect(failure).toMatchObject({ level: 'error', reqId: id, userId: user.id, method: 'GET', route: '/municipalities' });
    expect((failure?.err as { stack?: string } | undefined)?.stack).toMatch(/\n\s+at /);
    expect(await waitForRequestLine(t, '/municipalities')).toMatchObject({ level: 'error', status: 500, reqId: id });
  });
});

describe('the path of a request no route answered', () => {
  it('when a path holds an e-mail address and a personnummer, then its line shows ":x" for them, and never the query', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const typed = '/users/anna.svensson@kommun.se/19811218-9876';
    expect((await request(t.app).get(`${typed}?q=Anna%20Svensson`)).status).toBe(404);
    expect(await waitForRequestLine(t, '/users/:x/:x')).toMatchObject({ status: 404, msg: 'GET /users/:x/:x 404' });
    const everything = t.logs.join('\n');
    for (const typedPart of ['anna', 'kommun.se', '19811218', '9876', 'Svensson', 'q=']) expect(everything).not.toContain(typedPart);
  });

  it('when a path matches a route that finds no record for it, then it is shown the same way; a record id stays', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const admin = await createTestUser(t.db, ['admin']);
    const agent = await loginAgent(t.app, admin.email);
    await agent.get('/municipalities/anna.svensson%40kommun.se').expect(404);
    await agent.get('/municipalities/0180').expect(404);
    await agent.get('/reviews/98765/result').expect(404);
    await waitForRequestLine(t, '/reviews/98765/result');
    const afterLogin = requestLines(t).filter((line) => line.route !== '/login');
    expect(afterLogin.map((line) => line.route)).toEqual(['/municipalities/:x', '/municipalities/0180', '/reviews/98765/result']);
    expect(t.logs.join('\n')).not.toContain('anna');
  });

  it('when a form is posted to a path no route has, then the refusal (403) shows the path the same way', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const response = await request(t.app).post('/Anna%20Svensson/811218-9876').type('form').send({ note: 'x' });
    expect(response.status).toBe(403);
    expect(await waitForRequestLine(t, '/:x/:x')).toMatchObject({ method: 'POST', status: 403 });
    expect(t.logs.join('\n')).not.toContain('Svensson');
  });

  it('when a 404 path holds a name in lower case, a surname with å, ä or ö, an e-mail or a personnummer, then each is ":x" and the route words stay', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const admin = await createTestUser(t.db, ['admin']);
    const agent = await loginAgent(t.app, admin.email);
    const typed: [string, string][] = [
      ['/reviews/anna', '/reviews/:x'],
      [`/municipalities/${encodeURIComponent('åkesson')}`, '/municipalities/:x'],
      [`/admin/users/${encodeURIComponent('bäckström')}/edit`, '/admin/users/:x/edit'],
      [`/programs/${encodeURIComponent('sjöström')}`, '/programs/:x'],
      ['/reviews/12/anna.svensson@kommun.se', '/reviews/12/:x'],
      ['/users/19811218-9876', '/users/:x'],
      // Every word the app's routes have stays, wherever it stands; a word no route has does not.
      ['/reviews/lindqvist/result', '/reviews/:x/result'],
      ['/municipalities/12/report.pdf/self-assessments', '/municipalities/12/report.pdf/self-assessments'],
    ];
    for (const [path] of typed) await agent.get(path).expect(404);
    await waitForRequestLine(t, typed.at(-1)?.[1] ?? '');
    const afterLogin = requestLines(t).filter((line) => line.route !== '/login');
    expect(afterLogin.map((line) => [line.route, line.status])).toEqual(typed.map(([, logged]) => [logged, 404]));
    const everything = t.logs.join('\n');
    for (const part of ['anna', 'kesson', 'ckstr', 'str%C3', '%C3', 'kommun', '19811218', '9876', 'lindqvist']) {
      expect(everything, part).not.toContain(part);
    }
  });

  it('when a route answers, then its path is logged as it is; a static file keeps its name, a missing one does not', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    // "en" is no word of any route: only a route that answered keeps it.
    expect((await request(t.app).get('/language/en')).status).toBe(303);
    expect(await waitForRequestLine(t, '/language/en')).toMatchObject({ status: 303, msg: 'GET /language/en 303' });
    // A language the app does not have is no answer: the switch is 404 and the word typed is masked.
    expect((await request(t.app).get('/language/anna')).status).toBe(404);
    expect(await waitForRequestLine(t, '/language/:x')).toMatchObject({ status: 404 });
    expect((await request(t.app).get('/assets/app.css')).status).toBe(200);
    expect(await waitForRequestLine(t, '/assets/app.css')).toMatchObject({ status: 200 });
    expect((await request(t.app).get('/assets/anna.css')).status).toBe(404);
    expect(await waitForRequestLine(t, '/assets/:x')).toMatchObject({ status: 404 });
  });

  it("keeps the literal segments of every route in the app's route table, and no parameter", () => {
    const t = makeTestApp();
    const words = listPathWords(t.app.router, ['/assets/app.css']);
    const routeWords = listAppRoutes(t.app).flatMap((route) => route.path.split('/').filter((s) => s !== '' && !s.startsWith(':')));
    expect(routeWords).toEqual(expect.arrayContaining(['reviews', 'self-assessments', 'report.pdf', 'healthz', 'language']));
    expect([...words].sort()).toEqual([...new Set([...routeWords, 'assets', 'app.css'])].sort());
  });

  it("keeps record ids and the app's own path words, and replaces anything else", () => {
    const words = new Set(['reviews', 'rate', 'municipalities', 'report.pdf', 'users', 'assets', 'app.css']);
    const kept = ['/', '/reviews/12/rate', '/municipalities/0180/report.pdf', '/assets/app.css', '/reviews/'];
    for (const path of kept) expect(maskPath(path, words)).toBe(path);
    const masked: [string, string][] = [
      ['/users/anna', '/users/:x'],
      ['/users/anna.svensson@kommun.se', '/users/:x'],
      ['/users/%C3%A5kesson', '/users/:x'],
      ['/p/19811218-9876', '/:x/:x'],
      ['/reviews/198112189876', '/reviews/:x'],
      ['/reviews/8112189876', '/reviews/:x'],
      ['/reviews/811218+9876', '/reviews/:x'],
      ['/reviews/Anna%20Svensson', '/reviews/:x'],
      ['/reviews/0701234567', '/reviews/:x'],
      // A section id is the rubric's, not a route's: kept only on a page that answered.
      ['/reviews/12/rate/a1-housing-right', '/reviews/12/rate/:x'],
      ['/Reviews/12', '/:x/12'],
      ['/wp-login.php', '/:x'],
      ['/.env', '/:x'],
    ];
    for (const [path, expected] of masked) expect(maskPath(path, words), path).toBe(expected);
  });
});

describe('security events', () => {
  it('when a password is wrong, then a login_failed line names the account by id and the reason, with the request id', async () => {
    const t = makeTestApp();
    const user = await createTestUser(t.db, ['reviewer']);
    const response = await postLogin(t, user.email, 'not-the-password-1');
    expect(response.status).toBe(401);
    const [line] = events(t, 'login_failed');
    expect(line).toMatchObject({ level: 'warn', event: 'login_failed', userId: user.id, via: 'password', reason: 'wrong_password' });
    expect(line?.reqId).toBe(response.headers['x-request-id']);
    expect(Date.parse(String(line?.time))).not.toBeNaN();
  });

  it('when the e-mail is unknown, then login_failed says so without the e-mail typed', async () => {
    const t = makeTestApp();
    await postLogin(t, 'nobody-here@example.org', 'whatever-password');
    expect(events(t, 'login_failed')).toEqual([expect.objectContaining({ reason: 'unknown_account' })]);
    expect(t.logs.join('\n')).not.toContain('nobody-here');
  });

  it('when failures reach the limit, then login_locked is logged once, and each refused attempt is a login_failed', async () => {
    const t = makeTestApp({ config: { loginMaxFailures: 2 } });
    const user = await createTestUser(t.db, ['reviewer']);
    expect((await postLogin(t, user.email, 'wrong-1')).status).toBe(401);
    expect((await postLogin(t, user.email, 'wrong-2')).status).toBe(429);
    expect((await postLogin(t, user.email, user.password)).status).toBe(429);
    expect(events(t, 'login_locked')).toEqual([
      expect.objectContaining({ level: 'warn', userId: user.id, lockedBy: 'account', reason: 'too_many_failures' }),
    ]);
    expect(events(t, 'login_failed').map((line) => [line.reason, line.userId, line.lockedBy])).toEqual([
      ['wrong_password', user.id, undefined],
      ['wrong_password', user.id, undefined],
      ['locked', user.id, 'account'],
    ]);
  });

  it('when failures from one address lock it, then login_locked says the address, with no account id; refusals name the account tried', async () => {
    const t = makeTestApp({ config: { loginMaxFailures: 5, loginMaxFailuresPerIp: 3 } });
    const user = await createTestUser(t.db, ['reviewer']);
    expect((await postLogin(t, 'guess-1@example.org', 'wrong-1')).status).toBe(401);
    expect((await postLogin(t, 'guess-2@example.org', 'wrong-2')).status).toBe(401);
    // The third failure from the address, a wrong password for an account that is nowhere near its own limit.
    expect((await postLogin(t, user.email, 'wrong-3')).status).toBe(429);
    const [locked, ...more] = events(t, 'login_locked');
    expect(more).toEqual([]);
    expect(locked).toMatchObject({ lockedBy: 'address', reason: 'too_many_failures', ip: expect.any(String) });
    expect(locked?.userId).toBeUndefined();
    // Refused unchecked while the address is locked: the account tried is named when it exists, never the e-mail typed.
    expect((await postLogin(t, user.email, user.password)).status).toBe(429);
    expect((await postLogin(t, 'guess-4@example.org', 'wrong-4')).status).toBe(429);
    expect(events(t, 'login_failed').slice(-2)).toEqual([
      expect.objectContaining({ reason: 'locked', lockedBy: 'address', userId: user.id }),
      expect.not.objectContaining({ userId: expect.anything() }),
    ]);
    expect(events(t, 'login_failed').at(-1)).toMatchObject({ reason: 'locked', lockedBy: 'address' });
    expect(t.logs.join('\n')).not.toContain('guess-');
  });

  it('when one failure locks both the account and the address, then each lock has its line, and refusals say both', async () => {
    const t = makeTestApp({ config: { loginMaxFailures: 2, loginMaxFailuresPerIp: 2 } });
    const user = await createTestUser(t.db, ['reviewer']);
    await postLogin(t, user.email, 'wrong-1');
    expect((await postLogin(t, user.email, 'wrong-2')).status).toBe(429);
    expect(events(t, 'login_locked').map((line) => [line.lockedBy, line.userId])).toEqual([
      ['account', user.id],
      ['address', undefined],
    ]);
    expect((await postLogin(t, user.email, user.password)).status).toBe(429);
    expect(events(t, 'login_failed').at(-1)).toMatchObject({ reason: 'locked', lockedBy: 'both', userId: user.id });
  });

  it('when someone logs in and out, then login_succeeded and logout are logged with their id', async () => {
    const t = makeTestApp();
    const user = await createTestUser(t.db, ['reviewer']);
    const agent = await loginAgent(t.app, user.email);
    expect(events(t, 'login_succeeded')).toEqual([expect.objectContaining({ level: 'info', userId: user.id, via: 'password' })]);
    const page = await agent.get('/');
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text) })
      .expect(303);
    expect(events(t, 'logout')).toEqual([expect.objectContaining({ userId: user.id })]);
  });

  it('when the first administrator is set up, then setup_completed is logged with their id, and never the setup token', async () => {
    const t = makeTestApp();
    const token = createSetupStore(t.db).issueSetupToken();
    const agent = request.agent(t.app);
    const page = await agent.get(`/setup?token=${token}`);
    const response = await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        token,
        display_name: 'Första Admin',
        email: 'first@example.org',
        affiliation: 'Testkommun',
        password: 'a long enough password 2026',
        password_confirm: 'a long enough password 2026',
      });
    expect(response.status).toBe(303);
    const [line] = events(t, 'setup_completed');
    expect(line).toMatchObject({ roles: ['admin'], userId: expect.any(Number) });
    expect(events(t, 'login_succeeded')).toEqual([expect.objectContaining({ userId: line?.userId })]);
    expect(t.logs.join('\n')).not.toContain(token);
    expect(t.logs.join('\n')).not.toContain('a long enough password 2026');
  });

  it('when an administrator changes roles, then role_changed carries the roles before and after and who did it', async () => {
    const t = makeTestApp();
    const admin = await createTestUser(t.db, ['admin']);
    const user = await createTestUser(t.db, ['reviewer']);
    const agent = await loginAgent(t.app, admin.email);
    const saved = await postForm(agent, `/admin/users/${user.id}/edit`, `/admin/users/${user.id}/edit`, {
      display_name: user.displayName,
      affiliation: 'Testkommun',
      roles: ['reviewer', 'coordinator'],
      active: '1',
      password: '',
      password_confirm: '',
    });
    expect(saved.status).toBe(303);
    expect(events(t, 'role_changed')).toEqual([
      expect.objectContaining({
        userId: user.id,
        actorId: admin.id,
        previousRoles: ['reviewer'],
        roles: expect.arrayContaining(['reviewer', 'coordinator']),
      }),
    ]);
  });
});

describe('what never reaches a log line', () => {
  it('when a login and a form with free text are posted, then neither the password, the text, the cookie nor the CSRF token is logged', async () => {
    const t = makeTestApp({ config: { logRequests: true } });
    const s = await createReviewScenario({ app: t });
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const password = 'Hemligt-losenord-4711';
    const freeText = 'Brist på hyresrätter enligt Kalle Anka 0701234567';
    // A wrong password, then the right one.
    await postLogin(t, s.lead.email, password);
    const agent = await loginAgent(t.app, s.lead.email);
    const findings = `/reviews/${s.reviewId}/findings`;
    const page = await agent.get(findings);
    const csrf = extractCsrfToken(page.text);
    const saved = await agent
      .post(`${findings}?note=${encodeURIComponent(freeText)}`)
      .type('form')
      .set('Authorization', 'Bearer some-bearer-token-xyz')
      .send({ _csrf: csrf, version: '0', barriers__systemic: freeText });
    expect(saved.status).toBe(303);
    await waitForRequestLine(t, findings);
    const everything = t.logs.join('\n');
    parsed(t); // every line is JSON
    for (const secret of [password, s.lead.password, freeText, 'Kalle Anka', csrf, 'some-bearer-token-xyz', 'hf.sid', 's%3A']) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('createLogger and loadLogConfig', () => {
  it('when nothing is set, then JSON at info; LOG_FORMAT=pretty and LOG_LEVEL are read, a bad value is refused', () => {
    expect(loadLogConfig({})).toEqual({ format: 'json', level: 'info' });
    expect(loadLogConfig({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' })).toEqual({ format: 'pretty', level: 'debug' });
    expect(loadLogConfig({ LOG_FORMAT: '', LOG_LEVEL: ' ' })).toEqual({ format: 'json', level: 'info' });
    expect(() => loadLogConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(() => loadLogConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('when LOG_LEVEL is warn, then info lines are left out', () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', level: 'warn' }, { destination: { write: (line: string) => lines.push(line) } });
    logger.info('not shown');
    logger.warn('shown');
    expect(lines.map((line) => (JSON.parse(line) as LogLine).msg)).toEqual(['shown']);
  });

  it('when LOG_FORMAT=pretty and pino-pretty is not installed, then it says so clearly', () => {
    const missing = () => {
      throw new Error("Cannot find module 'pino-pretty'");
    };
    expect(() => createLogger({ format: 'pretty', level: 'info' }, { resolveModule: missing })).toThrow(ConfigError);
    expect(() => createLogger({ format: 'pretty', level: 'info' }, { resolveModule: missing })).toThrow(
      /LOG_FORMAT=pretty needs the package pino-pretty.*LOG_FORMAT=json/,
    );
  });
});
