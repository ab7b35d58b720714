// Migration 7: a version per outcome period, as readiness checks, ratings and actions have, so a correction or a
// deletion based on a page that someone else has changed meanwhile is caught instead of overwriting their figures.
export const sql = `
  ALTER TABLE outcome_periods ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
`;
