import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/accounts/passwords.js';
import type { Role } from '../../src/accounts/roles.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { createAuditStore } from '../../src/audit/audit-store.js';
import { type Agent, createTestUser, extractCsrfToken, loginAgent, makeTestApp, postForm, TEST_PASSWORD } from '../helpers/test-app.js';

const PERSONNUMMER = '19121212-1212';
const NEW_PASSWORD = 'a long and new pass phrase';

/** Another app on the same database: another device or browser of the same people. */
function makeAppOn(db: ReturnType<typeof makeTestApp>['db']) {
  return makeTestApp({ db }).app;
}

/** A fresh app with one logged-in user of the given roles. */
async function setUp(roles: readonly Role[] = ['admin']) {
  const testApp = makeTestApp();
  const user = await createTestUser(testApp.db, roles, { displayName: 'Ada Admin' });
  const agent = await loginAgent(testApp.app, user.email);
  const users = createUserStore(testApp.db);
  return { ...testApp, user, agent, users };
}

/** Posts a form with repeated fields (checkbox groups), which an object body cannot express. */
async function postRaw(agent: Agent, pagePath: string, actionPath: string, fields: Record<string, string | readonly string[]>) {
  const page = await agent.get(pagePath);
  const body = new URLSearchParams([['_csrf', extractCsrfToken(page.text)]]);
  for (const [name, value] of Object.entries(fields)) {
    for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
  }
  return agent.post(actionPath).type('form').send(body.toString());
}

function newUserFields(overrides: Record<string, string | readonly string[]> = {}) {
  return {
    display_name: 'Greta Granskare',
    email: 'Greta@Example.org',
    affiliation: 'Göteborgs stad',
    roles: ['reviewer', 'researcher'],
    password: NEW_PASSWORD,
    password_confirm: NEW_PASSWORD,
    ...overrides,
  };
}

describe('GET /admin/users', () => {
  it('lists the users with translated roles and status', async () => {
    const { agent, db, users } = await setUp();
    const other = await createTestUser(db, ['coordinator', 'program_lead'], { displayName: 'Bo Samordnare', affiliation: 'Lunds kommun' });
    const current = users.findUserById(other.id);
    if (!current) throw new Error('missing user');
    users.updateUser(other.id, { ...current, active: false }, other.id);

    const response = await agent.get('/admin/users');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Användare</h1>');
    expect(response.text).toContain(`href="/admin/users/${other.id}/edit"`);
    expect(response.text).toContain('Bo Samordnare');
    expect(response.text).toContain(other.email);
    expect(response.text).toContain('Lunds kommun');
    expect(response.text).toContain('Samordnare, Verksamhetsansvarig');
    expect(response.text).toContain('Inaktiv');
    expect(response.text).toContain('Administratör');
    expect(response.text).toContain('(du)');

    const english = await agent.get('/admin/users?lang=en');
    expect(english.text).toContain('Coordinator, Program lead');
    expect(english.text).toContain('Inactive');
  });

  it('answers 403 to every role but admin', async () => {
    for (const role of ['coordinator', 'reviewer', 'program_lead', 'researcher'] as const) {
      const { agent } = await setUp([role]);
      const response = await agent.get('/admin/users');
      expect(response.status, role).toBe(403);
      expect(response.text).toContain('Åtkomst nekad');
    }
  });

  it('sends anonymous visitors to the login page', async () => {
    const { app } = makeTestApp();
    const response = await request(app).get('/admin/users');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fadmin%2Fusers');
  });
});

