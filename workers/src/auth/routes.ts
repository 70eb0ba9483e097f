import { type Context, Hono } from "hono";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../http/errors.ts";
import { exchangeHubspotCode, hubspotAuthorizeUrl, type OAuthErrorCode, type TokenGrant } from "./oauth.ts";
import { consumeOAuthState, createOAuthState, type OAuthCrm, type StateErrorCode } from "./oauth-state.ts";
import { exchangeSalesforceCode, salesforceAuthorizeUrl } from "./salesforce-oauth.ts";
import { saveInstall } from "./token-store.ts";

/**
 * The install flows, mounted at the root: `GET /oauth/install`, `GET /oauth/callback` (HubSpot) and
 * `GET /oauth/salesforce/install`, `GET /oauth/salesforce/callback`.
 */
export const authRoutes = new Hono<AppEnv>();

const STATE_STATUS: Record<StateErrorCode, 400 | 403> = {
  missing_state: 400,
  unknown_state: 403,
  expired_state: 403,
  reused_state: 403,
  wrong_flow_state: 403,
};

const EXCHANGE_STATUS: Record<OAuthErrorCode, 502 | 503> = {
  oauth_not_configured: 503,
  token_exchange_failed: 502,
  token_endpoint_unavailable: 502,
  malformed_token_response: 502,
};

type Flow = {
  crm: OAuthCrm;
  label: string;
  configured: (env: Env) => boolean;
  authorizeUrl: (env: Env, state: string) => string;
  exchange: (env: Env, code: string, now: number) => ReturnType<typeof exchangeHubspotCode>;
};

const HUBSPOT: Flow = {
  crm: "hubspot",
  label: "HubSpot portal",
  configured: (env) => Boolean(env.HUBSPOT_CLIENT_ID && env.HUBSPOT_CLIENT_SECRET),
  authorizeUrl: hubspotAuthorizeUrl,
  exchange: exchangeHubspotCode,
};

const SALESFORCE: Flow = {
  crm: "salesforce",
  label: "Salesforce org",
  configured: (env) => Boolean(env.SALESFORCE_CLIENT_ID && env.SALESFORCE_CLIENT_SECRET),
  authorizeUrl: salesforceAuthorizeUrl,
  exchange: exchangeSalesforceCode,
};

function install(flow: Flow) {
  return async function startInstall(c: Context<AppEnv>) {
    if (!flow.configured(c.env)) throw new ApiError(503, "oauth_not_configured", `The ${flow.crm} OAuth client id and secret are not set`);
    const state = await createOAuthState(c.env.DB, flow.crm, Date.now());
    c.header("Cache-Control", "no-store");
    return c.redirect(flow.authorizeUrl(c.env, state), 302);
  };
}

function callback(flow: Flow) {
  return async function finishInstall(c: Context<AppEnv>) {
    const now = Date.now();
    // The callback URL carries the authorization code: never let it leak through a Referer or a cache.
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    const denied = c.req.query("error");
    if (denied) throw new ApiError(400, "authorization_denied", `The ${flow.label} did not grant access: ${denied.slice(0, 100)}`);
    const state = await consumeOAuthState(c.env.DB, c.req.query("state"), flow.crm, now);
    if (!state.ok) throw new ApiError(STATE_STATUS[state.error.code], state.error.code, state.error.message);
    const code = c.req.query("code");
    if (!code) throw new ApiError(400, "missing_code", "The callback has no authorization code");
    const grant = await flow.exchange(c.env, code, now);
    if (!grant.ok) throw new ApiError(EXCHANGE_STATUS[grant.error.code], grant.error.code, grant.error.message);
    const portalKey: PortalKey = `${flow.crm}:${grant.value.externalId}`;
    const saved = await saveInstall(c.env, portalKey, grant.value, grant.value.userId, now);
    if (!saved.ok) throw new ApiError(500, saved.error.code, saved.error.message);
    c.get("log").info("app installed", { portalKey, installedBy: grant.value.userId, scopes: grant.value.scopes.length });
    return c.html(installedPage(flow, grant.value));
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function installedPage(flow: Flow, grant: TokenGrant): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CRM Autopilot installed</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;line-height:1.5">
<h1>CRM Autopilot is installed</h1>
<p>Connected to ${flow.label} <strong>${escapeHtml(grant.externalId)}</strong>. Every automation starts in observe-only mode:
decisions are shown and audited, nothing is written until an admin turns it on in the app's settings.</p>
<p>You can close this tab.</p></body></html>`;
}

authRoutes.get("/oauth/install", install(HUBSPOT));
authRoutes.get("/oauth/callback", callback(HUBSPOT));
authRoutes.get("/oauth/salesforce/install", install(SALESFORCE));
authRoutes.get("/oauth/salesforce/callback", callback(SALESFORCE));
