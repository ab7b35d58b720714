// The real server started with test/server/hold-before-rubrics.mjs (as `npm start` runs it otherwise): it stops past
// the start's database checks, before it opens the database, until the test lets it go. For the race of two starts,
// and for a tool run while a server is starting.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeServerEnv, ROOT } from '../helpers/server-process.js';
import { findFreePort } from './spawn-server.js';

const HOLD_BEFORE_RUBRICS = fileURLToPath(new URL('./hold-before-rubrics.mjs', import.meta.url));
const WAIT_TIMEOUT_MS = 30_000;

export type HeldServer = {
  readonly child: ChildProcess;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
  /** True once the output matches `pattern`, false if the process exits first. */
  printed(pattern: RegExp): Promise<boolean>;
  /** True once the server is held (past the lock and the probe, the database not yet opened), false if it exited first. */
  held(): Promise<boolean>;
  /** Lets a held server go on with its start. */
  release(): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal (unless it has ended) and waits for the end; removes its hold folder. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Starts the server on `dataDir`, on a free port of its own, to be held before it opens the database. */
export async function spawnHeldServer(dataDir: string): Promise<HeldServer> {
  const holdDir = mkdtempSync(join(tmpdir(), 'hf-fidelity-hold-'));
  const env = makeServerEnv(dataDir, { PORT: String(await findFreePort()), HOST: '127.0.0.1', HOLD_DIR: holdDir });
  // One process (no tsx wrapper), so a signal reaches the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', HOLD_BEFORE_RUBRICS, 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });

  const printed = (pattern: RegExp): Promise<boolean> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(text)) finish(() => resolve(true));
        else if (child.exitCode !== null || child.signalCode !== null) finish(() => resolve(false));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`the server neither printed ${String(pattern)} nor exited:\n${text}`))),
        WAIT_TIMEOUT_MS,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  return {
    child,
    output: () => text,
    printed,
    held: () => printed(/^held before the rubrics$/m),
    release: () => writeFileSync(join(holdDir, 'go'), ''),
    exited,
    stop: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await exited;
      rmSync(holdDir, { recursive: true, force: true });
      return result;
    },
  };
}
