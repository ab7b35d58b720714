import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/accounts/user-store.js';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function readPackageVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Runs the CLI with stdin a pipe that is closed at once (not a terminal, like `</dev/null`); no ADMIN_PASSWORD when `password` is undefined. */
function runCreateAdmin(dataDir: string, password: string | undefined, ...args: string[]) {
  return runCreateAdminIn({}, dataDir, password, ...args);
}

function runCreateAdminIn(extraEnv: NodeJS.ProcessEnv, dataDir: string, password: string | undefined, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, DATA_DIR: dataDir, DATABASE_FILE: join(dataDir, 'hf-fidelity.sqlite') };
  delete env.PASSWORD_HASH_COST;
  if (password === undefined) delete env.ADMIN_PASSWORD;
  else env.ADMIN_PASSWORD = password;
  const result = spawnSync(tsx, ['src/accounts/create-admin-cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    input: '',
    env,
  });
  if (result.error) throw result.error;
  return result;
}

// Each run starts a tsx process, which takes a second or so on a small machine.
describe('npm run admin:create', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a common password or one containing the name, and creates the administrator with a good one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    const args = ['--email', 'ada@example.org', '--name', 'Ada Lovelace', '--new-installation'];
    const common = runCreateAdmin(dir, 'Password2024!', ...args);
    expect(common.status).toBe(1);
    expect(common.stderr).toContain('The password is too easy to guess');
    const named = runCreateAdmin(dir, 'lovelace and babbage', ...args);
    expect(named.status).toBe(1);
    expect(named.stderr).toContain('must not contain the account’s name');
    const good = runCreateAdmin(dir, 'correct horse battery staple', ...args);
    expect(good.stderr).toBe('');
    // The first tool to open a new installation makes its MFA key file, and says to keep a copy; later runs do not.
    expect(good.stdout).toContain(`Made the key for TOTP secrets, ${join(dir, 'mfa.key')}: keep a copy of it once`);
    expect(good.stdout).toContain(`Administrator ada@example.org created in ${join(dir, 'hf-fidelity.sqlite')}. Log in at /login.`);
    const again = runCreateAdmin(dir, 'correct horse battery staple', ...args);
    expect(again.stderr).toContain(`There is already an account for ada@example.org in ${join(dir, 'hf-fidelity.sqlite')}.`);
    expect(again.stdout).not.toContain('Made the key');
    expect(good.status).toBe(0);
    // Into the database that is there, no flag is needed.
    const second = runCreateAdmin(dir, 'correct horse battery staple', '--email', 'grace@example.org', '--name', 'Grace Hopper');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain(`Administrator grace@example.org created in ${join(dir, 'hf-fidelity.sqlite')}.`);
    const db = openDatabase(join(dir, 'hf-fidelity.sqlite'));
    try {
      expect(createUserStore(db).findUserByEmail('ada@example.org')?.roles).toEqual(['admin']);
      expect(createUserStore(db).findUserByEmail('grace@example.org')?.roles).toEqual(['admin']);
      // Hashed at the OWASP cost: PASSWORD_HASH_COST is not set (only test servers and makeTestApp ask for the cheap one).
      expect(createUserStore(db).findCredentials('ada@example.org')?.passwordHash).toMatch(
        /^\$argon2id\$v=19\$m=19456,(t=2,p=1|p=1,t=2)\$/,
      );
      // No user of the app made the account: its audit entries name the command and the OS user who ran it.
      const entries = db
        .prepare(
          'SELECT a.entity, a.actor_id, c.command, c.os_user FROM audit_log a LEFT JOIN audit_log_commands c ON c.audit_id = a.id ORDER BY a.id',
        )
        .all();
      const byCommand = { actor_id: null, command: 'admin:create', os_user: userInfo().username };
      expect(entries).toEqual([
        { entity: 'user', ...byCommand },
        { entity: 'user_role', ...byCommand },
        { entity: 'user', ...byCommand },
        { entity: 'user_role', ...byCommand },
      ]);
    } finally {
      db.close();
    }
  });

  it('without ADMIN_PASSWORD and without a terminal to ask on, exits 1 saying what to do, and creates nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    const run = runCreateAdmin(dir, undefined, '--email', 'ada@example.org', '--name', 'Ada Lovelace', '--new-installation');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/set ADMIN_PASSWORD, or run admin:create in a terminal/);
    expect(run.stdout).not.toContain('Password for the new administrator');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when the database is gone but mfa.key of the installation is still there, then it exits 1 naming both, and creates no database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'mfa.key'), 'x'.repeat(44), { mode: 0o600 });
    // Neither without --new-installation nor with it.
    for (const flags of [[], ['--new-installation']]) {
      const run = runCreateAdmin(
        dir,
        'ett långt och ovanligt lösenord 42',
        '--email',
        'ada@example.org',
        '--name',
        'Ada Lovelace',
        ...flags,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        `the database ${join(dir, 'hf-fidelity.sqlite')} is missing, but ${join(dir, 'mfa.key')} is still there`,
      );
      expect(readdirSync(dir)).toEqual(['mfa.key']);
    }
  });

  it('when NODE_ENV=production and DATA_DIR does not exist, then it exits 1 saying how to create it, and creates no folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    const mistyped = join(dir, 'dta');
    const run = runCreateAdminIn(
      { NODE_ENV: 'production' },
      mistyped,
      'ett långt och ovanligt lösenord 42',
      '--email',
      'ada@example.org',
      '--name',
      'Ada Lovelace',
      '--new-installation',
    );
    // Production refuses the test password cost, which runCreateAdmin leaves unset; the folder check comes first anyway.
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`the database's folder ${mistyped} does not exist, and with NODE_ENV=production it is not created`);
    expect(existsSync(mistyped)).toBe(false);
  });

  it('checks the arguments before the password, and shows the usage when they are wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    const cases: [string[], RegExp][] = [
      [['--email', 'not-an-address', '--name', 'Ada Lovelace'], /--email must be an email address/],
      [['--email', 'ada@example.org'], /--name is required/],
      [['--email', 'ada@example.org', '--name', 'Ada Lovelace', '--password', 'secret'], /Unknown option '--password'/],
      [['--email', 'ada@example.org', '--name', 'Ada Lovelace', 'stray'], /Unexpected argument 'stray'/],
    ];
    for (const [args, message] of cases) {
      // No password anywhere: had it been asked for first, that would be the complaint.
      const run = runCreateAdmin(dir, undefined, ...args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('Usage: npx tsx src/accounts/create-admin-cli.ts --email');
      expect(run.stderr).not.toContain('ADMIN_PASSWORD, or run');
    }
    expect(existsSync(join(dir, 'hf-fidelity.sqlite'))).toBe(false);
  });

  it('refuses a personal identity number in the email, name or affiliation in one line, and stores nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    // A first administrator, so the database exists and the refusals below can be looked for in it.
    expect(
      runCreateAdmin(dir, 'correct horse battery staple', '--email', 'ada@example.org', '--name', 'Ada Lovelace', '--new-installation')
        .status,
    ).toBe(0);
    const cases: [string, string[]][] = [
      ['--email', ['--email', 'grace.811218-9876@example.org', '--name', 'Grace Hopper']],
      ['--email', ['--email', '19811218_9876@example.org', '--name', 'Grace Hopper']],
      ['--name', ['--email', 'grace@example.org', '--name', 'Grace 81 12 18-98 76']],
      ['--affiliation', ['--email', 'grace@example.org', '--name', 'Grace Hopper', '--affiliation', 'Kommun 811218\n9876']],
    ];
    for (const [option, args] of cases) {
      const run = runCreateAdmin(dir, 'another long pass phrase', ...args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toEqual([
        expect.stringContaining(`admin:create: ${option} holds what looks like a Swedish personal identity number`),
      ]);
      expect(run.stderr).toContain('08-123 456 78');
      expect(run.stdout).toBe('');
    }
    const db = openDatabase(join(dir, 'hf-fidelity.sqlite'));
    try {
      const users = db.prepare('SELECT email, display_name, affiliation FROM users').all();
      expect(users).toEqual([{ email: 'ada@example.org', display_name: 'Ada Lovelace', affiliation: '' }]);
      const audit = db
        .prepare('SELECT old_value, new_value FROM audit_log')
        .all()
        .map((row) => JSON.stringify(row).replace(/[^0-9]/g, ''));
      expect(audit.filter((digits) => digits.includes('8112189876'))).toEqual([]);
      expect(createUserStore(db).findUserByEmail('grace@example.org')).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('prints the usage for --help, naming the command as it was run, and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    const run = runCreateAdmin(dir, undefined, '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: npx tsx src/accounts/create-admin-cli.ts --email you@example.org --name "Your Name"');
    expect(run.stdout).toContain('ADMIN_PASSWORD');
    expect(run.stdout).toContain('--new-installation');
    expect(run.stderr).toBe('');
    expect(readdirSync(dir)).toEqual([]);
    // Through npm, the README's form.
    const npm = spawnSync('npm', ['run', '--silent', 'admin:create', '--', '--help'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, DATA_DIR: dir },
    });
    expect(npm.status, npm.stderr).toBe(0);
    expect(npm.stdout).toContain('Usage: npm run admin:create -- --email you@example.org --name "Your Name"');
  });

  it('prints the version for --version and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    const run = runCreateAdmin(dir, undefined, '--version');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(`hf-fidelity ${readPackageVersion()}, database schema version ${SCHEMA_VERSION}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when DATA_DIR holds no database, then without --new-installation it exits 1 naming the database file and how to run it, and creates nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-admin-cli-'));
    dirs.push(dir);
    // As the audit found it: run from a folder with no ./data, without the server's DATA_DIR.
    const run = runCreateAdmin(dir, 'ett långt och ovanligt lösenord 42', '--email', 'ada@example.org', '--name', 'Ada Lovelace');
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `admin:create: there is no database at ${join(dir, 'hf-fidelity.sqlite')}, so nothing was created. Run it as the server's user with the server's DATA_DIR (or DATABASE_FILE): the server's first start prints the whole command. For a new installation whose server has not started yet, add --new-installation.`,
    );
    expect(run.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
    // A relative DATA_DIR is named as the absolute path it resolved to.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: join('test', 'no-such-data'),
      ADMIN_PASSWORD: 'ett långt och ovanligt lösenord 42',
    };
    delete env.DATABASE_FILE;
    const relative = spawnSync(tsx, ['src/accounts/create-admin-cli.ts', '--email', 'ada@example.org', '--name', 'Ada Lovelace'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      input: '',
      env,
    });
    expect(relative.status).toBe(1);
    expect(relative.stderr).toContain(
      `there is no database at ${join(root, 'test', 'no-such-data', 'hf-fidelity.sqlite')}, so nothing was created`,
    );
    expect(existsSync(join(root, 'test', 'no-such-data'))).toBe(false);
  });
});
