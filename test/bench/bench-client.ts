// The load generator's side of the page benchmark, shared by run-bench.ts and profile-pages.ts: starting the bench
// server in its own process and logging in through the real login form.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MEMORY_ENV, MEMORY_NODE_OPTIONS } from '../../src/memory-settings.js';
import { BENCH_READY_PREFIX, type BenchServerReady } from './bench-protocol.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./bench-server.ts', import.meta.url));

/** Starts test/bench/bench-server.ts with `env` on top of the benchmark's environment, and waits until it serves. */
export async function startBenchServer(env: Readonly<Record<string, string>> = {}): Promise<BenchServerReady & { child: ChildProcess }> {
  // A separate process: the load generator must not share the server's event loop.
  const child = spawn(process.execPath, [...MEMORY_NODE_OPTIONS, '--import', 'tsx', SERVER_SCRIPT], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...MEMORY_ENV, ...env },
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it was ready`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(BENCH_READY_PREFIX));
      if (line) resolve({ child, ...(JSON.parse(line.slice(BENCH_READY_PREFIX.length)) as BenchServerReady) });
    });
  });
}

/** Logs in through the real login form and returns the session cookie. */
export async function logIn(appUrl: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${appUrl}/login`);
  const cookies = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error('no CSRF token on the login page');
  const response = await fetch(`${appUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  const session = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('hf.sid='))
    ?.split(';')[0];
  if (response.status !== 303 || !session) throw new Error(`benchmark login failed: ${response.status}`);
  return session;
}
