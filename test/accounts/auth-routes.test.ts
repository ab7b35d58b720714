import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSetupStore } from '../../src/accounts/setup-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { SESSION_COOKIE } from '../../src/app.js';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp, TEST_PASSWORD } from '../helpers/test-app.js';
import { createTestClock } from '../helpers/test-clock.js';

describe('POST /login', () => {
  it('logs in with the right password, with a new session id, and sends the user where they were going', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = request.agent(app);
    const page = await agent.get('/login?next=/municipalities');
    const before = String(page.headers['set-cookie'] ?? '');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email.toUpperCase(), password: TEST_PASSWORD, next: '/municipalities' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/municipalities');
    const after = String(response.headers['set-cookie'] ?? '');
    expect(after).toContain(`${SESSION_COOKIE}=`);
    expect(after).toMatch(/HttpOnly/i);
    expect(after).toMatch(/SameSite=Lax/i);
    expect(after.split(';')[0]).not.toBe(before.split(';')[0]);
    expect((await agent.get('/municipalities')).status).toBe(200);
  });

  it('answers 401 with a message and keeps the email, but never the password, when the password is wrong', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: 'wrong password here' });
    expect(response.status).toBe(401);
    expect(response.text).toContain('Fel e-postadress eller lösenord.');
    expect(response.text).toContain(`value="${user.email}"`);
    expect(response.text).not.toContain('wrong password here');
    expect((await agent.get('/municipalities')).status).toBe(303);
  });

  it('when the password is wrong, then the message is the error summary: focused, the one alert, and the title starts "Fel: "', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    expect(page.text).not.toContain('role="alert"');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: 'wrong password here' });
    expect(response.status).toBe(401);
    expect(response.text).toMatch(/<title>Fel: Logga in – /);
    expect(response.text).toMatch(
      /<div class="error-summary" role="alert" tabindex="-1" autofocus>\s*<p>Fel e-postadress eller lösenord\.<\/p>/,
    );
    expect(response.text.match(/role="alert"/g)).toHaveLength(1);
  });

  it('gives the same answer for an unknown email and for a deactivated account', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const users = createUserStore(db);
    users.updateUser(user.id, { displayName: user.displayName, affiliation: '', active: false, roles: ['reviewer'] }, user.id);
    for (const email of ['nobody@example.org', user.email]) {
      const agent = request.agent(app);
      const page = await agent.get('/login?lang=en');
      const response = await agent
        .post('/login?lang=en')
        .type('form')
        .send({ _csrf: extractCsrfToken(page.text), email, password: TEST_PASSWORD });
      expect(response.status).toBe(401);
      expect(response.text).toContain('Wrong email address or password.');
    }
  });

  it('re-renders with 422 when fields are missing, and refuses a login form without a CSRF token', async () => {
    const { app } = makeTestApp();
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const empty = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text) });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Ange e-postadress.');
    expect(empty.text).toContain('Ange lösenord.');
    const noToken = await request(app).post('/login').type('form').send({ email: 'a@example.org', password: 'x' });
    expect(noToken.status).toBe(403);
  });

  it('does not redirect to another site after login', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: TEST_PASSWORD, next: '//evil.example/' });
    expect(response.headers.location).toBe('/');
  });
});

describe('POST /logout', () => {
  it('ends the session', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    const home = await agent.get('/');
    expect(
      (
        await agent
          .post('/logout')
          .type('form')
          .send({ _csrf: extractCsrfToken(home.text) })
      ).status,
    ).toBe(303);
    expect((await agent.get('/')).status).toBe(303);
    expect(db.prepare('SELECT count(*) AS n FROM sessions WHERE data LIKE ?').get(`%"userId":${user.id}%`)).toEqual({ n: 0 });
  });
});

describe('sessions', () => {
  it('ends a session after its absolute lifetime however active it is', async () => {
    const clock = createTestClock();
    const { app, db } = makeTestApp({ config: { sessionAbsoluteMs: 3_600_000, sessionIdleMs: 7_200_000 }, clock: clock.now });
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    clock.advance(3_600_000 - 60_000);
    expect((await agent.get('/municipalities')).status).toBe(200);
    clock.advance(60_001);
    const response = await agent.get('/municipalities');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?reason=expired');
  });
});

