-- Every stage move the gates judged, with who made it and what was missing: the deal card's blocked-move history.
CREATE TABLE stage_gate_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT 'deals',
  object_id TEXT NOT NULL,
  decided_at INTEGER NOT NULL,
  pipeline_id TEXT NOT NULL,
  from_stage TEXT,
  to_stage TEXT NOT NULL,
  verdict TEXT NOT NULL,
  mode TEXT NOT NULL,
  actor_user_id TEXT,
  reasons TEXT NOT NULL,
  revert_to TEXT,
  revert_status TEXT,
  move_key TEXT NOT NULL,
  UNIQUE (portal_key, object_id, move_key)
);
CREATE INDEX stage_gate_decisions_deal ON stage_gate_decisions (portal_key, object_id, decided_at);

-- CRM reference data read often and changed rarely (pipelines, owners), cached per portal.
CREATE TABLE crm_reference_cache (
  portal_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, kind)
);
