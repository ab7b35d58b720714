// The idle limit lives in the session store: the cookie carries no expiry, so the server alone decides when an
// unused session has lapsed. Store-level cases run on a fake clock; the last case goes through the app.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type session from 'express-session';
import { SESSION_COOKIE } from '../../src/app.js';
import { createSqliteSessionStore } from '../../src/accounts/session-store.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createTestUser, loginAgent, makeTestApp } from '../helpers/test-app.js';

const IDLE_MS = 60 * 60_000;

function storeWithClock() {
  const db = openDatabase(':memory:');
  migrate(db);
  const clock = { now: 1_000_000 };
  const store = createSqliteSessionStore(db, IDLE_MS, () => clock.now);
  const get = (sid: string) =>
    new Promise<session.SessionData | null | undefined>((resolve, reject) => store.get(sid, (error, data) => (error ? reject(error) : resolve(data))));
  const set = (sid: string, data: object) => new Promise<void>((resolve) => store.set(sid, data as session.SessionData, () => resolve()));
  const touch = (sid: string) => new Promise<void>((resolve) => store.touch?.(sid, {} as session.SessionData, () => resolve()));
  const expiresAt = (sid: string) => (db.prepare('SELECT expires_at FROM sessions WHERE sid = ?').get(sid) as { expires_at: number } | undefined)?.expires_at;
  return { clock, get, set, touch, expiresAt };
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
    const idleMs = 1_500;
    const test = makeTestApp({ config: { sessionIdleMs: idleMs } });
    const user = await createTestUser(test.db, ['coordinator']);
    const active = await loginAgent(test.app, user.email);
    const idle = await loginAgent(test.app, user.email);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The active user clicks every half limit, for twice the limit; the other one does nothing meanwhile.
    for (let step = 0; step < 4; step++) {
      await sleep(idleMs / 2);
      expect((await active.get('/municipalities')).status).toBe(200);
    }
    const lapsed = await idle.get('/municipalities');
    expect(lapsed.status).toBe(303);
    expect(lapsed.headers.location).toMatch(/^\/login/);
  });
});
