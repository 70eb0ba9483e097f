-- A dead letter seen again (a redelivered webhook, a request HubSpot retried) is counted on its first row instead of
-- being added again. dedupe_key hashes portal, source and the payload without its delivery fields (attemptNumber);
-- rows written before this migration keep a NULL key and are never merged.
ALTER TABLE dead_letters ADD COLUMN dedupe_key TEXT;
ALTER TABLE dead_letters ADD COLUMN times_seen INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dead_letters ADD COLUMN last_seen_at INTEGER;
UPDATE dead_letters SET last_seen_at = created_at;
CREATE UNIQUE INDEX dead_letters_dedupe ON dead_letters (dedupe_key);
