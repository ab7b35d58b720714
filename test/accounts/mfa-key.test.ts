// The key for TOTP secrets in a real installation's files: the key file made owner-only and used again, secrets stored
// in clear before sealing existed sealed when the services are built, and a key that is missing or not the right one
// refused at start; through the login, a secret that does not open is refused with what to do, never a crash
// (mfa-unopenable-secret.test.ts has the rest of that).
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { generateMfaKey, MfaKeyError, type MfaKey } from '../../src/accounts/mfa-key.js';
import { createRecoveryCodes, createTotpSecret, hashRecoveryCode } from '../../src/accounts/mfa.js';
import { createMfaStore } from '../../src/accounts/mfa-store.js';
import { isSealedTotpSecret, openTotpSecret } from '../../src/accounts/totp-seal.js';
import { describeFailure } from '../../src/cli/command-line.js';
import { systemClock } from '../../src/clock.js';
import { defaultHttpConfig, loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createServices, servicesConfigOf } from '../../src/services.js';
import { useTempFiles } from '../helpers/temp-files.js';
import { createTestUser, extractCsrfToken, loadTestRubrics, makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

const { tempDir } = useTempFiles('hf-mfa-key-');

/** A data folder with a migrated database file, as the server keeps it. */
function makeInstallation(): { dataDir: string; db: Db } {
  const dataDir = tempDir();
  const db = openDatabase(join(dataDir, 'hf-fidelity.sqlite'));
  migrate(db);
  return { dataDir, db };
}

/** The services as the server builds them over that folder (loadConfig → servicesConfigOf), with MFA_KEY when given. */
function startServices(dataDir: string, db: Db, env: Record<string, string> = {}) {
  const config = loadConfig({ DATA_DIR: dataDir, ...env });
  return createServices(db, servicesConfigOf(config), { rubrics: loadTestRubrics(), pdfWorkers: { keepWarm: 0, idleMs: 1_000 } });
}

async function userWithTotp(db: Db, key: MfaKey) {
  const user = await createTestUser(db, ['reviewer']);
  const secret = createTotpSecret();
  const recoveryCodes = createRecoveryCodes();
  createMfaStore(db, systemClock, key).enableTotp(user.id, secret, recoveryCodes.map(hashRecoveryCode), 0);
  return { ...user, secret, recoveryCodes };
}

function storedSecret(db: Db, userId: number): string {
  return (db.prepare('SELECT secret FROM user_totp WHERE user_id = ?').get(userId) as { secret: string }).secret;
}

/** The password, then a code on /login/mfa: the code page's answer. */
async function logInWithCode(app: TestApp['app'], email: string, code: string) {
  const agent = request.agent(app);
  const login = await agent.get('/login');
  const password = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: extractCsrfToken(login.text), email, password: TEST_PASSWORD });
  expect(password.headers.location).toBe('/login/mfa');
  const page = await agent.get('/login/mfa');
  return agent
    .post('/login/mfa')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), code });
}

function codeNow(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) });
}

