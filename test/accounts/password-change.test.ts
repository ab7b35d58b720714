// Changing one's own password: the current password first, the password policy, the end of every other session
// (this one kept under a new id), the audit log, and the same throttle as the login form.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/accounts/passwords.js';
import { SESSION_COOKIE } from '../../src/app.js';
import { type Agent, createTestUser, extractCsrfToken, loginAgent, makeTestApp, type TestApp, TEST_PASSWORD } from '../helpers/test-app.js';

const NEW_PASSWORD = 'stilla vatten under isen i mars';

async function changePassword(agent: Agent, fields: Record<string, string>) {
  const page = await agent.get('/account/password');
  return agent
    .post('/account/password')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), ...fields });
}

function storedHash(db: TestApp['db'], userId: number): string {
  return (db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as { password_hash: string }).password_hash;
}

function cookieOf(response: request.Response): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
}

describe('POST /account/password', () => {
  it('when the current password is right and the new one follows the policy, then it is changed, other sessions end and this one goes on under a new id', async () => {
    const { app, db, logs } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const otherDevice = await loginAgent(makeTestApp({ db }).app, user.email);
    const bystander = await createTestUser(db, ['reviewer']);
    const bystanderAgent = await loginAgent(app, bystander.email);
    const sidBefore = (db.prepare('SELECT sid FROM sessions WHERE user_id = ?').all(user.id) as { sid: string }[]).map((row) => row.sid);
    expect(sidBefore).toHaveLength(2);

    const changed = await changePassword(agent, {
      current_password: TEST_PASSWORD,
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
    });
    expect(changed.status).toBe(303);
    expect(changed.headers.location).toBe('/account');
    expect(cookieOf(changed)).toBeDefined();

    const account = await agent.get('/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain('Lösenordet är bytt');
    const sidAfter = (db.prepare('SELECT sid FROM sessions WHERE user_id = ?').all(user.id) as { sid: string }[]).map((row) => row.sid);
    expect(sidAfter).toHaveLength(1);
    expect(sidBefore).not.toContain(sidAfter[0]);
    expect((await otherDevice.get('/')).headers.location).toMatch(/^\/login/);
    expect((await bystanderAgent.get('/')).status).toBe(200);

    expect(await verifyPassword(storedHash(db, user.id), NEW_PASSWORD)).toBe(true);
    const audit = db
      .prepare(
        `SELECT actor_id, json_extract(new_value, '$.password_changed') AS changed FROM audit_log WHERE entity = 'user' AND action = 'update'`,
      )
      .all();
    expect(audit).toEqual([{ actor_id: user.id, changed: 1 }]);
    const events = logs
      .map((line) => JSON.parse(line) as { event?: string; userId?: number })
      .filter((line) => line.event === 'password_changed');
    expect(events).toMatchObject([{ event: 'password_changed', userId: user.id }]);
    expect(logs.join('\n')).not.toContain(NEW_PASSWORD);
    expect(logs.join('\n')).not.toContain(TEST_PASSWORD);
    await expect(loginAgent(app, user.email)).rejects.toThrow(/login failed/);
    await loginAgent(app, user.email, NEW_PASSWORD);
  });

  it('when the current password is wrong, then nothing changes and the form says so, without sending any password back', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const hash = storedHash(db, user.id);
    const refused = await changePassword(agent, {
      current_password: 'not my password at all',
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Det nuvarande lösenordet stämmer inte');
    expect(refused.text).not.toContain(NEW_PASSWORD);
    expect(refused.text).not.toContain('not my password at all');
    expect(storedHash(db, user.id)).toBe(hash);
  });

  it.each([
    ['too short', 'kort', 'kort', 'minst 12 tecken'],
    ['common', 'password12345', 'password12345', 'för lätt att gissa'],
    ['not repeated alike', NEW_PASSWORD, `${NEW_PASSWORD}!`, 'Lösenorden är inte lika'],
    ['the same as before', TEST_PASSWORD, TEST_PASSWORD, 'måste skilja sig'],
  ])('when the new password is %s, then it is refused with 422 and the old one stays', async (_case, password, confirm, message) => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const hash = storedHash(db, user.id);
    const refused = await changePassword(agent, { current_password: TEST_PASSWORD, password, password_confirm: confirm });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(message);
    expect(storedHash(db, user.id)).toBe(hash);
  });

  it('when the new password contains the account’s name, then it is refused', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer'], { email: 'vendela.svensson@example.org', displayName: 'Vendela Svensson' });
    const agent = await loginAgent(app, user.email);
    const refused = await changePassword(agent, {
      current_password: TEST_PASSWORD,
      password: 'vendela svensson 2026',
      password_confirm: 'vendela svensson 2026',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('får inte innehålla kontots namn');
  });

  it('when current passwords are guessed, then the form locks like the login form, for both, and even the right one is refused', async () => {
    const { app, db, logs } = makeTestApp({ config: { loginMaxFailures: 3 } });
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const hash = storedHash(db, user.id);
    const guess = { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD };
    expect((await changePassword(agent, { ...guess, current_password: 'guess number one' })).status).toBe(422);
    expect((await changePassword(agent, { ...guess, current_password: 'guess number two' })).status).toBe(422);
    const locked = await changePassword(agent, { ...guess, current_password: 'guess number three' });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Försök igen om');
    expect((await changePassword(agent, { ...guess, current_password: TEST_PASSWORD })).status).toBe(429);
    expect(storedHash(db, user.id)).toBe(hash);
    await expect(loginAgent(app, user.email)).rejects.toThrow(/429/);
    // The log says the account was locked, and a refusal while it is, why.
    const events = logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event !== undefined);
    expect(events.filter((line) => line.event === 'login_locked')).toEqual([
      expect.objectContaining({ userId: user.id, lockedBy: 'account', reason: 'too_many_failures' }),
    ]);
    expect(events.find((line) => line.reason === 'password_change_locked')).toMatchObject({ userId: user.id, lockedBy: 'account' });
  });

  it('when guesses of the current password lock the address, then the log says so, without the account as the one locked', async () => {
    const { app, db, logs } = makeTestApp({ config: { loginMaxFailures: 5, loginMaxFailuresPerIp: 2 } });
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const guess = { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD };
    expect((await changePassword(agent, { ...guess, current_password: 'guess number one' })).status).toBe(422);
    expect((await changePassword(agent, { ...guess, current_password: 'guess number two' })).status).toBe(429);
    const locked = logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'login_locked');
    expect(locked).toEqual([expect.objectContaining({ lockedBy: 'address', reason: 'too_many_failures' })]);
    expect(locked[0]?.userId).toBeUndefined();
  });

  it('when an anonymous visitor posts the form, then they are sent to the login page and nothing changes', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const hash = storedHash(db, user.id);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const response = await agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        current_password: TEST_PASSWORD,
        password: NEW_PASSWORD,
        password_confirm: NEW_PASSWORD,
      });
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/login/);
    expect(storedHash(db, user.id)).toBe(hash);
  });
});

