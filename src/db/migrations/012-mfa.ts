// Migration 12: a second factor for local accounts. One TOTP secret per user: it must be read back to check a code, so
// it cannot be hashed. This migration stored it in clear; it is now sealed with a key kept outside the database
// (src/accounts/totp-seal.ts, mfa-key.ts), and a secret from before is sealed at start by createServices, since no
// migration has the key. Recovery codes as SHA-256 hashes of high-entropy codes, each usable once, and lock-outs after
// failed codes. The audit log is written by triggers, like every other audited table: enabled, disabled, new recovery
// codes, a recovery code used, a lock-out. Never the secret or a code.
export const sql = `
  CREATE TABLE user_totp (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    -- The time step of the last code accepted: a code is never accepted twice (otplib's afterTimeStep).
    last_used_step INTEGER,
    enabled_at TEXT NOT NULL,
    recovery_codes_created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE mfa_recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT,
    UNIQUE (user_id, code_hash)
  ) STRICT;

  CREATE TABLE mfa_lockouts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    locked_until INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX mfa_lockouts_user ON mfa_lockouts (user_id);

  CREATE TRIGGER audit_user_totp_insert AFTER INSERT ON user_totp BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'mfa', NEW.user_id, 'insert', json_object('event', 'enabled', 'method', 'totp'));
  END;
  CREATE TRIGGER audit_user_totp_delete AFTER DELETE ON user_totp BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'mfa', OLD.user_id, 'delete', json_object('event', 'disabled', 'method', 'totp'));
  END;
  CREATE TRIGGER audit_user_totp_recovery_codes AFTER UPDATE OF recovery_codes_created_at ON user_totp
    WHEN OLD.recovery_codes_created_at IS NOT NEW.recovery_codes_created_at BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'mfa', NEW.user_id, 'update', json_object('event', 'recovery_codes_renewed'));
  END;
  CREATE TRIGGER audit_mfa_recovery_code_used AFTER UPDATE OF used_at ON mfa_recovery_codes
    WHEN OLD.used_at IS NULL AND NEW.used_at IS NOT NULL BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'mfa', NEW.user_id, 'update',
      json_object('event', 'recovery_code_used', 'remaining',
        (SELECT count(*) FROM mfa_recovery_codes WHERE user_id = NEW.user_id AND used_at IS NULL)));
  END;
  CREATE TRIGGER audit_mfa_lockouts_insert AFTER INSERT ON mfa_lockouts BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'mfa', NEW.user_id, 'insert', json_object('event', 'locked_out', 'locked_until', NEW.locked_until));
  END;
`;
