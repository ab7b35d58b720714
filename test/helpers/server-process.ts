// The real server (src/server.ts through tsx, as `npm start` runs it) in a child process of its own process
// group, so that a test can kill it outright with SIGKILL, as a crash would. Used by the durability and backup tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../server/spawn-server.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TSX = join(ROOT, 'node_modules/.bin/tsx');
const START_TIMEOUT_MS = 15_000;

export type ServerProcess = {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
};

/** The environment of a CLI or server run on `dataDir` alone, as `npm start` would run it (vitest sets NODE_ENV=test). */
export function makeServerEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // PASSWORD_HASH_COST=test: argon2 at its floor, as in makeTestApp (never with NODE_ENV=production, which refuses it).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    RUBRICS_DIR: join(ROOT, 'rubrics'),
    LOG_REQUESTS: 'false',
    PASSWORD_HASH_COST: 'test',
    ...extra,
  };
  delete env.NODE_ENV;
  delete env.DATABASE_FILE;
  delete env.PUBLIC_URL;
  return env;
}

/** Starts the server on `dataDir` and resolves once it has printed its "running at" line. */
export async function startServerProcess(dataDir: string): Promise<ServerProcess> {
  const port = await findFreePort();
  const env = makeServerEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1' });
  // detached: a process group of its own, so signalGroup reaches the real server and not only tsx.
  const child = spawn(TSX, ['src/server.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => finish(new Error(`the server did not start within ${START_TIMEOUT_MS} ms:\n${text}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (/ is running at /.test(text)) finish();
      };
      const onExit = () => finish(new Error(`the server exited while starting:\n${text}`));
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
    });
  } catch (error) {
    await stopServerProcess(child, 'SIGKILL');
    throw error;
  }
  // The address by number: "localhost" may resolve to ::1, where the server does not listen.
  return { baseUrl: `http://127.0.0.1:${port}`, child, output: () => text };
}

/**
 * Signals the server's whole process group. tsx runs the server in a child node process and cannot pass
 * SIGKILL on, so killing only the tsx process would leave the real server running.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Whether any process of the server's group is still running. A zombie (dead, not yet reaped: the orphaned
 * server is reaped by PID 1, which in a container may never happen) holds no locks, so on Linux it does not count.
 */
export function isServerProcessAlive(child: ChildProcess): boolean {
  const group = child.pid;
  if (group === undefined) return false;
  if (process.platform === 'linux') {
    return readdirSync('/proc').some((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        return false; // gone meanwhile
      }
      // After the command name in parentheses: state, ppid, pgrp, …
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === group && state !== 'Z';
    });
  }
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the process group and waits until every process in it is gone (and so are its file locks). */
export async function stopServerProcess(child: ChildProcess, signal: NodeJS.Signals, timeoutMs = 10_000): Promise<void> {
  signalGroup(child, signal);
  const deadline = Date.now() + timeoutMs;
  while (isServerProcessAlive(child)) {
    if (Date.now() > deadline) {
      signalGroup(child, 'SIGKILL');
      throw new Error(`the server did not stop on ${signal} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A password login against a running server, as a browser makes it: the login page's cookie and CSRF token, then the
 * post. Returns the answer (303 on success, its Location where the login goes next) and the cookie to send after it.
 */
export async function postPasswordLogin(baseUrl: string, email: string, password: string): Promise<{ response: Response; cookie: string }> {
  const page = await fetch(`${baseUrl}/login`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  return { response, cookie: (response.headers.get('set-cookie') ?? cookie).split(';')[0] ?? '' };
}
