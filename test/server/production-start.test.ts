// The server as production starts it: built with `npm run build` (deploy/build.mjs) and run as `node dist/server.js`,
// node itself the main process, as the systemd unit (deploy/hf-fidelity.service) and the image (Containerfile) do.
// A guard loaded with --import (inherited by worker threads) fails any attempt to load tsx or a .ts file, so the
// test proves that neither the server nor its PDF worker needs a TypeScript tool at run time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppVersion } from '../../src/app-version.js';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { MEMORY_ENV, MEMORY_NODE_OPTIONS } from '../../src/memory-settings.js';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.js';
import { makeServerEnv, postPasswordLogin, ROOT } from '../helpers/server-process.js';
import { makeDataDir, spawnServer } from './spawn-server.js';

// A folder directly in the project folder, as dist/ is (the build refuses any other place).
const OUT_DIR = join(ROOT, `dist-test-${process.pid}`);
const GUARD_HOOKS = `
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (/\\/node_modules\\/tsx\\//.test(resolved.url) || /\\.[cm]?ts$/.test(resolved.url)) {
    throw new Error('a TypeScript tool or source was loaded at run time: ' + resolved.url);
  }
  return resolved;
}
`;

let guardDir = '';

/** The node arguments the systemd unit's ExecStart and the image's CMD give, which must be the same. */
function readProductionNodeArgs(): string[] {
  const unit = readFileSync(join(ROOT, 'deploy/hf-fidelity.service'), 'utf8');
  const execStart = /^ExecStart=(.+)$/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? [];
  const cmdJson = /^CMD (\[.+\])$/m.exec(readFileSync(join(ROOT, 'Containerfile'), 'utf8'))?.[1] ?? '[]';
  const cmd = JSON.parse(cmdJson) as string[];
  expect(execStart[0]).toBe('/usr/bin/node');
  expect(cmd[0]).toBe('node');
  expect(execStart.slice(1)).toEqual(cmd.slice(1));
  return cmd.slice(1);
}

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? listFiles(file) : [file];
  });
}

/** The session cookie and a CSRF token from the login page, then the login itself; returns the logged-in cookie. */
async function logIn(baseUrl: string, email: string, password: string): Promise<string> {
  const { response, cookie } = await postPasswordLogin(baseUrl, email, password);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).not.toContain('/login');
  return cookie;
}

beforeAll(async () => {
  const built = await run(process.execPath, ['deploy/build.mjs', '--out-dir', OUT_DIR]);
  expect(built.output).toContain('written');
  expect(built.code).toBe(0);
  guardDir = mkdtempSync(join(tmpdir(), 'hf-fidelity-guard-'));
  writeFileSync(join(guardDir, 'hooks.mjs'), GUARD_HOOKS);
  writeFileSync(
    join(guardDir, 'guard.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${join(guardDir, 'hooks.mjs')}`).href)});\n`,
  );
}, 180_000);

afterAll(() => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  if (guardDir) rmSync(guardDir, { recursive: true, force: true });
});

