-- Notes and tasks we asked the CRM to create. A create whose reply never came (a timeout, a 5xx after HubSpot may
-- have applied it) leaves its row here without an `applied` audit entry: the retry then looks on the record for the
-- activity carrying the change's reference before creating it again. Pruned after a week.
CREATE TABLE activity_attempts (
  portal_key TEXT NOT NULL,
  change_key TEXT NOT NULL,
  attempted_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, change_key)
) WITHOUT ROWID;
CREATE INDEX activity_attempts_by_time ON activity_attempts (attempted_at);
