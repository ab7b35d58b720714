// Migration 11: a version on each review's findings and barriers (issue 12, item 7).
// Placeholder reserved by the session lead; the helper that owns it writes the SQL.
export const sql = ``;
