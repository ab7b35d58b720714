// The real server (npm start's command, on loopback) refuses a key file for TOTP secrets that its group or others may
// read or write, as ssh refuses such a private key: one fatal line naming the file, its mode and the fix; after
// chmod 600 it starts with that same key.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeServerEnv, ROOT, startServerProcess, stopServerProcess } from '../helpers/server-process.js';
import { useTempFiles } from '../helpers/temp-files.js';

const { tempDir } = useTempFiles('hf-mfa-key-file-');

describe('a key file others may read', { timeout: 90_000 }, () => {
  it('when DATA_DIR/mfa.key has mode 0644, then the server refuses to start in one fatal line naming the file, its mode and chmod 600; after chmod 600 it starts with that key', async () => {
    const dataDir = tempDir();
    const keyFile = join(dataDir, 'mfa.key');
    // A first start makes the key file (0600), as an installation's does.
    const first = await startServerProcess(dataDir);
    await stopServerProcess(first.child, 'SIGTERM');
    const key = readFileSync(keyFile, 'utf8');

    chmodSync(keyFile, 0o644);
    // One process (no tsx wrapper), killed outright should it start after all, so a regression fails instead of hanging.
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: makeServerEnv(dataDir, { PORT: '0', HOST: '127.0.0.1' }),
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    if (refused.error) throw refused.error;
    expect(refused.status).toBe(1);
    const output = `${refused.stdout}${refused.stderr}`;
    const failures = output.split('\n').filter((line) => line.includes('Could not start the server'));
    expect(failures).toHaveLength(1);
    const line = JSON.parse(failures[0] ?? '{}') as { level?: string; msg?: string };
    expect(line.level).toBe('fatal');
    expect(line.msg).toContain(`the key file ${keyFile} has mode 0644: its group or others may read or write it`);
    expect(line.msg).toContain(`Fix: chmod 600 ${keyFile}`);
    expect(output).not.toContain('is running at');
    expect(output).not.toMatch(/^\s+at /m);
    // Neither replaced nor loosened further: the operator's fix is all it takes.
    expect(readFileSync(keyFile, 'utf8')).toBe(key);

    chmodSync(keyFile, 0o600);
    const again = await startServerProcess(dataDir);
    try {
      expect(again.output()).toContain(`TOTP secrets are sealed with the key from ${keyFile}.`);
    } finally {
      await stopServerProcess(again.child, 'SIGTERM');
    }
  });
});
