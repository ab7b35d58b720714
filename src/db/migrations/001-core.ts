// Migration 1: accounts, sessions, municipalities, programs, rubric snapshots, reviews, panels, ratings,
// consensus and findings. Shipped: never edit, add a new migration instead.
export const sql = `
  CREATE TABLE app_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    preferred_locale TEXT CHECK (preferred_locale IN ('sv', 'en')),
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'reviewer', 'program_lead', 'researcher')),
    PRIMARY KEY (user_id, role)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE sessions (
    sid TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_expires_at ON sessions (expires_at);

  CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) = 4 AND code GLOB '[0-9][0-9][0-9][0-9]'),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE programs (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    name TEXT NOT NULL,
    support_provider TEXT NOT NULL,
    housing_partners TEXT NOT NULL DEFAULT '',
    support_model TEXT NOT NULL CHECK (support_model IN ('icm', 'act', 'fact', 'mixed', 'other')),
    start_date TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (municipality_id, name)
  ) STRICT;
  CREATE INDEX programs_municipality ON programs (municipality_id);

  CREATE TABLE rubric_snapshots (
    id INTEGER PRIMARY KEY,
    rubric_id TEXT NOT NULL,
    version TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    content_json TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs(id),
    rubric_snapshot_id INTEGER NOT NULL REFERENCES rubric_snapshots(id),
    kind TEXT NOT NULL CHECK (kind IN ('peer_review', 'self_assessment')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'rating', 'consensus', 'final')),
    visit_start TEXT,
    visit_end TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    rating_started_at TEXT,
    consensus_started_at TEXT,
    finalised_at TEXT,
    CHECK (visit_end IS NULL OR visit_start IS NULL OR visit_end >= visit_start)
  ) STRICT;
  CREATE INDEX reviews_program ON reviews (program_id);

  CREATE TABLE panel_members (
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'reviewer', 'observer')),
    submitted_at TEXT,
    PRIMARY KEY (review_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX panel_one_lead ON panel_members (review_id) WHERE role = 'lead';
  CREATE INDEX panel_members_user ON panel_members (user_id);

  CREATE TABLE ratings (
    review_id INTEGER NOT NULL,
    rater_id INTEGER NOT NULL,
    indicator_id TEXT NOT NULL,
    score INTEGER,
    not_applicable INTEGER NOT NULL DEFAULT 0 CHECK (not_applicable IN (0, 1)),
    evidence TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (review_id, rater_id, indicator_id),
    FOREIGN KEY (review_id, rater_id) REFERENCES panel_members(review_id, user_id) ON DELETE CASCADE,
    CHECK (NOT (not_applicable = 1 AND score IS NOT NULL))
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX ratings_review_indicator ON ratings (review_id, indicator_id, score);

  CREATE TABLE consensus_ratings (
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    indicator_id TEXT NOT NULL,
    score INTEGER,
    not_applicable INTEGER NOT NULL DEFAULT 0 CHECK (not_applicable IN (0, 1)),
    rationale TEXT NOT NULL DEFAULT '',
    decided_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (review_id, indicator_id),
    CHECK ((not_applicable = 1 AND score IS NULL) OR (not_applicable = 0 AND score IS NOT NULL))
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('strength', 'recommendation')),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (review_id, section_id, kind, position)
  ) STRICT;
  `;
