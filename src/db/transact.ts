// One transaction around writes of several stores, for the few requests that change more than one capability's
// tables (a panel member and the confirmation of a conflict warning; the first administrator and the setup
// tokens). Stores keep their own transactions; better-sqlite3 runs those nested ones as savepoints.
import type { Db } from './open-database.js';

/** Runs work in one transaction and returns its result; when keep(result) is false, every write of work is rolled back. */
export type Transact = <T>(work: () => T, keep?: (result: T) => boolean) => T;

export function createTransact(db: Db): Transact {
  return <T>(work: () => T, keep: (result: T) => boolean = () => true): T => {
    // better-sqlite3 rolls a transaction back when its function throws; this marker says "roll back, not an error".
    const rollback = new Error('rolled back on purpose');
    let result: { value: T } | undefined;
    try {
      db.transaction(() => {
        const value = work();
        result = { value };
        if (!keep(value)) throw rollback;
      })();
    } catch (error) {
      if (error !== rollback) throw error;
    }
    if (result === undefined) throw new Error('transaction ended without a result');
    return result.value;
  };
}
