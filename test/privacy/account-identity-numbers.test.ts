import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSetupStore } from '../../src/accounts/setup-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import type { Db } from '../../src/db/open-database.js';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp, postForm, TEST_PASSWORD } from '../helpers/test-app.js';

// 811218-9876: 18 December 1981 with a valid check digit. Every form below writes these ten digits somehow.
const DIGITS = '8112189876';

/** The rows of users and audit_log, each as one string, so a test can look for the number anywhere in them. */
function readStoredRows(db: Db): { users: string[]; audit: string[] } {
  const users = db.prepare('SELECT email, display_name, affiliation FROM users').all();
  const audit = db.prepare('SELECT entity, entity_key, old_value, new_value FROM audit_log').all();
  return { users: users.map((row) => JSON.stringify(row)), audit: audit.map((row) => JSON.stringify(row)) };
}

/** True when `row` holds the ten digits, whatever was written between them (other scripts are caught by comparing rows). */
function holdsNumber(row: string): boolean {
  return row.replace(/[^0-9]/g, '').includes(DIGITS);
}

function expectNothingStored(db: Db, before: { users: string[]; audit: string[] }): void {
  const after = readStoredRows(db);
  expect(after.users).toEqual(before.users);
  expect(after.audit.length).toBe(before.audit.length);
  expect(after.users.filter(holdsNumber)).toEqual([]);
  expect(after.audit.filter(holdsNumber)).toEqual([]);
}

/** HTML-escaped as EJS writes an attribute value. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

describe('POST /setup with a personal identity number', () => {
  it.each([
    ['in the email address', { email: `${DIGITS.slice(0, 6)}-${DIGITS.slice(6)}@example.org` }],
    ['in the email address, with a dot as separator', { email: `ada.${DIGITS.slice(0, 6)}.${DIGITS.slice(6)}@example.org` }],
    ['in the name, in groups', { display_name: 'Ada 81 12 18-98 76' }],
    ['in the affiliation, after a line break', { affiliation: 'Kommunen 811218\n9876' }],
  ])('answers 422 %s, keeps the values, and creates no account', async (_case, override) => {
    const { app, db } = makeTestApp();
    const token = createSetupStore(db).issueSetupToken();
    const agent = request.agent(app);
    const page = await agent.get(`/setup?token=${token}`);
    const before = readStoredRows(db);
    const fields = { display_name: 'Ada Admin', email: 'ada@example.org', affiliation: 'Kommunen', ...override };
    const response = await agent
      .post('/setup')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), token, ...fields, password: TEST_PASSWORD, password_confirm: TEST_PASSWORD });
    expect(response.status).toBe(422);
    expect(response.text).toContain('ser ut som ett personnummer');
    expect(response.text).toContain('till exempel 08-123 456 78');
    for (const [name, value] of Object.entries(override)) {
      if (name !== 'affiliation') expect(response.text).toContain(`value="${escapeHtml(value)}"`);
    }
    expectNothingStored(db, before);
    expect(createUserStore(db).countUsers()).toBe(0);
  });
});

describe('admin user forms with a personal identity number', () => {
  async function setUp() {
    const testApp = makeTestApp();
    const admin = await createTestUser(testApp.db, ['admin'], { displayName: 'Ada Admin' });
    const agent = await loginAgent(testApp.app, admin.email);
    return { ...testApp, agent };
  }

  const newUser = {
    display_name: 'Greta Granskare',
    email: 'greta@example.org',
    affiliation: 'Göteborgs stad',
    roles: 'reviewer',
    password: 'a long and new pass phrase',
    password_confirm: 'a long and new pass phrase',
  };

  it.each([
    ['an email address with the number', { email: `greta.${DIGITS.slice(0, 6)}-${DIGITS.slice(6)}@example.org` }],
    ['an email address with a 12-digit number', { email: `19${DIGITS}@example.org` }],
    ['an email address with an underscore as separator', { email: `greta_${DIGITS.slice(0, 6)}_${DIGITS.slice(6)}@example.org` }],
    ['a name with the number after a tab', { display_name: `Greta\t${DIGITS.slice(0, 6)}\t${DIGITS.slice(6)}` }],
    ['a name with Arabic-Indic digits', { display_name: 'Greta \u0668\u0661\u0661\u0662\u0661\u0668-\u0669\u0668\u0667\u0666' }],
    [
      'a name with combining marks over the digits',
      { display_name: `Greta ${[...`${DIGITS.slice(0, 6)}-${DIGITS.slice(6)}`].map((c) => `${c}\u0336`).join('')}` },
    ],
    ['an affiliation with a colon as separator', { affiliation: `Kommun ${DIGITS.slice(0, 6)}:${DIGITS.slice(6)}` }],
  ])('POST /admin/users/new refuses %s with 422, keeps the values, and stores nothing', async (_case, override) => {
    const { agent, db } = await setUp();
    const before = readStoredRows(db);
    const response = await postForm(agent, '/admin/users/new', '/admin/users/new', { ...newUser, ...override });
    expect(response.status).toBe(422);
    expect(response.text).toContain('ser ut som ett personnummer');
    const [name, value] = Object.entries(override)[0] ?? ['', ''];
    expect(response.text).toContain(`value="${escapeHtml(value)}"`);
    expect(name).not.toBe('');
    expectNothingStored(db, before);
  });

  it('POST /admin/users/:id/edit refuses a name with the number in digit groups, and keeps the stored name', async () => {
    const { agent, db } = await setUp();
    const other = await createTestUser(db, ['reviewer'], { displayName: 'Bo Granskare' });
    const before = readStoredRows(db);
    const response = await postForm(agent, `/admin/users/${other.id}/edit`, `/admin/users/${other.id}/edit`, {
      display_name: 'Bo 81 12 18 98 76',
      affiliation: '',
      roles: 'reviewer',
      active: '1',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('ser ut som ett personnummer');
    expect(response.text).toContain('value="Bo 81 12 18 98 76"');
    expectNothingStored(db, before);
    expect(createUserStore(db).findUserById(other.id)?.displayName).toBe('Bo Granskare');
  });

  it('still creates an account whose name and address hold a phone number written as the message says', async () => {
    const { agent, db } = await setUp();
    const response = await postForm(agent, '/admin/users/new', '/admin/users/new', {
      ...newUser,
      display_name: 'Greta (070-123 45 69)',
      email: 'greta.0701234567@example.org',
    });
    expect(response.status).toBe(303);
    expect(createUserStore(db).findUserByEmail('greta.0701234567@example.org')?.displayName).toBe('Greta (070-123 45 69)');
  });
});
