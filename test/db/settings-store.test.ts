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

  it('when SESSION_SECRET is set after a secret was generated, then the stored one is deleted, so it cannot come back if the variable goes missing', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const generated = resolveSessionSecret(db, undefined, log);
    expect(resolveSessionSecret(db, undefined, log)).toBe(generated);
    const rotated = 'a-new-secret-of-at-least-32-characters!';
    expect(resolveSessionSecret(db, rotated, log)).toBe(rotated);
    expect(resolveSessionSecret(db, rotated, log)).toBe(rotated);
    // The variable lost: a new secret (everyone logs in again), never the one it replaced.
    const after = resolveSessionSecret(db, undefined, log);
    expect(after).not.toBe(generated);
    expect(lines).toEqual([
      'Session cookies are signed with a secret generated now and kept in the database (SESSION_SECRET is not set; docs/operations.md#the-session-secret).',
      'Session cookies are signed with the secret generated on the first start and kept in the database (SESSION_SECRET is not set; docs/operations.md#the-session-secret).',
      'Session cookies are signed with SESSION_SECRET from the environment; the secret generated on an earlier start was deleted from the database, so it cannot come back should SESSION_SECRET go missing (docs/operations.md#the-session-secret).',
      'Session cookies are signed with SESSION_SECRET from the environment.',
      'Session cookies are signed with a secret generated now and kept in the database (SESSION_SECRET is not set; docs/operations.md#the-session-secret).',
    ]);
    // Never the value.
    for (const secret of [generated, rotated, after]) expect(lines.join('\n')).not.toContain(secret);
  });

  it('when the session secret is changed, then the research pseudonym key kept beside it is left alone', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const key = resolveStoredSecret(db, 'research_pseudonym_key', 32);
    resolveSessionSecret(db, undefined);
    resolveSessionSecret(db, 'a-new-secret-of-at-least-32-characters!');
    expect(resolveStoredSecret(db, 'research_pseudonym_key', 32)).toBe(key);
  });

  it('when the operator deletes the stored session secret as docs/operations.md says, then the next start generates a new one, and the pseudonym key stays', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const key = resolveStoredSecret(db, 'research_pseudonym_key', 32);
    const leaked = resolveSessionSecret(db, undefined);
    // The statement of "The session secret" (docs/operations.md), as the operator runs it.
    expect(db.prepare("DELETE FROM app_settings WHERE key = 'session_secret'").run().changes).toBe(1);
    expect(resolveSessionSecret(db, undefined)).not.toBe(leaked);
    expect(resolveStoredSecret(db, 'research_pseudonym_key', 32)).toBe(key);
  });
});
