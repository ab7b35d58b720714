import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/accounts/user-store.js';
import { openDatabase } from '../../src/db/open-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function runCreateAdmin(dataDir: string, password: string, ...args: string[]) {
  const result = spawnSync(tsx, ['src/accounts/create-admin-cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_FILE: join(dataDir, 'hf-fidelity.sqlite'), ADMIN_PASSWORD: password },
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
    const args = ['--email', 'ada@example.org', '--name', 'Ada Lovelace'];
    const common = runCreateAdmin(dir, 'Password2024!', ...args);
    expect(common.status).toBe(1);
    expect(common.stderr).toContain('The password is too easy to guess');
    const named = runCreateAdmin(dir, 'lovelace and babbage', ...args);
    expect(named.status).toBe(1);
    expect(named.stderr).toContain('must not contain the account’s name');
    const good = runCreateAdmin(dir, 'correct horse battery staple', ...args);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const db = openDatabase(join(dir, 'hf-fidelity.sqlite'));
    try {
      expect(createUserStore(db).findUserByEmail('ada@example.org')?.roles).toEqual(['admin']);
    } finally {
      db.close();
    }
  });
});
