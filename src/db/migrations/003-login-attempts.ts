// Migration 3: failed-login counters, so the lock-out after repeated wrong passwords survives a restart.
// One row per account or client address with recent failures; keys are SHA-256 hashes (see login-attempt-store.ts).
// Shipped: never edit, add a new migration instead.
export const sql = `
  CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    window_started_at INTEGER NOT NULL,
    locked_until INTEGER,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX login_attempts_expires_at ON login_attempts (expires_at);
  `;
