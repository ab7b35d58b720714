import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FailureCounter } from '../../src/accounts/login-attempt-store.js';
import { createLoginAttemptStore } from '../../src/accounts/login-attempt-store.js';
import {
  accountKey,
  clientKey,
  countFailure,
  createLoginThrottle,
  type LoginThrottlePolicy,
  mfaThrottleKey,
  releaseAttempt,
} from '../../src/accounts/login-throttle.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createTestUser, extractCsrfToken, makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';

const POLICY: LoginThrottlePolicy = { loginMaxFailures: 3, loginMaxFailuresPerIp: 5, loginWindowMs: 60_000, loginLockMs: 120_000 };

/** One login attempt from a fresh browser; `ip` is sent as X-Forwarded-For (the apps below trust one proxy hop). */
async function attemptLogin(app: TestApp['app'], email: string, password: string, options: { ip?: string; lang?: 'en' } = {}) {
  const agent = request.agent(app);
  const query = options.lang ? `?lang=${options.lang}` : '';
  const page = await agent.get(`/login${query}`);
  const post = agent.post(`/login${query}`).type('form');
  if (options.ip) post.set('X-Forwarded-For', options.ip);
  return post.send({ _csrf: extractCsrfToken(page.text), email, password });
}

function makeThrottledApp(overrides: Partial<LoginThrottlePolicy> = {}, db?: TestApp['db'], clock?: TestClock): TestApp {
  return makeTestApp({ config: { ...POLICY, ...overrides, trustProxy: 1 }, ...(db ? { db } : {}), ...(clock ? { clock: clock.now } : {}) });
}

describe('countFailure (the lock-out policy)', () => {
  const policy = POLICY;

  it('counts failures within the window and locks at the limit for the lock time', () => {
    let counter: FailureCounter | undefined;
    counter = countFailure(counter, 1_000, 3, policy);
    counter = countFailure(counter, 2_000, 3, policy);
    expect(counter).toMatchObject({ failures: 2, windowStartedAt: 1_000, lockedUntil: undefined });
    counter = countFailure(counter, 3_000, 3, policy);
    expect(counter).toMatchObject({ failures: 3, lockedUntil: 123_000, expiresAt: 123_000 });
  });

  it('starts again when the window is over, or after a lock has run out', () => {
    const old = countFailure(countFailure(undefined, 0, 3, policy), 10, 3, policy);
    expect(countFailure(old, 60_000, 3, policy)).toMatchObject({ failures: 1, windowStartedAt: 60_000 });
    const locked = countFailure(countFailure(old, 20, 3, policy), 20, 3, policy);
    expect(countFailure(locked, 20 + 120_000, 3, policy)).toMatchObject({ failures: 1, lockedUntil: undefined });
  });
});

describe('releaseAttempt (a successful login gives back its place at the address)', () => {
  it('takes back one attempt and the lock it set itself, but not a lock or a window of other attempts', () => {
    const four = [0, 1, 2, 3].reduce<FailureCounter | undefined>((counter, t) => countFailure(counter, t, 5, POLICY), undefined);
    const fifth = countFailure(four, 4, 5, POLICY);
    expect(fifth.lockedUntil).toBe(120_004);
    const own = { clientLockedUntil: fifth.lockedUntil, clientWindowStartedAt: fifth.windowStartedAt };
    expect(releaseAttempt(fifth, own, POLICY)).toMatchObject({ failures: 4, lockedUntil: undefined, expiresAt: 60_000 });
    expect(releaseAttempt(fifth, { clientLockedUntil: undefined, clientWindowStartedAt: 0 }, POLICY)).toMatchObject({
      failures: 4,
      lockedUntil: 120_004,
    });
    expect(releaseAttempt(fifth, { clientLockedUntil: undefined, clientWindowStartedAt: -5 }, POLICY)).toBe(fifth);
    expect(
      releaseAttempt(countFailure(undefined, 0, 5, POLICY), { clientLockedUntil: undefined, clientWindowStartedAt: 0 }, POLICY),
    ).toBeUndefined();
  });
});

describe('counter keys', () => {
  it('hashes emails case-insensitively, so no email is stored in clear', () => {
    expect(accountKey(' Ada@Example.org ')).toBe(accountKey('ada@example.org'));
    expect(accountKey('ada@example.org')).toMatch(/^account:[0-9a-f]{64}$/);
  });

  it('counts IPv6 clients by /64 network and IPv4-mapped addresses as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey('::ffff:192.0.2.7')).toBe(clientKey('192.0.2.7'));
    expect(clientKey('192.0.2.7')).not.toBe(clientKey('192.0.2.8'));
  });
});

