-- The latest state of records we read, so cards answer from D1 without CRM calls on the hot path.
CREATE TABLE record_snapshots (
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  record TEXT NOT NULL,
  history TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, object_type, object_id)
);
