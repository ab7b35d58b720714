// Migration 19 gives each imported review raters of its own. An import of several reviews made before it shared one
// placeholder user per label across them (R1 of each review was one person); the migration splits them.
import { describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/accounts/user-store.js';
import type { Db } from '../../src/db/open-database.js';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createPaperRoundStore } from '../../src/reviews/paper-round-store.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createTestUser, loadTestRubrics, loginAgent, MINI_RUBRIC_FILE, makeTestApp } from '../helpers/test-app.js';
import { mainOf } from './research-helpers.js';

/** Each rating as (review, rater label, role, indicator, score): what the split must leave as it was. */
function readRatings(db: Db): unknown[] {
  return db
    .prepare(
      `SELECT r.review_id, u.display_name, pm.role, r.indicator_id, r.score FROM ratings r
       JOIN users u ON u.id = r.rater_id JOIN panel_members pm ON pm.review_id = r.review_id AND pm.user_id = r.rater_id
       ORDER BY r.review_id, u.display_name, r.indicator_id`,
    )
    .all();
}

/** A database at schema 18 with an import, made before migration 19, whose two reviews share raters P1 and P2. */
async function seedSharedRaterImport() {
  const db = openDatabase(':memory:');
  MIGRATIONS.slice(0, 18).forEach((sql, index) => {
    db.exec(sql);
    db.pragma(`user_version = ${index + 1}`);
  });
  const rubrics = loadTestRubrics([MINI_RUBRIC_FILE]);
  const mini = rubrics.get('mini-five');
  if (!mini) throw new Error('rubric');
  const importer = await createTestUser(db, ['researcher']);
  const municipalities = createMunicipalityStore(db);
  const programId = municipalities.insertProgram({
    municipalityId: municipalities.insertMunicipality({ code: '0180', name: 'Stockholm' }),
    name: 'Bostad först Stockholm',
    supportProvider: 'Stödföretaget',
    housingPartners: '',
    supportModel: 'icm',
    startDate: undefined,
  });
  // As the import wrote it before: one placeholder user per label of the file, on the panel of both reviews.
  const importId = Number(
    db
      .prepare(
        `INSERT INTO review_imports (rubric_id, kind, content_hash, row_count, imported_by, imported_at)
         VALUES ('mini-five', 'peer_review', 'legacy', 42, ?, '2026-01-05T10:00:00.000Z')`,
      )
      .run(importer.id).lastInsertRowid,
  );
  const users = createUserStore(db);
  const [p1, p2] = ['P1', 'P2'].map((label, index) => {
    const id = users.insertPlaceholderUser({ email: `rater-${importId}-${index + 1}@import.invalid`, displayName: label }, importer.id);
    db.prepare('INSERT INTO external_raters (user_id, import_id, label) VALUES (?, ?, ?)').run(id, importId, label);
    return id;
  });
  if (p1 === undefined || p2 === undefined) throw new Error('raters');
  const reviews = createReviewStore(db);
  const paperRounds = createPaperRoundStore(db);
  const indicators = listIndicators(mini.rubric).map(({ indicator }) => indicator);
  const reviewIds = ['2019-05-14', '2020-02-03'].map((date, round) => {
    const reviewId = reviews.insertReview({
      programId,
      rubric: mini,
      kind: 'peer_review',
      visitStart: date,
      visitEnd: date,
      createdBy: importer.id,
    });
    db.prepare('INSERT INTO imported_reviews (review_id, import_id, source_review_id) VALUES (?, ?, ?)').run(
      reviewId,
      importId,
      `E${round + 1}`,
    );
    paperRounds.writePaperRound(
      reviewId,
      {
        panel: [
          { userId: p1, role: 'lead' },
          { userId: p2, role: 'reviewer' },
        ],
        ratings: indicators.flatMap((indicator, index) => [
          { raterId: p1, indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false },
          { raterId: p2, indicatorId: indicator.id, score: indicator.scale.max - ((index + round) % 2), notApplicable: false },
        ]),
        consensus: indicators.map((indicator) => ({ indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false })),
      },
      importer.id,
    );
    return reviewId;
  });
  return { db, rubrics, importer, users, indicators, importId, p1, p2, reviewIds };
}

