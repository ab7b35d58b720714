// A database restored without the key to its TOTP secrets: the server refuses to start in one line saying what to do,
// and `npm run mfa:reset -- --all` is the way out when the key is lost, after which the server starts again.
// `mfa:reset -- --email` removes one account's second factor, also while the server runs.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMfaKey } from '../../src/accounts/mfa-key.js';
import { createRecoveryCodes, createTotpSecret, hashRecoveryCode } from '../../src/accounts/mfa.js';
import { createLoginAttemptStore } from '../../src/accounts/login-attempt-store.js';
import { accountKey, mfaThrottleKey } from '../../src/accounts/login-throttle.js';
import { createMfaStore } from '../../src/accounts/mfa-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { systemClock } from '../../src/clock.js';
import { migrate, SCHEMA_VERSION } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { makeServerEnv, postPasswordLogin, ROOT, startServerProcess, stopServerProcess, TSX } from '../helpers/server-process.js';
import { useTempFiles } from '../helpers/temp-files.js';
import { createTestUser, loginAgent, makeTestApp } from '../helpers/test-app.js';
import { spawnHeldServer } from '../server/held-server.js';

const { tempDir } = useTempFiles('hf-mfa-reset-');

function run(dataDir: string, script: string, ...args: string[]) {
  const result = spawnSync(TSX, [script, ...args], {
    cwd: ROOT,
    env: makeServerEnv(dataDir, { PORT: '0' }),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return result;
}

/** A data folder whose database holds two users' sealed TOTP secrets, and no key file: restored without it. */
async function restoredWithoutKey(): Promise<{ dataDir: string; file: string; userIds: number[] }> {
  const dataDir = tempDir();
  const file = join(dataDir, 'hf-fidelity.sqlite');
  const db = openDatabase(file);
  try {
    migrate(db);
    const mfa = createMfaStore(db, systemClock, generateMfaKey());
    const userIds: number[] = [];
    for (const roles of [['admin'], ['reviewer']] as const) {
      const user = await createTestUser(db, roles);
      mfa.enableTotp(user.id, createTotpSecret(), createRecoveryCodes().map(hashRecoveryCode), 0);
      userIds.push(user.id);
    }
    return { dataDir, file, userIds };
  } finally {
    db.close();
  }
}

function readMfaRows(file: string) {
  const db = openDatabase(file);
  try {
    return {
      totp: (db.prepare('SELECT count(*) AS n FROM user_totp').get() as { n: number }).n,
      codes: (db.prepare('SELECT count(*) AS n FROM mfa_recovery_codes').get() as { n: number }).n,
      disabled: db
        .prepare(
          `SELECT a.actor_id, a.entity_key, c.command, c.os_user FROM audit_log a LEFT JOIN audit_log_commands c ON c.audit_id = a.id
           WHERE a.entity = 'mfa' AND json_extract(a.old_value, '$.event') = 'disabled' ORDER BY a.entity_key`,
        )
        .all() as { actor_id: number | null; entity_key: string; command: string | null; os_user: string | null }[],
    };
  } finally {
    db.close();
  }
}

/** The audit log page (and its CSV) of an app over that database names mfa:reset and the OS user as who acted. */
async function expectAuditPageShowsReset(file: string, osUser: string, removals: number) {
  const db = openDatabase(file);
  try {
    const { app } = makeTestApp({ db });
    const admin = await createTestUser(db, ['admin']);
    const agent = await loginAgent(app, admin.email);
    const page = await agent.get('/admin/audit');
    expect(page.status).toBe(200);
    const actors = [...page.text.matchAll(/data-label="Vem">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(actors.filter((actor) => actor === `mfa:reset (kommandoraden, OS-användare ${osUser})`)).toHaveLength(removals);
    expect((await agent.get('/admin/audit?lang=en')).text).toContain(`mfa:reset (command line, OS user ${osUser})`);
    const csv = (await agent.get('/admin/audit.csv')).text.split('\r\n');
    expect(csv[0]?.endsWith(';values_withheld;command;os_user')).toBe(true);
    expect(csv.filter((line) => line.includes('""disabled""') && line.endsWith(`;mfa:reset;${osUser}`))).toHaveLength(removals);
  } finally {
    db.close();
  }
}

describe('a database restored without its MFA key', { timeout: 90_000 }, () => {
  it('when the server starts, then it refuses in one fatal line naming the key file and the way out, and makes no key', async () => {
    const { dataDir } = await restoredWithoutKey();
    const keyFile = join(dataDir, 'mfa.key');
    const start = run(dataDir, 'src/server.ts');
    expect(start.status).toBe(1);
    const output = `${start.stdout}${start.stderr}`;
    const failures = output.split('\n').filter((line) => line.includes('Could not start the server'));
    expect(failures).toHaveLength(1);
    const line = JSON.parse(failures[0] ?? '{}') as { level?: string; msg?: string };
    expect(line.level).toBe('fatal');
    expect(line.msg).toContain(`the key file ${keyFile} does not exist`);
    expect(line.msg).toContain('Restore mfa.key from where it was kept');
    expect(line.msg).toContain('set MFA_KEY');
    expect(line.msg).toContain('npm run mfa:reset -- --all');
    expect(output).not.toContain('is running at');
    expect(output).not.toMatch(/^\s+at /m);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('when mfa:reset is run with --all, then every TOTP enrolment and recovery code is removed and audited, and the server starts with a new key', async () => {
    const { dataDir, file, userIds } = await restoredWithoutKey();

    const without = run(dataDir, 'src/accounts/mfa-reset-cli.ts');
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('give --email <address> to remove one account');
    expect(without.stderr).toContain('or --all for everyone');
    expect(readMfaRows(file).totp).toBe(2);

    const reset = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--all');
    expect(reset.stderr).toBe('');
    expect(reset.status).toBe(0);
    expect(reset.stdout).toContain('Removed TOTP from 2 account(s)');
    // No user of the app acted: each removal names the command and the OS user who ran it.
    const osUser = userInfo().username;
    expect(readMfaRows(file)).toEqual({
      totp: 0,
      codes: 0,
      disabled: userIds.map((id) => ({ actor_id: null, entity_key: String(id), command: 'mfa:reset', os_user: osUser })),
    });
    await expectAuditPageShowsReset(file, osUser, userIds.length);

    const server = await startServerProcess(dataDir);
    try {
      expect(statSync(join(dataDir, 'mfa.key')).mode & 0o777).toBe(0o600);
      expect(server.output()).toContain('Made the key for TOTP secrets');
    } finally {
      await stopServerProcess(server.child, 'SIGTERM');
    }
  });

  it('when the server is running, then mfa:reset refuses, as the restore does, and changes nothing; once it is stopped, the reset runs', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'hf-fidelity.sqlite');
    const server = await startServerProcess(dataDir);
    try {
      // An enrolment made beside the running server (sealed under another key: mfa:reset never opens it).
      const db = openDatabase(file);
      try {
        const user = await createTestUser(db, ['reviewer']);
        createMfaStore(db, systemClock, generateMfaKey()).enableTotp(user.id, createTotpSecret(), [], 0);
      } finally {
        db.close();
      }
      const refused = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--all');
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `mfa:reset refused: ${file} is open in another process, most likely the running server. Stop the server first, then run mfa:reset again. Nothing was changed.`,
      );
      expect(refused.stdout).toBe('');
      expect(readMfaRows(file)).toMatchObject({ totp: 1, disabled: [] });
    } finally {
      await stopServerProcess(server.child, 'SIGTERM');
    }
    const reset = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--all');
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Removed TOTP from 1 account(s)');
    expect(readMfaRows(file).totp).toBe(0);
  });

  it('when a server is starting (its lock taken, the database not yet opened), then mfa:reset refuses and changes nothing; once it is killed, the reset runs', async () => {
    const { dataDir, file } = await restoredWithoutKey();
    const server = await spawnHeldServer(dataDir);
    try {
      expect(await server.held()).toBe(true);
      const refused = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--all');
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `mfa:reset refused: ${file} is open in another process, most likely the running server. Stop the server first, then run mfa:reset again. Nothing was changed.`,
      );
      expect(readMfaRows(file)).toMatchObject({ totp: 2, disabled: [] });
    } finally {
      expect(await server.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    }
    const reset = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--all');
    expect(reset.status, reset.stderr).toBe(0);
    expect(readMfaRows(file).totp).toBe(0);
  });

  it('when the database file is not there, then mfa:reset changes nothing and makes no database', () => {
    const dataDir = tempDir();
    const reset = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--all');
    expect(reset.status).toBe(1);
    expect(reset.stderr).toContain('there is no database at');
    expect(existsSync(join(dataDir, 'hf-fidelity.sqlite'))).toBe(false);
  });
});

/** Where a password login of `email` goes next on the running server: the code, the setup of one, or in. */
async function loginStep(baseUrl: string, email: string, password: string): Promise<string | null> {
  const { response } = await postPasswordLogin(baseUrl, email, password);
  expect(response.status).toBe(303);
  return response.headers.get('location');
}

/** A database at this version with an administrator and a reviewer, each with TOTP, recovery codes and the code counter locked. */
async function withTwoFactors(file: string) {
  const db = openDatabase(file);
  try {
    migrate(db);
    const mfa = createMfaStore(db, systemClock, generateMfaKey());
    const attempts = createLoginAttemptStore(db);
    const lockedUntil = Date.now() + 3_600_000;
    const made = [];
    for (const roles of [['admin'], ['reviewer']] as const) {
      const user = await createTestUser(db, roles);
      mfa.enableTotp(user.id, createTotpSecret(), createRecoveryCodes().map(hashRecoveryCode), 0);
      // The codes' counter locked by wrong codes, as a person trying their old codes at 3 a.m. would leave it.
      attempts.changeCounters([accountKey(mfaThrottleKey(user.id))], Date.now(), () => ({
        changes: [
          {
            key: accountKey(mfaThrottleKey(user.id)),
            counter: { failures: 5, windowStartedAt: Date.now(), lockedUntil, expiresAt: lockedUntil },
          },
        ],
        result: undefined,
      }));
      made.push(user);
    }
    const [admin, reviewer] = made;
    if (!admin || !reviewer) throw new Error('two users expected');
    return { admin, reviewer };
  } finally {
    db.close();
  }
}

function readUserFactors(file: string, userId: number) {
  const db = openDatabase(file);
  try {
    return {
      totp: (db.prepare('SELECT count(*) AS n FROM user_totp WHERE user_id = ?').get(userId) as { n: number }).n,
      codes: (db.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ?').get(userId) as { n: number }).n,
      codeLock: createLoginAttemptStore(db).findCounter(accountKey(mfaThrottleKey(userId)))?.lockedUntil !== undefined,
    };
  } finally {
    db.close();
  }
}

describe('mfa:reset --email', { timeout: 90_000 }, () => {
  it('when the server is running, then it removes that one account’s second factor, audited, and the server’s next login asks to set one up', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'hf-fidelity.sqlite');
    const server = await startServerProcess(dataDir);
    try {
      const { admin, reviewer } = await withTwoFactors(file);
      // The running server sees the second factor before the reset: the login asks for a code.
      expect(await loginStep(server.baseUrl, admin.email, admin.password)).toBe('/login/mfa');

      const reset = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--email', admin.email.toUpperCase());
      expect(reset.stderr).toBe('');
      expect(reset.status).toBe(0);
      expect(reset.stdout.trim()).toBe(
        `Removed the second factor (TOTP and recovery codes) of ${admin.email} in ${file}, recorded in the audit log; at the next password login they set TOTP up again, before any other page.`,
      );
      expect(readUserFactors(file, admin.id)).toEqual({ totp: 0, codes: 0, codeLock: false });
      // Nobody else's.
      expect(readUserFactors(file, reviewer.id)).toEqual({ totp: 1, codes: 10, codeLock: true });
      const osUser = userInfo().username;
      expect(readMfaRows(file).disabled).toEqual([{ actor_id: null, entity_key: String(admin.id), command: 'mfa:reset', os_user: osUser }]);

      // The same server, not restarted: its next login of the administrator goes to setting up a new second factor.
      expect(await loginStep(server.baseUrl, admin.email, admin.password)).toBe('/login/mfa/setup');
      expect(await loginStep(server.baseUrl, reviewer.email, reviewer.password)).toBe('/login/mfa');
    } finally {
      await stopServerProcess(server.child, 'SIGTERM');
    }
    await expectAuditPageShowsReset(file, userInfo().username, 1);
  });

  it('when the address is unknown, the account deactivated, or the options wrong, then it exits 1 saying so and changes nothing', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'hf-fidelity.sqlite');
    const { admin, reviewer } = await withTwoFactors(file);
    const db = openDatabase(file);
    try {
      createUserStore(db).updateUser(
        reviewer.id,
        { displayName: reviewer.displayName, affiliation: 'Testkommun', active: false, roles: ['reviewer'] },
        admin.id,
      );
    } finally {
      db.close();
    }

    const unknown = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--email', 'nobody@example.org');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      `mfa:reset: there is no account nobody@example.org in ${file}; check the address (or DATA_DIR); nothing was changed.`,
    );
    const inactive = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--email', reviewer.email);
    expect(inactive.status).toBe(1);
    expect(inactive.stderr).toContain(`mfa:reset: the account ${reviewer.email} is deactivated`);
    const both = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--email', admin.email, '--all');
    expect(both.status).toBe(1);
    expect(both.stderr).toContain('give either --email or --all, not both');
    const notAnAddress = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--email', 'admin');
    expect(notAnAddress.status).toBe(1);
    expect(notAnAddress.stderr).toContain('--email must be an email address');

    expect(readUserFactors(file, admin.id)).toEqual({ totp: 1, codes: 10, codeLock: true });
    expect(readUserFactors(file, reviewer.id)).toEqual({ totp: 1, codes: 10, codeLock: true });
    expect(readMfaRows(file).disabled).toEqual([]);
  });

  it('when the database is at an older schema version (a server of the older version may run on it), then it refuses and migrates nothing', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'hf-fidelity.sqlite');
    const { admin } = await withTwoFactors(file);
    const db = openDatabase(file);
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    const refused = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--email', admin.email);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `The database has schema version ${SCHEMA_VERSION - 1}, older than this program's (${SCHEMA_VERSION}), and mfa:reset does not migrate it`,
    );
    const after = openDatabase(file);
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION - 1);
    } finally {
      after.close();
    }
    expect(readUserFactors(file, admin.id).totp).toBe(1);
  });

  it('prints a usage naming the command as it was run, and the version', () => {
    const dataDir = tempDir();
    const help = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npx tsx src/accounts/mfa-reset-cli.ts --email <address>');
    expect(help.stdout).toContain('   or: npx tsx src/accounts/mfa-reset-cli.ts --all');
    const version = run(dataDir, 'src/accounts/mfa-reset-cli.ts', '--version');
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(new RegExp(`^hf-fidelity \\d+\\.\\d+\\.\\d+\\S*, database schema version ${SCHEMA_VERSION}\\n$`));
  });
});
