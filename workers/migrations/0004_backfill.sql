-- How far the backfill cron has reconciled each portal's object types (last-modified time, ms).
CREATE TABLE backfill_checkpoints (
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL,
  reconciled_until INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, object_type)
);
CREATE INDEX event_ledger_object ON event_ledger (portal_key, object_type, object_id, occurred_at);
