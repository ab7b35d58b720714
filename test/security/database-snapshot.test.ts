// The fuzz test and the access matrix say "nothing stored when refused" through isUnchanged: a write counter first,
// the rows only after a write. If the counter missed writes, every refused request would pass unseen; this pins it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecurityFixture,
  hashDatabase,
  inRollback,
  isUnchanged,
  type SecurityFixture,
  snapshotDatabase,
} from './security-fixture.js';

describe('database snapshots of the security tests', () => {
  let fixture: SecurityFixture;
  beforeAll(async () => {
    fixture = await createSecurityFixture();
  }, 60_000);
  afterAll(() => fixture.close());

  it('when a row changes, then the database is changed, and after the rollback it is unchanged again', async () => {
    const snapshot = snapshotDatabase(fixture.db);
    expect(isUnchanged(fixture.db, snapshot)).toBe(true);
    await inRollback(fixture.db, async () => {
      fixture.db
        .prepare("UPDATE ratings SET note = coalesce(note, '') || 'x' WHERE indicator_id = (SELECT max(indicator_id) FROM ratings)")
        .run();
      expect(isUnchanged(fixture.db, snapshot)).toBe(false);
    });
    await inRollback(fixture.db, async () => {
      fixture.db.prepare("INSERT INTO municipalities (code, name, created_at) VALUES ('9999', 'Provkommun', '2026-01-01')").run();
      expect(isUnchanged(fixture.db, snapshot)).toBe(false);
    });
    expect(isUnchanged(fixture.db, snapshot)).toBe(true);
    expect(hashDatabase(fixture.db)).toBe(snapshot.hash);
  });

  it('when a write leaves every row as it was, or touches only a housekeeping table, then the database is unchanged', async () => {
    const snapshot = snapshotDatabase(fixture.db);
    await inRollback(fixture.db, async () => {
      fixture.db.prepare('UPDATE sessions SET data = data').run();
      // A write without a change (a WITHOUT ROWID table here): the rows are read, and they are the same.
      fixture.db
        .prepare('UPDATE consensus_ratings SET score = score WHERE indicator_id = (SELECT min(indicator_id) FROM consensus_ratings)')
        .run();
      expect(isUnchanged(fixture.db, snapshot)).toBe(true);
    });
  });
});