describe('POST /account/password refused', () => {
  const FOCUSED_SUMMARY = /<div class="error-summary" role="alert" tabindex="-1" autofocus>/;

  it('when the current password is wrong, then the focused summary links to its field and the title starts "Fel: "', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const refused = await changePassword(agent, {
      current_password: 'not my password at all',
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/<title>Fel: Byt lösenord – /);
    expect(refused.text).toMatch(FOCUSED_SUMMARY);
    expect(refused.text).toMatch(/<a href="#f-current_password">Det nuvarande lösenordet stämmer inte\.<\/a>/);
    expect(refused.text.match(/role="alert"/g)).toHaveLength(1);
    expect(refused.text).not.toContain(NEW_PASSWORD);
    expect(refused.text).not.toContain('not my password at all');
  });

  it('when the guesses lock the form, then the lock-out is the focused summary, the title starts "Fel: ", and no password comes back', async () => {
    const { app, db } = makeTestApp({ config: { loginMaxFailures: 2 } });
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const guess = { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD };
    expect((await changePassword(agent, { ...guess, current_password: 'guess number one' })).status).toBe(422);
    const locked = await changePassword(agent, { ...guess, current_password: 'guess number two' });
    expect(locked.status).toBe(429);
    expect(locked.text).toMatch(/<title>Fel: Byt lösenord – /);
    expect(locked.text).toMatch(FOCUSED_SUMMARY);
    expect(locked.text).toMatch(/autofocus>\s*<p>För många misslyckade inloggningsförsök\./);
    expect(locked.text.match(/role="alert"/g)).toHaveLength(1);
    for (const secret of [NEW_PASSWORD, 'guess number two']) expect(locked.text).not.toContain(secret);
    expect(locked.text).not.toMatch(/type="password" value="[^"]/);
  });
});
