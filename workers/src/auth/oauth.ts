import { z } from "zod";
import { err, ok, type Result } from "../../../shared/result.ts";

/** What an authorization server said about a code or refresh exchange; `retryable` when it may work later. */
export type OAuthErrorCode = "oauth_not_configured" | "token_exchange_failed" | "token_endpoint_unavailable" | "malformed_token_response";

/** Tokens for one portal or org, as a token endpoint granted them (plaintext: encrypt before storing). */
export type TokenGrant = {
  readonly accessToken: string;
  /** Absent when a refresh answer does not rotate it: keep the stored one. */
  readonly refreshToken: string | null;
  readonly expiresAt: number;
  readonly scopes: readonly string[];
  /** HubSpot portal (hub) id or Salesforce org id. */
  readonly externalId: string;
  /** The user who installed (HubSpot user id, Salesforce user id), when known. */
  readonly userId: string | null;
  /** Salesforce only: the org's API origin. */
  readonly instanceUrl: string | null;
};

export const HUBSPOT_AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize";

/** Must equal `requiredScopes` in hubspot-app/src/app/app-hsmeta.json, or HubSpot refuses the install. */
export const HUBSPOT_REQUIRED_SCOPES = [
  "oauth",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.companies.read",
  "crm.objects.companies.write",
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.owners.read",
] as const;
export const HUBSPOT_OPTIONAL_SCOPES = ["crm.objects.users.read"] as const;

/** The redirect URI registered with HubSpot: `PUBLIC_BASE_URL` + `/oauth/callback`. */
export function hubspotRedirectUri(env: Pick<Env, "PUBLIC_BASE_URL">): string {
  return new URL("/oauth/callback", env.PUBLIC_BASE_URL).toString();
}

/** HubSpot's consent-screen URL for this app, carrying the one-time CSRF `state`. */
export function hubspotAuthorizeUrl(env: Pick<Env, "HUBSPOT_CLIENT_ID" | "PUBLIC_BASE_URL">, state: string): string {
  const url = new URL(HUBSPOT_AUTHORIZE_URL);
  url.searchParams.set("client_id", env.HUBSPOT_CLIENT_ID);
  url.searchParams.set("redirect_uri", hubspotRedirectUri(env));
  url.searchParams.set("scope", HUBSPOT_REQUIRED_SCOPES.join(" "));
  url.searchParams.set("optional_scope", HUBSPOT_OPTIONAL_SCOPES.join(" "));
  url.searchParams.set("state", state);
  return url.toString();
}

const hubspotTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive(),
  hub_id: z.number().int().positive().optional(),
  user_id: z.number().int().optional(),
  scopes: z.array(z.string()).optional(),
});

const hubspotIntrospection = z.object({
  active: z.boolean().optional(),
  hub_id: z.number().int().positive(),
  user_id: z.number().int().optional(),
  scopes: z.array(z.string()).optional(),
});

/** POSTs a form to a token endpoint and returns its JSON, classifying refusals and outages. */
export async function postTokenForm(url: string, form: Record<string, string>): Promise<Result<unknown, OAuthErrorCode>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form).toString(),
    });
  } catch (e) {
    return err("token_endpoint_unavailable", `The token endpoint could not be reached: ${String(e)}`);
  }
  const text = await res.text();
  if (res.status >= 500 || res.status === 429) return err("token_endpoint_unavailable", `The token endpoint answered ${res.status}`);
  if (!res.ok) return err("token_exchange_failed", `The token endpoint refused (${res.status}): ${describeOAuthError(text)}`);
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return err("malformed_token_response", "The token endpoint answered with something other than JSON");
  }
}

// Token endpoints name the problem in `message`, `error_description` or `error`; never echo anything else (no tokens).
function describeOAuthError(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const said = [body.status, body.error, body.message, body.error_description].filter((v) => typeof v === "string");
    return said.length > 0 ? said.join(": ").slice(0, 300) : "no reason given";
  } catch {
    return "no reason given";
  }
}

function hubspotForm(env: Env, grant: Record<string, string>): Record<string, string> {
  return { ...grant, client_id: env.HUBSPOT_CLIENT_ID, client_secret: env.HUBSPOT_CLIENT_SECRET };
}

async function toHubspotGrant(env: Env, body: unknown, now: number): Promise<Result<TokenGrant, OAuthErrorCode>> {
  const parsed = hubspotTokenResponse.safeParse(body);
  if (!parsed.success)
    return err("malformed_token_response", `HubSpot's token answer is not as documented: ${parsed.error.issues[0]?.message}`);
  const t = parsed.data;
  let hubId = t.hub_id;
  let userId = t.user_id;
  let scopes = t.scopes;
  if (hubId === undefined) {
    // Older answers omit hub_id: the introspection endpoint names the portal the token belongs to.
    const info = await postTokenForm(
      `${env.HUBSPOT_API_BASE}/oauth/v3/token/introspect`,
      hubspotForm(env, { token: t.access_token, token_type_hint: "access_token" }),
    );
    if (!info.ok) return info;
    const described = hubspotIntrospection.safeParse(info.value);
    if (!described.success) return err("malformed_token_response", "HubSpot's token introspection names no hub_id");
    hubId = described.data.hub_id;
    userId ??= described.data.user_id;
    scopes ??= described.data.scopes;
  }
  return ok({
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    expiresAt: now + t.expires_in * 1000,
    scopes: scopes ?? [],
    externalId: String(hubId),
    userId: userId === undefined ? null : String(userId),
    instanceUrl: null,
  });
}

/** Exchanges an authorization code at `${HUBSPOT_API_BASE}/oauth/v3/token` and learns the portal it installed. */
export async function exchangeHubspotCode(env: Env, code: string, now: number): Promise<Result<TokenGrant, OAuthErrorCode>> {
  if (!env.HUBSPOT_CLIENT_ID || !env.HUBSPOT_CLIENT_SECRET) {
    return err("oauth_not_configured", "HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET must be set for OAuth installs");
  }
  const form = hubspotForm(env, { grant_type: "authorization_code", code, redirect_uri: hubspotRedirectUri(env) });
  const answer = await postTokenForm(`${env.HUBSPOT_API_BASE}/oauth/v3/token`, form);
  return answer.ok ? toHubspotGrant(env, answer.value, now) : answer;
}

/** Trades a refresh token for a new access token (`grant_type=refresh_token`). */
export async function refreshHubspotToken(env: Env, refreshToken: string, now: number): Promise<Result<TokenGrant, OAuthErrorCode>> {
  const form = hubspotForm(env, { grant_type: "refresh_token", refresh_token: refreshToken });
  const answer = await postTokenForm(`${env.HUBSPOT_API_BASE}/oauth/v3/token`, form);
  return answer.ok ? toHubspotGrant(env, answer.value, now) : answer;
}
