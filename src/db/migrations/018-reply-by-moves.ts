// Migration 18: the reply-by day of a factual check can move without the draft being sent again (the program asks
// for more time; the draft is unchanged), so the send form needs a version of its own and the log must see the move.
// - factual_checks.send_version: 1 at the first sending, up by one with each later sending and each move of the
//   reply-by day. The send form carries it, so a form shown before someone else sent or moved the day is refused
//   (409) instead of overwriting their day. Checks already sent start at 1.
// - The update trigger of migration 17 logged a sending again only (sent_at changed); it now logs a move of the
//   reply-by day too, with the same old and new values.
export const sql = `
  ALTER TABLE factual_checks ADD COLUMN send_version INTEGER NOT NULL DEFAULT 1 CHECK (send_version >= 1);

  DROP TRIGGER audit_factual_checks_resent;
  CREATE TRIGGER audit_factual_checks_resent AFTER UPDATE ON factual_checks
    WHEN OLD.sent_at IS NOT NEW.sent_at OR OLD.reply_by IS NOT NEW.reply_by BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'factual_check', NEW.review_id, NEW.review_id, 'update',
      json_object('sent_at', OLD.sent_at, 'reply_by', OLD.reply_by), json_object('sent_at', NEW.sent_at, 'reply_by', NEW.reply_by));
  END;
`;