describe('migration 19: imported raters per review', () => {
  it('when an import made before it shared its raters across two reviews, then each review gets raters of its own, with their ratings and roles', async () => {
    const { db, rubrics, importer, users, indicators, importId, p1, p2, reviewIds } = await seedSharedRaterImport();
    const ratingsBefore = readRatings(db);

    const app = makeTestApp({ db, rubrics });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);

    // The first review keeps the users; the second has two new ones with the same labels.
    const raters = db.prepare('SELECT user_id, import_id, review_id, label FROM external_raters ORDER BY review_id, label').all() as {
      user_id: number;
      import_id: number;
      review_id: number;
      label: string;
    }[];
    expect(raters.map((rater) => [rater.review_id, rater.label])).toEqual([
      [reviewIds[0], 'P1'],
      [reviewIds[0], 'P2'],
      [reviewIds[1], 'P1'],
      [reviewIds[1], 'P2'],
    ]);
    expect(raters.slice(0, 2).map((rater) => rater.user_id)).toEqual([p1, p2]);
    expect(new Set(raters.map((rater) => rater.user_id)).size).toBe(4);
    expect(raters.every((rater) => rater.import_id === importId)).toBe(true);
    const copies = db
      .prepare(
        `SELECT display_name, active, password_hash FROM users WHERE id IN (${raters
          .slice(2)
          .map((rater) => rater.user_id)
          .join(',')}) ORDER BY id`,
      )
      .all();
    expect(copies).toEqual([
      { display_name: 'P1', active: 0, password_hash: '!' },
      { display_name: 'P2', active: 0, password_hash: '!' },
    ]);
    // Every rating is where it was, with its rater's label and role; only the second review's raters are new.
    expect(readRatings(db)).toEqual(ratingsBefore);
    expect(db.prepare('SELECT DISTINCT rater_id FROM ratings WHERE review_id = ? ORDER BY rater_id').pluck().all(reviewIds[1])).toEqual(
      raters.slice(2).map((rater) => rater.user_id),
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%migration_019%' OR name = 'external_raters_per_review'").all(),
    ).toEqual([]);
    // Account lists still leave the placeholder users out.
    expect(users.listUsers().map((user) => user.displayName)).not.toContain('P1');

    // The research page counts four raters over the two reviews, as a new import of the same file would.
    const agent = await loginAgent(app.app, importer.email);
    const research = mainOf((await agent.get('/research?rubric=mini-five')).text);
    expect(research).toContain(`4 bedömare, ${2 * indicators.length} indikatorer med minst en poäng, ${4 * indicators.length} poäng.`);
  });

  it("when it moves a shared rater's ratings to the copy, then the audit log has each as a delete under the old user and an insert under the copy", async () => {
    const { db, indicators, p1, p2, reviewIds } = await seedSharedRaterImport();
    const secondReview = reviewIds[1];
    const lastEntryBefore = db.prepare('SELECT max(id) FROM audit_log').pluck().get() as number;

    migrate(db);

    const copies = db
      .prepare('SELECT user_id FROM external_raters WHERE review_id = ? ORDER BY label')
      .pluck()
      .all(secondReview) as number[];
    const ratingEntries = db
      .prepare(
        `SELECT entity_key, action, old_value IS NOT NULL AS has_old, new_value IS NOT NULL AS has_new FROM audit_log
         WHERE id > ? AND entity = 'rating' AND review_id = ? ORDER BY id`,
      )
      .all(lastEntryBefore, secondReview) as { entity_key: string; action: string; has_old: number; has_new: number }[];
    const keysOf = (action: string) =>
      ratingEntries
        .filter((entry) => entry.action === action)
        .map((entry) => entry.entity_key)
        .sort();
    const keysFor = (raterIds: readonly number[]) =>
      raterIds.flatMap((raterId) => indicators.map((indicator) => `${raterId}/${indicator.id}`)).sort();
    expect(keysOf('insert')).toEqual(keysFor(copies));
    expect(keysOf('delete')).toEqual(keysFor([p1, p2]));
    expect(keysOf('update')).toEqual([]);
    expect(ratingEntries.every((entry) => (entry.action === 'insert' ? entry.has_new : entry.has_old) === 1)).toBe(true);
    // The first review keeps its raters, so none of its ratings moved.
    expect(
      db
        .prepare("SELECT count(*) FROM audit_log WHERE id > ? AND entity = 'rating' AND review_id = ?")
        .pluck()
        .get(lastEntryBefore, reviewIds[0]),
    ).toBe(0);
  });
});
