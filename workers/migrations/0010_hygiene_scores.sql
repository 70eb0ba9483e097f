-- Latest hygiene score per record, so cards and the dashboard answer from D1 without CRM calls. `report` is the JSON
-- { parts, findings, skipped } of shared/hygiene's HygieneReport; `first_score` is the score when first seen (before
-- any fix of ours), for the before/after figure.
CREATE TABLE hygiene_scores (
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  score INTEGER NOT NULL,
  report TEXT NOT NULL,
  scored_at INTEGER NOT NULL,
  first_score INTEGER NOT NULL,
  first_scored_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, object_type, object_id)
) WITHOUT ROWID;

CREATE INDEX hygiene_scores_by_score ON hygiene_scores (portal_key, object_type, score);

-- The portal's average score per day (the last value of the day), for the dashboard's trend.
CREATE TABLE hygiene_trend (
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL,
  day TEXT NOT NULL,
  average REAL NOT NULL,
  records INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, object_type, day)
) WITHOUT ROWID;

-- The portal-wide scan: one row per portal, advanced one queued page at a time; phase is running, done or failed.
CREATE TABLE hygiene_scans (
  portal_key TEXT NOT NULL PRIMARY KEY,
  scan_id TEXT NOT NULL,
  phase TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  pages INTEGER NOT NULL DEFAULT 0,
  scored INTEGER NOT NULL DEFAULT 0,
  safe_fixes INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
