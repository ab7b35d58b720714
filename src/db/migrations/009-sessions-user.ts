// Migration 9: sessions carry an indexed user_id (issue 12, item 4).
// Placeholder reserved by the session lead; the helper that owns it writes the SQL.
export const sql = ``;
