// Migration 17: the draft as it was sent for the factual check. The program's corrections point at pages and
// sections of the draft, so the draft they read must not change under them: the PDF is stored, in each language,
// when the coordinator sends it (a new sending replaces it) and is served from here, and the fingerprint of what it
// stated (report-facts' hash, without the check itself) tells the panel whether the draft has changed since.
// - factual_checks: the fingerprint, and the day the program is asked to answer by (optional).
// - factual_check_drafts: the sent PDF per language, some 250 KB each; removed when the review is finalised, since the
//   final report takes its place.
// The insert trigger is recreated to log the reply-by day too, and a new one logs a sending that replaced the draft.
export const sql = `
  ALTER TABLE factual_checks ADD COLUMN draft_fingerprint TEXT;
  ALTER TABLE factual_checks ADD COLUMN reply_by TEXT CHECK (reply_by IS NULL OR reply_by GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

  CREATE TABLE factual_check_drafts (
    review_id INTEGER NOT NULL REFERENCES factual_checks(review_id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('sv', 'en')),
    pdf BLOB NOT NULL,
    PRIMARY KEY (review_id, locale)
  ) STRICT;

  CREATE TRIGGER factual_check_drafts_on_final AFTER UPDATE OF status ON reviews WHEN NEW.status = 'final' BEGIN
    DELETE FROM factual_check_drafts WHERE review_id = NEW.id;
  END;

  DROP TRIGGER audit_factual_checks_insert;
  CREATE TRIGGER audit_factual_checks_insert AFTER INSERT ON factual_checks BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'factual_check', NEW.review_id, NEW.review_id, 'insert',
      json_object('sent_at', NEW.sent_at, 'reply_by', NEW.reply_by));
  END;
  CREATE TRIGGER audit_factual_checks_resent AFTER UPDATE ON factual_checks WHEN OLD.sent_at IS NOT NEW.sent_at BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'factual_check', NEW.review_id, NEW.review_id, 'update',
      json_object('sent_at', OLD.sent_at, 'reply_by', OLD.reply_by), json_object('sent_at', NEW.sent_at, 'reply_by', NEW.reply_by));
  END;
`;
