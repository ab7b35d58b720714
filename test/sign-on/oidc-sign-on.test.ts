// Single sign-on against a real OpenID provider (oidc-provider) on loopback: the whole flow, and every way it must
// refuse. The app is driven through supertest; the provider's side through fetch with its own cookies.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/app.js';
import type { OidcSettings } from '../../src/config.js';
import { type Agent, createTestUser, extractCsrfToken, makeTestApp, type TestApp, TEST_PASSWORD } from '../helpers/test-app.js';
import { APP_URL, CLIENT_ID, CLIENT_SECRET, createProviderBrowser, startTestProvider, type TestProvider } from './oidc-test-provider.js';

let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider();
});

afterAll(async () => {
  await provider.close();
});

function oidcSettings(): OidcSettings {
  return {
    issuerUrl: provider.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    emailClaim: 'email',
    nameClaim: 'name',
    trustEmailClaim: false,
    redirectUrl: `${APP_URL}/login/oidc/callback`,
    postLogoutRedirectUrl: `${APP_URL}/login`,
    // The loopback provider speaks plain http: allowed here only, by this explicit setting.
    allowInsecureRequests: true,
  };
}

function makeSignOnApp(overrides: Parameters<typeof makeTestApp>[0] = {}): TestApp {
  return makeTestApp({ ...overrides, config: { oidc: oidcSettings(), ...overrides.config } });
}

let subjectCounter = 0;
function newSubject(): string {
  subjectCounter += 1;
  return `subject-${subjectCounter}`;
}

function sessionCookie(response: request.Response): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
}

function loggedInUserIds(db: TestApp['db']): number[] {
  return (db.prepare('SELECT user_id FROM sessions WHERE user_id IS NOT NULL').all() as { user_id: number }[]).map((row) => row.user_id);
}

