// The real server started as an operator starts it by hand or from a unit without WorkingDirectory=: from another
// folder than the installation's, and with settings it must refuse in one line.
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeDataDir } from './spawn-server.js';

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
const READY_TIMEOUT_MS = 20_000;

/**
 * The server from `cwd`, tsx named by its full path (from another folder `--import tsx` finds no such package); the
 * variables that would point it at the installation are left out. Resolves once it has printed `until` or exited.
 */
function startFrom(
  cwd: string,
  env: Record<string, string>,
  until?: RegExp,
): Promise<{ code: number | null; output: string; child: ChildProcess }> {
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_REQUESTS: 'false',
    PASSWORD_HASH_COST: 'test',
    ...env,
  };
  for (const name of ['RUBRICS_DIR', 'PUBLIC_URL', 'DATABASE_FILE', 'OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'SESSION_SECRET']) {
    if (env[name] === undefined) delete merged[name];
  }
  if (env.NODE_ENV === undefined) delete merged.NODE_ENV;
  if (merged.NODE_ENV === 'production') delete merged.PASSWORD_HASH_COST;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), SERVER], {
    cwd,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer from the server within ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until?.test(output)) {
        clearTimeout(timer);
        resolve({ code: null, output, child });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    // 'close', not 'exit': every byte printed has been read by then.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, child });
    });
  });
}

function fatalLines(output: string): string[] {
  return output.split('\n').filter((line) => line.includes('"level":"fatal"'));
}

describe('the server started from another folder', () => {
  it('when RUBRICS_DIR is not set, then it reads the shipped rubrics from its installation folder and runs', async () => {
    const elsewhere = makeDataDir('hf-fidelity-cwd-');
    const dataDir = join(elsewhere, 'data');
    try {
      const started = await startFrom(elsewhere, { DATA_DIR: dataDir }, /is running at .*; rubrics: bostad-forst\)/);
      expect(started.output).toMatch(/is running at .*; rubrics: bostad-forst\)/);
      started.child.kill('SIGTERM');
      await new Promise((resolve) => started.child.once('close', resolve));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('when a relative DATA_DIR does not exist in production, then the one fatal line names the folder in full', async () => {
    const elsewhere = makeDataDir('hf-fidelity-cwd-');
    try {
      const { code, output } = await startFrom(elsewhere, { NODE_ENV: 'production', DATA_DIR: 'data' });
      expect(code).toBe(1);
      const fatal = fatalLines(output);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toContain(`the database's folder ${join(elsewhere, 'data')} does not exist`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('PUBLIC_URL at the start', () => {
  it('when single sign-on is set in production without PUBLIC_URL, then the server does not start, and one fatal line says why', async () => {
    const dataDir = makeDataDir();
    try {
      const { code, output } = await startFrom(dataDir, {
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        OIDC_ISSUER_URL: 'https://login.example.org/tenant/v2.0',
        OIDC_CLIENT_ID: 'hf-fidelity',
      });
      expect(code).toBe(1);
      const fatal = fatalLines(output);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toContain('single sign-on (OIDC_ISSUER_URL) needs PUBLIC_URL with NODE_ENV=production');
      expect(output).not.toContain('is running at');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when PUBLIC_URL has a path, then the server does not start, and says the app needs a host name of its own', async () => {
    const dataDir = makeDataDir();
    try {
      const { code, output } = await startFrom(dataDir, { DATA_DIR: dataDir, PUBLIC_URL: 'https://intra.kommun.se/hf-fidelity' });
      expect(code).toBe(1);
      const fatal = fatalLines(output);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toContain('Give it a host name (or sub-domain) of its own');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
