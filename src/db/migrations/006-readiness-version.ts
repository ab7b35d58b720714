// Migration 6: a version per readiness check, as ratings, consensus and actions have, so a save based on a form
// that someone else has changed meanwhile is caught instead of silently overwriting their check.
export const sql = `
  ALTER TABLE readiness_checks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
`;
