-- Daily counters per portal: events received, processed, retried, dead-lettered, CRM API calls, and so on.
CREATE TABLE metrics_daily (
  portal_key TEXT NOT NULL,
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  value INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (portal_key, day, name)
);

-- Samples for latency percentiles (speed-to-lead, webhook-to-write), pruned after 30 days.
CREATE TABLE latency_samples (
  portal_key TEXT NOT NULL,
  name TEXT NOT NULL,
  at INTEGER NOT NULL,
  ms INTEGER NOT NULL
);
CREATE INDEX latency_samples_lookup ON latency_samples (portal_key, name, at);
