// Migration 15: municipalities and programs in the audit log. A renamed program or a changed municipality code changes
// what every report and list says, and an IT security officer expects to find who did it, as for users and panels.
export const sql = `
  CREATE TRIGGER audit_municipalities_insert AFTER INSERT ON municipalities BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'municipality', NEW.id, 'insert', json_object('code', NEW.code, 'name', NEW.name));
  END;
  CREATE TRIGGER audit_municipalities_update AFTER UPDATE ON municipalities
    WHEN OLD.code IS NOT NEW.code OR OLD.name IS NOT NEW.name BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'municipality', NEW.id, 'update',
      json_object('code', OLD.code, 'name', OLD.name), json_object('code', NEW.code, 'name', NEW.name));
  END;
  CREATE TRIGGER audit_programs_insert AFTER INSERT ON programs BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'program', NEW.id, 'insert',
      json_object('municipality_id', NEW.municipality_id, 'name', NEW.name, 'support_provider', NEW.support_provider,
        'housing_partners', NEW.housing_partners, 'support_model', NEW.support_model, 'start_date', NEW.start_date));
  END;
  CREATE TRIGGER audit_programs_update AFTER UPDATE ON programs
    WHEN OLD.name IS NOT NEW.name OR OLD.support_provider IS NOT NEW.support_provider
      OR OLD.housing_partners IS NOT NEW.housing_partners OR OLD.support_model IS NOT NEW.support_model
      OR OLD.start_date IS NOT NEW.start_date BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_key, action, old_value, new_value)
    VALUES ((SELECT user_id FROM audit_actor), 'program', NEW.id, 'update',
      json_object('name', OLD.name, 'support_provider', OLD.support_provider, 'housing_partners', OLD.housing_partners,
        'support_model', OLD.support_model, 'start_date', OLD.start_date),
      json_object('name', NEW.name, 'support_provider', NEW.support_provider, 'housing_partners', NEW.housing_partners,
        'support_model', NEW.support_model, 'start_date', NEW.start_date));
  END;
`;
