import { err, ok, type Result } from "../../../shared/result.ts";
import { bytesToBase64 } from "./crypto.ts";

/** Why an OAuth callback's `state` was refused: the CSRF check of the install flow. */
export type StateErrorCode = "missing_state" | "unknown_state" | "expired_state" | "reused_state" | "wrong_flow_state";

export type OAuthCrm = "hubspot" | "salesforce";

/** How long a user has between starting an install and coming back from the consent screen. */
export const STATE_TTL_MS = 10 * 60_000;

/** Creates a one-time, unguessable `state` (256 random bits) for an install flow and stores it with its expiry. */
export async function createOAuthState(db: D1Database, crm: OAuthCrm, now: number): Promise<string> {
  const state = bytesToBase64(crypto.getRandomValues(new Uint8Array(32)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  // Expired states are of no further use, not even to name a replay; pruning here keeps the table tiny.
  await db.batch([
    db.prepare("DELETE FROM oauth_states WHERE expires_at < ?").bind(now),
    db
      .prepare("INSERT INTO oauth_states (state, crm, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .bind(state, crm, now, now + STATE_TTL_MS),
  ]);
  return state;
}

/**
 * Consumes a callback's `state`: valid once, for the flow (`crm`) that created it, before it expires. The claim is a
 * single conditional UPDATE, so two concurrent callbacks with the same state cannot both pass.
 */
export async function consumeOAuthState(
  db: D1Database,
  state: string | undefined,
  crm: OAuthCrm,
  now: number,
): Promise<Result<true, StateErrorCode>> {
  if (!state) return err("missing_state", "The callback has no state parameter: start the install again from /oauth/install");
  const claimed = await db
    .prepare("UPDATE oauth_states SET used_at = ? WHERE state = ? AND crm = ? AND used_at IS NULL AND expires_at > ? RETURNING state")
    .bind(now, state, crm, now)
    .first<{ state: string }>();
  if (claimed) return ok(true);
  const row = await db
    .prepare("SELECT crm, expires_at, used_at FROM oauth_states WHERE state = ?")
    .bind(state)
    .first<{ crm: string; expires_at: number; used_at: number | null }>();
  if (!row) return err("unknown_state", "The state was not issued by this app (or has been pruned): start the install again");
  if (row.crm !== crm) return err("wrong_flow_state", `The state was issued for the ${row.crm} install, not ${crm}`);
  if (row.used_at !== null) return err("reused_state", "The state has already been used: an install link works once");
  return err("expired_state", "The state has expired: start the install again and finish it within 10 minutes");
}
