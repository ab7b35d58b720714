// The idle limit lives in the session store: the cookie carries no expiry, so the server alone decides when an
// unused session has lapsed. Store-level cases run on a fake clock; the last case goes through the app.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type session from 'express-session';
import { SESSION_COOKIE } from '../../src/app.js';
import {
  type AnonymousSessionLimits,
  ANONYMOUS_SESSIONS,
  createSessionRevoker,
  createSqliteSessionStore,
  END_SESSIONS_OF_USER_SQL,
} from '../../src/accounts/session-store.js';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createTestUser, loginAgent, makeTestApp } from '../helpers/test-app.js';
import { createTestClock } from '../helpers/test-clock.js';

const IDLE_MS = 60 * 60_000;

function storeWithClock(anonymous: AnonymousSessionLimits = ANONYMOUS_SESSIONS) {
  const db = openDatabase(':memory:');
  migrate(db);
  const clock = { now: 1_000_000 };
  const store = createSqliteSessionStore(db, IDLE_MS, () => clock.now, anonymous);
  const get = (sid: string) =>
    new Promise<session.SessionData | null | undefined>((resolve, reject) =>
      store.get(sid, (error, data) => (error ? reject(error) : resolve(data))),
    );
  const set = (sid: string, data: object) => new Promise<void>((resolve) => store.set(sid, data as session.SessionData, () => resolve()));
  const touch = (sid: string, data: object = { userId: 7 }) =>
    new Promise<void>((resolve) => store.touch?.(sid, data as session.SessionData, () => resolve()));
  const expiresAt = (sid: string) =>
    (db.prepare('SELECT expires_at FROM sessions WHERE sid = ?').get(sid) as { expires_at: number } | undefined)?.expires_at;
  const sids = () => (db.prepare('SELECT sid FROM sessions ORDER BY sid').all() as { sid: string }[]).map((row) => row.sid);
  return { db, clock, get, set, touch, expiresAt, sids };
}

describe('the session store', () => {
  it('keeps a session for the idle limit after its last save, then refuses and deletes it', async () => {
    const { clock, get, set, expiresAt } = storeWithClock();
    await set('a', { userId: 7 });
    clock.now += IDLE_MS - 1;
    expect(await get('a')).toMatchObject({ userId: 7 });
    clock.now += 1;
    expect(await get('a')).toBeNull();
    expect(expiresAt('a')).toBeUndefined();
  });

  it('moves the expiry forward when a session is used (touched), so only idleness ends it', async () => {
    const { clock, get, set, touch, expiresAt } = storeWithClock();
    await set('a', { userId: 7 });
    for (let step = 0; step < 5; step++) {
      clock.now += IDLE_MS * 0.8;
      expect(await get('a')).toMatchObject({ userId: 7 });
      await touch('a');
      expect(expiresAt('a')).toBe(clock.now + IDLE_MS);
    }
    clock.now += IDLE_MS;
    expect(await get('a')).toBeNull();
  });

  it('does not write on every touch: the expiry moves once it would change by a minute', async () => {
    const { clock, set, touch, expiresAt } = storeWithClock();
    await set('a', { userId: 7 });
    const saved = expiresAt('a');
    clock.now += 30_000;
    await touch('a');
    expect(expiresAt('a')).toBe(saved);
    clock.now += 30_000;
    await touch('a');
    expect(expiresAt('a')).toBe(clock.now + IDLE_MS);
  });
});

describe('sessions without a user (a login form, a second factor or a single sign-on under way)', () => {
  const LIMITS: AnonymousSessionLimits = { idleMs: 20 * 60_000, limit: 3 };

  it('when a session has no user, then it ends after the shorter idle limit; one of a user keeps the full one', async () => {
    const { clock, get, set, touch, expiresAt } = storeWithClock(LIMITS);
    await set('form', { csrfToken: 'x' });
    await set('user', { userId: 7 });
    expect(expiresAt('form')).toBe(clock.now + LIMITS.idleMs);
    expect(expiresAt('user')).toBe(clock.now + IDLE_MS);
    clock.now += LIMITS.idleMs - 60_000;
    expect(await get('form')).toMatchObject({ csrfToken: 'x' });
    // Used again (a reload of the login page), it lives on from then.
    await touch('form', { csrfToken: 'x' });
    expect(expiresAt('form')).toBe(clock.now + LIMITS.idleMs);
    clock.now += LIMITS.idleMs;
    expect(await get('form')).toBeNull();
    expect(await get('user')).toMatchObject({ userId: 7 });
  });

  it('when the idle limit is shorter than the one for sessions without a user, then that one applies to them too', async () => {
    const { clock, set, expiresAt } = storeWithClock({ idleMs: IDLE_MS * 2, limit: 3 });
    await set('form', { csrfToken: 'x' });
    expect(expiresAt('form')).toBe(clock.now + IDLE_MS);
  });

  it('when more sessions without a user are written than the limit, then the longest unused go first and sessions of users stay', async () => {
    const { clock, get, set, sids } = storeWithClock(LIMITS);
    await set('user-1', { userId: 7 });
    for (const sid of ['a', 'b', 'c']) {
      await set(sid, { csrfToken: sid });
      clock.now += 1000;
    }
    // 'a' is written again (a login form that was used): now 'b' is the longest unused.
    await set('a', { csrfToken: 'a2' });
    clock.now += 1000;
    await set('d', { csrfToken: 'd' });
    expect(sids()).toEqual(['a', 'c', 'd', 'user-1']);
    // Written within the same millisecond, the newest written stays.
    await set('e', { csrfToken: 'e' });
    await set('f', { csrfToken: 'f' });
    expect(sids()).toEqual(['d', 'e', 'f', 'user-1']);
    await set('user-2', { userId: 8 });
    expect(await get('user-1')).toMatchObject({ userId: 7 });
    expect(sids()).toEqual(['d', 'e', 'f', 'user-1', 'user-2']);
  });

  it('when a session without a user logs in under a new id, then the new one is a user session, outside the limit', async () => {
    const { set, sids, db } = storeWithClock(LIMITS);
    for (const sid of ['a', 'b', 'c']) await set(sid, { csrfToken: sid });
    await set('logged-in', { userId: 7, csrfToken: 'n' });
    expect(sids()).toEqual(['a', 'b', 'c', 'logged-in']);
    expect(db.prepare('SELECT user_id FROM sessions WHERE sid = ?').pluck().get('logged-in')).toBe(7);
  });
});

