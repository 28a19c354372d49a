-- The stage server's schema, version 1. Times are RFC 3339 text in UTC
-- with nanoseconds; decimals are text as the library spells them.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 128),
  name          TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL CHECK (role IN ('admin', 'organiser', 'juror', 'observer')),
  stage_id      INTEGER REFERENCES stages (id),
  judge         TEXT,
  password_hash TEXT NOT NULL DEFAULT '',
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL,
  -- A juror belongs to one judge of one stage; no other role has a judge,
  -- and an admin belongs to every stage.
  CHECK ((role = 'juror') = (judge IS NOT NULL)),
  CHECK (role <> 'juror' OR (stage_id IS NOT NULL AND password_hash = '')),
  CHECK (role <> 'admin' OR stage_id IS NULL),
  FOREIGN KEY (stage_id, judge) REFERENCES jurors (stage_id, id)
);
CREATE UNIQUE INDEX users_juror ON users (stage_id, judge) WHERE judge IS NOT NULL;

CREATE TABLE sessions (
  hash       TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  code_id    INTEGER REFERENCES codes (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE stages (
  id              INTEGER PRIMARY KEY,
  slug            TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND length(slug) <= 64),
  title           TEXT NOT NULL,
  region          TEXT NOT NULL DEFAULT '',
  date            TEXT NOT NULL DEFAULT '',
  rules           TEXT NOT NULL,
  jurors_per_idea INTEGER NOT NULL CHECK (jurors_per_idea >= 1),
  cap_per_juror   INTEGER NOT NULL DEFAULT 0 CHECK (cap_per_juror >= 0),
  seed            TEXT NOT NULL CHECK (length(seed) >= 1),
  published       INTEGER NOT NULL DEFAULT 0 CHECK (published >= 0),
  created_at      TEXT NOT NULL
);

CREATE TABLE ideas (
  stage_id     INTEGER NOT NULL REFERENCES stages (id),
  id           TEXT NOT NULL,
  title        TEXT NOT NULL DEFAULT '',
  summary      TEXT NOT NULL DEFAULT '',
  region       TEXT NOT NULL DEFAULT '',
  sector       TEXT NOT NULL DEFAULT '',
  cooperative  TEXT NOT NULL DEFAULT '',
  attributes   TEXT NOT NULL DEFAULT '{}',
  -- Personal data (law 09-08): only the stage's organisers see these.
  carrier_name  TEXT NOT NULL DEFAULT '',
  carrier_email TEXT NOT NULL DEFAULT '',
  carrier_phone TEXT NOT NULL DEFAULT '',
  submitted_at TEXT NOT NULL,
  PRIMARY KEY (stage_id, id)
);
CREATE INDEX ideas_order ON ideas (stage_id, submitted_at, id);

CREATE TABLE jurors (
  stage_id    INTEGER NOT NULL REFERENCES stages (id),
  id          TEXT NOT NULL,
  name        TEXT NOT NULL DEFAULT '', -- personal data
  cooperative TEXT NOT NULL DEFAULT '',
  conflicts   TEXT NOT NULL DEFAULT '[]',
  abstains    TEXT NOT NULL DEFAULT '[]',
  dropped     INTEGER NOT NULL DEFAULT 0 CHECK (dropped IN (0, 1)),
  PRIMARY KEY (stage_id, id)
);

CREATE TABLE codes (
  id         INTEGER PRIMARY KEY,
  stage_id   INTEGER NOT NULL,
  judge      TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE,
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT,
  revoked_at TEXT,
  CHECK (expires_at > created_at),
  FOREIGN KEY (stage_id, judge) REFERENCES jurors (stage_id, id)
);
CREATE INDEX codes_stage ON codes (stage_id);

CREATE TABLE assignments (
  stage_id INTEGER NOT NULL,
  judge    TEXT NOT NULL,
  project  TEXT NOT NULL,
  round    INTEGER NOT NULL CHECK (round >= 1),
  PRIMARY KEY (stage_id, judge, project),
  FOREIGN KEY (stage_id, judge) REFERENCES jurors (stage_id, id),
  FOREIGN KEY (stage_id, project) REFERENCES ideas (stage_id, id)
) WITHOUT ROWID;
CREATE INDEX assignments_project ON assignments (stage_id, project);

CREATE TABLE assignment_runs (
  stage_id INTEGER NOT NULL REFERENCES stages (id),
  round    INTEGER NOT NULL,
  seed     TEXT NOT NULL,
  k        INTEGER NOT NULL,
  cap      INTEGER NOT NULL,
  added    INTEGER NOT NULL,
  dropped  INTEGER NOT NULL,
  at       TEXT NOT NULL,
  by_user  INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (stage_id, round)
);

-- A juror's sheet as it stands: its version and sign-off.
CREATE TABLE sheets (
  stage_id    INTEGER NOT NULL,
  judge       TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version >= 1),
  device_time TEXT NOT NULL DEFAULT '',
  signed_off  INTEGER NOT NULL DEFAULT 0 CHECK (signed_off IN (0, 1)),
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (stage_id, judge),
  FOREIGN KEY (stage_id, judge) REFERENCES jurors (stage_id, id)
) WITHOUT ROWID;

