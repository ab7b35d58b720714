// One user's stored TOTP secret that does not open with the installation's key (sealed under another key, or a row
// damaged by hand) while the others do: not the user's fault, so never counted towards the lock-out. The user is told
// what to do in their language, the form keeps its state, and the operator gets an error line naming the user.
import { generate } from 'otplib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { generateMfaKey } from '../../src/accounts/mfa-key.js';
import { createRecoveryCodes, createTotpSecret, hashRecoveryCode } from '../../src/accounts/mfa.js';
import { sealTotpSecret } from '../../src/accounts/totp-seal.js';
import { type Agent, createTestUser, extractCsrfToken, makeTestApp, postForm, type TestApp, TEST_PASSWORD } from '../helpers/test-app.js';

const MESSAGE_SV = 'Koder från appen kan inte kontrolleras för ditt konto just nu.';
const MESSAGE_EN = 'Codes from the app cannot be checked for your account at the moment.';

type LogLine = { level?: string; event?: string; userId?: number; via?: string; reason?: string };

function eventsIn(logs: readonly string[]): LogLine[] {
  return logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.event !== undefined);
}

function codeNow(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) });
}

async function userWithTotp(app: TestApp) {
  const user = await createTestUser(app.db, ['reviewer']);
  const secret = createTotpSecret();
  const recoveryCodes = createRecoveryCodes();
  app.services.mfa.enableTotp(user.id, secret, recoveryCodes.map(hashRecoveryCode), 0);
  return { ...user, secret, recoveryCodes };
}

function storeSecret(db: TestApp['db'], userId: number, stored: string): void {
  db.prepare('UPDATE user_totp SET secret = ? WHERE user_id = ?').run(stored, userId);
}

async function postPassword(agent: Agent, email: string) {
  const page = await agent.get('/login');
  const response = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), email, password: TEST_PASSWORD });
  expect(response.headers.location).toBe('/login/mfa');
}

/** Posts a second factor's code on the form of a page (the login's, or the account page's). */
const postCode = (agent: Agent, pagePath: string, actionPath: string, code: string) => postForm(agent, pagePath, actionPath, { code });

function countersAndLockouts(db: TestApp['db']) {
  return {
    counters: (db.prepare('SELECT count(*) AS n FROM login_attempts').get() as { n: number }).n,
    lockouts: (db.prepare('SELECT count(*) AS n FROM mfa_lockouts').get() as { n: number }).n,
  };
}

function loggedInUserIds(db: TestApp['db']): number[] {
  return (db.prepare('SELECT user_id FROM sessions WHERE user_id IS NOT NULL').all() as { user_id: number }[]).map((row) => row.user_id);
}

