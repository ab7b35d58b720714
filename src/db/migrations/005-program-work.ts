// Migration 5: the program's own work around a review. Who belongs to a program, self-assessments shared
// with the panel of a later peer review, the readiness checklist, the action plan made from a final review's
// recommendations, and outcome indicators per period. Every table is audited by triggers, like migration 2.
// Dates are ISO days (YYYY-MM-DD), held to that shape by CHECKs so nothing else can be stored in them.
export const sql = `
  -- The people of a program: its leads (who start self-assessments and keep the action plan) and its staff.
  CREATE TABLE program_members (
    program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('lead', 'staff')),
    added_by INTEGER REFERENCES users(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (program_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX program_members_user ON program_members (user_id);

  -- A self-assessment shown (read-only) to the panel of a later peer review of the same program.
  CREATE TABLE self_assessment_shares (
    self_assessment_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    peer_review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    shared_by INTEGER REFERENCES users(id),
    shared_at TEXT NOT NULL,
    PRIMARY KEY (self_assessment_id, peer_review_id),
    CHECK (self_assessment_id <> peer_review_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX self_assessment_shares_peer ON self_assessment_shares (peer_review_id);

  -- Per program, rubric and indicator: is the evidence the panel will ask for ready?
  CREATE TABLE readiness_checks (
    program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    rubric_id TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ready', 'partly', 'missing')),
    note TEXT NOT NULL DEFAULT '',
    checked_on TEXT NOT NULL CHECK (checked_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    updated_by INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (program_id, rubric_id, indicator_id)
  ) STRICT, WITHOUT ROWID;

  -- One action per recommendation of a final review (findings of kind 'recommendation', by section and position).
  CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    recommendation TEXT NOT NULL,
    owner_user_id INTEGER REFERENCES users(id),
    owner_name TEXT NOT NULL DEFAULT '',
    due_on TEXT CHECK (due_on IS NULL OR due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status TEXT NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (review_id, section_id, position),
    CHECK (owner_user_id IS NULL OR owner_name = '')
  ) STRICT;

  CREATE TABLE action_notes (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    noted_on TEXT NOT NULL CHECK (noted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    text TEXT NOT NULL,
    author_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX action_notes_action ON action_notes (action_id, noted_on);

  -- Outcome indicators of a program for one period. Moved in is the denominator of both retention figures and
  -- of the first-hand lease share (domain.md 5c), so none of those counts may exceed it.
  CREATE TABLE outcome_periods (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    period_start TEXT NOT NULL CHECK (period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    period_end TEXT NOT NULL CHECK (period_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    moved_in INTEGER NOT NULL CHECK (moved_in >= 0),
    still_first_flat INTEGER NOT NULL CHECK (still_first_flat >= 0 AND still_first_flat <= moved_in),
    still_in_program INTEGER NOT NULL CHECK (still_in_program >= 0 AND still_in_program <= moved_in),
    first_hand_leases INTEGER NOT NULL CHECK (first_hand_leases >= 0 AND first_hand_leases <= moved_in),
    evictions INTEGER NOT NULL CHECK (evictions >= 0),
    complaints INTEGER NOT NULL CHECK (complaints >= 0),
    clients INTEGER NOT NULL CHECK (clients >= 0),
    case_managers REAL NOT NULL CHECK (case_managers >= 0),
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (period_end >= period_start)
  ) STRICT;
  CREATE INDEX outcome_periods_program ON outcome_periods (program_id, period_start);

  -- audit
  CREATE TRIGGER audit_program_members_insert AFTER INSERT ON program_members BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'program_member', NEW.program_id || '/' || NEW.user_id, 'insert', json_object('role', NEW.role));
  END;
  CREATE TRIGGER audit_program_members_update AFTER UPDATE ON program_members WHEN OLD.role IS NOT NEW.role BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'program_member', NEW.program_id || '/' || NEW.user_id, 'update',
      json_object('role', OLD.role), json_object('role', NEW.role));
  END;
  CREATE TRIGGER audit_program_members_delete AFTER DELETE ON program_members BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'program_member', OLD.program_id || '/' || OLD.user_id, 'delete', json_object('role', OLD.role));
  END;

  CREATE TRIGGER audit_self_assessment_shares_insert AFTER INSERT ON self_assessment_shares BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'self_assessment_share', NEW.self_assessment_id || '/' || NEW.peer_review_id,
      NEW.self_assessment_id, 'insert', json_object('peer_review_id', NEW.peer_review_id));
  END;
  CREATE TRIGGER audit_self_assessment_shares_delete AFTER DELETE ON self_assessment_shares BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'self_assessment_share', OLD.self_assessment_id || '/' || OLD.peer_review_id,
      OLD.self_assessment_id, 'delete', json_object('peer_review_id', OLD.peer_review_id));
  END;

  CREATE TRIGGER audit_readiness_insert AFTER INSERT ON readiness_checks BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'readiness_check', NEW.program_id || '/' || NEW.rubric_id || '/' || NEW.indicator_id, 'insert',
      json_object('status', NEW.status, 'note', NEW.note, 'checked_on', NEW.checked_on));
  END;
  CREATE TRIGGER audit_readiness_update AFTER UPDATE ON readiness_checks
    WHEN OLD.status IS NOT NEW.status OR OLD.note IS NOT NEW.note OR OLD.checked_on IS NOT NEW.checked_on BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'readiness_check', NEW.program_id || '/' || NEW.rubric_id || '/' || NEW.indicator_id, 'update',
      json_object('status', OLD.status, 'note', OLD.note, 'checked_on', OLD.checked_on),
      json_object('status', NEW.status, 'note', NEW.note, 'checked_on', NEW.checked_on));
  END;
  CREATE TRIGGER audit_readiness_delete AFTER DELETE ON readiness_checks BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'readiness_check', OLD.program_id || '/' || OLD.rubric_id || '/' || OLD.indicator_id, 'delete',
      json_object('status', OLD.status, 'note', OLD.note, 'checked_on', OLD.checked_on));
  END;

  CREATE TRIGGER audit_actions_insert AFTER INSERT ON actions BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'action', NEW.id, NEW.review_id, 'insert',
      json_object('section_id', NEW.section_id, 'position', NEW.position, 'recommendation', NEW.recommendation, 'status', NEW.status));
  END;
  CREATE TRIGGER audit_actions_update AFTER UPDATE ON actions
    WHEN OLD.owner_user_id IS NOT NEW.owner_user_id OR OLD.owner_name IS NOT NEW.owner_name OR OLD.due_on IS NOT NEW.due_on
      OR OLD.status IS NOT NEW.status OR OLD.recommendation IS NOT NEW.recommendation BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'action', NEW.id, NEW.review_id, 'update',
      json_object('owner_user_id', OLD.owner_user_id, 'owner_name', OLD.owner_name, 'due_on', OLD.due_on, 'status', OLD.status,
        'recommendation', OLD.recommendation),
      json_object('owner_user_id', NEW.owner_user_id, 'owner_name', NEW.owner_name, 'due_on', NEW.due_on, 'status', NEW.status,
        'recommendation', NEW.recommendation));
  END;
  CREATE TRIGGER audit_action_notes_insert AFTER INSERT ON action_notes BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'action_note', NEW.action_id || '/' || NEW.id,
      (SELECT review_id FROM actions WHERE id = NEW.action_id), 'insert', json_object('noted_on', NEW.noted_on, 'text', NEW.text));
  END;

  CREATE TRIGGER audit_outcome_periods_insert AFTER INSERT ON outcome_periods BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'outcome_period', NEW.program_id || '/' || NEW.id, 'insert',
      json_object('period_start', NEW.period_start, 'period_end', NEW.period_end, 'moved_in', NEW.moved_in,
        'still_first_flat', NEW.still_first_flat, 'still_in_program', NEW.still_in_program, 'first_hand_leases', NEW.first_hand_leases,
        'evictions', NEW.evictions, 'complaints', NEW.complaints, 'clients', NEW.clients, 'case_managers', NEW.case_managers, 'note', NEW.note));
  END;
  CREATE TRIGGER audit_outcome_periods_update AFTER UPDATE ON outcome_periods BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'outcome_period', NEW.program_id || '/' || NEW.id, 'update',
      json_object('period_start', OLD.period_start, 'period_end', OLD.period_end, 'moved_in', OLD.moved_in,
        'still_first_flat', OLD.still_first_flat, 'still_in_program', OLD.still_in_program, 'first_hand_leases', OLD.first_hand_leases,
        'evictions', OLD.evictions, 'complaints', OLD.complaints, 'clients', OLD.clients, 'case_managers', OLD.case_managers, 'note', OLD.note),
      json_object('period_start', NEW.period_start, 'period_end', NEW.period_end, 'moved_in', NEW.moved_in,
        'still_first_flat', NEW.still_first_flat, 'still_in_program', NEW.still_in_program, 'first_hand_leases', NEW.first_hand_leases,
        'evictions', NEW.evictions, 'complaints', NEW.complaints, 'clients', NEW.clients, 'case_managers', NEW.case_managers, 'note', NEW.note));
  END;
  CREATE TRIGGER audit_outcome_periods_delete AFTER DELETE ON outcome_periods BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'outcome_period', OLD.program_id || '/' || OLD.id, 'delete',
      json_object('period_start', OLD.period_start, 'period_end', OLD.period_end, 'moved_in', OLD.moved_in));
  END;
`;