describe('POST /login rate limiting', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('locks an account with 429 and a message saying when to try again, then refuses even the right password', async () => {
    const { app, db } = makeThrottledApp();
    const user = await createTestUser(db, ['reviewer']);
    expect((await attemptLogin(app, user.email, 'wrong password one')).status).toBe(401);
    expect((await attemptLogin(app, user.email, 'wrong password two')).status).toBe(401);
    const locked = await attemptLogin(app, user.email, 'wrong password three');
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('120');
    expect(locked.text).toContain('För många misslyckade inloggningsförsök');
    expect(locked.text).toContain('Försök igen om 2 min.');
    expect(locked.text).not.toContain('wrong password three');
    // The lock-out is the page's error summary, focused, and the title says so.
    expect(locked.text).toMatch(/<title>Fel: Logga in – /);
    expect(locked.text).toMatch(/<div class="error-summary" role="alert" tabindex="-1" autofocus>\s*<p>För många misslyckade/);
    expect(locked.text.match(/role="alert"/g)).toHaveLength(1);

    const right = await attemptLogin(app, user.email.toUpperCase(), TEST_PASSWORD, { lang: 'en' });
    expect(right.status).toBe(429);
    expect(right.text).toContain('Too many failed login attempts');
    expect(right.text).toContain('Try again in 2 min.');
    expect(db.prepare('SELECT count(*) AS n FROM sessions WHERE data LIKE ?').get('%"userId"%')).toEqual({ n: 0 });
  });

  it('gives the same lock-out for an email without an account, so a lock reveals nothing', async () => {
    const { app, db } = makeThrottledApp();
    const user = await createTestUser(db, ['reviewer']);
    const answers: { status: number; text: string }[] = [];
    for (const email of [user.email, 'nobody@example.org']) {
      for (let i = 0; i < 2; i++) await attemptLogin(app, email, 'not the password');
      const third = await attemptLogin(app, email, 'not the password');
      answers.push({ status: third.status, text: third.text.replace(/name="_csrf" value="[^"]+"/, '').replaceAll(email, 'EMAIL') });
    }
    expect(answers[0]?.status).toBe(429);
    expect(answers[1]?.status).toBe(429);
    expect(answers[1]?.text).toBe(answers[0]?.text);
  });

  it('clears the account counter at a successful login', async () => {
    const { app, db } = makeThrottledApp();
    const user = await createTestUser(db, ['reviewer']);
    for (let i = 0; i < 2; i++) expect((await attemptLogin(app, user.email, 'wrong password')).status).toBe(401);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD)).status).toBe(303);
    for (let i = 0; i < 2; i++) expect((await attemptLogin(app, user.email, 'wrong password')).status).toBe(401);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD)).status).toBe(303);
  });

  it('locks a client address after too many failures over any accounts, without touching other addresses', async () => {
    const { app, db } = makeThrottledApp();
    const user = await createTestUser(db, ['reviewer']);
    for (let i = 0; i < 4; i++) {
      expect((await attemptLogin(app, `guess${i}@example.org`, 'wrong password', { ip: '203.0.113.9' })).status).toBe(401);
    }
    expect((await attemptLogin(app, 'guess4@example.org', 'wrong password', { ip: '203.0.113.9' })).status).toBe(429);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD, { ip: '203.0.113.9' })).status).toBe(429);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD, { ip: '198.51.100.20' })).status).toBe(303);
  });

  it('when the operator deletes the address counters as docs/operations.md says, then the address may log in at once, and account locks stay', async () => {
    const { app, db } = makeThrottledApp();
    const user = await createTestUser(db, ['reviewer']);
    const lockedOut = await createTestUser(db, ['reviewer']);
    for (let i = 0; i < 5; i++) await attemptLogin(app, `guess${i}@example.org`, 'wrong password', { ip: '203.0.113.9' });
    for (let i = 0; i < 3; i++) await attemptLogin(app, lockedOut.email, 'wrong password', { ip: '198.51.100.7' });
    expect((await attemptLogin(app, user.email, TEST_PASSWORD, { ip: '203.0.113.9' })).status).toBe(429);
    // The statement of "Lifting a lock early" (docs/operations.md), as the operator runs it while the server runs.
    expect(db.prepare("DELETE FROM login_attempts WHERE key LIKE 'ip:%'").run().changes).toBe(2);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD, { ip: '203.0.113.9' })).status).toBe(303);
    expect((await attemptLogin(app, lockedOut.email, TEST_PASSWORD, { ip: '203.0.113.9' })).status).toBe(429);
  });

  it('when a user’s second-factor codes are locked and unlockMfa is called (as mfa:reset does), then the codes may be tried again and the password’s lock stays', async () => {
    const { db } = makeThrottledApp();
    const user = await createTestUser(db, ['reviewer']);
    const throttle = createLoginThrottle(createLoginAttemptStore(db), POLICY);
    const fail = (key: string, ip: string) => {
      const attempt = throttle.reserveAttempt(key, ip);
      if (attempt.allowed) throttle.recordFailure(attempt.reservation);
    };
    for (let i = 0; i < POLICY.loginMaxFailures; i++) {
      fail(mfaThrottleKey(user.id), `203.0.113.${i}`);
      fail(user.email, `198.51.100.${i}`);
    }
    expect(throttle.reserveAttempt(mfaThrottleKey(user.id), '192.0.2.1').allowed).toBe(false);

    throttle.unlockMfa(user.id);
    expect(throttle.reserveAttempt(mfaThrottleKey(user.id), '192.0.2.1').allowed).toBe(true);
    expect(throttle.reserveAttempt(user.email, '192.0.2.2').allowed).toBe(false);
  });

  it('lets the user in again once the lock has run out', async () => {
    const clock = createTestClock();
    const { app, db } = makeThrottledApp({}, undefined, clock);
    const user = await createTestUser(db, ['reviewer']);
    for (let i = 0; i < 3; i++) await attemptLogin(app, user.email, 'wrong password');
    expect((await attemptLogin(app, user.email, TEST_PASSWORD)).status).toBe(429);
    clock.advance(POLICY.loginLockMs - 1_000);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD)).status).toBe(429);
    clock.advance(1_001);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD)).status).toBe(303);
  });

  it('keeps a lock across a restart, and stores only hashes of emails and addresses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-throttle-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const first = makeThrottledApp({}, openDatabase(file));
    const user = await createTestUser(first.db, ['reviewer']);
    for (let i = 0; i < 3; i++) await attemptLogin(first.app, user.email, 'wrong password', { ip: '203.0.113.5' });
    const stored = JSON.stringify(first.db.prepare('SELECT * FROM login_attempts').all());
    expect(stored).not.toContain(user.email);
    expect(stored).not.toContain('203.0.113.5');
    first.db.close();

    const db = openDatabase(file);
    try {
      const second = makeThrottledApp({}, db);
      expect((await attemptLogin(second.app, user.email, TEST_PASSWORD, { ip: '198.51.100.1' })).status).toBe(429);
    } finally {
      db.close();
    }
  });
});

