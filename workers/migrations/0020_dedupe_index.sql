-- Dedupe index: per contact its compact comparison fields (JSON of PreparedContact) and its blocking keys, so a new or
-- changed contact finds its candidates in one indexed round trip. Queries live in shared/dedupe/index-sql.ts.
CREATE TABLE dedupe_contacts (
  portal_key TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, contact_id)
) WITHOUT ROWID;

CREATE TABLE dedupe_keys (
  portal_key TEXT NOT NULL,
  key TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  PRIMARY KEY (portal_key, key, contact_id)
) WITHOUT ROWID;

CREATE INDEX dedupe_keys_by_contact ON dedupe_keys (portal_key, contact_id);

-- Term frequencies for the score ("last:smith" → 1200); the term "population" holds the portal's contact count.
CREATE TABLE dedupe_terms (
  portal_key TEXT NOT NULL,
  term TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (portal_key, term)
) WITHOUT ROWID;

-- "Not a duplicate" answers: that pair is never suggested again (id_a < id_b).
CREATE TABLE dedupe_not_duplicates (
  portal_key TEXT NOT NULL,
  id_a TEXT NOT NULL,
  id_b TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, id_a, id_b)
) WITHOUT ROWID;

-- Old id → surviving id after a merge, for downstream systems.
CREATE TABLE dedupe_merge_journal (
  portal_key TEXT NOT NULL,
  old_id TEXT NOT NULL,
  new_id TEXT NOT NULL,
  merged_at INTEGER NOT NULL,
  audit_id TEXT,
  PRIMARY KEY (portal_key, old_id)
);