-- Every change of a score, append-only (the triggers below refuse
-- updates and deletes): who, from which sheet version, at which device
-- time and server time, and why when an organiser made it.
CREATE TABLE score_events (
  id            INTEGER PRIMARY KEY,
  stage_id      INTEGER NOT NULL,
  judge         TEXT NOT NULL,
  project       TEXT NOT NULL,
  criterion     TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('set', 'withdraw')),
  value         TEXT,
  sheet_version INTEGER NOT NULL,
  device_time   TEXT NOT NULL DEFAULT '',
  server_time   TEXT NOT NULL,
  by_user       INTEGER NOT NULL REFERENCES users (id),
  reason        TEXT NOT NULL DEFAULT '',
  CHECK ((kind = 'set') = (value IS NOT NULL)),
  FOREIGN KEY (stage_id, judge) REFERENCES jurors (stage_id, id),
  FOREIGN KEY (stage_id, project) REFERENCES ideas (stage_id, id)
);
CREATE INDEX score_events_sheet ON score_events (stage_id, judge);
CREATE TRIGGER score_events_no_update BEFORE UPDATE ON score_events
BEGIN SELECT RAISE(ABORT, 'score events are append-only'); END;
CREATE TRIGGER score_events_no_delete BEFORE DELETE ON score_events
BEGIN SELECT RAISE(ABORT, 'score events are append-only'); END;

-- The current scores, the sum of the events (kept in the same
-- transaction as each event).
CREATE TABLE scores (
  stage_id  INTEGER NOT NULL,
  judge     TEXT NOT NULL,
  project   TEXT NOT NULL,
  criterion TEXT NOT NULL,
  value     TEXT NOT NULL,
  event_id  INTEGER NOT NULL REFERENCES score_events (id),
  PRIMARY KEY (stage_id, judge, project, criterion),
  FOREIGN KEY (stage_id, judge, project) REFERENCES assignments (stage_id, judge, project)
) WITHOUT ROWID;
CREATE INDEX scores_project ON scores (stage_id, project);

-- Sealed results: never changed, never deleted.
CREATE TABLE results (
  stage_id     INTEGER NOT NULL REFERENCES stages (id),
  version      INTEGER NOT NULL CHECK (version >= 1),
  input_digest TEXT NOT NULL,
  dataset      BLOB NOT NULL,
  result       BLOB NOT NULL,
  at           TEXT NOT NULL,
  by_user      INTEGER NOT NULL REFERENCES users (id),
  reason       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (stage_id, version),
  CHECK (version = 1 OR reason <> '')
);
CREATE TRIGGER results_no_update BEFORE UPDATE ON results
BEGIN SELECT RAISE(ABORT, 'sealed results are never changed'); END;
CREATE TRIGGER results_no_delete BEFORE DELETE ON results
BEGIN SELECT RAISE(ABORT, 'sealed results are never deleted'); END;

-- The audit log, append-only. stage_id is null for accounts.
CREATE TABLE audit (
  id       INTEGER PRIMARY KEY,
  stage_id INTEGER REFERENCES stages (id),
  at       TEXT NOT NULL,
  by_user  INTEGER REFERENCES users (id),
  by_login TEXT NOT NULL,
  action   TEXT NOT NULL,
  reason   TEXT NOT NULL DEFAULT '',
  detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_stage ON audit (stage_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
