// Sessions already open when an administrator must have a second factor (LOCAL_ADMIN_MFA=required) and has none:
// the role given while signed in, the factor removed by another administrator, a session from before MFA existed.
// Their next request sends them to set one up; nothing they post is done on the way.
import { generate } from 'otplib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createRecoveryCodes, createTotpSecret, hashRecoveryCode } from '../../src/accounts/mfa.js';
import type { MfaStore } from '../../src/accounts/mfa-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { type Agent, createTestUser, extractCsrfToken, loginAgent, makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

function loggedInUserIds(db: TestApp['db']): number[] {
  return (db.prepare('SELECT user_id FROM sessions WHERE user_id IS NOT NULL').all() as { user_id: number }[]).map((row) => row.user_id);
}

/** An administrator with TOTP on, set up straight through the store. */
async function adminWithTotp(db: TestApp['db'], mfa: MfaStore) {
  const admin = await createTestUser(db, ['admin']);
  const secret = createTotpSecret();
  mfa.enableTotp(admin.id, secret, createRecoveryCodes().map(hashRecoveryCode), 0);
  return { ...admin, secret };
}

async function logInWithCode(app: TestApp['app'], user: { email: string; secret: string }): Promise<Agent> {
  const agent = request.agent(app);
  const login = await agent.get('/login');
  const password = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: extractCsrfToken(login.text), email: user.email, password: TEST_PASSWORD });
  expect(password.headers.location).toBe('/login/mfa');
  const codePage = await agent.get('/login/mfa');
  const code = await agent
    .post('/login/mfa')
    .type('form')
    .send({ _csrf: extractCsrfToken(codePage.text), code: await generate({ secret: user.secret }) });
  expect(code.status).toBe(303);
  return agent;
}

function countMunicipalities(db: TestApp['db']): number {
  return db.prepare('SELECT COUNT(*) FROM municipalities').pluck().get() as number;
}

describe('an open session of an administrator without a second factor (LOCAL_ADMIN_MFA=required)', () => {
  it('when a signed-in user is given the administrator role, then their next page is the setup of a second factor, and they are logged in again only once a code confirms it', async () => {
    const { app, db } = makeTestApp({ config: { adminMfaRequired: true } });
    const user = await createTestUser(db, ['coordinator']);
    const agent = await loginAgent(app, user.email);
    expect((await agent.get('/municipalities')).status).toBe(200);

    const users = createUserStore(db);
    users.updateUser(
      user.id,
      { displayName: user.displayName, affiliation: 'Testkommun', active: true, roles: ['coordinator', 'admin'] },
      user.id,
    );
    const next = await agent.get('/admin/users');
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/login/mfa/setup');
    expect(loggedInUserIds(db)).toEqual([]);
    expect((await agent.get('/admin/users')).headers.location).toMatch(/^\/login/);

    const setup = await agent.get('/login/mfa/setup');
    expect(setup.status).toBe(200);
    const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(setup.text)?.[1]?.replace(/ /g, '') ?? '';
    const confirmed = await agent
      .post('/login/mfa/setup')
      .type('form')
      .send({ _csrf: extractCsrfToken(setup.text), code: await generate({ secret }) });
    expect(confirmed.status).toBe(200);
    expect(loggedInUserIds(db)).toEqual([user.id]);
    // Back where they were going.
    expect(confirmed.text).toContain('href="/admin/users"');
    expect((await agent.get('/admin/users')).status).toBe(200);
  });

  it('when another administrator removed their second factor, then a form they post is not acted on and they are sent to set one up', async () => {
    const { app, db, services } = makeTestApp({ config: { adminMfaRequired: true } });
    const admin = await adminWithTotp(db, services.mfa);
    const agent = await logInWithCode(app, admin);
    const page = await agent.get('/municipalities/new');
    expect(page.status).toBe(200);

    const other = await createTestUser(db, ['admin']);
    services.mfa.disableTotp(admin.id, other.id);
    const posted = await agent
      .post('/municipalities/new')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), code: '2584', name: 'Kiruna' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/login/mfa/setup');
    expect(countMunicipalities(db)).toBe(0);
    expect(loggedInUserIds(db)).toEqual([]);
  });

  it('when the logout is posted, then it logs out rather than asking for the setup', async () => {
    const { app, db, services } = makeTestApp({ config: { adminMfaRequired: true } });
    const admin = await adminWithTotp(db, services.mfa);
    const agent = await logInWithCode(app, admin);
    const page = await agent.get('/');
    services.mfa.disableTotp(admin.id, admin.id);
    const out = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(loggedInUserIds(db)).toEqual([]);
  });

  it('when the administrator has a second factor, or is not an administrator, then nothing changes', async () => {
    const { app, db, services } = makeTestApp({ config: { adminMfaRequired: true } });
    const coordinator = await createTestUser(db, ['coordinator']);
    const agent = await loginAgent(app, coordinator.email);
    expect((await agent.get('/municipalities')).status).toBe(200);
    const admin = await adminWithTotp(db, services.mfa);
    const adminAgent = await logInWithCode(app, admin);
    expect((await adminAgent.get('/admin/users')).status).toBe(200);
  });
});