describe('first start: /setup', () => {
  it('is closed without a valid one-time token', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/setup')).status).toBe(404);
    expect((await request(app).get('/setup?token=guess')).status).toBe(404);
  });

  it('creates the first administrator once, logs them in, and closes for good', async () => {
    const { app, db } = makeTestApp();
    const token = createSetupStore(db).issueSetupToken();
    const agent = request.agent(app);
    const page = await agent.get(`/setup?token=${token}`);
    expect(page.status).toBe(200);
    const weak = await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        token,
        display_name: 'Ada Admin',
        email: 'ada@example.org',
        password: 'short',
        password_confirm: 'short',
      });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('minst 12 tecken');
    expect(weak.text).toContain('value="Ada Admin"');
    const created = await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        token,
        display_name: 'Ada Admin',
        email: 'Ada@Example.org',
        password: TEST_PASSWORD,
        password_confirm: TEST_PASSWORD,
      });
    expect(created.status).toBe(303);
    expect(createUserStore(db).findUserByEmail('ada@example.org')?.roles).toEqual(['admin']);
    expect((await agent.get('/admin/users')).status).toBe(200);
    expect((await request(app).get(`/setup?token=${token}`)).status).toBe(404);
  });

  it('when administrators must use a second factor (LOCAL_ADMIN_MFA=required), then the new administrator sets one up before being logged in', async () => {
    const { app, db } = makeTestApp({ config: { adminMfaRequired: true } });
    const token = createSetupStore(db).issueSetupToken();
    const agent = request.agent(app);
    const page = await agent.get(`/setup?token=${token}`);
    const created = await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        token,
        display_name: 'Ada Admin',
        email: 'ada@example.org',
        password: TEST_PASSWORD,
        password_confirm: TEST_PASSWORD,
      });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/login/mfa/setup');
    // The account exists and the link is used up, but nobody is logged in until a code confirms the new factor.
    expect(createUserStore(db).findUserByEmail('ada@example.org')?.roles).toEqual(['admin']);
    expect(db.prepare('SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL').pluck().get()).toBe(0);
    expect((await agent.get('/admin/users')).headers.location).toMatch(/^\/login/);
    const setup = await agent.get('/login/mfa/setup');
    expect(setup.status).toBe(200);
    expect(setup.text).toContain('otpauth://totp/hf-fidelity:ada%40example.org');
    expect((await request(app).get(`/setup?token=${token}`)).status).toBe(404);
  });
});

describe('language', () => {
  it('serves Swedish by default and English after the switch, with <html lang> following', async () => {
    const { app } = makeTestApp();
    const agent = request.agent(app);
    const sv = await agent.get('/login');
    expect(sv.text).toContain('<html lang="sv">');
    expect(sv.text).toContain('Logga in');
    const switched = await agent.get('/language/en?next=/login');
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe('/login');
    const en = await agent.get('/login');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Log in');
    expect((await agent.get('/language/en?next=https://evil.example')).headers.location).toBe('/');
  });
});

describe('errors', () => {
  it('renders a 404 page in the user’s language for unknown paths', async () => {
    const { app } = makeTestApp();
    const response = await request(app).get('/no/such/page?lang=en');
    expect(response.status).toBe(404);
    expect(response.text).toContain('Page not found');
  });

  it('turns an unexpected error into a generic 500 page that reveals nothing', async () => {
    const { app, db, logs } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = await loginAgent(app, user.email);
    db.exec('DROP TABLE programs'); // make the next query fail in a way no route expects
    const response = await agent.get('/municipalities');
    expect(response.status).toBe(500);
    expect(response.text).toContain('Något gick fel');
    expect(response.text).not.toMatch(/programs|sqlite|at .*\.ts/i);
    expect(logs.join('\n')).toMatch(/GET \/municipalities failed/);
  });
});