describe('POST /login/mfa when the user’s stored secret does not open', () => {
  it('when the secret was sealed under another key, then right codes beyond LOGIN_MAX_FAILURES get the message (409), nothing is counted, the login keeps waiting, and the log names the user', async () => {
    const app = makeTestApp({ config: { loginMaxFailures: 2 } });
    const user = await userWithTotp(app);
    const other = await userWithTotp(app);
    const stored = sealTotpSecret(generateMfaKey(), user.id, user.secret);
    storeSecret(app.db, user.id, stored);
    const agent = request.agent(app.app);
    await postPassword(agent, user.email);

    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await postCode(agent, '/login/mfa', '/login/mfa', await codeNow(user.secret));
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(/<title>Fel: Tvåstegsverifiering – /);
      expect(refused.text).toMatch(/<div class="error-summary" role="alert" tabindex="-1" autofocus>\s*<p>Koder från appen kan inte/);
      expect(refused.text).toContain('kontakta administratören, som kan ta bort din tvåstegsverifiering');
      expect(refused.text).not.toContain('Koden stämmer inte');
      expect(refused.text).not.toContain('För många felaktiga koder');
    }
    expect(countersAndLockouts(app.db)).toEqual({ counters: 0, lockouts: 0 });
    expect(loggedInUserIds(app.db)).toEqual([]);

    const lines = eventsIn(app.logs).filter((line) => line.event?.startsWith('mfa_'));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toEqual(expect.objectContaining({ level: 'error', event: 'mfa_secret_unopenable', userId: user.id, via: 'totp' }));
      expect(line.reason).toBe('does_not_open');
    }
    const allLogs = app.logs.join('\n');
    for (const secretThing of [stored, user.secret, ...stored.split(':').slice(1)]) expect(allLogs).not.toContain(secretThing);

    // The same waiting login still takes a recovery code: nothing was locked.
    const recovered = await postCode(agent, '/login/mfa', '/login/mfa', user.recoveryCodes[0] ?? '');
    expect(recovered.status).toBe(303);
    expect(loggedInUserIds(app.db)).toEqual([user.id]);

    // Everyone else's secret still opens: their codes log them in.
    const otherAgent = request.agent(app.app);
    await postPassword(otherAgent, other.email);
    expect((await postCode(otherAgent, '/login/mfa', '/login/mfa', await codeNow(other.secret))).status).toBe(303);
  });

  it('when the stored value is not a secret at all (a damaged row), then the English page says so too, with reason unreadable', async () => {
    const app = makeTestApp({ config: { loginMaxFailures: 1 } });
    const user = await userWithTotp(app);
    storeSecret(app.db, user.id, 'v9:not-a-sealed-value');
    const agent = request.agent(app.app);
    await postPassword(agent, user.email);
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await postCode(agent, '/login/mfa?lang=en', '/login/mfa?lang=en', '123456');
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(/<title>Error: Two-step verification – /);
      expect(refused.text).toContain(MESSAGE_EN);
      expect(refused.text).toContain('contact the administrator, who can remove your two-step verification');
      expect(refused.text).not.toContain('123456');
    }
    expect(countersAndLockouts(app.db)).toEqual({ counters: 0, lockouts: 0 });
    expect(eventsIn(app.logs).filter((line) => line.event === 'mfa_secret_unopenable')).toEqual([
      expect.objectContaining({ userId: user.id, reason: 'unreadable' }),
      expect.objectContaining({ userId: user.id, reason: 'unreadable' }),
    ]);
    expect(app.logs.join('\n')).not.toContain('not-a-sealed-value');
  });
});

describe('/account/mfa forms when the user’s stored secret does not open', () => {
  it('when a code from the app is given to renew the codes or turn TOTP off, then the account page says what to do (409), nothing is counted or changed, and a recovery code still turns it off', async () => {
    const app = makeTestApp({ config: { loginMaxFailures: 1 } });
    const user = await userWithTotp(app);
    storeSecret(app.db, user.id, sealTotpSecret(generateMfaKey(), user.id, user.secret));
    const agent = request.agent(app.app);
    await postPassword(agent, user.email);
    expect((await postCode(agent, '/login/mfa', '/login/mfa', user.recoveryCodes[0] ?? '')).status).toBe(303);

    for (const action of ['/account/mfa/recovery-codes', '/account/mfa/disable']) {
      const refused = await postCode(agent, '/account', action, await codeNow(user.secret));
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(/<title>Fel: Mitt konto – /);
      expect(refused.text).toContain(MESSAGE_SV);
      expect(refused.text.match(/role="alert"/g)).toHaveLength(1);
    }
    expect(countersAndLockouts(app.db)).toEqual({ counters: 0, lockouts: 0 });
    expect(app.services.mfa.findTotp(user.id)).toBeDefined();
    expect(app.services.mfa.countRecoveryCodes(user.id)).toBe(9);

    const off = await postCode(agent, '/account', '/account/mfa/disable', user.recoveryCodes[1] ?? '');
    expect(off.status).toBe(303);
    expect(app.services.mfa.findTotp(user.id)).toBeUndefined();
  });
});