describe('purging expired sessions', () => {
  it('when sessions have expired and another session is written, then the expired ones are deleted unread', async () => {
    const { clock, set, sids } = storeWithClock();
    await set('a', { userId: 7 });
    await set('b', {});
    clock.now += IDLE_MS;
    await set('c', {});
    expect(sids()).toEqual(['c']);
  });

  it('when a session is touched (a logged-in user clicks), then expired ones are purged too, at most once a minute', async () => {
    const { clock, set, touch, sids } = storeWithClock();
    await set('old', {});
    await set('user', { userId: 7 });
    clock.now += IDLE_MS * 0.9;
    await touch('user');
    clock.now += IDLE_MS * 0.2;
    await touch('user');
    expect(sids()).toEqual(['user']);
  });
});

describe('ending the sessions of one user', () => {
  it('when the sessions of a user are revoked, then all of them but the one kept end, through the index on user_id', async () => {
    const test = makeTestApp();
    const [ada, bo] = [await createTestUser(test.db, ['coordinator']), await createTestUser(test.db, ['coordinator'])];
    const adaPhone = await loginAgent(test.app, ada.email);
    const adaLaptop = await loginAgent(test.app, ada.email);
    const boAgent = await loginAgent(test.app, bo.email);
    const userIds = test.db.prepare('SELECT user_id FROM sessions ORDER BY user_id').all() as { user_id: number }[];
    expect(userIds.map((row) => row.user_id)).toEqual([ada.id, ada.id, bo.id].sort((x, y) => x - y));
    const keep = (test.db.prepare('SELECT sid FROM sessions WHERE user_id = ? LIMIT 1').get(ada.id) as { sid: string }).sid;

    expect(createSessionRevoker(test.db).endSessionsOf(ada.id, keep)).toBe(1);
    const answers = [(await adaPhone.get('/municipalities')).status, (await adaLaptop.get('/municipalities')).status].sort();
    expect(answers).toEqual([200, 303]);
    expect((await boAgent.get('/municipalities')).status).toBe(200);
    expect(createSessionRevoker(test.db).endSessionsOf(ada.id)).toBe(1);
    expect((await boAgent.get('/municipalities')).status).toBe(200);

    const plan = test.db.prepare(`EXPLAIN QUERY PLAN ${END_SESSIONS_OF_USER_SQL}`).all(ada.id, null) as { detail: string }[];
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING INDEX sessions_user_id \(user_id=\?\)/);
  });

  it('when a database from before migration 9 is migrated, then its sessions get their user_id from the session data', () => {
    const db = openDatabase(':memory:');
    for (const [index, sql] of MIGRATIONS.slice(0, 8).entries()) {
      db.exec(sql);
      db.pragma(`user_version = ${index + 1}`);
    }
    const insert = db.prepare('INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)');
    insert.run('user', JSON.stringify({ cookie: {}, userId: 42, loggedInAt: 1 }), 9e12);
    insert.run('anonymous', JSON.stringify({ cookie: {}, csrfToken: 'x' }), 9e12);
    insert.run('odd', JSON.stringify({ cookie: {}, userId: '42' }), 9e12);
    insert.run('broken', 'not json', 9e12);
    migrate(db);
    expect(db.prepare('SELECT sid, user_id FROM sessions ORDER BY sid').all()).toEqual([
      { sid: 'anonymous', user_id: null },
      { sid: 'broken', user_id: null },
      { sid: 'odd', user_id: null },
      { sid: 'user', user_id: 42 },
    ]);
  });
});

describe('the session cookie and the idle limit, through the app', () => {
  it('is a browser-session cookie (no Expires, no Max-Age), set at login and not again on each page', async () => {
    const test = makeTestApp();
    const user = await createTestUser(test.db, ['coordinator']);
    const page = await request(test.app).get('/login');
    const cookie = (page.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toBeDefined();
    expect(cookie).not.toMatch(/expires=|max-age=/i);
    const agent = await loginAgent(test.app, user.email);
    const next = await agent.get('/municipalities');
    expect(next.status).toBe(200);
    expect(next.headers['set-cookie']).toBeUndefined();
  });

  it('logs out a user whose session was idle longer than the limit, and keeps one in use alive past it', async () => {
    const idleMs = 30 * 60_000;
    const clock = createTestClock();
    const test = makeTestApp({ config: { sessionIdleMs: idleMs }, clock: clock.now });
    const user = await createTestUser(test.db, ['coordinator']);
    const active = await loginAgent(test.app, user.email);
    const idle = await loginAgent(test.app, user.email);
    // The active user clicks every half limit, for twice the limit; the other one does nothing meanwhile.
    for (let step = 0; step < 4; step++) {
      clock.advance(idleMs / 2);
      expect((await active.get('/municipalities')).status).toBe(200);
    }
    const lapsed = await idle.get('/municipalities');
    expect(lapsed.status).toBe(303);
    expect(lapsed.headers.location).toMatch(/^\/login/);
  });
});
