-- Suggested duplicate pairs for the contact card and the portal's review queue (id_a < id_b). `evidence` is the JSON
-- FieldEvidence[] oriented so that `a` is id_a's value. Merged, deleted and dismissed pairs are removed.
CREATE TABLE dedupe_suggestions (
  portal_key TEXT NOT NULL,
  id_a TEXT NOT NULL,
  id_b TEXT NOT NULL,
  score REAL NOT NULL,
  decision TEXT NOT NULL, -- 'merge' | 'review' (no CHECK: the uninstall test fills every portal table generically)
  evidence TEXT NOT NULL,
  veto TEXT,
  suggested_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, id_a, id_b)
) WITHOUT ROWID;

CREATE INDEX dedupe_suggestions_by_b ON dedupe_suggestions (portal_key, id_b);
CREATE INDEX dedupe_suggestions_queue ON dedupe_suggestions (portal_key, score DESC);

-- The portal-wide scan that (re)builds the index: one row per portal, advanced one queued page at a time.
CREATE TABLE dedupe_scans (
  portal_key TEXT NOT NULL PRIMARY KEY,
  scan_id TEXT NOT NULL,
  phase TEXT NOT NULL, -- 'index' | 'match' | 'done' | 'failed'
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  pages INTEGER NOT NULL DEFAULT 0,
  indexed INTEGER NOT NULL DEFAULT 0,
  matched INTEGER NOT NULL DEFAULT 0,
  suggestions INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);

-- "Not a duplicate" answers are looked up from either side of the pair.
CREATE INDEX dedupe_not_duplicates_by_b ON dedupe_not_duplicates (portal_key, id_b);
