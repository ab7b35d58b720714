// Migration 4: research. Imported historical reviews (rounds scored on paper) and their raters.
// Imported raters become placeholder users (inactive, no usable password: the hash "!" never verifies) so their
// ratings live in the same ratings table as everyone else's, and statistics and exports treat app and imported
// reviews alike. external_raters marks those users, so account lists can leave them out.
// Also indexes for the research queries: final reviews by rubric, and snapshots by rubric id.
export const sql = `
  CREATE TABLE review_imports (
    id INTEGER PRIMARY KEY,
    rubric_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('peer_review', 'self_assessment')),
    content_hash TEXT NOT NULL UNIQUE,
    row_count INTEGER NOT NULL,
    imported_by INTEGER NOT NULL REFERENCES users(id),
    imported_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE imported_reviews (
    review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    import_id INTEGER NOT NULL REFERENCES review_imports(id),
    source_review_id TEXT NOT NULL,
    UNIQUE (import_id, source_review_id)
  ) STRICT;
  CREATE INDEX imported_reviews_import ON imported_reviews (import_id);

  CREATE TABLE external_raters (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    import_id INTEGER NOT NULL REFERENCES review_imports(id),
    label TEXT NOT NULL,
    UNIQUE (import_id, label)
  ) STRICT;

  CREATE INDEX reviews_status_snapshot ON reviews (status, rubric_snapshot_id);
  CREATE INDEX rubric_snapshots_rubric ON rubric_snapshots (rubric_id, version);
`;