describe('node dist/server.js (the build, as the unit and the image start it)', () => {
  it('when built, then the output is plain JavaScript with its data files and no tsx bootstrap', () => {
    const files = listFiles(OUT_DIR);
    expect(files).toContain(join(OUT_DIR, 'server.js'));
    expect(files).toContain(join(OUT_DIR, 'app.js'));
    expect(files).toContain(join(OUT_DIR, 'reports/pdf/report-worker.js'));
    expect(files).toContain(join(OUT_DIR, 'scoring-sheet/scoring-sheet-worker.js'));
    expect(files).toContain(join(OUT_DIR, 'accounts/common-passwords.txt'));
    expect(files.filter((file) => file.endsWith('.ts') || file.endsWith('.mjs'))).toEqual([]);
    const mentionsTsx = files.filter((file) => file.endsWith('.js') && /['"]tsx(\/[^'"]*)?['"]/.test(readFileSync(file, 'utf8')));
    expect(mentionsTsx).toEqual([]);
  });

  it('the unit and the image give the node options the server checks for and the benchmark runs with', () => {
    const productionOptions = readProductionNodeArgs().filter((arg) => arg.startsWith('--') && arg !== '--enable-source-maps');
    expect([...MEMORY_NODE_OPTIONS].sort()).toEqual(productionOptions.sort());
  });

  it('the unit and the image give the malloc settings the server checks for and the benchmark runs with', () => {
    const unit = readFileSync(join(ROOT, 'deploy/hf-fidelity.service'), 'utf8');
    const image = readFileSync(join(ROOT, 'Containerfile'), 'utf8');
    for (const [name, value] of Object.entries(MEMORY_ENV)) {
      expect(unit).toMatch(new RegExp(`^Environment=${name}=${value}$`, 'm'));
      expect(image).toMatch(new RegExp(`^\\s+${name}=${value} \\\\$`, 'm'));
    }
    expect(Object.keys(MEMORY_ENV).sort()).toEqual(['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_']);
  });

  it('when started on the demo data, then it is ready, serves a report PDF from its worker, and on SIGTERM closes the database and exits with 0', async () => {
    const dataDir = makeDataDir();
    try {
      // The demo seed from the build too: the command-line tools run without tsx as well.
      const seeded = await run(process.execPath, [join(OUT_DIR, 'demo/seed-demo-cli.js')], makeServerEnv(dataDir));
      expect(seeded.output).toContain('Demo data created');
      expect(seeded.code).toBe(0);

      // Started as the unit and the image start it: node itself, their arguments, the script in the build folder.
      const productionArgs = readProductionNodeArgs().map((arg) => (arg === 'dist/server.js' ? join(OUT_DIR, 'server.js') : arg));
      expect(productionArgs).toContain(join(OUT_DIR, 'server.js'));
      const server = await spawnServer({
        dataDir,
        expectSetupLink: false,
        // The demo administrator logs in with the password alone here; the second factor has its own tests (test/accounts/mfa-routes.test.ts).
        env: { NODE_ENV: 'production', LOCAL_ADMIN_MFA: 'optional', ...MEMORY_ENV },
        nodeArgs: ['--import', join(guardDir, 'guard.mjs'), ...productionArgs],
      });
      try {
        const ready = await fetch(`${server.baseUrl}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ok' });
        expect(ready.headers.get('set-cookie')).toBeNull();

        // The coordinator: administrators may have to give a second factor in production.
        const cookie = await logIn(server.baseUrl, 'samordnare@demo.example', DEMO_PASSWORD);
        const report = await fetch(`${server.baseUrl}/municipalities/0180/report.pdf?lang=en`, { headers: { cookie } });
        expect(report.status).toBe(200);
        expect(report.headers.get('content-type')).toBe('application/pdf');
        const pdf = Buffer.from(await report.arrayBuffer());
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf.length).toBeGreaterThan(10_000);

        // With the unit's and the image's settings: the heap V8 allows is said, and nothing is missing.
        expect(server.output()).toMatch(/Memory: V8 allows each thread \d+ MB of heap, sized from /);
        expect(server.output()).not.toContain('Memory settings missing');

        const ended = await server.stop('SIGTERM');
        expect(server.output()).not.toContain('TypeScript tool or source was loaded');
        expect(ended).toEqual({ code: 0, signal: null });
        expect(server.output()).toContain('SIGTERM received: closing.');
        expect(server.output()).toContain('Server and database closed.');
      } finally {
        await server.stop('SIGKILL');
      }

      const wal = `${server.databaseFile}-wal`;
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
      const db = new Database(server.databaseFile, { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('when the command-line tools of the build are asked for --help or --version, then the usage names them as run from the build', () => {
    const script = join(OUT_DIR, 'accounts/create-admin-cli.js');
    const shown = `node ${relative(ROOT, script)}`;
    const help = spawnSync(process.execPath, [script, '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`Usage: ${shown} --email you@example.org --name "Your Name"`);
    expect(help.stdout).not.toContain('npm run');
    const backup = spawnSync(process.execPath, [join(OUT_DIR, 'db/backup-cli.js'), '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(backup.stdout).toContain(`Usage: node ${relative(ROOT, join(OUT_DIR, 'db/backup-cli.js'))} <backup-file> [--force]`);
    const version = spawnSync(process.execPath, [script, '--version'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`hf-fidelity ${readAppVersion()}, database schema version ${SCHEMA_VERSION}\n`);
  }, 60_000);

  it('when started in production over a new data folder, then the admin:create command it prints, run as printed, makes the administrator there', async () => {
    const dataDir = makeDataDir();
    try {
      const server = await spawnServer({
        dataDir,
        expectSetupLink: true,
        env: { NODE_ENV: 'production', ...MEMORY_ENV },
        nodeArgs: ['--import', join(guardDir, 'guard.mjs'), join(OUT_DIR, 'server.js')],
      });
      let hint = '';
      try {
        hint =
          server
            .stdout()
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => String((JSON.parse(line) as { msg?: unknown }).msg))
            .find((msg) => msg.startsWith('Or on the command line')) ?? '';
      } finally {
        await server.stop('SIGTERM');
      }
      const user = userInfo().username;
      const command = `DATA_DIR=${dataDir} NODE_ENV=production node ${join(OUT_DIR, 'accounts/create-admin-cli.js')} --email you@example.org --name "Your Name"`;
      expect(hint).toBe(`Or on the command line, as the server's user ${user}: sudo -u ${user} ${command}`);
      // This test runs as the server's user already, so without sudo; from another folder, with only the password.
      const typed = spawnSync('sh', ['-c', command.replace('you@example.org', 'ada@example.org').replace('Your Name', 'Ada Lovelace')], {
        cwd: tmpdir(),
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH, ADMIN_PASSWORD: 'correct horse battery staple' },
      });
      expect(typed.stderr).toBe('');
      expect(typed.status).toBe(0);
      expect(typed.stdout).toContain(`Administrator ada@example.org created in ${join(dataDir, 'hf-fidelity.sqlite')}.`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
