import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailureCounter } from '../../src/accounts/login-attempt-store.js';
import { accountKey, clientKey, countFailure, type LoginThrottlePolicy } from '../../src/accounts/login-throttle.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createTestUser, extractCsrfToken, makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

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

function makeThrottledApp(overrides: Partial<LoginThrottlePolicy> = {}, db?: TestApp['db']): TestApp {
  return makeTestApp({ config: { ...POLICY, ...overrides, trustProxy: 1 }, ...(db ? { db } : {}) });
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

  it('lets the user in again once the lock has run out', async () => {
    const { app, db } = makeThrottledApp({ loginLockMs: 300 });
    const user = await createTestUser(db, ['reviewer']);
    for (let i = 0; i < 3; i++) await attemptLogin(app, user.email, 'wrong password');
    expect((await attemptLogin(app, user.email, TEST_PASSWORD)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
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
