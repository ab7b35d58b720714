import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createHealthRouter, MIN_FREE_BYTES } from '../../src/health/health-routes.js';
import { createHealthStore } from '../../src/health/health-store.js';
import { makeTestApp } from '../helpers/test-app.js';

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

  it('when the disk holding the database is nearly full, then 503, with the free space in the log; with room again, 200', async () => {
    const lines: string[] = [];
    let free = MIN_FREE_BYTES - 1;
    const app = express().use(
      createHealthRouter({
        health: { readSchemaVersion: () => SCHEMA_VERSION, readFreeBytes: () => free },
        log: (line) => lines.push(line),
      }),
    );
    const full = await request(app).get('/readyz');
    expect(full.status).toBe(503);
    expect(full.body).toEqual({ status: 'unavailable' });
    expect(lines).toEqual([expect.stringContaining('readyz: not ready: the disk holding the database has 63 MB free (below 64 MB)')]);
    free = MIN_FREE_BYTES;
    expect((await request(app).get('/readyz')).status).toBe(200);
  });
});

describe('the health store', () => {
  it('when the database is a file, then it reads a real table and the free space of its disk; in memory, no disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-health-'));
    try {
      const db = openDatabase(join(dir, 'health.sqlite'));
      db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
      const store = createHealthStore(db);
      expect(store.readSchemaVersion()).toBe(0);
      expect(store.readFreeBytes()).toBeGreaterThan(0);
      db.close();
      const memory = openDatabase(':memory:');
      memory.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
      expect(createHealthStore(memory).readFreeBytes()).toBeUndefined();
      memory.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
