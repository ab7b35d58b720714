// The real server process: it prints where it runs, logs one line per request, and on SIGTERM or SIGINT
// stops taking requests, closes the database (folding the WAL back into the main file) and exits with 0.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import { userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import { readAppVersion } from '../../src/app-version.js';
import { SCHEMA_VERSION } from '../../src/db/migrate.js';
import { ROOT } from '../helpers/server-process.js';
import { makeDataDir, type SpawnedServer, spawnServer } from './spawn-server.js';

const APP_VERSION = readAppVersion();

/** Starts a server for the test and removes it and its data when the test ends. */
async function startServer(test: TestContext, options: Parameters<typeof spawnServer>[0] = {}): Promise<SpawnedServer> {
  const server = await spawnServer(options);
  test.onTestFinished(async () => {
    await server.stop('SIGKILL');
    rmSync(server.dataDir, { recursive: true, force: true });
  });
  return server;
}

/** GET with a keep-alive agent: the connection stays open afterwards, as a browser's would. */
function getKeepAlive(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What a later start would find: an intact database at the current schema, with nothing left in a WAL file. */
function inspectDatabase(file: string): { integrity: unknown; version: unknown; walBytes: number; setupTokens: unknown } {
  const wal = `${file}-wal`;
  const walBytes = existsSync(wal) ? statSync(wal).size : 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      version: db.pragma('user_version', { simple: true }),
      walBytes,
      setupTokens: db.prepare('SELECT COUNT(*) AS n FROM setup_tokens').pluck().get(),
    };
  } finally {
    db.close();
  }
}

/** The JSON log lines the server wrote on stdout. */
function readLogLines(server: SpawnedServer): { msg: string; [field: string]: unknown }[] {
  return server
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string });
}

