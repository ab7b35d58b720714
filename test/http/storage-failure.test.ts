// A write the database refuses because the disk is full or the file is read-only loses nothing typed: 503, a page
// saying nothing was saved and why, every typed value given back, and a button that posts them again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { indicatorNumbers } from '../../src/rubrics/rubric-schema.js';
import { describe, expect, it, type TestContext } from 'vitest';
import { keptFields } from '../../src/http/kept-input.js';
import { storageFailureOf } from '../../src/http/storage-failure.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createReviewScenario, startRating } from '../helpers/review-scenario.js';
import { createTestUser, extractCsrfToken, makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

/** A stack trace line as Node prints it, as plain text or inside a JSON log line. */
const STACK_LINE = /(^|\\n)\s*at \S.*:\d+:\d+/m;

/** A database file in a directory of its own, removed when the test ends. */
function openFileDatabase(test: TestContext): { db: Db; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hf-storage-'));
  const file = join(dir, 'hf-fidelity.sqlite');
  const db = openDatabase(file);
  test.onTestFinished(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, file };
}

/** The database cannot grow by a single page from now on: the next write that needs one fails with SQLITE_FULL. */
function fillDisk(db: Db): void {
  // Pages on the free list would be reused without growing the file.
  db.exec('VACUUM');
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
}

/** The fields of the page's first form that posts somewhere other than /logout, as a browser would send them. */
function formFields(html: string): { action: string; fields: [string, string][] } {
  const form = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((match) => match[1] !== '/logout');
  if (!form) throw new Error('no form on the page');
  const decodeHtml = (text: string) =>
    text.replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const fields: [string, string][] = [];
  for (const match of (form[2] ?? '').matchAll(
    /<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>|<textarea[^>]*name="([^"]+)"[^>]*>\n?([\s\S]*?)<\/textarea>/g,
  )) {
    if (match[1] !== undefined) fields.push([decodeHtml(match[1]), decodeHtml(match[2] ?? '')]);
    else fields.push([decodeHtml(match[3] ?? ''), decodeHtml(match[4] ?? '')]);
  }
  return { action: decodeHtml(form[1] ?? ''), fields };
}

/** Logs in through the app and returns the session cookie, to be sent to another app over the same database file. */
async function loginCookie(app: TestApp['app'], email: string): Promise<string> {
  const page = await request(app).get('/login');
  const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  const login = await request(app)
    .post('/login')
    .set('Cookie', cookie)
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), email, password: TEST_PASSWORD });
  if (login.status !== 303) throw new Error(`login failed: ${login.status}`);
  return String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
}

/** A file database with an administrator logged in on the new-municipality form: its app, cookie and form token. */
async function adminOnNewMunicipalityForm(test: TestContext) {
  const { db, file } = openFileDatabase(test);
  const app = makeTestApp({ db });
  const admin = await createTestUser(db, ['admin']);
  const cookie = await loginCookie(app.app, admin.email);
  const page = await request(app.app).get('/municipalities/new').set('Cookie', cookie);
  return { db, file, app, cookie, token: extractCsrfToken(page.text) };
}

describe('a form posted while the disk is full (SQLITE_FULL)', () => {
  it('answers 503 with every typed note and score kept, writes nothing, and saves on "Försök spara igen" once there is room', async (test) => {
    const { db } = openFileDatabase(test);
    const s = await createReviewScenario({ app: makeTestApp({ db }) });
    startRating(s);
    const section = s.rubric.sections[0];
    if (!section) throw new Error('no section');
    const agent = await s.login(s.reviewerA);
    const url = `/reviews/${s.reviewId}/rate/${section.id}`;
    const page = await agent.get(url);
    // Long notes (2 bytes a letter in UTF-8) need new pages, whatever room the pages have now.
    const typed: Record<string, string> = { _csrf: extractCsrfToken(page.text) };
    section.indicators.forEach((indicator, index) => {
      typed[`version__${indicator.id}`] = '0';
      typed[`score__${indicator.id}`] = String(indicator.scale.min);
      typed[`note__${indicator.id}`] = `Anteckning ${index + 1}: ${'Boendestödet för de boende är bra. '.repeat(40)}ö`.slice(0, 1990);
    });
    fillDisk(db);

    const response = await agent.post(url).type('form').send(typed);
    const numbers = indicatorNumbers(s.rubric);
    expect(response.status).toBe(503);
    expect(response.text).toContain('<h1>Ingenting sparades</h1>');
    expect(response.text).toContain('servern har inte plats att spara (lagringen är full)');
    expect(response.text).toContain('Försök spara igen');
    const kept = formFields(response.text);
    expect(kept.action).toBe(url);
    for (const indicator of section.indicators) {
      expect(kept.fields).toContainEqual([`note__${indicator.id}`, typed[`note__${indicator.id}`]]);
      expect(kept.fields).toContainEqual([`score__${indicator.id}`, typed[`score__${indicator.id}`]]);
      // The version the form was based on goes back as it came, hidden.
      expect(response.text).toContain(`<input type="hidden" name="version__${indicator.id}" value="0">`);
      // Shown in labelled, copyable fields: the indicator's number and what the field is, in the page's language. The
      // score was chosen, not typed: shown as it reads, and posted again hidden, never a code to edit.
      expect(response.text).toContain(`">${numbers.get(indicator.id)} Anteckning</label>`);
      expect(response.text).toContain(`<strong>${numbers.get(indicator.id)} Poäng:</strong> ${typed[`score__${indicator.id}`]}</p>`);
    }
    // A fresh token, the old one not among the fields.
    expect(kept.fields.filter(([name]) => name === '_csrf')).toHaveLength(1);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(s.logs.join('\n')).toContain(`POST ${url}: nothing saved, the database refused the write (SQLITE_FULL`);
    expect(s.logs.join('\n')).not.toMatch(STACK_LINE);

    // Room again: the kept form, posted as it is, saves everything typed.
    db.pragma('max_page_count = 1073741823');
    const again = await agent.post(kept.action).type('form').send(new URLSearchParams(kept.fields).toString());
    expect(again.status).toBe(303);
    const saved = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id);
    expect(saved.map((rating) => rating.note).sort()).toEqual(section.indicators.map((indicator) => typed[`note__${indicator.id}`]).sort());
  }, 30_000);
});

