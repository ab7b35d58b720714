// The second factor for local accounts: required of administrators who log in with a password, offered to everyone
// on their account page; recovery codes, throttling and the audit log. Real TOTP codes (otplib) at real time.
import { generate } from 'otplib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createRecoveryCodes, createTotpSecret, hashRecoveryCode } from '../../src/accounts/mfa.js';
import type { MfaStore } from '../../src/accounts/mfa-store.js';
import type { Role } from '../../src/accounts/roles.js';
import { openTotpSecret } from '../../src/accounts/totp-seal.js';
import { type Agent, createTestUser, extractCsrfToken, loginAgent, makeTestApp, type TestApp, TEST_PASSWORD } from '../helpers/test-app.js';

/** A code for the secret, steps periods from now (the app accepts one period either side). */
function codeAt(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

/** The security events the app logged, in order. */
function eventsIn(logs: readonly string[]): { event: string; userId?: number; via?: string; reason?: string; lockedBy?: string }[] {
  return logs.map((line) => JSON.parse(line) as { event?: string }).filter((line): line is { event: string } => line.event !== undefined);
}

function loggedInUserIds(db: TestApp['db']): number[] {
  return (db.prepare('SELECT user_id FROM sessions WHERE user_id IS NOT NULL').all() as { user_id: number }[]).map((row) => row.user_id);
}

function mfaAuditEvents(db: TestApp['db'], userId: number): { actor_id: number | null; event: string }[] {
  return db
    .prepare(
      `SELECT actor_id, json_extract(coalesce(new_value, old_value), '$.event') AS event FROM audit_log WHERE entity = 'mfa' AND entity_key = ? ORDER BY id`,
    )
    .all(String(userId)) as { actor_id: number | null; event: string }[];
}

async function postPassword(agent: Agent, email: string, next = '/') {
  const page = await agent.get('/login');
  return agent
    .post('/login')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), email, password: TEST_PASSWORD, next });
}

async function postCode(agent: Agent, pagePath: string, actionPath: string, code: string) {
  const page = await agent.get(pagePath);
  return agent
    .post(actionPath)
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), code });
}

/** A user with TOTP on (set up straight through the store) and the secret and recovery codes to use. */
async function userWithTotp(db: TestApp['db'], mfa: MfaStore, roles: readonly Role[]) {
  const user = await createTestUser(db, roles);
  const secret = createTotpSecret();
  const recoveryCodes = createRecoveryCodes();
  mfa.enableTotp(user.id, secret, recoveryCodes.map(hashRecoveryCode), 0);
  return { ...user, secret, recoveryCodes };
}

function secretOnPage(html: string): string {
  const match = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!match?.[1]) throw new Error('no secret on the page');
  return match[1].replace(/ /g, '');
}

