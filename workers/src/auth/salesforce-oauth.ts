import { z } from "zod";
import { err, ok, type Result } from "../../../shared/result.ts";
import { type OAuthErrorCode, postTokenForm, type TokenGrant } from "./oauth.ts";

/**
 * Salesforce does not say when an access token expires (the org's session timeout decides, 2 hours by default):
 * treat it as good for an hour, then refresh.
 */
export const SALESFORCE_ASSUMED_TOKEN_TTL_MS = 60 * 60_000;
export const SALESFORCE_SCOPES = ["api", "refresh_token"] as const;

/** The redirect URI registered on the connected app: `PUBLIC_BASE_URL` + `/oauth/salesforce/callback`. */
export function salesforceRedirectUri(env: Pick<Env, "PUBLIC_BASE_URL">): string {
  return new URL("/oauth/salesforce/callback", env.PUBLIC_BASE_URL).toString();
}

/** The connected app's consent-screen URL (OAuth web-server flow), carrying the one-time CSRF `state`. */
export function salesforceAuthorizeUrl(
  env: Pick<Env, "SALESFORCE_CLIENT_ID" | "SALESFORCE_LOGIN_URL" | "PUBLIC_BASE_URL">,
  state: string,
): string {
  const url = new URL("/services/oauth2/authorize", env.SALESFORCE_LOGIN_URL);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", env.SALESFORCE_CLIENT_ID);
  url.searchParams.set("redirect_uri", salesforceRedirectUri(env));
  url.searchParams.set("scope", SALESFORCE_SCOPES.join(" "));
  url.searchParams.set("state", state);
  return url.toString();
}

const salesforceTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.url(),
  // The identity URL ends in /id/<orgId>/<userId>: the only place the answer names the org.
  id: z.string().regex(/\/id\/[A-Za-z0-9]{15,18}\/[A-Za-z0-9]{15,18}$/),
  issued_at: z.string().regex(/^\d+$/).optional(),
  scope: z.string().optional(),
});

function toSalesforceGrant(body: unknown, now: number): Result<TokenGrant, OAuthErrorCode> {
  const parsed = salesforceTokenResponse.safeParse(body);
  if (!parsed.success) {
    return err("malformed_token_response", `Salesforce's token answer is not as documented: ${parsed.error.issues[0]?.path.join(".")}`);
  }
  const t = parsed.data;
  const [orgId, userId] = t.id.split("/").slice(-2);
  const issuedAt = t.issued_at ? Number(t.issued_at) : now;
  return ok({
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    expiresAt: Math.min(issuedAt, now) + SALESFORCE_ASSUMED_TOKEN_TTL_MS,
    scopes: t.scope ? t.scope.split(" ") : [],
    externalId: orgId ?? "",
    userId: userId ?? null,
    instanceUrl: t.instance_url,
  });
}

function salesforceTokenUrl(env: Pick<Env, "SALESFORCE_LOGIN_URL">): string {
  return new URL("/services/oauth2/token", env.SALESFORCE_LOGIN_URL).toString();
}

/** Exchanges an authorization code at `${SALESFORCE_LOGIN_URL}/services/oauth2/token`; the org id comes from `id`. */
export async function exchangeSalesforceCode(env: Env, code: string, now: number): Promise<Result<TokenGrant, OAuthErrorCode>> {
  if (!env.SALESFORCE_CLIENT_ID || !env.SALESFORCE_CLIENT_SECRET) {
    return err("oauth_not_configured", "SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET must be set for Salesforce installs");
  }
  const answer = await postTokenForm(salesforceTokenUrl(env), {
    grant_type: "authorization_code",
    code,
    client_id: env.SALESFORCE_CLIENT_ID,
    client_secret: env.SALESFORCE_CLIENT_SECRET,
    redirect_uri: salesforceRedirectUri(env),
  });
  return answer.ok ? toSalesforceGrant(answer.value, now) : answer;
}

/** Trades a Salesforce refresh token for a new access token; Salesforce usually keeps the refresh token. */
export async function refreshSalesforceToken(env: Env, refreshToken: string, now: number): Promise<Result<TokenGrant, OAuthErrorCode>> {
  const answer = await postTokenForm(salesforceTokenUrl(env), {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: env.SALESFORCE_CLIENT_ID,
    client_secret: env.SALESFORCE_CLIENT_SECRET,
  });
  return answer.ok ? toSalesforceGrant(answer.value, now) : answer;
}
