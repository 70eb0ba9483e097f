-- Backbone: portals, tokens, settings versions, the processed-event ledger, dead letters, our own writes, the audit log.
-- Every row is keyed by portal_key ("hubspot:<portalId>" or "salesforce:<orgId>"): nothing is shared across portals.

CREATE TABLE portals (
  portal_key TEXT PRIMARY KEY,
  crm TEXT NOT NULL CHECK (crm IN ('hubspot', 'salesforce')),
  external_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'uninstalled')),
  installed_by TEXT,
  installed_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Access and refresh tokens, AES-GCM encrypted with TOKEN_ENCRYPTION_KEY (iv prepended, base64).
CREATE TABLE oauth_tokens (
  portal_key TEXT PRIMARY KEY REFERENCES portals (portal_key) ON DELETE CASCADE,
  access_token_enc TEXT NOT NULL,
  refresh_token_enc TEXT,
  expires_at INTEGER NOT NULL,
  scopes TEXT NOT NULL DEFAULT '',
  instance_url TEXT,
  updated_at INTEGER NOT NULL
);

-- One-time CSRF states for the OAuth install flow.
CREATE TABLE oauth_states (
  state TEXT PRIMARY KEY,
  crm TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Every settings save is a new version; the highest version is in force.
CREATE TABLE settings_versions (
  portal_key TEXT NOT NULL,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  note TEXT,
  PRIMARY KEY (portal_key, version)
);

-- Processed-event ledger: an event is acted on once per key; kept at least 72 hours.
CREATE TABLE event_ledger (
  portal_key TEXT NOT NULL,
  subscription_type TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  processed_at INTEGER,
  outcome TEXT,
  PRIMARY KEY (portal_key, subscription_type, object_id, event_id, occurred_at)
);
CREATE INDEX event_ledger_received ON event_ledger (received_at);

CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  portal_key TEXT,
  source TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  replayed_at INTEGER
);
CREATE INDEX dead_letters_portal ON dead_letters (portal_key, created_at);

-- Journal of our own CRM writes, so the webhooks they cause are recognised and not acted on again.
CREATE TABLE own_writes (
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  property TEXT NOT NULL,
  value_hash TEXT NOT NULL,
  written_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, object_type, object_id, property, value_hash)
);
CREATE INDEX own_writes_written ON own_writes (written_at);

-- Every automatic change (or, in observe-only mode, every change we would have made), with what undoes it.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  portal_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  automation TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'observed', 'refused', 'failed', 'undone')),
  rule TEXT,
  reason TEXT NOT NULL,
  before TEXT,
  after TEXT,
  actor TEXT NOT NULL DEFAULT 'autopilot',
  undone_at INTEGER,
  undone_by TEXT,
  event_key TEXT
);
CREATE INDEX audit_log_portal_time ON audit_log (portal_key, created_at);
CREATE INDEX audit_log_object ON audit_log (portal_key, object_type, object_id);
