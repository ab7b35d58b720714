// Migration 10: a reason for adding a rater after rating has started (issue 12, item 6).
// Placeholder reserved by the session lead; the helper that owns it writes the SQL.
export const sql = ``;
