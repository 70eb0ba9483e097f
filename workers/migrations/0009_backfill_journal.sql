-- How far the backfill cron has read each HubSpot portal's Webhooks Journal (entries kept 3 days by HubSpot).
CREATE TABLE journal_checkpoints (
  portal_key TEXT PRIMARY KEY,
  -- currentOffset of the last entry read; NULL before the journal was found, or after the offset expired.
  journal_offset TEXT,
  -- When reading from the journal began: the search-based reconciliation runs until its checkpoint passes this.
  covered_from INTEGER,
  -- The last run: started, read, empty, unavailable, failed, offset_expired, blocked (with detail).
  status TEXT NOT NULL,
  detail TEXT,
  entries_read INTEGER NOT NULL DEFAULT 0,
  events_enqueued INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
