-- The project bank's catalogue, version 1. Entities are kept as their JSON
-- (the fields of package bank), with the columns that filters, order and
-- references need beside them. Times in "at" are UTC text of fixed width,
-- so that they sort as text.

CREATE TABLE cooperatives (
  id      TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  version INTEGER NOT NULL CHECK (version >= 1),
  data    TEXT NOT NULL CHECK (json_valid(data))
) WITHOUT ROWID;

CREATE TABLE ideas (
  id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  version     INTEGER NOT NULL CHECK (version >= 1),
  at          TEXT NOT NULL,
  region      TEXT NOT NULL,
  sector      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('submitted', 'eligible', 'ineligible', 'shortlisted', 'awarded', 'adopted', 'archived')),
  -- The tour has 12 stages; zero means none yet.
  stage       INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 12),
  cooperative TEXT REFERENCES cooperatives (id),
  adopter     TEXT REFERENCES cooperatives (id),
  -- store.SearchKey of the idea, and the search keys of its tags, each
  -- between two U+001F.
  search_key  TEXT NOT NULL,
  tag_keys    TEXT NOT NULL,
  -- The idea's JSON, without its history (in table history).
  data        TEXT NOT NULL CHECK (json_valid(data))
) WITHOUT ROWID;
CREATE UNIQUE INDEX ideas_order ON ideas (at, id);
CREATE INDEX ideas_stage ON ideas (stage, at, id);

-- A change makes one version more; an idea is never removed.
CREATE TRIGGER ideas_version BEFORE UPDATE ON ideas WHEN NEW.version <> OLD.version + 1
BEGIN SELECT RAISE(ABORT, 'an idea''s version grows by one at each change'); END;
CREATE TRIGGER ideas_kept BEFORE DELETE ON ideas
BEGIN SELECT RAISE(ABORT, 'ideas are never deleted'); END;
CREATE TRIGGER cooperatives_version BEFORE UPDATE ON cooperatives WHEN NEW.version <> OLD.version + 1
BEGIN SELECT RAISE(ABORT, 'a cooperative''s version grows by one at each change'); END;

-- The status changes of each idea, oldest first: append-only, numbered
-- from 1 without gaps.
CREATE TABLE history (
  idea_id TEXT NOT NULL REFERENCES ideas (id),
  seq     INTEGER NOT NULL CHECK (seq >= 1),
  data    TEXT NOT NULL CHECK (json_valid(data)),
  PRIMARY KEY (idea_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER history_next BEFORE INSERT ON history
WHEN NEW.seq <> 1 + (SELECT count(*) FROM history WHERE idea_id = NEW.idea_id)
BEGIN SELECT RAISE(ABORT, 'history is numbered from 1 without gaps'); END;
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- The juries of the tour's stages: judges NULL means the judges named by
-- the scores.
CREATE TABLE juries (
  stage  INTEGER PRIMARY KEY CHECK (stage BETWEEN 1 AND 12),
  judges TEXT CHECK (judges IS NULL OR json_valid(judges))
);

-- Scores, in the order first given (pos); a later score for the same
-- judge, project and criterion replaces the value in place.
CREATE TABLE scores (
  stage     INTEGER NOT NULL REFERENCES juries (stage),
  judge     TEXT NOT NULL CHECK (length(judge) BETWEEN 1 AND 64),
  project   TEXT NOT NULL REFERENCES ideas (id),
  criterion TEXT NOT NULL CHECK (criterion <> ''),
  pos       INTEGER NOT NULL CHECK (pos >= 0),
  value     TEXT NOT NULL,
  PRIMARY KEY (stage, judge, project, criterion),
  UNIQUE (stage, pos)
) WITHOUT ROWID;
