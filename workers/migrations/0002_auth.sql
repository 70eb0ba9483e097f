-- OAuth states are single-use: a consumed state is kept (used_at set) until it expires, so a replay is named as such.
ALTER TABLE oauth_states ADD COLUMN used_at INTEGER;
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);