describe('POST /admin/users/new', () => {
  it('shows a role checkbox with a description for every role', async () => {
    const { agent } = await setUp();
    const response = await agent.get('/admin/users/new');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<legend>Roller</legend>');
    for (const role of ['admin', 'coordinator', 'reviewer', 'program_lead', 'researcher']) {
      expect(response.text).toContain(`name="roles" value="${role}"`);
    }
    expect(response.text).toContain('Ingår i granskningspaneler och gör bedömningar.');
  });

  it('creates the user with the chosen roles and redirects to the list', async () => {
    const { app, agent, users } = await setUp();
    const response = await postRaw(agent, '/admin/users/new', '/admin/users/new', newUserFields());

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/users');
    const created = users.findUserByEmail('greta@example.org');
    expect(created).toMatchObject({
      email: 'greta@example.org',
      displayName: 'Greta Granskare',
      affiliation: 'Göteborgs stad',
      active: true,
      roles: ['researcher', 'reviewer'],
    });
    const list = await agent.get('/admin/users');
    expect(list.text).toContain('Användaren har skapats.');
    expect(list.text).toContain('Greta Granskare');
    await expect(loginAgent(app, 'greta@example.org', NEW_PASSWORD)).resolves.toBeDefined();
  });

  it('re-renders with 422 when the email is taken, keeping the values but not the passwords', async () => {
    const { agent, db, users } = await setUp();
    await createTestUser(db, ['reviewer'], { email: 'greta@example.org' });
    const response = await postRaw(agent, '/admin/users/new', '/admin/users/new', newUserFields());

    expect(response.status).toBe(422);
    expect(response.text).toContain('Det finns redan ett konto med den e-postadressen.');
    expect(response.text).toContain('value="Greta Granskare"');
    expect(response.text).toContain('value="Göteborgs stad"');
    expect(response.text).toMatch(/value="researcher" checked/);
    expect(response.text).not.toMatch(/value="admin" checked/);
    expect(response.text).not.toContain(NEW_PASSWORD);
    expect(users.listUsers()).toHaveLength(2);
  });

  it('re-renders with 422 in English when the passwords differ and the email is invalid', async () => {
    const { agent, users } = await setUp();
    const response = await postRaw(
      agent,
      '/admin/users/new',
      '/admin/users/new?lang=en',
      newUserFields({ email: 'not-an-email', password_confirm: 'something else entirely' }),
    );

    expect(response.status).toBe(422);
    expect(response.text).toContain('Enter the email address in the form name@example.org.');
    expect(response.text).toContain('The passwords are not the same.');
    expect(response.text).toContain('value="not-an-email"');
    expect(response.text).not.toContain(NEW_PASSWORD);
    expect(users.listUsers()).toHaveLength(1);
  });

  it('refuses a personal identity number in the affiliation with 422', async () => {
    const { agent, users } = await setUp();
    const response = await postRaw(agent, '/admin/users/new', '/admin/users/new', newUserFields({ affiliation: `Kommun ${PERSONNUMMER}` }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('ser ut som ett personnummer');
    expect(users.findUserByEmail('greta@example.org')).toBeUndefined();
  });

  it('answers 403 to a non-admin for GET and POST', async () => {
    const { agent, users } = await setUp(['coordinator']);
    expect((await agent.get('/admin/users/new')).status).toBe(403);
    const response = await postRaw(agent, '/municipalities', '/admin/users/new', newUserFields({ roles: 'admin' }));
    expect(response.status).toBe(403);
    expect(users.findUserByEmail('greta@example.org')).toBeUndefined();
  });

  it('sends an anonymous POST to the login page without creating anything', async () => {
    const { app, db } = makeTestApp();
    const agent = request.agent(app);
    const response = await postRaw(agent, '/login', '/admin/users/new', newUserFields());
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/login/);
    expect(createUserStore(db).listUsers()).toEqual([]);
  });
});

describe('POST /admin/users/:id/edit', () => {
  it('shows the current values, then saves name, affiliation, roles and status', async () => {
    const { app, agent, db, users } = await setUp();
    const other = await createTestUser(db, ['reviewer'], { displayName: 'Old Name' });

    const form = await agent.get(`/admin/users/${other.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Old Name"');
    expect(form.text).toContain(other.email);
    expect(form.text).toMatch(/value="reviewer" checked/);
    expect(form.text).toMatch(/name="active" value="1"[^>]* checked/);

    const response = await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, {
      display_name: 'New Name',
      affiliation: 'Malmö stad',
      roles: ['coordinator', 'reviewer'],
      password: '',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/users');
    expect(users.findUserById(other.id)).toMatchObject({
      displayName: 'New Name',
      affiliation: 'Malmö stad',
      roles: ['coordinator', 'reviewer'],
      active: false,
    });
    expect((await agent.get('/admin/users')).text).toContain('Sparat.');
    // Deactivated: the old password no longer lets them in.
    await expect(loginAgent(app, other.email, TEST_PASSWORD)).rejects.toThrow(/login failed/);
  });

  it('names the administrator in the audit log, with only the roles that changed, and the user who changes their own password', async () => {
    const { agent, db, user: admin } = await setUp();
    const created = await postRaw(agent, '/admin/users/new', '/admin/users/new', newUserFields());
    expect(created.status).toBe(303);
    const greta = createUserStore(db).findUserByEmail('greta@example.org');
    if (!greta) throw new Error('the new user is missing');
    const entriesAbout = () =>
      [...createAuditStore(db).iterateEntries(undefined)].filter(
        (e) =>
          (e.entity === 'user' && e.entityKey === String(greta.id)) || (e.entity === 'user_role' && e.entityKey.startsWith(`${greta.id}/`)),
      );
    expect(entriesAbout().map((e) => [e.entity, e.action, e.entityKey, e.actorId])).toEqual([
      ['user', 'insert', String(greta.id), admin.id],
      ['user_role', 'insert', `${greta.id}/reviewer`, admin.id],
      ['user_role', 'insert', `${greta.id}/researcher`, admin.id],
    ]);
    const seen = entriesAbout().length;

    // researcher taken away, coordinator given, reviewer kept: two role entries, none for the role that stays.
    const edit = `/admin/users/${greta.id}/edit`;
    const fields = { display_name: 'Greta Granskare', affiliation: 'Göteborgs stad', active: '1', password: '' };
    expect((await postRaw(agent, edit, edit, { ...fields, roles: ['reviewer', 'coordinator'] })).status).toBe(303);
    expect(
      entriesAbout()
        .slice(seen)
        .map((e) => [e.entity, e.action, e.entityKey, e.actorId]),
    ).toEqual([
      ['user_role', 'delete', `${greta.id}/researcher`, admin.id],
      ['user_role', 'insert', `${greta.id}/coordinator`, admin.id],
    ]);
    // Saved again unchanged: nothing to log.
    const unchanged = entriesAbout().length;
    expect((await postRaw(agent, edit, edit, { ...fields, roles: ['reviewer', 'coordinator'] })).status).toBe(303);
    expect(entriesAbout()).toHaveLength(unchanged);

    // A password the administrator sets is theirs; one the user changes on the account page is the user's.
    expect((await postRaw(agent, edit, edit, { ...fields, roles: ['reviewer', 'coordinator'], password: NEW_PASSWORD })).status).toBe(303);
    const greta2 = await loginAgent(makeAppOn(db), greta.email, NEW_PASSWORD);
    const changed = await postForm(greta2, '/account/password', '/account/password', {
      current_password: NEW_PASSWORD,
      password: `${NEW_PASSWORD} again`,
      password_confirm: `${NEW_PASSWORD} again`,
    });
    expect(changed.status).toBe(303);
    const passwordChanges = entriesAbout().filter((e) => e.entity === 'user' && e.newValue?.includes('"password_changed":1'));
    expect(passwordChanges.map((e) => e.actorId)).toEqual([admin.id, greta.id]);
  });

  it('sets a new password only when one is given', async () => {
    const { agent, db, users } = await setUp();
    const other = await createTestUser(db, ['reviewer']);
    const hashOf = (email: string) => users.findCredentials(email)?.passwordHash ?? '';
    const before = hashOf(other.email);

    const fields = { display_name: 'Same', affiliation: '', roles: 'reviewer', active: '1' };
    await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, { ...fields, password: '' });
    expect(hashOf(other.email)).toBe(before);

    const response = await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, {
      ...fields,
      password: NEW_PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(await verifyPassword(hashOf(other.email), NEW_PASSWORD)).toBe(true);
  });

  it('re-renders with 422 when a new password is too short', async () => {
    const { agent, db } = await setUp();
    const other = await createTestUser(db, ['reviewer']);
    const response = await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, {
      display_name: 'Kept Name',
      roles: 'reviewer',
      active: '1',
      password: 'short',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('minst 12 tecken');
    expect(response.text).toContain('value="Kept Name"');
    expect(response.text).not.toContain('value="short"');
  });

  it('does not let an admin remove their own admin role', async () => {
    const { agent, user, users } = await setUp();
    const response = await postRaw(agent, `/admin/users/${user.id}/edit`, `/admin/users/${user.id}/edit`, {
      display_name: 'Ada Admin',
      roles: 'reviewer',
      active: '1',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Du kan inte ta bort din egen administratörsroll.');
    expect(response.text).toMatch(/value="reviewer" checked/);
    expect(users.findUserById(user.id)?.roles).toEqual(['admin']);
  });

  it('does not let an admin deactivate themselves', async () => {
    const { agent, user, users } = await setUp();
    const response = await postRaw(agent, `/admin/users/${user.id}/edit?lang=en`, `/admin/users/${user.id}/edit?lang=en`, {
      display_name: 'Ada Admin',
      roles: ['admin'],
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('You cannot deactivate your own account.');
    expect(users.findUserById(user.id)?.active).toBe(true);
  });

  it('lets an admin demote another admin', async () => {
    const { agent, db, users } = await setUp();
    const other = await createTestUser(db, ['admin']);
    const response = await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, {
      display_name: 'Former Admin',
      roles: 'coordinator',
      active: '1',
    });
    expect(response.status).toBe(303);
    expect(users.findUserById(other.id)?.roles).toEqual(['coordinator']);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const { agent } = await setUp();
    expect((await agent.get('/admin/users/999/edit')).status).toBe(404);
    expect((await agent.get('/admin/users/abc/edit')).status).toBe(404);
    const response = await postForm(agent, '/admin/users', '/admin/users/999/edit', { display_name: 'X' });
    expect(response.status).toBe(404);
  });

  it('answers 403 to a non-admin for GET and POST', async () => {
    const { agent, user, users } = await setUp(['coordinator', 'reviewer', 'program_lead', 'researcher']);
    expect((await agent.get(`/admin/users/${user.id}/edit`)).status).toBe(403);
    const response = await postRaw(agent, '/municipalities', `/admin/users/${user.id}/edit`, {
      display_name: 'Self Promoted',
      roles: ['admin'],
      active: '1',
    });
    expect(response.status).toBe(403);
    expect(users.findUserById(user.id)?.roles).not.toContain('admin');
  });

  describe('a new password set by an administrator', () => {
    const fields = { display_name: 'Greta', affiliation: '', roles: 'reviewer', active: '1' };

    it('ends every session of the user, so a stolen session stops working, and the new password works at once', async () => {
      const { agent, db } = await setUp();
      const other = await createTestUser(db, ['reviewer']);
      const onLaptop = await loginAgent(makeAppOn(db), other.email);
      const onPhone = await loginAgent(makeAppOn(db), other.email);
      expect((await onLaptop.get('/')).status).toBe(200);

      const response = await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, {
        ...fields,
        password: NEW_PASSWORD,
      });
      expect(response.status).toBe(303);
      for (const session of [onLaptop, onPhone]) {
        const next = await session.get('/');
        expect(next.status).toBe(303);
        expect(next.headers.location).toMatch(/^\/login/);
      }
      await expect(loginAgent(makeAppOn(db), other.email, NEW_PASSWORD)).resolves.toBeDefined();
      // The administrator is told what happened, and is still logged in.
      const list = await agent.get('/admin/users');
      expect(list.status).toBe(200);
      expect(list.text).toContain('användaren har loggats ut överallt');
    });

    it('keeps the sessions when only name, roles or status change', async () => {
      const { agent, db } = await setUp();
      const other = await createTestUser(db, ['reviewer']);
      const session = await loginAgent(makeAppOn(db), other.email);
      await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, { ...fields, password: '' });
      expect((await session.get('/')).status).toBe(200);
    });

    it("keeps the administrator's own current session when they set their own password, and ends their others", async () => {
      const { agent, db, user } = await setUp();
      const elsewhere = await loginAgent(makeAppOn(db), user.email);
      const response = await postRaw(agent, `/admin/users/${user.id}/edit`, `/admin/users/${user.id}/edit`, {
        ...fields,
        roles: 'admin',
        password: NEW_PASSWORD,
      });
      expect(response.status).toBe(303);
      expect((await agent.get('/admin/users')).status).toBe(200);
      expect((await elsewhere.get('/')).status).toBe(303);
    });

    it('lifts a lock-out after failed logins, so the user can log in with the new password right away', async () => {
      const { agent, db } = await setUp();
      const other = await createTestUser(db, ['reviewer']);
      const app = makeAppOn(db);
      const attempt = async (password: string) => {
        const visitor = request.agent(app);
        const page = await visitor.get('/login');
        return visitor
          .post('/login')
          .type('form')
          .send({ _csrf: extractCsrfToken(page.text), email: other.email, password });
      };
      let last = 0;
      for (let i = 0; i < 5; i++) last = (await attempt('not the password')).status;
      expect(last).toBe(429);
      expect((await attempt(TEST_PASSWORD)).status).toBe(429);

      await postRaw(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, { ...fields, password: NEW_PASSWORD });
      expect((await attempt(NEW_PASSWORD)).status).toBe(303);
    });
  });
});
