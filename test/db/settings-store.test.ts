import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { resolveSessionSecret, resolveStoredSecret } from '../../src/db/settings-store.js';

describe('secrets kept in app_settings', () => {
  it('when a secret is asked for twice, then the first one made is kept and returned both times', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const first = resolveStoredSecret(db, 'research_pseudonym_key', 32);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(resolveStoredSecret(db, 'research_pseudonym_key', 32)).toBe(first);
    expect(db.prepare("SELECT value FROM app_settings WHERE key = 'research_pseudonym_key'").get()).toEqual({ value: first });
  });

  it('when the environment gives a session secret, then it is used and nothing is stored', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    expect(resolveSessionSecret(db, 'from-env')).toBe('from-env');
    expect(db.prepare("SELECT count(*) AS n FROM app_settings WHERE key = 'session_secret'").get()).toEqual({ n: 0 });
    const stored = resolveSessionSecret(db, undefined);
    expect(resolveSessionSecret(db, undefined)).toBe(stored);
  });
});