describe('POST /login rate limiting under concurrent attempts', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** One listening server for the whole burst (supertest would otherwise start one per request). */
  async function listen(app: TestApp['app']): Promise<Server> {
    const server = createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /**
   * Counts the passwords really checked (argon2.verify, which passwords.ts calls), and holds every check until
   * release() so the test decides when checks finish: the order then no longer depends on the machine's speed.
   */
  function watchPasswordChecks({ hold }: { hold: boolean }) {
    const realVerify = argon2.verify.bind(argon2);
    const checked: string[] = [];
    let release = () => {};
    const released = hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    vi.spyOn(argon2, 'verify').mockImplementation(async (hash, password, options) => {
      checked.push(String(password));
      await released;
      return realVerify(hash, password, options);
    });
    return { checked, release: () => release() };
  }

  /** A fresh browser each: its own cookie jar and the CSRF token of its own login page. */
  async function browsers(server: Server, count: number) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const agent = request.agent(server);
        const page = await agent.get('/login');
        return { agent, token: extractCsrfToken(page.text) };
      }),
    );
  }

  const loggedInSessions = (db: TestApp['db']) => db.prepare('SELECT count(*) AS n FROM sessions WHERE data LIKE ?').get('%"userId"%');

  it('when 100 logins for one account arrive at once, then at most LOGIN_MAX_FAILURES passwords are checked', async () => {
    const { app, db } = makeTestApp({ config: { loginMaxFailures: 5, loginMaxFailuresPerIp: 1_000 } });
    const user = await createTestUser(db, ['reviewer']);
    const server = await listen(app);
    for (const email of [user.email, 'nobody@example.org']) {
      const clients = await browsers(server, 100);
      const checks = watchPasswordChecks({ hold: false });
      const answers = await Promise.all(
        clients.map(({ agent, token }, i) =>
          agent
            .post('/login')
            .type('form')
            .send({ _csrf: token, email, password: `wrong password ${i}` }),
        ),
      );
      vi.restoreAllMocks();
      expect(checks.checked.length).toBeLessThanOrEqual(5);
      expect(answers.filter((answer) => answer.status !== 429).length).toBeLessThanOrEqual(5);
      expect(answers.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
      // A lock never reveals whether the account exists: the same count of checks and refusals either way.
      expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(95);
    }
    // A hundred requests at once: on a loaded machine more than Vitest's 5 s default.
  }, 30_000);

  it('when a correct password is checked inside a burst that locks the account, then it does not log in', async () => {
    const { app, db } = makeTestApp({ config: { loginMaxFailures: 5, loginMaxFailuresPerIp: 1_000 } });
    const user = await createTestUser(db, ['reviewer']);
    const server = await listen(app);
    const [owner, ...others] = await browsers(server, 100);
    const checks = watchPasswordChecks({ hold: true });
    // The right password is sent first and is being checked when 99 wrong ones arrive.
    const right = owner?.agent.post('/login').type('form').send({ _csrf: owner.token, email: user.email, password: TEST_PASSWORD });
    const rightAnswer = right?.then((answer) => answer);
    await vi.waitFor(() => expect(checks.checked).toHaveLength(1), { timeout: 30_000 });
    let answered = 0;
    const wrong = others.map(({ agent, token }, i) =>
      agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, email: user.email, password: `wrong password ${i}` })
        .then((answer) => {
          answered += 1;
          return answer;
        }),
    );
    // Every wrong attempt has either been refused unchecked or is being checked (before the fix: all 100 checked).
    await vi.waitFor(() => expect(answered + checks.checked.length - 1).toBeGreaterThanOrEqual(99), { timeout: 30_000 });
    checks.release();
    const answers = await Promise.all(wrong);
    expect(checks.checked.length).toBeLessThanOrEqual(5);
    expect(answers.filter((answer) => answer.status !== 429).length).toBeLessThanOrEqual(4);
    const mine = await rightAnswer;
    expect(mine?.status).toBe(429);
    expect(mine?.text).toContain('För många misslyckade inloggningsförsök');
    expect(loggedInSessions(db)).toEqual({ n: 0 });
    expect((await owner?.agent.get('/municipalities'))?.status).toBe(303);
  });

  it('when 100 logins for different accounts arrive at once from one address, then at most LOGIN_MAX_FAILURES_PER_IP are checked', async () => {
    const { app, db } = makeTestApp({ config: { loginMaxFailures: 5, loginMaxFailuresPerIp: 20 } });
    const user = await createTestUser(db, ['reviewer']);
    const server = await listen(app);
    const clients = await browsers(server, 100);
    const checks = watchPasswordChecks({ hold: false });
    const answers = await Promise.all(
      clients.map(({ agent, token }, i) =>
        agent
          .post('/login')
          .type('form')
          .send({
            _csrf: token,
            email: i === 50 ? user.email : `guess${i}@example.org`,
            password: i === 50 ? TEST_PASSWORD : 'wrong password',
          }),
      ),
    );
    vi.restoreAllMocks();
    expect(checks.checked.length).toBeLessThanOrEqual(20);
    expect(answers.filter((answer) => answer.status !== 429).length).toBeLessThanOrEqual(20);
  });

  it('when the last allowed attempt is the right password, then it logs in as before (4 failures, then the password)', async () => {
    const { app, db } = makeTestApp({ config: { loginMaxFailures: 5 } });
    const user = await createTestUser(db, ['reviewer']);
    for (let i = 0; i < 4; i++) expect((await attemptLogin(app, user.email, 'wrong password')).status).toBe(401);
    expect((await attemptLogin(app, user.email, TEST_PASSWORD)).status).toBe(303);
    expect(db.prepare('SELECT count(*) AS n FROM login_attempts WHERE key = ?').get(accountKey(user.email))).toEqual({ n: 0 });
  });
});