describe('an administrator without a second factor (LOCAL_ADMIN_MFA=required)', () => {
  it('when they log in with the right password, then they must set up TOTP before any other page, and are logged in only once a code confirms it', async () => {
    const { app, db, mfaKey } = makeTestApp({ config: { adminMfaRequired: true } });
    const admin = await createTestUser(db, ['admin']);
    const agent = request.agent(app);

    const password = await postPassword(agent, admin.email, '/admin/users');
    expect(password.status).toBe(303);
    expect(password.headers.location).toBe('/login/mfa/setup');
    expect(loggedInUserIds(db)).toEqual([]);
    // No other page yet: every one sends them to the login page, where they start again.
    expect((await agent.get('/admin/users')).headers.location).toMatch(/^\/login/);
    expect((await agent.get('/')).headers.location).toMatch(/^\/login/);

    const setup = await agent.get('/login/mfa/setup');
    expect(setup.status).toBe(200);
    expect(setup.text).toContain('Administratörer som loggar in med lösenord måste');
    const secret = secretOnPage(setup.text);
    expect(setup.text).toContain(`otpauth://totp/hf-fidelity:${encodeURIComponent(admin.email)}?secret=${secret}`);
    expect(setup.text).not.toMatch(/<img|https?:\/\/[^"]*qr/i);

    const wrong = await agent
      .post('/login/mfa/setup')
      .type('form')
      .send({ _csrf: extractCsrfToken(setup.text), code: '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Koden stämmer inte');
    // The same secret again, so the app already added keeps working.
    expect(secretOnPage(wrong.text)).toBe(secret);
    expect(loggedInUserIds(db)).toEqual([]);

    const confirmed = await agent
      .post('/login/mfa/setup')
      .type('form')
      .send({ _csrf: extractCsrfToken(wrong.text), code: await codeAt(secret) });
    expect(confirmed.status).toBe(200);
    const codes = [...confirmed.text.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1] ?? '');
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(confirmed.text).toContain('href="/admin/users"');
    expect(loggedInUserIds(db)).toEqual([admin.id]);
    expect((await agent.get('/admin/users')).status).toBe(200);

    // Stored: the secret sealed with the app's key (never in clear), and only hashes of the recovery codes.
    const { secret: stored } = db.prepare('SELECT secret FROM user_totp WHERE user_id = ?').get(admin.id) as { secret: string };
    expect(stored).toMatch(/^v1:[\w-]{16}:[\w-]+:[\w-]{22}$/);
    expect(stored).not.toContain(secret);
    expect(openTotpSecret(mfaKey, admin.id, stored)).toEqual({ ok: true, secret, sealed: true });
    const hashes = db.prepare('SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ?').all(admin.id) as { code_hash: string }[];
    expect(hashes.map((h) => h.code_hash).sort()).toEqual(codes.map(hashRecoveryCode).sort());
    expect(JSON.stringify(db.prepare('SELECT * FROM audit_log').all())).not.toContain(secret);
    expect(mfaAuditEvents(db, admin.id)).toEqual([{ actor_id: admin.id, event: 'enabled' }]);
  });

  it('when second factors are optional (LOCAL_ADMIN_MFA=optional), then an administrator logs in with the password alone', async () => {
    const { app, db } = makeTestApp({ config: { adminMfaRequired: false } });
    const admin = await createTestUser(db, ['admin']);
    const response = await postPassword(request.agent(app), admin.email);
    expect(response.headers.location).toBe('/');
    expect(loggedInUserIds(db)).toEqual([admin.id]);
  });
});

describe('POST /login/mfa', () => {
  it('when a user with TOTP gives the right password, then only a right code logs them in, once, under a new session id', async () => {
    const { app, db, services } = makeTestApp();
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = request.agent(app);
    const password = await postPassword(agent, user.email, '/municipalities');
    expect(password.headers.location).toBe('/login/mfa');
    expect(loggedInUserIds(db)).toEqual([]);
    expect((await agent.get('/municipalities')).headers.location).toMatch(/^\/login/);

    const wrong = await postCode(agent, '/login/mfa', '/login/mfa', '123456');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Koden stämmer inte');
    expect(loggedInUserIds(db)).toEqual([]);

    const page = await agent.get('/login/mfa');
    const pendingCookie = (page.headers['set-cookie'] as unknown as string[] | undefined)?.[0];
    const code = await codeAt(user.secret);
    const right = await agent
      .post('/login/mfa')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), code });
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe('/municipalities');
    expect((right.headers['set-cookie'] as unknown as string[])[0]).not.toBe(pendingCookie);
    expect(loggedInUserIds(db)).toEqual([user.id]);

    // The same code cannot be used again, not even straight away on another device.
    const other = request.agent(app);
    await postPassword(other, user.email);
    expect((await postCode(other, '/login/mfa', '/login/mfa', code)).status).toBe(401);
    expect(loggedInUserIds(db)).toEqual([user.id]);
  });

  it('when the server clock ran an hour ahead at the last login and was set back, then a right code still logs in, once, and the log says so', async () => {
    const { app, db, logs, services } = makeTestApp();
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    // The last code accepted was of a period an hour from now: accepted while the clock ran ahead.
    const nowStep = Math.floor(Date.now() / 1000 / 30);
    db.prepare('UPDATE user_totp SET last_used_step = ? WHERE user_id = ?').run(nowStep + 120, user.id);
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    const code = await codeAt(user.secret);
    expect((await postCode(agent, '/login/mfa', '/login/mfa', code)).status).toBe(303);
    expect(loggedInUserIds(db)).toEqual([user.id]);
    // The counter is back at the period used now, so the same code is still refused a second time.
    expect(Number(db.prepare('SELECT last_used_step FROM user_totp WHERE user_id = ?').pluck().get(user.id))).toBeLessThanOrEqual(
      nowStep + 1,
    );
    const other = request.agent(app);
    await postPassword(other, user.email);
    expect((await postCode(other, '/login/mfa', '/login/mfa', code)).status).toBe(401);
    expect(eventsIn(logs)).toContainEqual(expect.objectContaining({ event: 'mfa_clock_set_back', userId: user.id }));
  });

  it('when the last code accepted is within the tolerance ahead, then it still blocks the replay of an earlier period', async () => {
    const { app, db, services } = makeTestApp();
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const nowStep = Math.floor(Date.now() / 1000 / 30);
    db.prepare('UPDATE user_totp SET last_used_step = ? WHERE user_id = ?').run(nowStep, user.id);
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    // The code of the period before, inside the tolerance but not after the last one used: refused.
    expect((await postCode(agent, '/login/mfa', '/login/mfa', await codeAt(user.secret, -1))).status).toBe(401);
  });

  it('when a recovery code is given instead, then it logs in once, is used up, and the audit log says so', async () => {
    const { app, db, logs, services } = makeTestApp();
    const user = await userWithTotp(db, services.mfa, ['coordinator']);
    const recovery = (user.recoveryCodes[3] ?? '').toUpperCase().replace('-', ' ');
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    const used = await postCode(agent, '/login/mfa', '/login/mfa', recovery);
    expect(used.status).toBe(303);
    expect(loggedInUserIds(db)).toEqual([user.id]);
    expect((await agent.get('/')).text).toContain('reservkod');
    expect(eventsIn(logs).map((e) => [e.event, e.via])).toContainEqual(['mfa_recovery_code_used', 'recovery_code']);
    expect(logs.join('\n')).not.toContain(user.recoveryCodes[3]);
    expect(mfaAuditEvents(db, user.id)).toEqual([
      { actor_id: user.id, event: 'enabled' },
      { actor_id: user.id, event: 'recovery_code_used' },
    ]);

    const again = request.agent(app);
    await postPassword(again, user.email);
    expect((await postCode(again, '/login/mfa', '/login/mfa', recovery)).status).toBe(401);
    expect(db.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL').get(user.id)).toEqual({ n: 9 });
  });

  it('when codes are guessed, then after LOGIN_MAX_FAILURES wrong ones even the right code is refused, and the lock-out is in the audit log', async () => {
    const { app, db, logs, services } = makeTestApp({ config: { loginMaxFailures: 3 } });
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    expect((await postCode(agent, '/login/mfa', '/login/mfa', '111111')).status).toBe(401);
    expect((await postCode(agent, '/login/mfa', '/login/mfa', '222222')).status).toBe(401);
    const locked = await postCode(agent, '/login/mfa', '/login/mfa', '333333');
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('För många felaktiga koder');
    const right = await postCode(agent, '/login/mfa', '/login/mfa', await codeAt(user.secret));
    expect(right.status).toBe(429);
    expect(loggedInUserIds(db)).toEqual([]);
    expect(mfaAuditEvents(db, user.id).map((e) => e.event)).toEqual(['enabled', 'locked_out']);
    // The security log has each wrong code and the lock-out, by user id, and never a code or the secret.
    const mfaEvents = eventsIn(logs).filter((e) => e.event.startsWith('mfa_'));
    expect(mfaEvents.map((e) => [e.event, e.userId, e.reason, e.lockedBy])).toEqual([
      ['mfa_failed', user.id, 'wrong_code', undefined],
      ['mfa_failed', user.id, 'wrong_code', undefined],
      ['mfa_failed', user.id, 'wrong_code', undefined],
      ['mfa_locked', user.id, 'too_many_failures', 'account'],
      ['mfa_failed', user.id, 'locked', 'account'],
    ]);
    const allLogs = logs.join('\n');
    for (const secretThing of ['111111', '333333', user.secret, ...user.recoveryCodes]) expect(allLogs).not.toContain(secretThing);
    // The password's own counter is another: the code's lock does not lock the password form.
    expect((await postPassword(request.agent(app), user.email)).headers.location).toBe('/login/mfa');
  });

  it('when wrong codes lock the address, then login_locked says the address, and the user is not counted as locked out', async () => {
    const { app, db, logs, services } = makeTestApp({ config: { loginMaxFailures: 5, loginMaxFailuresPerIp: 2 } });
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    expect((await postCode(agent, '/login/mfa', '/login/mfa', '111111')).status).toBe(401);
    expect((await postCode(agent, '/login/mfa', '/login/mfa', '222222')).status).toBe(429);
    const locks = eventsIn(logs).filter((e) => e.event.endsWith('_locked'));
    expect(locks.map((e) => [e.event, e.lockedBy, e.userId])).toEqual([['login_locked', 'address', undefined]]);
    expect(mfaAuditEvents(db, user.id).map((e) => e.event)).toEqual(['enabled']);
  });

  it('when nobody is waiting for a code, then the code pages send visitors to the login page', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/login/mfa')).headers.location).toBe('/login');
    expect((await request(app).get('/login/mfa/setup')).headers.location).toBe('/login');
  });
});

