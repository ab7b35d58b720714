import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import { createTransact } from '../../src/db/transact.js';

function makeDb() {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE t (v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  // A store's own transaction, nested inside the outer one.
  const storeWrite = db.transaction((v: string) => insert.run(v));
  const values = () => (db.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: string }[]).map((row) => row.v);
  return { db, insert, storeWrite, values };
}

describe('createTransact', () => {
  it('when keep says yes, then every write of the work stays and its result is returned', () => {
    const { db, insert, storeWrite, values } = makeDb();
    const result = createTransact(db)(
      () => {
        insert.run('a');
        storeWrite('b');
        return 'saved';
      },
      (outcome) => outcome === 'saved',
    );
    expect(result).toBe('saved');
    expect(values()).toEqual(['a', 'b']);
  });

  it('when keep says no, then every write is rolled back, the stores’ own transactions included, and the result is still returned', () => {
    const { db, insert, storeWrite, values } = makeDb();
    const result = createTransact(db)(
      () => {
        insert.run('a');
        storeWrite('b');
        return 'locked';
      },
      (outcome) => outcome === 'saved',
    );
    expect(result).toBe('locked');
    expect(values()).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it('when the work throws, then the writes are rolled back and the error is passed on', () => {
    const { db, insert, values } = makeDb();
    expect(() =>
      createTransact(db)(() => {
        insert.run('a');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(values()).toEqual([]);
  });
});