/** Leaves the app for the provider, signs in there as subject, and returns the callback path and query, not yet visited. */
async function throughProvider(
  agent: Agent,
  subject: string,
  next?: string,
): Promise<{ callback: string; startCookie: string | undefined }> {
  const start = await agent.get(next === undefined ? '/login/oidc' : `/login/oidc?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(303);
  expect(start.headers.location).toMatch(new RegExp(`^${provider.issuer}/auth\\?`));
  const authorization = new URL(start.headers.location as string);
  expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorization.searchParams.get('state')).toBeTruthy();
  expect(authorization.searchParams.get('nonce')).toBeTruthy();
  provider.signInAs(subject);
  const callback = await createProviderBrowser(provider.issuer).follow(start.headers.location as string);
  expect(callback).toMatch(/^\/login\/oidc\/callback\?code=/);
  return { callback, startCookie: sessionCookie(start) };
}

describe('GET /login/oidc and /login/oidc/callback', () => {
  it('when a person with a verified e-mail of an active account signs in, then they are logged in as that account, under a new session id', async () => {
    const { app, db } = makeSignOnApp();
    const user = await createTestUser(db, ['reviewer'], { email: 'anna.andersson@example.org', displayName: 'Anna Andersson' });
    const subject = newSubject();
    // The provider spells the address with capitals: matched case-insensitively.
    provider.accounts.set(subject, { email: 'Anna.Andersson@Example.org', email_verified: true, name: 'Anna A' });
    const agent = request.agent(app);
    const { callback, startCookie } = await throughProvider(agent, subject, '/municipalities');

    const finished = await agent.get(callback);
    expect(finished.status).toBe(303);
    expect(finished.headers.location).toBe('/municipalities');
    expect(sessionCookie(finished)).toBeDefined();
    expect(sessionCookie(finished)).not.toBe(startCookie);
    expect(loggedInUserIds(db)).toEqual([user.id]);

    const page = await agent.get('/municipalities');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Anna Andersson');
    const account = await agent.get('/account');
    expect(account.text).toContain('organisationens konto');
  });

  it('when the state in the callback is not the one sent, then the sign-in is refused and nobody is logged in', async () => {
    const { app, db, logs } = makeSignOnApp();
    await createTestUser(db, ['reviewer'], { email: 'state@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'state@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);
    const tampered = callback.replace(/state=[^&]+/, 'state=not-the-state-we-sent');

    const refused = await agent.get(tampered);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Inloggningen misslyckades');
    expect(loggedInUserIds(db)).toEqual([]);
    // The transaction is used up: the real callback afterwards does not log in either.
    expect((await agent.get(callback)).status).toBe(400);
    expect(loggedInUserIds(db)).toEqual([]);
    // Both refusals reach the security log as words, with neither the code nor the state.
    const failures = logs
      .map((line) => JSON.parse(line) as { event?: string; reason?: string })
      .filter((line) => line.event === 'oidc_failed');
    expect(failures.map((line) => line.reason)).toEqual(['rejected:OAUTH_INVALID_RESPONSE', 'no_transaction']);
    const code = new URLSearchParams(callback.split('?')[1]).get('code') ?? '';
    expect(code).not.toBe('');
    expect(logs.join('\n')).not.toContain(code);
  });

  it('when the ID token carries another nonce than the session holds, then the sign-in is refused', async () => {
    const { app, db } = makeSignOnApp();
    await createTestUser(db, ['reviewer'], { email: 'nonce@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'nonce@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);
    // The nonce the session expects is no longer the one the provider put in the ID token.
    const changed = db
      .prepare(`UPDATE sessions SET data = json_set(data, '$.oidc.nonce', 'another-nonce') WHERE json_extract(data, '$.oidc') IS NOT NULL`)
      .run();
    expect(changed.changes).toBe(1);

    const refused = await agent.get(callback);
    expect(refused.status).toBe(400);
    expect(loggedInUserIds(db)).toEqual([]);
  });

  it('when an authorization code is used a second time, then the provider refuses it and nobody is logged in by it', async () => {
    const { app, db, logs } = makeSignOnApp();
    const user = await createTestUser(db, ['reviewer'], { email: 'replay@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'replay@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback, startCookie } = await throughProvider(agent, subject);
    // An attacker's copy of the pending session, with its state, nonce and PKCE verifier: all that the code needs.
    const pending = db.prepare(`SELECT sid, data, expires_at FROM sessions WHERE json_extract(data, '$.oidc') IS NOT NULL`).get() as {
      sid: string;
      data: string;
      expires_at: number;
    };

    expect((await agent.get(callback)).status).toBe(303);
    expect(loggedInUserIds(db)).toEqual([user.id]);

    // The login replaced that session; put the copy back and replay the same callback with it.
    db.prepare('INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)').run(pending.sid, pending.data, pending.expires_at);
    const replay = await request(app)
      .get(callback)
      .set('Cookie', startCookie ?? '');
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('Inloggningen misslyckades');
    expect(loggedInUserIds(db)).toEqual([user.id]);
    expect(signOnFailures(logs)).toEqual(['rejected:invalid_grant']);
  });

  it('when the provider has not verified the e-mail, then the person gets "no access yet" and no session, even for an existing account', async () => {
    const { app, db } = makeSignOnApp();
    await createTestUser(db, ['admin'], { email: 'unverified@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'unverified@example.org', email_verified: false });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);

    const page = await agent.get(callback);
    expect(page.status).toBe(403);
    expect(page.text).toContain('Du har inte tillgång ännu');
    expect(page.text).toContain('Kontakta administratören');
    expect(page.text).not.toContain('unverified@example.org');
    expect(loggedInUserIds(db)).toEqual([]);
    expect((await agent.get('/')).headers.location).toMatch(/^\/login/);
  });

  it('when the e-mail is read from another claim (preferred_username), then email_verified does not vouch for it: only OIDC_TRUST_EMAIL_CLAIM lets the person in', async () => {
    const settings = { ...oidcSettings(), emailClaim: 'preferred_username' };
    const { app, db, logs } = makeSignOnApp({ config: { oidc: settings } });
    await createTestUser(db, ['admin'], { email: 'chef@example.org' });
    const subject = newSubject();
    // Someone's own verified e-mail, and a username chosen to look like another person's address.
    provider.accounts.set(subject, { email: 'someone@example.net', email_verified: true, preferred_username: 'chef@example.org' });
    const agent = request.agent(app);
    const refused = await agent.get((await throughProvider(agent, subject)).callback);
    expect(refused.status).toBe(403);
    expect(loggedInUserIds(db)).toEqual([]);
    expect(logs.join('\n')).toContain('no_access:email_not_verified');

    // The operator says the provider guarantees the claim (OIDC_TRUST_EMAIL_CLAIM=true): then it matches the account.
    const trusting = makeSignOnApp({ config: { oidc: { ...settings, trustEmailClaim: true } } });
    const user = await createTestUser(trusting.db, ['reviewer'], { email: 'upn.user@example.org' });
    const trusted = newSubject();
    provider.accounts.set(trusted, { preferred_username: 'UPN.User@example.org' });
    const trustingAgent = request.agent(trusting.app);
    const finished = await trustingAgent.get((await throughProvider(trustingAgent, trusted)).callback);
    expect(finished.status).toBe(303);
    expect(loggedInUserIds(trusting.db)).toEqual([user.id]);
  });

  it('when nobody has an account with the e-mail, then the person gets "no access yet" (in English too) and no account is made', async () => {
    const { app, db } = makeSignOnApp();
    await createTestUser(db, ['admin']);
    const users = (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'stranger@example.org', email_verified: true, name: 'Stranger' });
    const agent = request.agent(app);
    await agent.get('/language/en');
    const { callback } = await throughProvider(agent, subject);

    const page = await agent.get(callback);
    expect(page.status).toBe(403);
    expect(page.text).toContain('You do not have access yet');
    expect(page.text).toContain('Contact the administrator');
    expect((db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(users);
    expect(loggedInUserIds(db)).toEqual([]);
  });

  it('when the account is deactivated, then signing in through the provider gets "no access yet"', async () => {
    const { app, db } = makeSignOnApp();
    const user = await createTestUser(db, ['reviewer'], { email: 'former@example.org' });
    db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(user.id);
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'former@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);
    expect((await agent.get(callback)).status).toBe(403);
    expect(loggedInUserIds(db)).toEqual([]);
  });

  it('when someone signed in through the provider logs out, then the session ends and the browser goes to the provider’s logout with the ID token hint', async () => {
    const { app, db } = makeSignOnApp();
    await createTestUser(db, ['reviewer'], { email: 'leaving@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'leaving@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);
    expect((await agent.get(callback)).status).toBe(303);

    const home = await agent.get('/');
    const logout = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: extractCsrfToken(home.text) });
    expect(logout.status).toBe(303);
    const target = new URL(logout.headers.location as string);
    expect(`${target.origin}${target.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(target.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${APP_URL}/login`);
    expect(loggedInUserIds(db)).toEqual([]);
    // The provider accepts the hint and the registered address: it shows its logout confirmation.
    expect((await fetch(target, { redirect: 'manual' })).status).toBe(200);
  });

  it('when an administrator signs in through the provider, then no TOTP is asked for: the provider’s own second factor applies', async () => {
    const { app, db } = makeSignOnApp({ config: { adminMfaRequired: true } });
    const admin = await createTestUser(db, ['admin'], { email: 'chef@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'chef@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);
    const finished = await agent.get(callback);
    expect(finished.headers.location).toBe('/');
    expect(loggedInUserIds(db)).toEqual([admin.id]);
    expect((await agent.get('/admin/users')).status).toBe(200);
  });

  it('when the person comes back from the provider after the sign-in has expired, then it is refused', async () => {
    const { app, db, logs } = makeSignOnApp();
    await createTestUser(db, ['reviewer'], { email: 'slow@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'slow@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);
    // Started eleven minutes ago: a sign-in must come back within ten.
    db.prepare(`UPDATE sessions SET data = json_set(data, '$.oidc.startedAt', ?) WHERE json_extract(data, '$.oidc') IS NOT NULL`).run(
      Date.now() - 11 * 60_000,
    );
    expect((await agent.get(callback)).status).toBe(400);
    expect(loggedInUserIds(db)).toEqual([]);
    expect(logs.some((line) => (JSON.parse(line) as { reason?: string }).reason === 'expired')).toBe(true);
  });

  it('when the app’s clock has moved eleven minutes on since the sign-in started, then the callback is refused as expired', async () => {
    let now = Date.now();
    const { app, db, logs } = makeSignOnApp({ clock: () => new Date(now) });
    await createTestUser(db, ['reviewer'], { email: 'later@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'later@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);
    now += 11 * 60_000;
    expect((await agent.get(callback)).status).toBe(400);
    expect(loggedInUserIds(db)).toEqual([]);
    expect(logs.some((line) => (JSON.parse(line) as { reason?: string }).reason === 'expired')).toBe(true);
  });

  it('when single sign-on is not configured, then its routes do not exist and the login page does not offer it', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/login/oidc')).status).toBe(404);
    expect((await request(app).get('/login/oidc/callback?code=x&state=y')).status).toBe(404);
    expect((await request(app).get('/login')).text).not.toContain('organisationens konto');
  });

  it('when the provider cannot be reached, then the person gets a page saying so, not a 500', async () => {
    const { app } = makeTestApp({ config: { oidc: { ...oidcSettings(), issuerUrl: 'http://127.0.0.1:9/' } } });
    const page = await request(app).get('/login/oidc');
    expect(page.status).toBe(502);
    expect(page.text).toContain('Inloggningen misslyckades');
  });
});

/** The security log's oidc_failed reasons, in order. */
function signOnFailures(logs: readonly string[]): (string | undefined)[] {
  return logs
    .map((line) => JSON.parse(line) as { event?: string; reason?: string })
    .filter((line) => line.event === 'oidc_failed')
    .map((line) => line.reason);
}

/** A port nothing listens on: one the system gave a server that is closed again. */
async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const TLS_FIXTURES = new URL('../fixtures/tls/', import.meta.url);

/**
 * An https provider on loopback whose certificate an internal CA signed (test/fixtures/tls; the CA's key was thrown
 * away), which Node does not trust: `chain` sends the CA's certificate along, as many servers do.
 */
async function withUntrustedProvider(chain: boolean, use: (issuer: string) => Promise<void>): Promise<void> {
  const leaf = readFileSync(new URL('provider.crt', TLS_FIXTURES), 'utf8');
  const ca = readFileSync(new URL('ca.crt', TLS_FIXTURES), 'utf8');
  const server = createHttpsServer(
    { key: readFileSync(new URL('provider.key', TLS_FIXTURES)), cert: chain ? leaf + ca : leaf },
    (_req, res) => res.end('{}'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('single sign-on failures in the log', () => {
  it('when nothing listens at the issuer, then the log says provider_unavailable:ECONNREFUSED', async () => {
    const port = await closedPort();
    const { app, logs } = makeTestApp({ config: { oidc: { ...oidcSettings(), issuerUrl: `http://127.0.0.1:${port}` } } });
    expect((await request(app).get('/login/oidc')).status).toBe(502);
    expect(signOnFailures(logs)).toEqual(['provider_unavailable:ECONNREFUSED']);
  });

  it('when the provider’s certificate is from a CA this machine does not trust, then the log names the certificate problem, not a TypeError', async () => {
    for (const [chain, expected] of [
      [false, 'provider_unavailable:UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
      [true, 'provider_unavailable:SELF_SIGNED_CERT_IN_CHAIN'],
    ] as const) {
      await withUntrustedProvider(chain, async (issuer) => {
        const { app, logs } = makeTestApp({ config: { oidc: { ...oidcSettings(), issuerUrl: issuer, allowInsecureRequests: false } } });
        const page = await request(app).get('/login/oidc');
        expect(page.status).toBe(502);
        expect(page.text).toContain('Inloggningen misslyckades');
        expect(signOnFailures(logs)).toEqual([expected]);
      });
    }
  });

  it('when the provider refuses the client secret at the token endpoint, then the log says rejected:invalid_client and holds neither the secret nor the code', async () => {
    const { app, db, logs } = makeSignOnApp({ config: { oidc: { ...oidcSettings(), clientSecret: 'not-the-registered-secret' } } });
    await createTestUser(db, ['reviewer'], { email: 'secret@example.org' });
    const subject = newSubject();
    provider.accounts.set(subject, { email: 'secret@example.org', email_verified: true });
    const agent = request.agent(app);
    const { callback } = await throughProvider(agent, subject);

    expect((await agent.get(callback)).status).toBe(400);
    expect(loggedInUserIds(db)).toEqual([]);
    expect(signOnFailures(logs)).toEqual(['rejected:invalid_client']);
    const code = new URLSearchParams(callback.split('?')[1]).get('code') ?? '';
    expect(logs.join('\n')).not.toContain(code);
    expect(logs.join('\n')).not.toContain('not-the-registered-secret');
  });

  it('when the provider sends the person back with an OAuth error, then the log has its standard code, and any other word as other_error', async () => {
    const { app, logs } = makeSignOnApp();
    for (const error of ['unauthorized_client', 'access_denied']) {
      const agent = request.agent(app);
      const start = await agent.get('/login/oidc');
      provider.refuseNextWith(error);
      const callback = await createProviderBrowser(provider.issuer).follow(start.headers.location as string);
      expect(callback).toContain(`error=${error}`);
      const page = await agent.get(callback);
      expect(page.status).toBe(400);
      expect(page.text).toContain('Inloggningen misslyckades');
    }
    // A callback address someone made up, with a personnummer as its error: the word never reaches the log.
    const agent = request.agent(app);
    const start = new URL((await agent.get('/login/oidc')).headers.location as string);
    const state = start.searchParams.get('state') ?? '';
    const made = `/login/oidc/callback?error=19811218-9876&state=${state}&iss=${encodeURIComponent(provider.issuer)}`;
    expect((await agent.get(made)).status).toBe(400);
    expect(signOnFailures(logs)).toEqual([
      'provider_error:unauthorized_client',
      'provider_error:access_denied',
      'provider_error:other_error',
    ]);
    expect(logs.join('\n')).not.toContain('19811218');
  });
});

describe('LOCAL_LOGIN', () => {
  it('when single sign-on is configured, then the login page offers "Logga in med organisationens konto" beside the password form', async () => {
    const { app } = makeSignOnApp();
    const page = await request(app).get('/login?next=/municipalities');
    expect(page.text).toContain('Logga in med organisationens konto');
    expect(page.text).toContain('href="/login/oidc?next=%2Fmunicipalities"');
    expect(page.text).toContain('action="/login"');
  });

  it('when LOCAL_LOGIN=off, then the password form is gone and a password posted anyway is refused before it is checked', async () => {
    const { app, db } = makeSignOnApp({ config: { localLogin: 'off' } });
    const user = await createTestUser(db, ['admin']);
    const page = await request(app).get('/login');
    expect(page.text).toContain('Logga in med organisationens konto');
    expect(page.text).not.toContain('action="/login"');
    // A valid CSRF token from the same database's login form while passwords were still on, so only LOCAL_LOGIN refuses.
    const before = makeSignOnApp({ db });
    const agent = request.agent(before.app);
    const form = await agent.get('/login');
    const cookie = sessionCookie(form) ?? '';
    const refused = await request(app)
      .post('/login')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: extractCsrfToken(form.text), email: user.email, password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Inloggning med lösenord är avstängd');
    expect(loggedInUserIds(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM login_attempts').get()).toEqual({ n: 0 });
  });

  it('when LOCAL_LOGIN=admins, then an administrator logs in with a password and anyone else gets the wrong-password answer', async () => {
    const { app, db } = makeSignOnApp({ config: { localLogin: 'admins' } });
    const admin = await createTestUser(db, ['admin']);
    const reviewer = await createTestUser(db, ['reviewer']);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    expect(page.text).toContain('bara för administratörer');
    const refused = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: reviewer.email, password: TEST_PASSWORD });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Fel e-postadress eller lösenord');
    expect(loggedInUserIds(db)).toEqual([]);
    const page2 = await agent.get('/login');
    const allowed = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page2.text), email: admin.email, password: TEST_PASSWORD });
    expect(allowed.status).toBe(303);
    expect(loggedInUserIds(db)).toEqual([admin.id]);
  });
});