describe('/account/mfa', () => {
  it('when a reviewer sets up TOTP on their account page, then it is on, the codes are shown once, and the next login asks for a code', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const account = await agent.get('/account');
    expect(account.text).toContain('Avstängd.');
    expect(account.text).toContain('href="/account/mfa/setup"');
    const setup = await agent.get('/account/mfa/setup');
    const secret = secretOnPage(setup.text);
    const confirmed = await agent
      .post('/account/mfa/setup')
      .type('form')
      .send({ _csrf: extractCsrfToken(setup.text), code: await codeAt(secret) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Dina reservkoder');
    expect((await agent.get('/account')).text).toContain('Reservkoder kvar: 10');
    expect(mfaAuditEvents(db, user.id)).toEqual([{ actor_id: user.id, event: 'enabled' }]);

    expect((await postPassword(request.agent(app), user.email)).headers.location).toBe('/login/mfa');
  });

  it('when new recovery codes are made, then the old ones stop working; and TOTP is turned off only with a right code', async () => {
    const { app, db, services } = makeTestApp();
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    await postCode(agent, '/login/mfa', '/login/mfa', user.recoveryCodes[0] ?? '');

    const renewed = await postCode(agent, '/account', '/account/mfa/recovery-codes', user.recoveryCodes[1] ?? '');
    expect(renewed.status).toBe(200);
    expect(renewed.text).toContain('Dina reservkoder');
    expect(
      db
        .prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ? AND code_hash = ?')
        .get(user.id, hashRecoveryCode(user.recoveryCodes[2] ?? '')),
    ).toEqual({ n: 0 });

    const wrong = await postCode(agent, '/account', '/account/mfa/disable', '000000');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Koden stämmer inte');
    expect(services.mfa.findTotp(user.id)).toBeDefined();

    const off = await postCode(agent, '/account', '/account/mfa/disable', await codeAt(user.secret));
    expect(off.status).toBe(303);
    expect((await agent.get('/account')).text).toContain('Tvåstegsverifiering är avstängd.');
    expect(services.mfa.findTotp(user.id)).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ?').get(user.id)).toEqual({ n: 0 });
    expect(mfaAuditEvents(db, user.id).map((e) => e.event)).toEqual([
      'enabled',
      'recovery_code_used',
      'recovery_code_used',
      'recovery_codes_renewed',
      'disabled',
    ]);
  });

  it('when second factors are required of administrators, then an administrator cannot turn theirs off', async () => {
    const { app, db, services } = makeTestApp({ config: { adminMfaRequired: true } });
    const admin = await userWithTotp(db, services.mfa, ['admin']);
    const agent = request.agent(app);
    await postPassword(agent, admin.email);
    expect((await postCode(agent, '/login/mfa', '/login/mfa', await codeAt(admin.secret))).status).toBe(303);
    const account = await agent.get('/account');
    expect(account.text).not.toContain('action="/account/mfa/disable"');
    const refused = await agent
      .post('/account/mfa/disable')
      .type('form')
      .send({ _csrf: extractCsrfToken(account.text), code: await codeAt(admin.secret, 1) });
    expect(refused.status).toBe(409);
    expect(services.mfa.findTotp(admin.id)).toBeDefined();
  });

  it('when an anonymous visitor opens the account pages, then they are sent to the login page', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/account')).headers.location).toBe('/login?next=%2Faccount');
    expect((await request(app).get('/account/mfa/setup')).headers.location).toBe('/login?next=%2Faccount%2Fmfa%2Fsetup');
  });
});

