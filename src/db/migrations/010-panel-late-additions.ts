// Migration 10: a rater added after rating has started carries the coordinator's written reason,
// shown to the lead beside the member and kept by the audit log. The reason lives on the panel row, so it goes with
// the membership: removing the member and adding them again later needs a new reason. The panel triggers of
// migration 2 are replaced to log it; entries without a late reason look exactly as before.
export const sql = `
  ALTER TABLE panel_members ADD COLUMN late_reason TEXT;
  ALTER TABLE panel_members ADD COLUMN late_added_at TEXT;

  DROP TRIGGER audit_panel_insert;
  CREATE TRIGGER audit_panel_insert AFTER INSERT ON panel_members BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'panel_member', NEW.user_id, NEW.review_id, 'insert',
      CASE WHEN NEW.late_reason IS NULL THEN json_object('role', NEW.role)
           ELSE json_object('role', NEW.role, 'late_reason', NEW.late_reason) END);
  END;

  DROP TRIGGER audit_panel_update;
  CREATE TRIGGER audit_panel_update AFTER UPDATE ON panel_members
    WHEN OLD.role IS NOT NEW.role OR OLD.submitted_at IS NOT NEW.submitted_at OR OLD.late_reason IS NOT NEW.late_reason BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'panel_member', NEW.user_id, NEW.review_id, 'update',
      CASE WHEN OLD.late_reason IS NOT NEW.late_reason
           THEN json_object('role', OLD.role, 'submitted_at', OLD.submitted_at, 'late_reason', OLD.late_reason)
           ELSE json_object('role', OLD.role, 'submitted_at', OLD.submitted_at) END,
      CASE WHEN OLD.late_reason IS NOT NEW.late_reason
           THEN json_object('role', NEW.role, 'submitted_at', NEW.submitted_at, 'late_reason', NEW.late_reason)
           ELSE json_object('role', NEW.role, 'submitted_at', NEW.submitted_at) END);
  END;
`;