describe('a login while sessions cannot be stored', () => {
  it('answers the login form with the storage failure (503, the e-mail kept), not with an expired form', async (test) => {
    const { db, file } = openFileDatabase(test);
    makeTestApp({ db });
    const admin = await createTestUser(db, ['admin']);
    const readOnlyDb = new Database(file, { readonly: true, fileMustExist: true });
    test.onTestFinished(() => {
      readOnlyDb.close();
    });
    const readOnly = makeTestApp({ db: readOnlyDb });
    // The login page goes out, but its session (holding the form's token) cannot be stored.
    const page = await request(readOnly.app).get('/login');
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const response = await request(readOnly.app)
      .post('/login')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: admin.email, password: TEST_PASSWORD });
    expect(response.status).toBe(503);
    expect(response.text).toContain('databasen går bara att läsa just nu');
    expect(response.text).not.toContain('Formuläret hade gått ut');
    expect(formFields(response.text).fields).toContainEqual(['email', admin.email]);
    expect(readOnly.logs.join('\n')).toContain('GET /login: the session could not be stored (SQLITE_READONLY');
    // The refused token is put down to the storage failure in the log too, and nothing is logged with a stack, not even
    // the second failure when the 503 page's own session cannot be stored.
    expect(readOnly.logs.join('\n')).toContain(
      "POST /login: nothing saved, the form's token could not be checked, as sessions could not be stored a moment ago (read-only)",
    );
    expect(readOnly.logs.join('\n')).not.toContain('EBADCSRFTOKEN');
    expect(readOnly.logs.join('\n')).not.toMatch(STACK_LINE);
  }, 30_000);
});

describe('a form posted while another program holds the write lock (SQLITE_BUSY)', () => {
  it('answers 503 after the busy timeout with the typed values kept, and saves once the lock is let go', async (test) => {
    const { db, file, app: t, cookie, token } = await adminOnNewMunicipalityForm(test);
    // An sqlite3 shell left inside a write transaction, as an operator might.
    const other = new Database(file);
    test.onTestFinished(() => {
      if (other.open) other.close();
    });
    other.exec('BEGIN IMMEDIATE');
    other.prepare('UPDATE app_settings SET value = value WHERE 0').run();
    // The app's connection waits 5 s for a lock, as every one openDatabase makes; the wait is shortened here, to the
    // same SQLITE_BUSY at its end, so that the test does not sit idle for 5 s.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.pragma('busy_timeout = 50');
    const response = await request(t.app)
      .post('/municipalities/new')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: token, code: '2584', name: 'Kiruna' });
    expect(response.status).toBe(503);
    expect(response.text).toContain('databasen var upptagen av ett annat program');
    expect(formFields(response.text).fields).toContainEqual(['name', 'Kiruna']);
    expect(t.logs.join('\n')).toContain(
      'POST /municipalities/new: nothing saved, another process holds a write lock on the database (a sqlite3 shell or a database browser?) (SQLITE_BUSY',
    );
    other.exec('ROLLBACK');
    const kept = formFields(response.text);
    const again = await request(t.app)
      .post(kept.action)
      .set('Cookie', cookie)
      .type('form')
      .send(new URLSearchParams(kept.fields).toString());
    expect(again.status).toBe(303);
    expect(db.prepare('SELECT name FROM municipalities WHERE code = ?').pluck().get('2584')).toBe('Kiruna');
  }, 30_000);
});