describe('POST /admin/users/:id/mfa/reset', () => {
  it('when an administrator removes a user’s lost second factor, then the user logs in with the password again and the audit log names the administrator', async () => {
    const { app, db, logs, services } = makeTestApp();
    const admin = await createTestUser(db, ['admin']);
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = await loginAgent(app, admin.email);
    const edit = await agent.get(`/admin/users/${user.id}/edit`);
    expect(edit.text).toContain(`action="/admin/users/${user.id}/mfa/reset"`);

    const removed = await agent
      .post(`/admin/users/${user.id}/mfa/reset`)
      .type('form')
      .send({ _csrf: extractCsrfToken(edit.text) });
    expect(removed.status).toBe(303);
    expect((await agent.get(`/admin/users/${user.id}/edit`)).text).toContain('Tvåstegsverifieringen är borttagen.');
    expect(services.mfa.findTotp(user.id)).toBeUndefined();
    expect(mfaAuditEvents(db, user.id)).toEqual([
      { actor_id: user.id, event: 'enabled' },
      { actor_id: admin.id, event: 'disabled' },
    ]);
    expect(eventsIn(logs)).toContainEqual(expect.objectContaining({ event: 'mfa_disabled', userId: user.id, reason: 'removed_by_admin' }));
    expect((await postPassword(request.agent(app), user.email)).headers.location).toBe('/');
  });

  it('when someone else than an administrator tries it, then it is forbidden and the second factor stays', async () => {
    const { app, db, services } = makeTestApp();
    const coordinator = await createTestUser(db, ['coordinator']);
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = await loginAgent(app, coordinator.email);
    const home = await agent.get('/');
    const refused = await agent
      .post(`/admin/users/${user.id}/mfa/reset`)
      .type('form')
      .send({ _csrf: extractCsrfToken(home.text) });
    expect(refused.status).toBe(403);
    expect(services.mfa.findTotp(user.id)).toBeDefined();
  });

  it('when an administrator tries it on their own account, then it is refused and the second factor stays (the account page needs a code)', async () => {
    const { app, db, logs, services } = makeTestApp();
    const admin = await userWithTotp(db, services.mfa, ['admin']);
    const agent = request.agent(app);
    expect((await postPassword(agent, admin.email)).headers.location).toBe('/login/mfa');
    expect((await postCode(agent, '/login/mfa', '/login/mfa', await codeAt(admin.secret))).status).toBe(303);
    const edit = await agent.get(`/admin/users/${admin.id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).not.toContain(`action="/admin/users/${admin.id}/mfa/reset"`);

    const refused = await agent
      .post(`/admin/users/${admin.id}/mfa/reset`)
      .type('form')
      .send({ _csrf: extractCsrfToken(edit.text) });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Din egen tvåstegsverifiering ändrar du på sidan Mitt konto');
    expect(services.mfa.findTotp(admin.id)).toBeDefined();
    expect(eventsIn(logs).filter((line) => line.event === 'mfa_disabled')).toEqual([]);
  });
});

/** The page's error summary: the one alert, focused on load (ux.md rule 5). */
const FOCUSED_SUMMARY = /<div class="error-summary" role="alert" tabindex="-1" autofocus>/;

function expectRefusedPage(html: string, title: string, typedCodes: readonly string[]) {
  expect(html).toMatch(new RegExp(`<title>Fel: ${title} – `));
  expect(html).toMatch(FOCUSED_SUMMARY);
  expect(html.match(/role="alert"/g)).toHaveLength(1);
  // A code typed is a secret: never sent back, not even into its field.
  for (const code of typedCodes) expect(html).not.toContain(code);
}

describe('refused codes get the page’s error summary', () => {
  it('when a wrong code is typed on /login/mfa and then the codes lock, then each page has the focused summary and a "Fel: " title', async () => {
    const { app, db, services } = makeTestApp({ config: { loginMaxFailures: 2 } });
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    const wrong = await postCode(agent, '/login/mfa', '/login/mfa', '111111');
    expect(wrong.status).toBe(401);
    expectRefusedPage(wrong.text, 'Tvåstegsverifiering', ['111111']);
    expect(wrong.text).toMatch(/<a href="#f-code">Koden stämmer inte/);

    const locked = await postCode(agent, '/login/mfa', '/login/mfa', '222222');
    expect(locked.status).toBe(429);
    expectRefusedPage(locked.text, 'Tvåstegsverifiering', ['222222']);
    expect(locked.text).toMatch(/autofocus>\s*<p>För många felaktiga koder\./);
    expect(loggedInUserIds(db)).toEqual([]);
  });

  it('when set-up codes lock an administrator out on /login/mfa/setup, then the lock-out is the focused summary and the title starts "Fel: "', async () => {
    const { app, db, services } = makeTestApp({ config: { adminMfaRequired: true, loginMaxFailures: 2 } });
    const admin = await createTestUser(db, ['admin']);
    const agent = request.agent(app);
    await postPassword(agent, admin.email);
    const wrong = await postCode(agent, '/login/mfa/setup', '/login/mfa/setup', '111111');
    expect(wrong.status).toBe(422);
    expectRefusedPage(wrong.text, 'Slå på tvåstegsverifiering', ['111111']);
    const locked = await postCode(agent, '/login/mfa/setup', '/login/mfa/setup', '222222');
    expect(locked.status).toBe(429);
    expectRefusedPage(locked.text, 'Slå på tvåstegsverifiering', ['222222']);
    expect(locked.text).toMatch(/autofocus>\s*<p>För många felaktiga koder\./);
    expect(services.mfa.findTotp(admin.id)).toBeUndefined();
  });

  it('when set-up codes lock a user out on /account/mfa/setup, then the lock-out is the focused summary, in English too', async () => {
    const { app, db, services } = makeTestApp({ config: { loginMaxFailures: 1 } });
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const page = await agent.get('/account/mfa/setup?lang=en');
    const locked = await agent
      .post('/account/mfa/setup?lang=en')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), code: '111111' });
    expect(locked.status).toBe(429);
    expect(locked.text).toMatch(/<title>Error: Turn on two-step verification – /);
    expect(locked.text).toMatch(FOCUSED_SUMMARY);
    expect(locked.text).toMatch(/autofocus>\s*<p>Too many wrong codes\./);
    expect(locked.text.match(/role="alert"/g)).toHaveLength(1);
    expect(locked.text).not.toContain('111111');
    expect(services.mfa.findTotp(user.id)).toBeUndefined();
  });

  it('when a wrong code is typed into the account page’s forms, then the page has a focused summary linking to that form’s field, and a lock-out is its text', async () => {
    const { app, db, services } = makeTestApp({ config: { loginMaxFailures: 2 } });
    const user = await userWithTotp(db, services.mfa, ['reviewer']);
    const agent = request.agent(app);
    await postPassword(agent, user.email);
    await postCode(agent, '/login/mfa', '/login/mfa', user.recoveryCodes[0] ?? '');

    const wrong = await postCode(agent, '/account', '/account/mfa/disable', '111111');
    expect(wrong.status).toBe(422);
    expectRefusedPage(wrong.text, 'Mitt konto', ['111111']);
    expect(wrong.text).toMatch(/<a href="#f-code-disable">Koden stämmer inte/);
    // The summary comes before the page's sections, right after the heading.
    expect(wrong.text.indexOf('class="error-summary"')).toBeLessThan(wrong.text.indexOf('id="mfa"'));

    const locked = await postCode(agent, '/account', '/account/mfa/recovery-codes', '222222');
    expect(locked.status).toBe(429);
    expectRefusedPage(locked.text, 'Mitt konto', ['222222']);
    expect(locked.text).toMatch(/autofocus>\s*<p>För många felaktiga koder\./);
    expect(services.mfa.findTotp(user.id)).toBeDefined();
    expect(db.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL').get(user.id)).toEqual({ n: 9 });
  });
});
