// The database's lock (src/db/database-lock.ts) within one process: held until released, refused to a second taker,
// kept private, and named when its file is not SQLite's. Across processes and a kill -9: test/server/database-in-use.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseLockedError, LockFileError, lockDatabase, lockFileOf } from '../../src/db/database-lock.js';
import { describeFailure } from '../../src/cli/command-line.js';
import { useTempFiles } from '../helpers/temp-files.js';

const { tempDir } = useTempFiles('hf-fidelity-lock-');

describe('lockDatabase', () => {
  it('when the lock is held, then a second taker is refused, and once released it can be taken again', () => {
    const databaseFile = join(tempDir(), 'hf-fidelity.sqlite');
    const first = lockDatabase(databaseFile);
    try {
      expect(() => lockDatabase(databaseFile)).toThrow(DatabaseLockedError);
      expect(() => lockDatabase(databaseFile)).toThrow(`${databaseFile} is locked by another process (${databaseFile}.lock)`);
    } finally {
      first.release();
    }
    const second = lockDatabase(databaseFile);
    second.release();
    // Released twice (a shutdown after a failed listen): nothing happens the second time.
    expect(() => second.release()).not.toThrow();
  });

  it('when the lock is taken, then its file beside the database is private, no database or journal is made, and the file stays after release', () => {
    const dir = tempDir();
    const databaseFile = join(dir, 'hf-fidelity.sqlite');
    const lock = lockDatabase(databaseFile);
    expect(lock.file).toBe(lockFileOf(databaseFile));
    expect(lock.file).toBe(`${databaseFile}.lock`);
    expect(statSync(lock.file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['hf-fidelity.sqlite.lock']);
    lock.release();
    expect(readdirSync(dir)).toEqual(['hf-fidelity.sqlite.lock']);
    expect(statSync(lock.file).size).toBe(0);
    expect(existsSync(databaseFile)).toBe(false);
  });

  it('when the lock file is not an SQLite file, then taking it fails in one line that names it and says to delete it', () => {
    const databaseFile = join(tempDir(), 'hf-fidelity.sqlite');
    writeFileSync(lockFileOf(databaseFile), 'not a database, '.repeat(100));
    let failure: unknown;
    try {
      lockDatabase(databaseFile).release();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(LockFileError);
    expect(describeFailure(failure)).toBe(
      `${databaseFile}.lock, the lock file of the database ${databaseFile}, is not an SQLite file (SQLITE_NOTADB). It holds no data: delete it, then try again.`,
    );
  });
});