describe('npm start (src/server.ts)', () => {
  it('prints the address it serves, its version and where it listens, and a one-time setup link on the first start', async (test) => {
    const server = await startServer(test);
    expect(server.baseUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(server.setupUrl).toMatch(new RegExp(`^${server.baseUrl}/setup\\?token=[\\w-]{20,}$`));
    const response = await fetch(`${server.baseUrl}/login`);
    expect(response.status).toBe(200);
    const port = new URL(server.baseUrl).port;
    const lines = readLogLines(server);
    // The first line names the version, so a start that fails has said which one failed.
    expect(lines[0]?.msg).toBe(`Starting hf-fidelity ${APP_VERSION} on Node ${process.version}.`);
    expect(lines.find((line) => line.msg.includes('is running at'))).toMatchObject({
      version: APP_VERSION,
      schemaVersion: SCHEMA_VERSION,
      listening: `127.0.0.1:${port}`,
      msg: `hf-fidelity ${APP_VERSION} (database schema version ${SCHEMA_VERSION}) is running at ${server.baseUrl} (listening on 127.0.0.1:${port}; rubrics: bostad-forst)`,
    });
    // Which secret signs the cookies, never the secret itself: a new installation without SESSION_SECRET makes one.
    expect(lines.map((line) => line.msg)).toContain(
      'Session cookies are signed with a secret generated now and kept in the database (SESSION_SECRET is not set; docs/operations.md#the-session-secret).',
    );
  }, 30_000);

  it('when PUBLIC_URL is set, then the start line gives it and also the address and port it listens on', async (test) => {
    const server = await startServer(test, { env: { PUBLIC_URL: 'https://fidelity.example.se' } });
    expect(server.baseUrl).toBe('https://fidelity.example.se');
    const port = /listening on 127\.0\.0\.1:(\d+);/.exec(server.output())?.[1] ?? '';
    expect(server.output()).toContain(`is running at https://fidelity.example.se (listening on 127.0.0.1:${port}; rubrics:`);
    // What the proxy's configuration names answers.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  }, 30_000);

  it('prints the exact admin:create command for this data folder, which run as printed makes the administrator in the database the server uses', async (test) => {
    // A relative DATA_DIR, as ./data is by default: the command names the folder it resolved to.
    const parent = makeDataDir();
    test.onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const relativeDataDir = relative(ROOT, join(parent, 'data'));
    const server = await startServer(test, { dataDir: relativeDataDir, expectSetupLink: true });
    const hint = readLogLines(server).find((line) => line.msg.startsWith('Or on the command line'))?.msg ?? '';
    const user = userInfo().username;
    const command = `cd ${ROOT.replace(/\/$/, '')} && DATA_DIR=${join(parent, 'data')} npm run admin:create -- --email you@example.org --name "Your Name"`;
    expect(hint).toBe(`Or on the command line, as the server's user ${user}: ${command}`);
    // Run from another folder with nothing of the server's environment but the password: the command says it all.
    const typed = spawnSync('sh', ['-c', command.replace('you@example.org', 'ada@example.org').replace('Your Name', 'Ada Lovelace')], {
      cwd: parent,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ADMIN_PASSWORD: 'correct horse battery staple' },
    });
    expect(typed.stderr).toBe('');
    expect(typed.status).toBe(0);
    expect(typed.stdout).toContain(`Administrator ada@example.org created in ${join(parent, 'data', 'hf-fidelity.sqlite')}.`);
  }, 90_000);

  it('keeps idle connections open longer than a proxy does (65 s, above nginx’s 60 s), and says so in Keep-Alive', async (test) => {
    const server = await startServer(test);
    const agent = new Agent({ keepAlive: true });
    try {
      const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
        const req = request(`${server.baseUrl}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers));
        });
        req.on('error', reject);
        req.end();
      });
      expect(headers.connection).toBe('keep-alive');
      expect(headers['keep-alive']).toBe('timeout=65');
    } finally {
      agent.destroy();
    }
  }, 30_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}, closes the server and the database and exits with 0`, async (test) => {
      const server = await startServer(test);
      const agent = new Agent({ keepAlive: true });
      // An idle keep-alive connection must not hold the shutdown open.
      expect(await getKeepAlive(`${server.baseUrl}/login`, agent)).toBe(200);
      const before = Date.now();
      const ended = await server.stop(signal);
      agent.destroy();
      expect(ended).toEqual({ code: 0, signal: null });
      expect(Date.now() - before).toBeLessThan(4_000);
      expect(server.output()).toContain(`${signal} received: closing.`);
      expect(server.output()).toContain('Server and database closed.');
      expect(inspectDatabase(server.databaseFile)).toEqual({ integrity: 'ok', version: SCHEMA_VERSION, walBytes: 0, setupTokens: 1 });
    }, 30_000);
  }

  it('leaves committed data in the WAL file when killed outright (what the clean shutdown avoids)', async (test) => {
    const server = await startServer(test);
    expect(await server.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(statSync(`${server.databaseFile}-wal`).size).toBeGreaterThan(0);
  }, 30_000);

  it('refuses new connections once closing, and starts again over the same database', async (test) => {
    const server = await startServer(test);
    await server.stop('SIGTERM');
    await expect(fetch(`${server.baseUrl}/login`)).rejects.toThrow();
    const again = await startServer(test, { dataDir: server.dataDir, expectSetupLink: true });
    // Still no account, so a fresh setup link; the schema was already migrated, so no migration line.
    expect(again.setupUrl).toBeDefined();
    expect(again.output()).not.toContain('schema migrated');
  }, 30_000);
});

describe('request log', () => {
  it('logs one JSON line per request with method, path (no query string; of a 404 only route words and ids), status and time', async (test) => {
    const server = await startServer(test, { env: { LOG_REQUESTS: 'true' } });
    await fetch(`${server.baseUrl}/login?next=%2Fsecret-place`);
    await fetch(`${server.baseUrl}/login/anna`);
    await server.waitForOutput(/GET \/login\/:x 404[^\n]*\n/);
    // Every line is a JSON object; a request line has the method, the path without its query, status and time.
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = lines.filter((line) => typeof line.route === 'string');
    expect(requestLines.filter((line) => line.method === 'GET' && line.route === '/login' && line.status === 200)).toHaveLength(1);
    expect(requestLines.filter((line) => line.method === 'GET' && line.route === '/login/:x' && line.status === 404)).toHaveLength(1);
    for (const line of requestLines) {
      expect(line).toMatchObject({ level: 'info', time: expect.any(String), reqId: expect.any(String), durationMs: expect.any(Number) });
    }
    expect(server.output()).not.toContain('secret-place');
    expect(server.output()).not.toContain('anna');
  }, 30_000);

  it('is quiet with LOG_REQUESTS=false, as in tests', async (test) => {
    const server = await startServer(test, { env: { LOG_REQUESTS: 'false' } });
    await fetch(`${server.baseUrl}/login`);
    await server.stop('SIGTERM');
    expect(server.output()).not.toContain('"route"');
    expect(server.output()).not.toContain('GET /login');
  }, 30_000);
});

/**
 * Runs the server to its end (it is expected to refuse to start) and returns its exit code and output: `env` over this
 * process's environment, less the variables named in `unset`.
 */
function runServerExpectingExit(
  env: Record<string, string>,
  unset: readonly string[] = [],
): Promise<{ code: number | null; output: string; stdout: string; stderr: string }> {
  const merged: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', LOG_REQUESTS: 'false', NODE_ENV: '', ...env };
  for (const name of unset) delete merged[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = { output: '', stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    printed.output += chunk.toString('utf8');
    printed.stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    printed.output += chunk.toString('utf8');
    printed.stderr += chunk.toString('utf8');
  });
  // 'close', not 'exit': every byte printed has been read by then.
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, ...printed })));
}

/** Runs `check` with a port another server holds and a fresh data folder, and frees both after. */
async function withTakenPort(check: (port: number, dataDir: string) => Promise<void>): Promise<void> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const dataDir = makeDataDir();
  try {
    await check(port, dataDir);
  } finally {
    blocker.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('npm start when it cannot start', () => {
  it('when the port is taken, then it says so and exits 1, without claiming to run, handing out a setup link, or making a database or key', async () => {
    await withTakenPort(async (port, dataDir) => {
      const { code, output } = await runServerExpectingExit({ PORT: String(port), DATA_DIR: dataDir });
      expect(code).toBe(1);
      // The port is bound before the database is opened: nothing but the (empty) lock file was made.
      expect(readdirSync(dataDir)).toEqual(['hf-fidelity.sqlite.lock']);
      expect(output).toContain('Could not start the server');
      expect(output).toMatch(
        /EADDRINUSE.*Another program \(or a second hf-fidelity\) listens on that port: stop it, or set PORT to a free port\./,
      );
      expect(output).not.toContain('is running at');
      expect(output).not.toContain('/setup?token=');
    });
  });

  it('when DATA_DIR names a folder inside one that does not exist, then nothing is created and it says the path may be mistyped', async () => {
    const dataDir = makeDataDir();
    try {
      const mistyped = join(dataDir, 'no-such-folder', 'data');
      const { code, output } = await runServerExpectingExit({ PORT: '0', DATA_DIR: mistyped });
      expect(code).toBe(1);
      const fatal = output.split('\n').find((line) => line.includes('"level":"fatal"'));
      expect(JSON.parse(fatal ?? '{}').msg).toBe(
        `Could not start the server: the database's folder ${mistyped} does not exist, nor does ${join(dataDir, 'no-such-folder')}, so nothing was created. ` +
          "Check DATA_DIR (or DATABASE_FILE) for a typo. For a new installation, create it first, mode 700 and owned by the server's user: " +
          `sudo install -d -m 700 -o hf-fidelity -g hf-fidelity ${mistyped} (that user's name in place of hf-fidelity). ` +
          'The systemd unit (StateDirectory=) and the container image (/data) make theirs.',
      );
      expect(output).not.toContain('/setup?token=');
      expect(existsSync(join(dataDir, 'no-such-folder'))).toBe(false);
      // A first start in a folder that exists makes its data folder, as ./data is made.
      const first = join(dataDir, 'data');
      const started = await runServerExpectingExit({ PORT: '0', DATA_DIR: first, RUBRICS_DIR: join(dataDir, 'nowhere') });
      expect(started.code).toBe(1);
      expect(existsSync(first)).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('when NODE_ENV=production and DATA_DIR does not exist (its parent does), then it stops, naming the folder and how to create it, and creates nothing', async () => {
    const dataDir = makeDataDir();
    try {
      const mistyped = join(dataDir, 'hf-fidelty');
      const { code, output } = await runServerExpectingExit({ PORT: '0', DATA_DIR: mistyped, NODE_ENV: 'production' }, [
        'PASSWORD_HASH_COST',
      ]);
      expect(code).toBe(1);
      const fatal = output.split('\n').filter((line) => line.includes('"level":"fatal"'));
      expect(fatal).toHaveLength(1);
      const message = String(JSON.parse(fatal[0] ?? '{}').msg);
      expect(message).toContain(
        `Could not start the server: the database's folder ${mistyped} does not exist, and with NODE_ENV=production it is not created. Check DATA_DIR (or DATABASE_FILE) for a typo.`,
      );
      expect(message).toContain(`sudo install -d -m 700 -o hf-fidelity -g hf-fidelity ${mistyped}`);
      expect(message).not.toMatch(/[?.]\. /);
      expect(output).not.toContain('/setup?token=');
      expect(existsSync(mistyped)).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('when the database file is damaged or the rubrics folder is missing, then one fatal JSON line says what to do', async () => {
    const dataDir = makeDataDir();
    try {
      writeFileSync(join(dataDir, 'hf-fidelity.sqlite'), Buffer.alloc(8192, 0x41));
      const damaged = await runServerExpectingExit({ PORT: '0', DATA_DIR: dataDir });
      expect(damaged.code).toBe(1);
      const fatal = damaged.output.split('\n').find((line) => line.includes('"level":"fatal"'));
      expect(fatal).toBeDefined();
      expect(JSON.parse(fatal ?? '{}').msg).toMatch(
        /^Could not start the server: file is not a database \(SQLITE_NOTADB\)\. The database file is damaged .* restore the latest backup \(docs\/backup\.md\)\.$/,
      );
      const noRubrics = await runServerExpectingExit({ PORT: '0', DATA_DIR: dataDir, RUBRICS_DIR: join(dataDir, 'nowhere') });
      expect(noRubrics.code).toBe(1);
      expect(noRubrics.output).toMatch(
        /"level":"fatal".*no such file or directory, scandir .*nowhere.*Check the path: DATA_DIR, DATABASE_FILE and RUBRICS_DIR/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('when LOG_LEVEL=silent, then a start that fails still says why on stderr, as plain text, and exits 1', async () => {
    const dataDir = makeDataDir();
    try {
      const badPort = await runServerExpectingExit({ PORT: 'abc', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      expect(badPort).toMatchObject({ code: 1, stdout: '' });
      expect(badPort.stderr).toMatch(/^Could not start the server: .*PORT/s);
      const mistyped = join(dataDir, 'no-such-folder', 'data');
      const noFolder = await runServerExpectingExit({ PORT: '0', DATA_DIR: mistyped, LOG_LEVEL: 'silent' });
      expect(noFolder).toMatchObject({ code: 1, stdout: '' });
      expect(noFolder.stderr).toMatch(
        /^Could not start the server: the database's folder .* does not exist, nor does .*Check DATA_DIR \(or DATABASE_FILE\) for a typo\./,
      );
      // Silent otherwise: the refusal is plain text, not a JSON line that LOG_LEVEL let through.
      expect(noFolder.stderr).not.toContain('"level"');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // A port in use fails later, once the logger is made: the same holds.
    await withTakenPort(async (port, dataDir) => {
      const taken = await runServerExpectingExit({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      expect(taken).toMatchObject({ code: 1, stdout: '' });
      expect(taken.stderr).toMatch(/^Could not start the server: .*EADDRINUSE/);
    });
  }, 30_000);

  it('when started in production without the memory settings of the unit and the image, then it warns, naming each', async () => {
    // The port is taken, so the server stops right after its first lines.
    await withTakenPort(async (port, dataDir) => {
      // (Unset, not empty: glibc reads an empty MALLOC_MMAP_THRESHOLD_ as 0 and maps every block alone, which made a
      // start take ten times as long.)
      const env = { PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'production' };
      const { output } = await runServerExpectingExit(env, ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'NODE_OPTIONS']);
      const warning = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => String(line.msg).startsWith('Memory settings missing'));
      expect(warning).toMatchObject({
        level: 'warn',
        missing: ['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072', '--max-semi-space-size=16'],
      });
      expect(output).toMatch(
        /Memory: V8 allows each thread \d+ MB of heap, sized from (the machine's \d+ MB \(no memory limit\)|a memory limit of \d+ MB)/,
      );
    });
  });

  it('when the database comes from a newer version, then it is refused, and left exactly as it was (not switched to WAL)', async () => {
    const dataDir = makeDataDir();
    const file = join(dataDir, 'hf-fidelity.sqlite');
    const newer = new Database(file);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    try {
      const { code, output } = await runServerExpectingExit({ PORT: '0', DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(output).toContain(`newer than this program knows (${SCHEMA_VERSION})`);
      const after = new Database(file, { readonly: true });
      expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
      after.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
