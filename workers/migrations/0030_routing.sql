-- Owner routing. Mutable routing state (pointers, weights, daily counts, open load, SLA timers) lives in the portal's
-- Durable Object; D1 keeps what the cards, the dashboard and lead-to-account matching read.

-- Companies for lead-to-account matching and company-sourced rule conditions: one indexed lookup per lead finds the
-- associated company (by id) and companies sharing the lead's registrable email domain or company name key.
CREATE TABLE routing_companies (
  portal_key TEXT NOT NULL,
  company_id TEXT NOT NULL,
  domain_key TEXT,
  name_key TEXT,
  name TEXT,
  domain TEXT,
  owner_id TEXT,
  properties TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (portal_key, company_id)
) WITHOUT ROWID;
CREATE INDEX routing_companies_domain ON routing_companies (portal_key, domain_key);
CREATE INDEX routing_companies_name ON routing_companies (portal_key, name_key);

-- Every routing decision (first assignment, SLA re-route, re-route from the card), with its full reason record.
CREATE TABLE routing_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  portal_key TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  -- What asked for it, unique per record: "created", "reentry:<ms>", "sla:<ms>", "manual:<ms>".
  route_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('initial', 'sla_reroute', 'manual_reroute')),
  mode TEXT NOT NULL CHECK (mode IN ('auto', 'observe')),
  outcome TEXT NOT NULL CHECK (outcome IN ('assigned', 'unassigned')),
  owner_id TEXT,
  previous_owner_id TEXT,
  via TEXT,
  rule_id TEXT,
  queue_id TEXT,
  decided_at INTEGER NOT NULL,
  -- From the record's createdate to the decision, whose owner write follows in the same batch.
  speed_to_lead_ms INTEGER,
  sla_due_at INTEGER,
  sla_status TEXT NOT NULL DEFAULT 'none' CHECK (sla_status IN ('none', 'pending', 'met', 'breached')),
  sla_checked_at INTEGER,
  decision TEXT NOT NULL,
  UNIQUE (portal_key, object_type, object_id, route_key)
);
CREATE INDEX routing_decisions_record ON routing_decisions (portal_key, object_type, object_id, decided_at);
CREATE INDEX routing_decisions_time ON routing_decisions (portal_key, decided_at);
