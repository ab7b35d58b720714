// Migration 11: a version on each review's findings and barriers, as ratings, consensus and
// actions have, so a save of the findings form based on a page someone else has saved meanwhile is caught instead of
// silently replacing their texts. 0 until the first save that changes something. The reviews update trigger only
// logs status, kind and dates, so a new version writes no audit entry of its own (the findings' rows do).
// Also an index for the audit log's blind-rating rule (src/audit/audit-store.ts), which finds
// each rater's submission by its place in the log: a rater's panel entries, in log order.
export const sql = `
  ALTER TABLE reviews ADD COLUMN findings_version INTEGER NOT NULL DEFAULT 0;

  CREATE INDEX audit_log_panel_members ON audit_log (review_id, entity_key, id) WHERE entity = 'panel_member';
`;
