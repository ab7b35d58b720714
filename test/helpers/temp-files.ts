// Temporary folders and files for one test file, removed after each test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Call at a test file's top level: the folders it makes are removed after each test. */
export function useTempFiles(prefix: string) {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const writeTemp = (name: string, text: string): string => {
    const file = join(tempDir(), name);
    writeFileSync(file, text);
    return file;
  };
  return { tempDir, writeTemp };
}