describe('the key file', () => {
  it('when no key is set and none is kept, then mfa.key is made in DATA_DIR, owner-only, and the same key is used at the next start', async () => {
    const { dataDir, db } = makeInstallation();
    const file = join(dataDir, 'mfa.key');
    const first = startServices(dataDir, db);
    expect(first.mfaKeyStart).toEqual({ from: file, created: true, sealedAtStart: 0 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const keyBytes = Buffer.from(text.trim(), 'base64');
    expect(keyBytes).toHaveLength(32);

    const user = await createTestUser(db, ['reviewer']);
    const secret = createTotpSecret();
    first.mfa.enableTotp(user.id, secret, [], 0);
    await first.close();
    // Neither the key nor the secret anywhere in the database's files.
    const files = ['hf-fidelity.sqlite', 'hf-fidelity.sqlite-wal'].map((name) => join(dataDir, name)).filter((f) => existsSync(f));
    const raw = Buffer.concat(files.map((f) => readFileSync(f)));
    for (const needle of [keyBytes, Buffer.from(text.trim()), Buffer.from(secret)]) expect(raw.includes(needle)).toBe(false);

    const second = startServices(dataDir, db);
    expect(second.mfaKeyStart).toEqual({ from: file, created: false, sealedAtStart: 0 });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(second.mfa.findTotp(user.id)?.secret).toEqual({ ok: true, secret, sealed: true });
    await second.close();
  });

  it('when MFA_KEY is set, then it seals the secrets and no key file is made', async () => {
    const { dataDir, db } = makeInstallation();
    const keyText = Buffer.alloc(32, 7).toString('hex');
    const services = startServices(dataDir, db, { MFA_KEY: keyText });
    expect(services.mfaKeyStart).toEqual({ from: 'MFA_KEY', created: false, sealedAtStart: 0 });
    expect(() => statSync(join(dataDir, 'mfa.key'))).toThrow(/ENOENT/);
    await services.close();
  });

  it('when MFA_KEY is not 32 bytes of base64 or hex, then the configuration is refused, naming MFA_KEY', () => {
    for (const bad of ['short', Buffer.alloc(16).toString('base64'), 'z'.repeat(64)]) {
      expect(() => loadConfig({ MFA_KEY: bad })).toThrow(/MFA_KEY[\s\S]*32 random bytes/);
    }
    expect(loadConfig({ MFA_KEY: Buffer.alloc(32, 1).toString('base64url') }).mfaKey?.symmetricKeySize).toBe(32);
  });

  it('when the key file holds no key, then the start is refused in one line naming the file', () => {
    const { dataDir, db } = makeInstallation();
    writeFileSync(join(dataDir, 'mfa.key'), 'not a key\n', { mode: 0o600 });
    const thrown = captureError(() => startServices(dataDir, db));
    expect(thrown).toBeInstanceOf(MfaKeyError);
    expect(describeFailure(thrown)).toMatch(new RegExp(`^the key file ${join(dataDir, 'mfa.key')} holds no usable key.*mfa:reset`));
  });
});

describe('the key file’s mode', () => {
  it('when the key file may be read or written by its group or others, then the start is refused in one line naming the file, its mode and chmod 600, and nothing changes', async () => {
    const { dataDir, db } = makeInstallation();
    const file = join(dataDir, 'mfa.key');
    const first = startServices(dataDir, db);
    const user = await createTestUser(db, ['reviewer']);
    first.mfa.enableTotp(user.id, createTotpSecret(), [], 0);
    await first.close();
    const sealed = storedSecret(db, user.id);
    for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602, 0o660]) {
      chmodSync(file, mode);
      const thrown = captureError(() => startServices(dataDir, db));
      expect(thrown).toBeInstanceOf(MfaKeyError);
      const line = describeFailure(thrown);
      expect(line).not.toContain('\n');
      expect(line).toMatch(new RegExp(`^the key file ${file} has mode 0${mode.toString(8)}: its group or others may read or write it`));
      expect(line).toContain(`Fix: chmod 600 ${file}`);
    }
    // Nothing was changed meanwhile: the same key file and sealed secret, and owner-only, it starts again.
    expect(storedSecret(db, user.id)).toBe(sealed);
    for (const mode of [0o600, 0o400]) {
      chmodSync(file, mode);
      const again = startServices(dataDir, db);
      expect(again.mfaKeyStart).toEqual({ from: file, created: false, sealedAtStart: 0 });
      await again.close();
    }
  });

  it('when MFA_KEY is set, then a key file beside it is not read, whatever its mode', async () => {
    const { dataDir, db } = makeInstallation();
    writeFileSync(join(dataDir, 'mfa.key'), 'not a key\n');
    chmodSync(join(dataDir, 'mfa.key'), 0o666);
    const services = startServices(dataDir, db, { MFA_KEY: Buffer.alloc(32, 3).toString('base64') });
    expect(services.mfaKeyStart?.from).toBe('MFA_KEY');
    await services.close();
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('a database restored without its key', () => {
  it('when secrets are sealed and neither MFA_KEY nor the key file is there, then the start is refused, no key file is made, and nothing changes', async () => {
    const { dataDir, db } = makeInstallation();
    const user = await userWithTotp(db, generateMfaKey());
    const before = storedSecret(db, user.id);
    const thrown = captureError(() => startServices(dataDir, db));
    expect(thrown).toBeInstanceOf(MfaKeyError);
    const line = describeFailure(thrown);
    expect(line).not.toContain('\n');
    expect(line).toContain(`the key file ${join(dataDir, 'mfa.key')} does not exist`);
    expect(line).toContain('Restore mfa.key');
    expect(line).toContain('MFA_KEY');
    expect(line).toContain('npm run mfa:reset -- --all');
    expect(() => statSync(join(dataDir, 'mfa.key'))).toThrow(/ENOENT/);
    expect(storedSecret(db, user.id)).toBe(before);
  });

  it('when a key is there but opens none of the sealed secrets (a key file made anew), then the start is refused too', async () => {
    const { dataDir, db } = makeInstallation();
    await userWithTotp(db, generateMfaKey());
    const thrown = captureError(() => startServices(dataDir, db, { MFA_KEY: Buffer.alloc(32, 9).toString('base64') }));
    expect(thrown).toBeInstanceOf(MfaKeyError);
    expect(describeFailure(thrown)).toMatch(/^none of the 1 sealed TOTP secret\(s\) in the database opens with the key from MFA_KEY/);
  });
});

describe('secrets stored in clear before sealing', () => {
  it('when the services are built over a database holding a clear secret, then it is sealed in place and its codes still log in', async () => {
    const { dataDir, db } = makeInstallation();
    const user = await createTestUser(db, ['reviewer']);
    const secret = createTotpSecret();
    // As migration 12 stored it: the secret itself.
    db.prepare(
      "INSERT INTO user_totp (user_id, secret, enabled_at, recovery_codes_created_at) VALUES (?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
    ).run(user.id, secret);
    const services = startServices(dataDir, db);
    expect(services.mfaKeyStart?.sealedAtStart).toBe(1);
    const stored = storedSecret(db, user.id);
    expect(isSealedTotpSecret(stored)).toBe(true);
    expect(stored).not.toContain(secret);
    await services.close();

    // The next start finds nothing left to seal, and the key file opens it.
    const key = loadConfig({ MFA_KEY: readFileSync(join(dataDir, 'mfa.key'), 'utf8') }).mfaKey;
    if (!key) throw new Error('no key');
    expect(openTotpSecret(key, user.id, stored)).toEqual({ ok: true, secret, sealed: true });
    const { app, services: again } = makeTestApp({ db, mfaKey: key });
    expect(again.mfaKeyStart?.sealedAtStart).toBe(0);
    const response = await logInWithCode(app, user.email, await codeNow(secret));
    expect(response.status).toBe(303);
  });
});

describe('POST /login/mfa with a sealed secret', () => {
  it('when the right code is given, then the login completes', async () => {
    const key = generateMfaKey();
    const { app, db } = makeTestApp({ mfaKey: key, config: { ...defaultHttpConfig() } });
    const user = await userWithTotp(db, key);
    const response = await logInWithCode(app, user.email, await codeNow(user.secret));
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
  });

  it('when the app has another key, then the right code is refused with what to do instead, the log says the secret does not open, and a recovery code still works', async () => {
    const { db } = makeTestApp();
    const user = await userWithTotp(db, generateMfaKey());
    const { app, logs } = makeTestApp({ db, mfaKey: generateMfaKey() });
    const refused = await logInWithCode(app, user.email, await codeNow(user.secret));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('kontakta administratören');
    const failures = logs
      .map((line) => JSON.parse(line) as { event?: string; reason?: string })
      .filter((line) => line.event?.startsWith('mfa_'));
    expect(failures).toEqual([
      expect.objectContaining({ userId: user.id, via: 'totp', event: 'mfa_secret_unopenable', reason: 'does_not_open' }),
    ]);
    expect(logs.join('\n')).not.toContain(user.secret);

    const recovered = await logInWithCode(app, user.email, user.recoveryCodes[0] ?? '');
    expect(recovered.status).toBe(303);
  });

  it("when a sealed secret is copied into another user's row, then that user's codes are refused", async () => {
    const key = generateMfaKey();
    const { app, db } = makeTestApp({ mfaKey: key });
    const owner = await userWithTotp(db, key);
    const other = await userWithTotp(db, key);
    db.prepare('UPDATE user_totp SET secret = ? WHERE user_id = ?').run(storedSecret(db, owner.id), other.id);
    const response = await logInWithCode(app, other.email, await codeNow(owner.secret));
    expect(response.status).toBe(409);
  });
});
