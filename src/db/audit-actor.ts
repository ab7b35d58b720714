// The audit log is written by SQLite triggers (migration 2), so no write path can skip it. They read who is
// acting from the one-row table audit_actor, which every audited store write sets at the start of its
// transaction and clears at the end: better-sqlite3 transactions are synchronous, so no other request can
// interleave and be attributed to the wrong person.
import type { Db } from './open-database.js';

export type RunAsActor = <T>(actorId: number | undefined, write: () => T) => T;

/** Must be called inside a transaction (the stores' db.transaction functions). */
export function createActorScope(db: Db): RunAsActor {
  const setActor = db.prepare('UPDATE audit_actor SET user_id = ? WHERE id = 1');
  return (actorId, write) => {
    if (!db.inTransaction) throw new Error('audited writes must run inside a transaction');
    setActor.run(actorId ?? null);
    const result = write();
    setActor.run(null);
    return result;
  };
}
