// Migration 2: review integrity. Structured user affiliations and conflicts of interest, an append-only audit
// log filled by triggers (so no write path can forget it), version numbers for concurrent edits, and reopenings.
export const sql = `
  ALTER TABLE users ADD COLUMN affiliation_kind TEXT NOT NULL DEFAULT 'other'
    CHECK (affiliation_kind IN ('municipality', 'provider', 'university', 'other'));
  ALTER TABLE users ADD COLUMN affiliation_municipality_id INTEGER REFERENCES municipalities(id);

  ALTER TABLE ratings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE consensus_ratings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

  -- An explicit conflict between a user and a municipality or a provider, recorded by an administrator.
  CREATE TABLE declared_conflicts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    provider TEXT,
    reason TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    CHECK ((municipality_id IS NULL) <> (provider IS NULL))
  ) STRICT;
  CREATE INDEX declared_conflicts_user ON declared_conflicts (user_id);

  -- An administrator's decision that a reciprocal-review warning does not apply to a user and a municipality.
  CREATE TABLE conflict_dismissals (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    reason TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, municipality_id)
  ) STRICT;

  -- A coordinator's confirmation, with a reason, of a panel member despite a reciprocal-review warning.
  CREATE TABLE panel_warning_confirmations (
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    confirmed_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (review_id, user_id)
  ) STRICT;

  CREATE TABLE review_reopenings (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    reopened_by INTEGER REFERENCES users(id),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  -- Who is writing: set inside each write transaction (see src/audit/audit-actor.ts), read by the triggers.
  CREATE TABLE audit_actor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    user_id INTEGER
  ) STRICT;
  INSERT INTO audit_actor (id, user_id) VALUES (1, NULL);

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor_id INTEGER,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    review_id INTEGER,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_value TEXT,
    new_value TEXT
  ) STRICT;
  CREATE INDEX audit_log_review ON audit_log (review_id, id);
  CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

  -- ratings
  CREATE TRIGGER audit_ratings_insert AFTER INSERT ON ratings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'rating', NEW.rater_id || '/' || NEW.indicator_id, NEW.review_id, 'insert',
      json_object('score', NEW.score, 'not_applicable', NEW.not_applicable, 'evidence', NEW.evidence, 'note', NEW.note));
  END;
  CREATE TRIGGER audit_ratings_update AFTER UPDATE ON ratings
    WHEN OLD.score IS NOT NEW.score OR OLD.not_applicable IS NOT NEW.not_applicable
      OR OLD.evidence IS NOT NEW.evidence OR OLD.note IS NOT NEW.note BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'rating', NEW.rater_id || '/' || NEW.indicator_id, NEW.review_id, 'update',
      json_object('score', OLD.score, 'not_applicable', OLD.not_applicable, 'evidence', OLD.evidence, 'note', OLD.note),
      json_object('score', NEW.score, 'not_applicable', NEW.not_applicable, 'evidence', NEW.evidence, 'note', NEW.note));
  END;
  CREATE TRIGGER audit_ratings_delete AFTER DELETE ON ratings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'rating', OLD.rater_id || '/' || OLD.indicator_id, OLD.review_id, 'delete',
      json_object('score', OLD.score, 'not_applicable', OLD.not_applicable, 'evidence', OLD.evidence, 'note', OLD.note));
  END;

  -- consensus
  CREATE TRIGGER audit_consensus_insert AFTER INSERT ON consensus_ratings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'consensus', NEW.indicator_id, NEW.review_id, 'insert',
      json_object('score', NEW.score, 'not_applicable', NEW.not_applicable, 'rationale', NEW.rationale));
  END;
  CREATE TRIGGER audit_consensus_update AFTER UPDATE ON consensus_ratings
    WHEN OLD.score IS NOT NEW.score OR OLD.not_applicable IS NOT NEW.not_applicable OR OLD.rationale IS NOT NEW.rationale BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'consensus', NEW.indicator_id, NEW.review_id, 'update',
      json_object('score', OLD.score, 'not_applicable', OLD.not_applicable, 'rationale', OLD.rationale),
      json_object('score', NEW.score, 'not_applicable', NEW.not_applicable, 'rationale', NEW.rationale));
  END;
  CREATE TRIGGER audit_consensus_delete AFTER DELETE ON consensus_ratings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'consensus', OLD.indicator_id, OLD.review_id, 'delete',
      json_object('score', OLD.score, 'not_applicable', OLD.not_applicable, 'rationale', OLD.rationale));
  END;

  -- findings (strengths and recommendations) belong to the consensus
  CREATE TRIGGER audit_findings_insert AFTER INSERT ON findings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'finding', NEW.section_id || '/' || NEW.kind || '/' || NEW.position, NEW.review_id, 'insert',
      json_object('text', NEW.text));
  END;
  CREATE TRIGGER audit_findings_delete AFTER DELETE ON findings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'finding', OLD.section_id || '/' || OLD.kind || '/' || OLD.position, OLD.review_id, 'delete',
      json_object('text', OLD.text));
  END;

  -- reviews: creation, status and details
  CREATE TRIGGER audit_reviews_insert AFTER INSERT ON reviews BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'review', NEW.id, NEW.id, 'insert',
      json_object('program_id', NEW.program_id, 'rubric_snapshot_id', NEW.rubric_snapshot_id, 'kind', NEW.kind, 'status', NEW.status,
        'visit_start', NEW.visit_start, 'visit_end', NEW.visit_end));
  END;
  CREATE TRIGGER audit_reviews_update AFTER UPDATE ON reviews
    WHEN OLD.status IS NOT NEW.status OR OLD.kind IS NOT NEW.kind OR OLD.visit_start IS NOT NEW.visit_start
      OR OLD.visit_end IS NOT NEW.visit_end BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'review', NEW.id, NEW.id, 'update',
      json_object('status', OLD.status, 'kind', OLD.kind, 'visit_start', OLD.visit_start, 'visit_end', OLD.visit_end),
      json_object('status', NEW.status, 'kind', NEW.kind, 'visit_start', NEW.visit_start, 'visit_end', NEW.visit_end));
  END;
  CREATE TRIGGER audit_reopenings_insert AFTER INSERT ON review_reopenings BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'reopening', NEW.id, NEW.review_id, 'insert', json_object('reason', NEW.reason));
  END;

  -- panels
  CREATE TRIGGER audit_panel_insert AFTER INSERT ON panel_members BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'panel_member', NEW.user_id, NEW.review_id, 'insert', json_object('role', NEW.role));
  END;
  CREATE TRIGGER audit_panel_update AFTER UPDATE ON panel_members
    WHEN OLD.role IS NOT NEW.role OR OLD.submitted_at IS NOT NEW.submitted_at BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'panel_member', NEW.user_id, NEW.review_id, 'update',
      json_object('role', OLD.role, 'submitted_at', OLD.submitted_at), json_object('role', NEW.role, 'submitted_at', NEW.submitted_at));
  END;
  CREATE TRIGGER audit_panel_delete AFTER DELETE ON panel_members BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'panel_member', OLD.user_id, OLD.review_id, 'delete', json_object('role', OLD.role));
  END;
  CREATE TRIGGER audit_panel_confirmation_insert AFTER INSERT ON panel_warning_confirmations BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, review_id, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'panel_warning_confirmation', NEW.user_id, NEW.review_id, 'insert', json_object('reason', NEW.reason));
  END;

  -- users, roles and affiliations (never the password hash itself: only that it changed)
  CREATE TRIGGER audit_users_insert AFTER INSERT ON users BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'user', NEW.id, 'insert',
      json_object('email', NEW.email, 'display_name', NEW.display_name, 'affiliation', NEW.affiliation,
        'affiliation_kind', NEW.affiliation_kind, 'affiliation_municipality_id', NEW.affiliation_municipality_id, 'active', NEW.active));
  END;
  CREATE TRIGGER audit_users_update AFTER UPDATE ON users
    WHEN OLD.email IS NOT NEW.email OR OLD.display_name IS NOT NEW.display_name OR OLD.affiliation IS NOT NEW.affiliation
      OR OLD.affiliation_kind IS NOT NEW.affiliation_kind OR OLD.affiliation_municipality_id IS NOT NEW.affiliation_municipality_id
      OR OLD.active IS NOT NEW.active OR OLD.password_hash IS NOT NEW.password_hash BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'user', NEW.id, 'update',
      json_object('email', OLD.email, 'display_name', OLD.display_name, 'affiliation', OLD.affiliation,
        'affiliation_kind', OLD.affiliation_kind, 'affiliation_municipality_id', OLD.affiliation_municipality_id, 'active', OLD.active),
      json_object('email', NEW.email, 'display_name', NEW.display_name, 'affiliation', NEW.affiliation,
        'affiliation_kind', NEW.affiliation_kind, 'affiliation_municipality_id', NEW.affiliation_municipality_id, 'active', NEW.active,
        'password_changed', OLD.password_hash IS NOT NEW.password_hash));
  END;
  CREATE TRIGGER audit_user_roles_insert AFTER INSERT ON user_roles BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'user_role', NEW.user_id || '/' || NEW.role, 'insert', json_object('role', NEW.role));
  END;
  CREATE TRIGGER audit_user_roles_delete AFTER DELETE ON user_roles BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'user_role', OLD.user_id || '/' || OLD.role, 'delete', json_object('role', OLD.role));
  END;
  CREATE TRIGGER audit_declared_conflicts_insert AFTER INSERT ON declared_conflicts BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'declared_conflict', NEW.id, 'insert',
      json_object('user_id', NEW.user_id, 'municipality_id', NEW.municipality_id, 'provider', NEW.provider, 'reason', NEW.reason));
  END;
  CREATE TRIGGER audit_declared_conflicts_delete AFTER DELETE ON declared_conflicts BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value)
    VALUES ((SELECT user_id FROM audit_actor), 'declared_conflict', OLD.id, 'delete',
      json_object('user_id', OLD.user_id, 'municipality_id', OLD.municipality_id, 'provider', OLD.provider, 'reason', OLD.reason));
  END;
  CREATE TRIGGER audit_conflict_dismissals_insert AFTER INSERT ON conflict_dismissals BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'conflict_dismissal', NEW.id, 'insert',
      json_object('user_id', NEW.user_id, 'municipality_id', NEW.municipality_id, 'reason', NEW.reason));
  END;

  -- rubrics: every rubric version the app pins or loads is stored once as a snapshot
  CREATE TRIGGER audit_rubric_snapshots_insert AFTER INSERT ON rubric_snapshots BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'rubric', NEW.rubric_id || '@' || NEW.version, 'insert',
      json_object('rubric_id', NEW.rubric_id, 'version', NEW.version, 'content_hash', NEW.content_hash));
  END;
`;
