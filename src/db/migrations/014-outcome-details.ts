// Migration 14: outcome indicators as the seeds report them. A period is either a year-like
// period ('period', which may not overlap another one of its kind: checked by the store) or a cumulative count since
// the program's start ('since_start', which may overlap the yearly ones). Beside the counts of migration 5: how many
// were offered a flat, exits by reason, eviction threats and terminated leases beside executed evictions, and the
// median days from decision to keys. The new figures are NULL where nobody recorded them (periods entered before).
// The audit triggers are recreated so the log holds the new figures too.
export const sql = `
  ALTER TABLE outcome_periods ADD COLUMN kind TEXT NOT NULL DEFAULT 'period' CHECK (kind IN ('period', 'since_start'));
  ALTER TABLE outcome_periods ADD COLUMN offered INTEGER CHECK (offered IS NULL OR offered >= 0);
  ALTER TABLE outcome_periods ADD COLUMN exits_own_lease INTEGER CHECK (exits_own_lease IS NULL OR exits_own_lease >= 0);
  ALTER TABLE outcome_periods ADD COLUMN exits_care INTEGER CHECK (exits_care IS NULL OR exits_care >= 0);
  ALTER TABLE outcome_periods ADD COLUMN exits_died INTEGER CHECK (exits_died IS NULL OR exits_died >= 0);
  ALTER TABLE outcome_periods ADD COLUMN exits_left INTEGER CHECK (exits_left IS NULL OR exits_left >= 0);
  ALTER TABLE outcome_periods ADD COLUMN exits_other INTEGER CHECK (exits_other IS NULL OR exits_other >= 0);
  ALTER TABLE outcome_periods ADD COLUMN eviction_threats INTEGER CHECK (eviction_threats IS NULL OR eviction_threats >= 0);
  ALTER TABLE outcome_periods ADD COLUMN terminated_leases INTEGER CHECK (terminated_leases IS NULL OR terminated_leases >= 0);
  ALTER TABLE outcome_periods ADD COLUMN median_days_to_keys INTEGER CHECK (median_days_to_keys IS NULL OR median_days_to_keys >= 0);

  DROP TRIGGER audit_outcome_periods_insert;
  DROP TRIGGER audit_outcome_periods_update;

  CREATE TRIGGER audit_outcome_periods_insert AFTER INSERT ON outcome_periods BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'outcome_period', NEW.program_id || '/' || NEW.id, 'insert',
      json_object('kind', NEW.kind, 'period_start', NEW.period_start, 'period_end', NEW.period_end, 'offered', NEW.offered, 'moved_in', NEW.moved_in,
        'still_first_flat', NEW.still_first_flat, 'still_in_program', NEW.still_in_program, 'first_hand_leases', NEW.first_hand_leases,
        'evictions', NEW.evictions, 'eviction_threats', NEW.eviction_threats, 'terminated_leases', NEW.terminated_leases,
        'exits_own_lease', NEW.exits_own_lease, 'exits_care', NEW.exits_care, 'exits_died', NEW.exits_died, 'exits_left', NEW.exits_left,
        'exits_other', NEW.exits_other, 'median_days_to_keys', NEW.median_days_to_keys,
        'complaints', NEW.complaints, 'clients', NEW.clients, 'case_managers', NEW.case_managers, 'note', NEW.note));
  END;
  CREATE TRIGGER audit_outcome_periods_update AFTER UPDATE ON outcome_periods BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'outcome_period', NEW.program_id || '/' || NEW.id, 'update',
      json_object('kind', OLD.kind, 'period_start', OLD.period_start, 'period_end', OLD.period_end, 'offered', OLD.offered, 'moved_in', OLD.moved_in,
        'still_first_flat', OLD.still_first_flat, 'still_in_program', OLD.still_in_program, 'first_hand_leases', OLD.first_hand_leases,
        'evictions', OLD.evictions, 'eviction_threats', OLD.eviction_threats, 'terminated_leases', OLD.terminated_leases,
        'exits_own_lease', OLD.exits_own_lease, 'exits_care', OLD.exits_care, 'exits_died', OLD.exits_died, 'exits_left', OLD.exits_left,
        'exits_other', OLD.exits_other, 'median_days_to_keys', OLD.median_days_to_keys,
        'complaints', OLD.complaints, 'clients', OLD.clients, 'case_managers', OLD.case_managers, 'note', OLD.note),
      json_object('kind', NEW.kind, 'period_start', NEW.period_start, 'period_end', NEW.period_end, 'offered', NEW.offered, 'moved_in', NEW.moved_in,
        'still_first_flat', NEW.still_first_flat, 'still_in_program', NEW.still_in_program, 'first_hand_leases', NEW.first_hand_leases,
        'evictions', NEW.evictions, 'eviction_threats', NEW.eviction_threats, 'terminated_leases', NEW.terminated_leases,
        'exits_own_lease', NEW.exits_own_lease, 'exits_care', NEW.exits_care, 'exits_died', NEW.exits_died, 'exits_left', NEW.exits_left,
        'exits_other', NEW.exits_other, 'median_days_to_keys', NEW.median_days_to_keys,
        'complaints', NEW.complaints, 'clients', NEW.clients, 'case_managers', NEW.case_managers, 'note', NEW.note));
  END;
`;
