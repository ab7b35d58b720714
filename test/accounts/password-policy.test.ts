import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { findPasswordProblem, isCommonPassword } from '../../src/accounts/password-policy.js';
import { createSetupStore } from '../../src/accounts/setup-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp, postForm } from '../helpers/test-app.js';

describe('isCommonPassword (NIST SP 800-63B block-list)', () => {
  it.each([
    'password',
    'iloveyou',
    '1q2w3e4r5t6y',
    'Password2024!',
    'P@ssw0rd12345',
    'pass word 1234',
    'passwordpassword',
    'Sommar2024!!',
    'lösenord1234',
    'aaaaaaaaaaaa',
    'hejhejhejhej',
    '123456789012',
    'abcdefghijkl',
    'qwertyuiop12',
  ])('refuses %s', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(['correct horse battery staple', 'tre gröna äpplen i en korg', 'aa8203746519', 'Kanelbulle med kardemumma'])(
    'accepts %s',
    (password) => {
      expect(isCommonPassword(password)).toBe(false);
    },
  );

  it('never asks for composition: a long lower-case phrase without digits or symbols is fine', () => {
    expect(findPasswordProblem('the river runs quietly past the mill')).toBeUndefined();
  });
});

describe('findPasswordProblem on hostile input', () => {
  it('does not examine a password over the maximum length (the length check refuses it), so a huge one costs nothing', () => {
    expect(findPasswordProblem('a'.repeat(100_000))).toBeUndefined();
  });

  it('stays fast at the maximum length, however the password repeats', () => {
    // A backtracking regex once made a long repeated password take 42 s; the limit is far above the honest cost (< 10 ms).
    const started = performance.now();
    for (const password of ['ab'.repeat(128), `${'a'.repeat(255)}b`, 'abc'.repeat(85), 'x'.repeat(256)]) findPasswordProblem(password);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('findPasswordProblem with the account context', () => {
  it('refuses the email local part, the name or a part of it, also in other case or without accents', () => {
    expect(findPasswordProblem('greta.granskare 1999', { email: 'greta.granskare@example.org' })).toBe('contextual');
    expect(findPasswordProblem('GRANSKARE rocks the house', { email: 'greta.granskare@example.org' })).toBe('contextual');
    expect(findPasswordProblem('my friend bjorn is nice', { displayName: 'Björn Åkesson' })).toBe('contextual');
    expect(findPasswordProblem('akesson family holiday', { displayName: 'Björn Åkesson' })).toBe('contextual');
  });

  it('refuses the name of the service', () => {
    expect(findPasswordProblem('my hf-fidelity login')).toBe('contextual');
  });

  it('ignores name parts shorter than four letters, which would refuse too much', () => {
    expect(findPasswordProblem('a boat on the lake at dusk', { displayName: 'Bo Ek' })).toBeUndefined();
  });
});

describe('the password rules in the forms', () => {
  it('POST /setup refuses a common password and one containing the name, with 422 in the user’s language', async () => {
    const { app, db } = makeTestApp();
    const token = createSetupStore(db).issueSetupToken();
    const agent = request.agent(app);
    const page = await agent.get(`/setup?token=${token}`);
    const fields = { _csrf: extractCsrfToken(page.text), token, display_name: 'Ada Lovelace', email: 'ada@example.org' };
    const common = await agent
      .post('/setup')
      .type('form')
      .send({ ...fields, password: 'Password2024!', password_confirm: 'Password2024!' });
    expect(common.status).toBe(422);
    expect(common.text).toContain('Lösenordet är för lätt att gissa');
    const named = await agent
      .post('/setup?lang=en')
      .type('form')
      .send({ ...fields, password: 'lovelace analytical engine', password_confirm: 'lovelace analytical engine' });
    expect(named.status).toBe(422);
    expect(named.text).toContain('The password must not contain the account’s name, email address or the name of this service.');
    expect(createUserStore(db).countUsers()).toBe(0);
  });

  it('POST /admin/users/new refuses a common password and one containing the email', async () => {
    const { app, db } = makeTestApp();
    const admin = await createTestUser(db, ['admin']);
    const agent = await loginAgent(app, admin.email);
    const base = { display_name: 'Greta Granskare', email: 'greta@example.org', affiliation: '', roles: 'reviewer' };
    const common = await postForm(agent, '/admin/users/new', '/admin/users/new', {
      ...base,
      password: 'iloveyou1234',
      password_confirm: 'iloveyou1234',
    });
    expect(common.status).toBe(422);
    expect(common.text).toContain('Lösenordet är för lätt att gissa');
    const named = await postForm(agent, '/admin/users/new', '/admin/users/new', {
      ...base,
      password: 'greta goes sailing',
      password_confirm: 'greta goes sailing',
    });
    expect(named.status).toBe(422);
    expect(named.text).toContain('Lösenordet får inte innehålla kontots namn');
    expect(createUserStore(db).findUserByEmail('greta@example.org')).toBeUndefined();
  });

  it('POST /admin/users/:id/edit refuses a new password built on the account’s email, and keeps the old one', async () => {
    const { app, db } = makeTestApp();
    const admin = await createTestUser(db, ['admin']);
    const other = await createTestUser(db, ['reviewer'], { email: 'bertil.berg@example.org', displayName: 'Bertil Berg' });
    const agent = await loginAgent(app, admin.email);
    const path = `/admin/users/${other.id}/edit`;
    const hashBefore = createUserStore(db).findCredentials(other.email)?.passwordHash;
    const fields = { display_name: 'Bertil Berg', affiliation: '', roles: 'reviewer', active: '1' };
    const named = await postForm(agent, path, path, { ...fields, password: 'bertil.berg on tour' });
    expect(named.status).toBe(422);
    expect(named.text).toContain('Lösenordet får inte innehålla kontots namn');
    const common = await postForm(agent, path, `${path}?lang=en`, { ...fields, password: 'qwertyuiop123' });
    expect(common.status).toBe(422);
    expect(common.text).toContain('The password is too easy to guess');
    expect(createUserStore(db).findCredentials(other.email)?.passwordHash).toBe(hashBefore);
    await loginAgent(app, other.email); // the old password still works
  });
});
