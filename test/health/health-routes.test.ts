import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createHealthRouter, MIN_FREE_BYTES } from '../../src/health/health-routes.js';
import { createHealthStore } from '../../src/health/health-store.js';
import { createDatabaseDamage } from '../../src/http/database-damage.js';
import { useTempFiles } from '../helpers/temp-files.js';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp, type TestApp } from '../helpers/test-app.js';

const { tempDir } = useTempFiles('hf-readyz-');

function countSessions(db: Db): number {
  return Number(db.prepare('SELECT COUNT(*) FROM sessions').pluck().get());
}

describe('GET /healthz', () => {
  it('when the process is up, then it answers 200 {status: ok} without a session cookie', async () => {
    const { app, db } = makeTestApp();
    const response = await request(app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(countSessions(db)).toBe(0);
  });

  it('when the database is closed, then it still answers 200 (the process is up)', async () => {
    const { app, db } = makeTestApp();
    db.close();
    const response = await request(app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('when the database is at the current schema, then it answers 200 {status: ok} and stores no session', async () => {
    const { app, db } = makeTestApp();
    const response = await request(app).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(countSessions(db)).toBe(0);
  });

  it('when a probe sends a stale session cookie, then no session is created or touched', async () => {
    const { app, db } = makeTestApp();
    const response = await request(app).get('/readyz').set('Cookie', 'hf.sid=s%3Aforged.signature');
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(countSessions(db)).toBe(0);
  });

  for (const [label, offset] of [
    ['older', -1],
    ['newer', 1],
  ] as const) {
    it(`when the database is at an ${label} schema version, then it answers 503 {status: unavailable} and says why in the log only`, async () => {
      const { app, db, logs } = makeTestApp();
      db.pragma(`user_version = ${SCHEMA_VERSION + offset}`);
      const response = await request(app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'unavailable' });
      expect(response.text).not.toContain(String(SCHEMA_VERSION + offset));
      expect(logs.join('\n')).toContain(`schema version ${SCHEMA_VERSION + offset}, this program expects ${SCHEMA_VERSION}`);
      // Once the schema is right again, it is ready again.
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      expect((await request(app).get('/readyz')).status).toBe(200);
    });
  }

  it('when the database connection is closed, then it answers 503 {status: unavailable} and logs it once', async () => {
    const { app, db, logs } = makeTestApp();
    db.close();
    for (let i = 0; i < 3; i++) {
      const response = await request(app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'unavailable' });
    }
    expect(logs.filter((line) => line.includes('readyz: not ready: the database cannot be read'))).toHaveLength(1);
  });

  it('when asked with HEAD, then it answers with the status alone', async () => {
    const { app } = makeTestApp();
    const response = await request(app).head('/readyz');
    expect(response.status).toBe(200);
  });

  it('when the disk holding the database is nearly full, then 503, with the free space in the log; with room again, 200 and one line saying so', async () => {
    const lines: string[] = [];
    let free = MIN_FREE_BYTES - 1;
    const app = express().use(
      createHealthRouter({
        health: {
          readSchemaVersion: () => SCHEMA_VERSION,
          readFreeBytes: () => free,
          findFileChange: () => undefined,
          canTakeWriteLock: () => true,
        },
        damage: createDatabaseDamage(),
        log: { warn: (line) => lines.push(`warn ${line}`), info: (line) => lines.push(`info ${line}`) },
      }),
    );
    const full = await request(app).get('/readyz');
    expect(full.status).toBe(503);
    expect(full.body).toEqual({ status: 'unavailable' });
    expect(lines).toEqual([expect.stringContaining('warn readyz: not ready: the disk holding the database has 63 MB free (below 64 MB)')]);
    free = MIN_FREE_BYTES;
    for (let i = 0; i < 3; i++) expect((await request(app).get('/readyz')).status).toBe(200);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^info readyz: ready again \(it was not: the disk holding the database has 63 MB free/);
  });
});

/** The tables and columns the readiness check reads, as a bare database has them. */
const TABLES_READ = 'CREATE TABLE users (id INTEGER PRIMARY KEY, created_at TEXT); CREATE TABLE sessions (sid TEXT PRIMARY KEY, data TEXT)';

/** The app over a migrated database in a file of its own (makeTestApp's are in memory, and have no file to lose). */
function makeFileApp(file = join(tempDir(), 'hf-fidelity.sqlite')): TestApp & { file: string } {
  const testApp = makeTestApp({ db: openDatabase(file) });
  return { ...testApp, file };
}

function readyzLines(logs: readonly string[]): { level: string; msg: string }[] {
  return logs.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((line) => line.msg.startsWith('readyz:'));
}

describe('GET /readyz when the database file changes under the server', () => {
  it('when the database file is deleted while the app runs, then 503, and one warning names the file, however often it is asked', async () => {
    const { app, db, logs, file } = makeFileApp();
    expect((await request(app).get('/readyz')).status).toBe(200);
    // What `rm hf-fidelity.sqlite` does: its -wal and -shm stay, and SQLite goes on with the unlinked file.
    rmSync(file);
    for (let i = 0; i < 3; i++) {
      const response = await request(app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'unavailable' });
    }
    const lines = readyzLines(logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('warn');
    expect(lines[0]?.msg).toContain(
      `readyz: not ready: the database file ${file} is missing: it was deleted or moved while the server runs`,
    );
    // The answer itself carries no path.
    expect((await request(app).get('/readyz')).text).not.toContain(file);
    db.close();
  });

  it('when the database file is moved away, then 503; once it is back, 200 again', async () => {
    const { app, db, file } = makeFileApp();
    renameSync(file, `${file}.away`);
    expect((await request(app).get('/readyz')).status).toBe(503);
    renameSync(`${file}.away`, file);
    expect((await request(app).get('/readyz')).status).toBe(200);
    db.close();
  });

  it('when another database is put at its path, then 503, and the log says it is no longer the file the server opened', async () => {
    const { app, db, logs, file } = makeFileApp();
    const other = join(tempDir(), 'other.sqlite');
    const otherDb = openDatabase(other);
    migrate(otherDb);
    otherDb.close();
    renameSync(other, file);
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect(readyzLines(logs).map((line) => line.msg)).toEqual([
      expect.stringContaining(`readyz: not ready: the database file ${file} is no longer the file the server opened`),
    ]);
    db.close();
  });
});

/** Bytes that look random but are the same in every run: a damaged page that fails the same way each time. */
function junkBytes(length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) chunks.push(createHash('sha256').update(`junk ${i}`).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

/** Overwrites the root page of `table` in a closed database file (no -wal), as a disk error would. */
function damageTablePage(file: string, table: string): void {
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  const rootPage = Number(reader.prepare('SELECT rootpage FROM sqlite_schema WHERE type = ? AND name = ?').pluck().get('table', table));
  const pageSize = Number(reader.pragma('page_size', { simple: true }));
  reader.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, junkBytes(pageSize), 0, pageSize, (rootPage - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('GET /readyz on a damaged table', () => {
  it('when the page of the users table is overwritten, then 503 and "malformed" in the log, as a login fails with 500 (the e-mail index alone still answers)', async () => {
    const file = join(tempDir(), 'hf-fidelity.sqlite');
    const before = makeFileApp(file);
    const user = await createTestUser(before.db, ['admin']);
    before.db.close();
    damageTablePage(file, 'users');

    const { app, db, logs } = makeFileApp(file);
    const response = await request(app).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable' });
    expect(readyzLines(logs).map((line) => line.msg)).toEqual([
      expect.stringMatching(
        /^readyz: not ready: the database is damaged: restore the latest backup \(docs\/backup\.md\) \(SQLITE_CORRUPT: database disk image is malformed\)/,
      ),
    ]);
    // What the check read before, `SELECT 1 FROM users`, comes from the index and still succeeds.
    expect(db.prepare('SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1)').pluck().get()).toBe(1);
    // A login reads the table, and fails: what readiness now says in advance.
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const login = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: user.password });
    expect(login.status).toBe(500);
    db.close();
  });

  it('when the page of the sessions table is overwritten, then 503', async () => {
    const file = join(tempDir(), 'hf-fidelity.sqlite');
    makeFileApp(file).db.close();
    damageTablePage(file, 'sessions');
    const { app, db, logs } = makeFileApp(file);
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect(readyzLines(logs).map((line) => line.msg)).toEqual([expect.stringContaining('database disk image is malformed')]);
    db.close();
  });
});

describe('GET /readyz after a request met a damaged page', () => {
  it('when a request meets SQLITE_CORRUPT in a table the check does not read, then 503 from then on, and the damage is logged once with what to do', async () => {
    const file = join(tempDir(), 'hf-fidelity.sqlite');
    const before = makeFileApp(file);
    const admin = await createTestUser(before.db, ['admin']);
    before.services.municipalities.insertMunicipality({ code: '0180', name: 'Stockholm' });
    before.db.close();
    damageTablePage(file, 'municipalities');

    const { app, db, logs } = makeFileApp(file);
    // The check reads users and sessions only: the damage is not found by it.
    expect((await request(app).get('/readyz')).status).toBe(200);
    const agent = await loginAgent(app, admin.email);
    for (let i = 0; i < 2; i++) expect((await agent.get('/municipalities')).status).toBe(500);
    for (let i = 0; i < 3; i++) {
      const response = await request(app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'unavailable' });
    }
    const messages = logs.map((line) => JSON.parse(line) as { level: string; msg: string });
    const damage = messages.filter((line) => line.msg.startsWith('the database is damaged'));
    expect(damage).toHaveLength(1);
    expect(damage[0]?.level).toBe('error');
    expect(damage[0]?.msg).toBe(
      'the database is damaged: restore the latest backup (docs/backup.md). GET /municipalities met SQLITE_CORRUPT: database disk image is malformed; /readyz answers 503 until the server is restarted',
    );
    expect(readyzLines(logs).map((line) => line.msg)).toEqual([
      'readyz: not ready: the database is damaged: restore the latest backup (docs/backup.md) (SQLITE_CORRUPT: database disk image is malformed); the server is not ready until it is restarted',
    ]);
    db.close();
  });
});

describe('GET /readyz while another process holds the write lock', () => {
  it('when another connection holds the write lock, then 503 and a line naming the likely cause, without writing; once it lets go, 200 and one line saying so', async () => {
    const { app, db, logs, file } = makeFileApp();
    expect((await request(app).get('/readyz')).status).toBe(200);
    // An sqlite3 shell left inside a transaction (BEGIN EXCLUSIVE is the same lock in WAL mode).
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    const changes = Number(db.prepare('SELECT total_changes()').pluck().get());
    try {
      for (let i = 0; i < 2; i++) {
        const response = await request(app).get('/readyz');
        expect(response.status).toBe(503);
        expect(response.body).toEqual({ status: 'unavailable' });
      }
      // Reads go on meanwhile (WAL), which is why the other checks found nothing.
      expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await request(app).get('/readyz')).status).toBe(200);
    // The probe wrote nothing, and left the connection's own wait for requests as it was.
    expect(Number(db.prepare('SELECT total_changes()').pluck().get())).toBe(changes);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const lines = readyzLines(logs);
    expect(lines.map((line) => line.level)).toEqual(['warn', 'info']);
    expect(lines[0]?.msg).toMatch(
      /^readyz: not ready: another process holds a write lock on the database \(a sqlite3 shell or a database browser\?\): it was not let go within 200 ms, and logins and saves fail while it is held/,
    );
    expect(lines[1]?.msg).toMatch(/^readyz: ready again \(it was not: another process holds a write lock/);
    db.close();
  });

  it('when a login fails because another process holds the write lock, then the log names that cause', async () => {
    const { app, db, logs, file } = makeFileApp();
    const user = await createTestUser(db, ['reviewer']);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    // The wait of the app's connection is shortened, to the same SQLITE_BUSY at its end (the test does not sit for 5 s).
    db.pragma('busy_timeout = 50');
    try {
      const login = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: extractCsrfToken(page.text), email: user.email, password: user.password });
      expect(login.status).toBe(503);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(logs.join('\n')).toContain(
      'POST /login: nothing saved, another process holds a write lock on the database (a sqlite3 shell or a database browser?) (SQLITE_BUSY: database is locked)',
    );
    db.close();
  });
});

describe('the health store', () => {
  it('when the database is a file, then it reads a real table and the free space of its disk; in memory, no disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-health-'));
    try {
      const db = openDatabase(join(dir, 'health.sqlite'));
      db.exec(TABLES_READ);
      const store = createHealthStore(db);
      expect(store.readSchemaVersion()).toBe(0);
      expect(store.readFreeBytes()).toBeGreaterThan(0);
      db.close();
      const memory = openDatabase(':memory:');
      memory.exec(TABLES_READ);
      expect(createHealthStore(memory).readFreeBytes()).toBeUndefined();
      memory.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
