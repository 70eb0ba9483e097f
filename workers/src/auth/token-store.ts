import type { PortalKey } from "../../../shared/domain/types.ts";
import { err, ok, type Result } from "../../../shared/result.ts";
import { decryptSecret, encryptSecret, importTokenKey, type TokenCryptoErrorCode } from "./crypto.ts";
import { type OAuthErrorCode, refreshHubspotToken, type TokenGrant } from "./oauth.ts";
import { refreshSalesforceToken } from "./salesforce-oauth.ts";

/** Why no access token could be given for a portal. */
export type TokenErrorCode = TokenCryptoErrorCode | OAuthErrorCode | "not_installed" | "reauthorization_required" | "portal_mismatch";

/** A usable connection to a portal's CRM: the access token, and for Salesforce the org's API origin. */
export type CrmConnection = { readonly accessToken: string; readonly instanceUrl: string | null };

/** Refresh this long before expiry, so a token never expires in the middle of a batch of calls. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

type TokenRow = {
  crm: "hubspot" | "salesforce";
  access_token_enc: string;
  refresh_token_enc: string | null;
  expires_at: number;
  instance_url: string | null;
};

/**
 * Records an install: upserts the portal row (active, installed by `installedBy`) and its tokens, both encrypted with
 * `TOKEN_ENCRYPTION_KEY`, in one batch. A grant without a refresh token keeps the stored one.
 */
export async function saveInstall(
  env: Env,
  portalKey: PortalKey,
  grant: TokenGrant,
  installedBy: string | null,
  now: number,
): Promise<Result<true, TokenCryptoErrorCode>> {
  const key = await importTokenKey(env.TOKEN_ENCRYPTION_KEY);
  if (!key.ok) return key;
  const [crm] = portalKey.split(":");
  const accessEnc = await encryptSecret(key.value, grant.accessToken);
  const refreshEnc = grant.refreshToken === null ? null : await encryptSecret(key.value, grant.refreshToken);
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO portals (portal_key, crm, external_id, status, installed_by, installed_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)
       ON CONFLICT (portal_key) DO UPDATE SET status = 'active', installed_by = COALESCE(excluded.installed_by, installed_by), updated_at = excluded.updated_at`,
    ).bind(portalKey, crm, grant.externalId, installedBy, now, now),
    tokenUpsert(env.DB, portalKey, accessEnc, refreshEnc, grant, now),
  ]);
  return ok(true);
}

function tokenUpsert(db: D1Database, portalKey: PortalKey, accessEnc: string, refreshEnc: string | null, grant: TokenGrant, now: number) {
  return db
    .prepare(
      `INSERT INTO oauth_tokens (portal_key, access_token_enc, refresh_token_enc, expires_at, scopes, instance_url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (portal_key) DO UPDATE SET access_token_enc = excluded.access_token_enc,
         refresh_token_enc = COALESCE(excluded.refresh_token_enc, refresh_token_enc), expires_at = excluded.expires_at,
         scopes = CASE WHEN excluded.scopes = '' THEN scopes ELSE excluded.scopes END,
         instance_url = COALESCE(excluded.instance_url, instance_url), updated_at = excluded.updated_at`,
    )
    .bind(portalKey, accessEnc, refreshEnc, grant.expiresAt, grant.scopes.join(" "), grant.instanceUrl, now);
}

/**
 * The CRM connection for a portal, refreshing the access token when it expires within `REFRESH_MARGIN_MS`.
 * Private-app mode (`HUBSPOT_ACCESS_TOKEN` set) serves that static token for HubSpot portals without touching D1.
 */
export async function getCrmConnection(env: Env, portalKey: PortalKey, now = Date.now()): Promise<Result<CrmConnection, TokenErrorCode>> {
  if (env.HUBSPOT_ACCESS_TOKEN && portalKey.startsWith("hubspot:")) {
    // A private app belongs to one portal; with HUBSPOT_PORTAL_ID set, no other portal may borrow its token.
    if (env.HUBSPOT_PORTAL_ID && portalKey !== `hubspot:${env.HUBSPOT_PORTAL_ID}`) {
      return err("not_installed", `This private app serves portal ${env.HUBSPOT_PORTAL_ID}, not ${portalKey}`);
    }
    return ok({ accessToken: env.HUBSPOT_ACCESS_TOKEN, instanceUrl: null });
  }
  const row = await env.DB.prepare(
    `SELECT p.crm, t.access_token_enc, t.refresh_token_enc, t.expires_at, t.instance_url
       FROM oauth_tokens t JOIN portals p ON p.portal_key = t.portal_key WHERE t.portal_key = ? AND p.status = 'active'`,
  )
    .bind(portalKey)
    .first<TokenRow>();
  if (!row) return err("not_installed", `${portalKey} has not installed the app`);
  const key = await importTokenKey(env.TOKEN_ENCRYPTION_KEY);
  if (!key.ok) return key;
  if (row.expires_at - now > REFRESH_MARGIN_MS) {
    const access = await decryptSecret(key.value, row.access_token_enc);
    return access.ok ? ok({ accessToken: access.value, instanceUrl: row.instance_url }) : access;
  }
  return refreshConnection(env, portalKey, row, key.value, now);
}

async function refreshConnection(
  env: Env,
  portalKey: PortalKey,
  row: TokenRow,
  key: CryptoKey,
  now: number,
): Promise<Result<CrmConnection, TokenErrorCode>> {
  if (!row.refresh_token_enc)
    return err("reauthorization_required", `${portalKey}'s token expired and there is no refresh token: reinstall`);
  const refreshToken = await decryptSecret(key, row.refresh_token_enc);
  if (!refreshToken.ok) return refreshToken;
  const refresh = row.crm === "salesforce" ? refreshSalesforceToken : refreshHubspotToken;
  const grant = await refresh(env, refreshToken.value, now);
  if (!grant.ok) {
    // A refused refresh means the app was uninstalled or access revoked: only a new install helps.
    if (grant.error.code === "token_exchange_failed") return err("reauthorization_required", grant.error.message);
    return grant;
  }
  if (`${row.crm}:${grant.value.externalId}` !== portalKey) {
    return err("portal_mismatch", `The refreshed token belongs to ${row.crm}:${grant.value.externalId}, not ${portalKey}`);
  }
  const accessEnc = await encryptSecret(key, grant.value.accessToken);
  const refreshEnc = grant.value.refreshToken === null ? null : await encryptSecret(key, grant.value.refreshToken);
  await tokenUpsert(env.DB, portalKey, accessEnc, refreshEnc, grant.value, now).run();
  return ok({ accessToken: grant.value.accessToken, instanceUrl: grant.value.instanceUrl ?? row.instance_url });
}

/**
 * A valid access token for a portal (see `getCrmConnection`); shaped as the consumer's `TokenSource`, so it can
 * replace `portalAccessToken`.
 */
export async function getAccessToken(env: Env, portalKey: PortalKey, now = Date.now()): Promise<Result<string, TokenErrorCode>> {
  const connection = await getCrmConnection(env, portalKey, now);
  return connection.ok ? ok(connection.value.accessToken) : connection;
}
