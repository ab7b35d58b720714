// Migration 9: sessions carry an indexed user_id, so ending a user's sessions (a password set by
// an administrator) finds them through an index instead of parsing the JSON of every session. The store keeps the
// column in step with the session data on every write; rows from before are filled from their JSON here.
// Shipped: never edit, add a new migration instead.
export const sql = `
  ALTER TABLE sessions ADD COLUMN user_id INTEGER;
  UPDATE sessions SET user_id = json_extract(data, '$.userId')
    WHERE json_valid(data) AND json_type(data, '$.userId') = 'integer';
  CREATE INDEX sessions_user_id ON sessions (user_id) WHERE user_id IS NOT NULL;
  `;
