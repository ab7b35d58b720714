// The audit log is written by SQLite triggers (migration 2), so no write path can skip it. They read who is
// acting from the one-row table audit_actor, which every audited store write sets at the start of its
// transaction and clears at the end: better-sqlite3 transactions are synchronous, so no other request can
// interleave and be attributed to the wrong person. A command-line tool, which has no user of the app, records
// itself instead (recordCommandActor).
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

/**
 * Every audit entry written on this connection from now on also records the command-line tool and the OS user who ran
 * it (audit_log_commands, migration 16), for the audit log page to name beside the acting user, if any. A TEMP
 * trigger and table: they live on this connection only and end with it, so the server's writes, even at the same
 * time, are never taken for the tool's, and a tool that crashes leaves nothing behind. Needs the migrated schema.
 */
export function recordCommandActor(db: Db, command: string, osUser: string): void {
  db.exec(
    'CREATE TEMP TABLE IF NOT EXISTS audit_command (id INTEGER PRIMARY KEY CHECK (id = 1), command TEXT NOT NULL, os_user TEXT NOT NULL)',
  );
  db.prepare('INSERT OR REPLACE INTO temp.audit_command (id, command, os_user) VALUES (1, ?, ?)').run(command, osUser);
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS audit_log_by_command AFTER INSERT ON main.audit_log BEGIN
    INSERT INTO main.audit_log_commands (audit_id, command, os_user) SELECT NEW.id, command, os_user FROM temp.audit_command;
  END`);
}
