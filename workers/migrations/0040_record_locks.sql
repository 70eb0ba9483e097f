-- Short leases on single records, so concurrent queue consumer invocations take turns on a record where the CRM has no
-- conditional write (a stage-gate revert must see the deal's current stage and write before anyone else judges it).
-- A row lives only while its holder works; an expired lease (a crashed holder) is taken over by the next taker.
CREATE TABLE record_locks (
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, object_type, object_id)
) WITHOUT ROWID;
