// Starts the real server (src/server.ts, run as `npm start` runs it: node --import tsx) in a child process on a
// free port, over a fresh data directory, and reads what it prints. Used by the lifecycle and browser journey tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 20_000;

export type SpawnedServer = {
  /** The address the server printed ("hf-fidelity is running at …"). */
  readonly baseUrl: string;
  /** The one-time setup link it printed, when the database had no accounts. */
  readonly setupUrl: string | undefined;
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly child: ChildProcess;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
  /** What was printed on stdout alone (the JSON log) and on stderr alone (the setup link, for the operator). */
  stdout(): string;
  stderr(): string;
  /** Waits until the output contains `text`. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** A port nobody listens on right now (the OS picks it; the server then binds it by number, as a user would). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function makeDataDir(prefix = 'hf-fidelity-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Starts the server and resolves once it has printed its address. With a fresh data directory (the default)
 * it also waits for the setup link, which the server prints only while no account exists.
 */
export async function spawnServer(
  options: { env?: Record<string, string>; dataDir?: string; expectSetupLink?: boolean; nodeArgs?: readonly string[] } = {},
): Promise<SpawnedServer> {
  const dataDir = options.dataDir ?? makeDataDir();
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_REQUESTS: 'false',
    ...options.env,
  };
  // vitest sets NODE_ENV=test, which would turn the view cache off; the server should run as `npm start` runs it.
  if (options.env?.NODE_ENV === undefined) delete env.NODE_ENV;
  // Test servers hash at argon2's floor, as makeTestApp does; production refuses that cost, so it keeps the default.
  if (env.NODE_ENV !== 'production' && env.PASSWORD_HASH_COST === undefined) env.PASSWORD_HASH_COST = 'test';
  if (options.env?.PUBLIC_URL === undefined) delete env.PUBLIC_URL;
  // One process, so a signal reaches the server itself (the `tsx` wrapper would relay it, and SIGKILL the server
  // if it has not acknowledged within 30 ms, which a loaded machine easily misses).
  // nodeArgs starts it another way, e.g. from the build as the systemd unit and the image do (node dist/server.js).
  const child = spawn(process.execPath, options.nodeArgs ?? ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const streams = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const append = (stream: keyof typeof streams) => (chunk: Buffer) => {
    const piece = chunk.toString('utf8');
    text += piece;
    streams[stream] += piece;
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append('stdout'));
  child.stderr?.on('data', append('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });

  const waitForOutput = (expected: string | RegExp, timeoutMs = READY_TIMEOUT_MS): Promise<void> =>
    new Promise((resolve, reject) => {
      const found = () => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
      const check = () => {
        if (found()) {
          cleanup();
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(new Error(`server exited before printing ${String(expected)}:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`server did not print ${String(expected)} within ${timeoutMs} ms:\n${text}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  try {
    await waitForOutput(/is running at (\S+)/);
    // The whole line: the link (on stderr) is followed by more text.
    if (options.expectSetupLink ?? options.dataDir === undefined) await waitForOutput(/\/setup\?token=[^\n]*\n/);
  } catch (error) {
    child.kill('SIGKILL');
    // A directory made here is nobody else's to clean up.
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const baseUrl = /is running at (\S+)/.exec(text)?.[1] ?? '';
  const setupUrl = /(http\S+\/setup\?token=\S+)/.exec(text)?.[1];

  return {
    baseUrl,
    setupUrl,
    dataDir,
    databaseFile: join(dataDir, 'hf-fidelity.sqlite'),
    child,
    output: () => text,
    stdout: () => streams.stdout,
    stderr: () => streams.stderr,
    waitForOutput,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
