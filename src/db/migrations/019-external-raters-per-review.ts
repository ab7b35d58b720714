// Migration 19: an imported rater belongs to one review. The research export's pseudonyms (R1, R2 …) are per review,
// but external_raters was keyed by (import, label), so an import of several reviews made R1 of each one person: the
// research page counted too few raters and its pooled ICC took them for the same rater.
// - external_raters gets review_id, and its key is (import_id, review_id, label). The table is rebuilt (a UNIQUE
//   constraint cannot be dropped); nothing references it.
// - A placeholder user of an earlier import who sits on several of its reviews keeps the first (lowest id) and is
//   copied, as a new placeholder user with the same label, for each other: that review's panel row and ratings move
//   to the copy. The panel row is added as a reviewer and made lead only once the old one is gone (one lead per
//   review); the audit triggers log the moves, each moved rating as a delete under the old user and an insert under
//   the copy. Ratings, scores and consensus are unchanged.
export const sql = `
  CREATE TABLE external_raters_per_review (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    import_id INTEGER NOT NULL REFERENCES review_imports(id),
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    label TEXT NOT NULL,
    UNIQUE (import_id, review_id, label)
  ) STRICT;

  -- Every panel seat of an imported rater among its import's reviews, and the first of them, which keeps the user.
  CREATE TABLE migration_019_seats (
    user_id INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    review_id INTEGER NOT NULL,
    label TEXT NOT NULL,
    first_review_id INTEGER NOT NULL,
    lead INTEGER NOT NULL,
    new_user_id INTEGER,
    PRIMARY KEY (user_id, review_id)
  ) STRICT;
  INSERT INTO migration_019_seats (user_id, import_id, review_id, label, first_review_id, lead)
    SELECT e.user_id, e.import_id, pm.review_id, e.label,
      (SELECT min(pm2.review_id) FROM panel_members pm2
       JOIN imported_reviews ir2 ON ir2.review_id = pm2.review_id AND ir2.import_id = e.import_id
       WHERE pm2.user_id = e.user_id),
      pm.role = 'lead'
    FROM external_raters e
    JOIN panel_members pm ON pm.user_id = e.user_id
    JOIN imported_reviews ir ON ir.review_id = pm.review_id AND ir.import_id = e.import_id;

  INSERT INTO external_raters_per_review (user_id, import_id, review_id, label)
    SELECT user_id, import_id, review_id, label FROM migration_019_seats WHERE review_id = first_review_id;
  -- A rater on no panel (the import makes none, but a hand-edited file might have one) goes with the import's first review.
  INSERT INTO external_raters_per_review (user_id, import_id, review_id, label)
    SELECT e.user_id, e.import_id, (SELECT min(ir.review_id) FROM imported_reviews ir WHERE ir.import_id = e.import_id), e.label
    FROM external_raters e WHERE e.user_id NOT IN (SELECT user_id FROM migration_019_seats);

  INSERT INTO users (email, display_name, affiliation, password_hash, active, created_at)
    SELECT 'rater-' || s.import_id || '-review-' || s.review_id || '-of-' || s.user_id || '@import.invalid',
      u.display_name, '', '!', 0, u.created_at
    FROM migration_019_seats s JOIN users u ON u.id = s.user_id
    WHERE s.review_id <> s.first_review_id;
  UPDATE migration_019_seats SET new_user_id = (
    SELECT u.id FROM users u
    WHERE u.email = 'rater-' || migration_019_seats.import_id || '-review-' || migration_019_seats.review_id || '-of-'
      || migration_019_seats.user_id || '@import.invalid')
  WHERE review_id <> first_review_id;
  INSERT INTO external_raters_per_review (user_id, import_id, review_id, label)
    SELECT new_user_id, import_id, review_id, label FROM migration_019_seats WHERE new_user_id IS NOT NULL;

  INSERT INTO panel_members (review_id, user_id, role, submitted_at, late_reason, late_added_at)
    SELECT pm.review_id, s.new_user_id, CASE pm.role WHEN 'lead' THEN 'reviewer' ELSE pm.role END, pm.submitted_at,
      pm.late_reason, pm.late_added_at
    FROM migration_019_seats s JOIN panel_members pm ON pm.review_id = s.review_id AND pm.user_id = s.user_id
    WHERE s.new_user_id IS NOT NULL;
  -- Inserted under the copy and deleted under the old user, not updated: the ratings' update trigger logs only changes
  -- to score, N/A, evidence or note, so an UPDATE of rater_id would leave the move out of the audit log.
  INSERT INTO ratings (review_id, rater_id, indicator_id, score, not_applicable, evidence, note, updated_at, version)
    SELECT r.review_id, s.new_user_id, r.indicator_id, r.score, r.not_applicable, r.evidence, r.note, r.updated_at, r.version
    FROM ratings r JOIN migration_019_seats s ON s.review_id = r.review_id AND s.user_id = r.rater_id
    WHERE s.new_user_id IS NOT NULL;
  DELETE FROM ratings WHERE EXISTS (
    SELECT 1 FROM migration_019_seats s
    WHERE s.review_id = ratings.review_id AND s.user_id = ratings.rater_id AND s.new_user_id IS NOT NULL);
  DELETE FROM panel_members WHERE EXISTS (
    SELECT 1 FROM migration_019_seats s
    WHERE s.review_id = panel_members.review_id AND s.user_id = panel_members.user_id AND s.new_user_id IS NOT NULL);
  UPDATE panel_members SET role = 'lead' WHERE EXISTS (
    SELECT 1 FROM migration_019_seats s
    WHERE s.review_id = panel_members.review_id AND s.new_user_id = panel_members.user_id AND s.lead = 1);

  DROP TABLE migration_019_seats;
  DROP TABLE external_raters;
  ALTER TABLE external_raters_per_review RENAME TO external_raters;
`;
