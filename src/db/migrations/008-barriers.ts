// Migration 8: barriers (hinder) a review names, besides its strengths and recommendations: systemic,
// organisational or individual, one text per line, agreed in the consensus phase like the findings and logged the
// same way.
export const sql = `
  CREATE TABLE review_barriers (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    category TEXT NOT NULL CHECK (category IN ('systemic', 'organisational', 'individual')),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (review_id, category, position)
  ) STRICT;

  CREATE TRIGGER audit_barriers_insert AFTER INSERT ON review_barriers BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'barrier', NEW.category || '/' || NEW.position, NEW.review_id, 'insert',
      json_object('text', NEW.text));
  END;
  CREATE TRIGGER audit_barriers_delete AFTER DELETE ON review_barriers BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'barrier', OLD.category || '/' || OLD.position, OLD.review_id, 'delete',
      json_object('text', OLD.text));
  END;
`;
