// Migration 16: which command-line tool wrote an audit entry, and as which OS user. The app's entries name the acting
// user (audit_actor); a tool run on the server (npm run mfa:reset, admin:create, seed:demo) has no user of the app, so
// its entries said nobody. A tool records itself through a TEMP trigger on its own connection (src/db/audit-actor.ts),
// never on the server's: one row here for each entry it writes. Append-only, as the log is.
export const sql = `
  CREATE TABLE audit_log_commands (
    audit_id INTEGER PRIMARY KEY REFERENCES audit_log(id),
    command TEXT NOT NULL,
    os_user TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER audit_log_commands_append_only_update BEFORE UPDATE ON audit_log_commands
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_commands_append_only_delete BEFORE DELETE ON audit_log_commands
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;
