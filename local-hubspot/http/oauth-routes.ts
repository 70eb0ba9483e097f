import { type Context, Hono } from "hono";
import type { OAuthToken } from "../store/types.ts";
import type { Env, Runtime } from "./runtime.ts";

type AuthCode = { code: string; redirectUri: string; scopes: string[]; expiresAt: number };

const randomToken = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

function oauthError(c: Context, status: string, message: string): Response {
  return c.json({ status, message, correlationId: crypto.randomUUID(), category: "VALIDATION_ERROR" }, 400);
}

/** Mints a token pair for the portal, as HubSpot does after an install. */
export function issueToken(rt: Runtime, scopes: string[], ttlSeconds = rt.config.tokenTtlSeconds): OAuthToken {
  const token: OAuthToken = {
    accessToken: randomToken("local-access"),
    refreshToken: randomToken("local-refresh"),
    expiresAt: Date.now() + ttlSeconds * 1000,
    userId: 1,
    scopes,
  };
  // Older tokens of the same refresh chain stay valid until they expire, as in HubSpot.
  rt.store.setTokens([...rt.store.tokens.filter((t) => t.expiresAt > Date.now()), token]);
  return token;
}

const tokenBody = (rt: Runtime, t: OAuthToken) => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  expires_in: Math.round((t.expiresAt - Date.now()) / 1000),
  token_type: "bearer",
  token_use: "access_token",
  hub_id: rt.config.portalId,
  user_id: t.userId,
  scopes: t.scopes,
});

/** The install consent screen (answered at once) and `POST /oauth/v3/token` for both grants, form-encoded. */
export function oauthRoutes(rt: Runtime): Hono<Env> {
  const app = new Hono<Env>({ strict: false });
  const codes = new Map<string, AuthCode>();

  app.get("/oauth/authorize", (c) => {
    const redirectUri = c.req.query("redirect_uri");
    if (!redirectUri) return oauthError(c, "BAD_REDIRECT_URI", "missing redirect_uri");
    const code = randomToken("local-code");
    codes.set(code, {
      code,
      redirectUri,
      scopes: (c.req.query("scope") ?? "").split(/[ +]/).filter(Boolean),
      expiresAt: Date.now() + 600_000,
    });
    const target = new URL(redirectUri);
    target.searchParams.set("code", code);
    const state = c.req.query("state");
    if (state) target.searchParams.set("state", state);
    return c.redirect(target.toString(), 302);
  });

  const token = async (c: Context) => {
    if (!(c.req.header("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
      return oauthError(c, "BAD_REQUEST", "the token endpoint takes application/x-www-form-urlencoded");
    }
    const form = new URLSearchParams(await c.req.text());
    const { clientId, clientSecret } = rt.config.oauth;
    if (clientId && form.get("client_id") !== clientId) return oauthError(c, "BAD_CLIENT_ID", "missing or invalid client_id");
    if (clientSecret && form.get("client_secret") !== clientSecret)
      return oauthError(c, "BAD_CLIENT_SECRET", "missing or invalid client_secret");
    const grant = form.get("grant_type");
    if (grant === "authorization_code") {
      const code = codes.get(form.get("code") ?? "");
      if (!code || code.expiresAt < Date.now()) return oauthError(c, "BAD_AUTH_CODE", "missing or unknown auth code");
      if (form.get("redirect_uri") !== code.redirectUri)
        return oauthError(c, "BAD_REDIRECT_URI", "redirect_uri does not match the one used to authorize");
      codes.delete(code.code);
      return c.json(tokenBody(rt, issueToken(rt, code.scopes)));
    }
    if (grant === "refresh_token") {
      const previous = rt.store.tokens.find((t) => t.refreshToken === form.get("refresh_token"));
      if (!previous) return oauthError(c, "BAD_REFRESH_TOKEN", "missing or unknown refresh token");
      const next = issueToken(rt, previous.scopes);
      // HubSpot keeps the refresh token across refreshes.
      next.refreshToken = previous.refreshToken;
      rt.store.setTokens(rt.store.tokens);
      return c.json(tokenBody(rt, next));
    }
    return oauthError(c, "BAD_GRANT_TYPE", `unsupported grant_type ${grant ?? "(none)"}`);
  };
  app.post("/oauth/v3/token", token);
  // The api-client's oauth helper still calls v1 (deprecated by HubSpot from Feb 2027).
  app.post("/oauth/v1/token", token);

  return app;
}