describe('a form posted while the database is read-only (SQLITE_READONLY)', () => {
  it("answers 503 with the typed municipality kept, in the user's language, and no row written", async (test) => {
    const { db, file, app: writable, cookie, token } = await adminOnNewMunicipalityForm(test);

    // The same file opened read-only, as a server would find it after a remount or a wrong chmod.
    const readOnlyDb = new Database(file, { readonly: true, fileMustExist: true });
    test.onTestFinished(() => {
      readOnlyDb.close();
    });
    const readOnly = makeTestApp({ db: readOnlyDb });
    const response = await request(readOnly.app)
      .post('/municipalities/new?lang=en')
      .set('Cookie', `${cookie}; lang=en`)
      .type('form')
      .send({ _csrf: token, code: '2584', name: 'Kiruna <bergsstad>' });
    expect(response.status).toBe(503);
    expect(response.text).toContain('<html lang="en">');
    expect(response.text).toContain('<h1>Nothing was saved</h1>');
    expect(response.text).toContain('the database can only be read right now');
    expect(response.text).toContain('Try saving again');
    expect(formFields(response.text)).toEqual({
      action: '/municipalities/new?lang=en',
      fields: [
        ['_csrf', token],
        ['code', '2584'],
        ['name', 'Kiruna <bergsstad>'],
      ],
    });
    expect(response.text).toContain('value="Kiruna &lt;bergsstad&gt;"');
    expect(db.prepare('SELECT COUNT(*) FROM municipalities WHERE code = ?').pluck().get('2584')).toBe(0);
    expect(readOnly.logs.join('\n')).toContain('POST /municipalities/new: nothing saved, the database refused the write (SQLITE_READONLY');
    expect(readOnly.logs.join('\n')).not.toMatch(STACK_LINE);

    // Posted again to a writable server, the kept form saves.
    const kept = formFields(response.text);
    const again = await request(writable.app)
      .post(kept.action)
      .set('Cookie', cookie)
      .type('form')
      .send(new URLSearchParams(kept.fields).toString());
    expect(again.status).toBe(303);
    expect(db.prepare('SELECT name FROM municipalities WHERE code = ?').pluck().get('2584')).toBe('Kiruna <bergsstad>');
  }, 30_000);
});

describe('storageFailureOf', () => {
  it('knows SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR and SQLITE_BUSY/LOCKED with their extended codes, and nothing else', () => {
    expect(storageFailureOf({ code: 'SQLITE_FULL' })).toBe('full');
    expect(storageFailureOf({ code: 'SQLITE_BUSY' })).toBe('busy');
    expect(storageFailureOf({ code: 'SQLITE_BUSY_SNAPSHOT' })).toBe('busy');
    expect(storageFailureOf({ code: 'SQLITE_LOCKED' })).toBe('busy');
    expect(storageFailureOf({ code: 'SQLITE_READONLY_DIRECTORY' })).toBe('read-only');
    expect(storageFailureOf({ code: 'SQLITE_IOERR_WRITE' })).toBe('io');
    expect(storageFailureOf({ code: 'SQLITE_IOERR_FSYNC' })).toBe('io');
    expect(storageFailureOf({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeUndefined();
    expect(storageFailureOf({ code: 'SQLITE_FULLY' })).toBeUndefined();
    expect(storageFailureOf(new Error('SQLITE_FULL'))).toBeUndefined();
  });
});

describe('keptFields', () => {
  it('drops the old token, carries versions hidden, never shows a password, and gives one field per repeated value', () => {
    expect(
      keptFields({ _csrf: 'old', version: '3', 'version__A1.1': '0', password: 'secret', roles: ['admin', 'researcher'], note: 'a\nb' }),
    ).toEqual([
      { kind: 'hidden', name: 'version', value: '3' },
      { kind: 'hidden', name: 'version__A1.1', value: '0' },
      { kind: 'password', id: 'kept-2', name: 'password', label: 'password' },
      { kind: 'text', id: 'kept-3', name: 'roles', label: 'roles', value: 'admin' },
      { kind: 'text', id: 'kept-4', name: 'roles', label: 'roles', value: 'researcher' },
      { kind: 'textarea', id: 'kept-5', name: 'note', label: 'note', value: 'a\nb' },
    ]);
  });

  it('never writes a secret into the page: passwords, tokens, TOTP and recovery codes, and the code of a second-factor form', () => {
    const secrets = { current_password: 'p', recovery_code: 'r', totp: '123456', token: 'setup', id_token: 'i', totp_secret: 's' };
    for (const field of keptFields(secrets)) {
      expect(field).toMatchObject({ kind: 'password' });
      expect(field).not.toHaveProperty('value');
    }
    expect(keptFields({ code: '123456' }, '', '/account/mfa/disable?lang=en')).toEqual([
      { kind: 'password', id: 'kept-0', name: 'code', label: 'code' },
    ]);
    expect(keptFields({ code: '123456' }, 'kept.', '/login/mfa')).toEqual([
      { kind: 'password', id: 'kept-0', name: 'kept.code', label: 'code' },
    ]);
    // Elsewhere a code is what the user typed (a municipality's code), and is kept.
    expect(keptFields({ code: '2584' }, '', '/municipalities/new')).toEqual([
      { kind: 'text', id: 'kept-0', name: 'code', label: 'code', value: '2584' },
    ]);
  });
});
