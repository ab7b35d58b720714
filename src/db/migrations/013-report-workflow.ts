// Migration 13: the report as a board document.
// - Each recommendation carries a priority (high, medium, low; 'medium' for older rows) and an owner (the provider,
//   the social-services office, the board, or the housing company and landlords; NULL: not given). The findings'
//   audit triggers are recreated so the log holds them too.
// - The panel's overall judgement, written by the lead in the consensus phase (one row per review, with a version).
// - The evidence base of a review: how many people of each kind were interviewed, how many case files were read and
//   how they were accessed, the documents read, the meetings observed, and whether the visit ended with an oral
//   debrief. Counts only, never names.
// - The factual check: the coordinator sends the draft to the program, the program's leads write their corrections
//   and response, and the review's lead records what was changed. Each step is a row change the audit log keeps.
export const sql = `
  ALTER TABLE findings ADD COLUMN priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low'));
  ALTER TABLE findings ADD COLUMN owner TEXT CHECK (owner IS NULL OR owner IN ('provider', 'social_services', 'board', 'housing'));

  DROP TRIGGER audit_findings_insert;
  DROP TRIGGER audit_findings_delete;
  CREATE TRIGGER audit_findings_insert AFTER INSERT ON findings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'finding', NEW.section_id || '/' || NEW.kind || '/' || NEW.position, NEW.review_id, 'insert',
      json_object('text', NEW.text, 'priority', NEW.priority, 'owner', NEW.owner));
  END;
  CREATE TRIGGER audit_findings_delete AFTER DELETE ON findings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'finding', OLD.section_id || '/' || OLD.kind || '/' || OLD.position, OLD.review_id, 'delete',
      json_object('text', OLD.text, 'priority', OLD.priority, 'owner', OLD.owner));
  END;

  CREATE TABLE review_judgements (
    review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER audit_judgements_insert AFTER INSERT ON review_judgements BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'judgement', NEW.review_id, NEW.review_id, 'insert', json_object('text', NEW.text));
  END;
  CREATE TRIGGER audit_judgements_update AFTER UPDATE ON review_judgements WHEN OLD.text IS NOT NEW.text BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'judgement', NEW.review_id, NEW.review_id, 'update',
      json_object('text', OLD.text), json_object('text', NEW.text));
  END;

  CREATE TABLE review_evidence_bases (
    review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    staff INTEGER NOT NULL CHECK (staff >= 0),
    participants INTEGER NOT NULL CHECK (participants >= 0),
    case_officers INTEGER NOT NULL CHECK (case_officers >= 0),
    landlords INTEGER NOT NULL CHECK (landlords >= 0),
    partners INTEGER NOT NULL CHECK (partners >= 0),
    case_files INTEGER NOT NULL CHECK (case_files >= 0),
    case_file_access TEXT CHECK (case_file_access IS NULL OR case_file_access IN ('consent', 'anonymised', 'both')),
    documents TEXT NOT NULL,
    meetings TEXT NOT NULL,
    oral_debrief INTEGER NOT NULL CHECK (oral_debrief IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    updated_by INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER audit_evidence_bases_insert AFTER INSERT ON review_evidence_bases BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'evidence_base', NEW.review_id, NEW.review_id, 'insert',
      json_object('staff', NEW.staff, 'participants', NEW.participants, 'case_officers', NEW.case_officers, 'landlords', NEW.landlords,
        'partners', NEW.partners, 'case_files', NEW.case_files, 'case_file_access', NEW.case_file_access, 'documents', NEW.documents,
        'meetings', NEW.meetings, 'oral_debrief', NEW.oral_debrief));
  END;
  CREATE TRIGGER audit_evidence_bases_update AFTER UPDATE ON review_evidence_bases WHEN OLD.version IS NOT NEW.version BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'evidence_base', NEW.review_id, NEW.review_id, 'update',
      json_object('staff', OLD.staff, 'participants', OLD.participants, 'case_officers', OLD.case_officers, 'landlords', OLD.landlords,
        'partners', OLD.partners, 'case_files', OLD.case_files, 'case_file_access', OLD.case_file_access, 'documents', OLD.documents,
        'meetings', OLD.meetings, 'oral_debrief', OLD.oral_debrief),
      json_object('staff', NEW.staff, 'participants', NEW.participants, 'case_officers', NEW.case_officers, 'landlords', NEW.landlords,
        'partners', NEW.partners, 'case_files', NEW.case_files, 'case_file_access', NEW.case_file_access, 'documents', NEW.documents,
        'meetings', NEW.meetings, 'oral_debrief', NEW.oral_debrief));
  END;

  CREATE TABLE factual_checks (
    review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    sent_by INTEGER REFERENCES users(id),
    sent_at TEXT NOT NULL,
    corrections TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT '',
    response_version INTEGER NOT NULL DEFAULT 0,
    responded_by INTEGER REFERENCES users(id),
    responded_at TEXT,
    changes TEXT NOT NULL DEFAULT '',
    changes_version INTEGER NOT NULL DEFAULT 0,
    changes_by INTEGER REFERENCES users(id),
    changes_at TEXT
  ) STRICT;
  CREATE TRIGGER audit_factual_checks_insert AFTER INSERT ON factual_checks BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'factual_check', NEW.review_id, NEW.review_id, 'insert', json_object('sent_at', NEW.sent_at));
  END;
  CREATE TRIGGER audit_factual_checks_response AFTER UPDATE ON factual_checks WHEN OLD.response_version IS NOT NEW.response_version BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'factual_check_response', NEW.review_id, NEW.review_id, 'update',
      json_object('corrections', OLD.corrections, 'response', OLD.response), json_object('corrections', NEW.corrections, 'response', NEW.response));
  END;
  CREATE TRIGGER audit_factual_checks_changes AFTER UPDATE ON factual_checks WHEN OLD.changes_version IS NOT NEW.changes_version BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'factual_check_changes', NEW.review_id, NEW.review_id, 'update',
      json_object('changes', OLD.changes), json_object('changes', NEW.changes));
  END;
`;
