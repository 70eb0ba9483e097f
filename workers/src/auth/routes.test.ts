import { env } from "cloudflare:test";
import { HttpResponse, http } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import appMeta from "../../../hubspot-app/src/app/app-hsmeta.json";
import { decryptSecret, importTokenKey } from "./crypto.ts";
import { HUBSPOT_REQUIRED_SCOPES } from "./oauth.ts";
import { authRoutes } from "./routes.ts";
import { mockOutbound, testApp } from "./test-support.ts";

const HS_TOKEN_URL = `${env.HUBSPOT_API_BASE}/oauth/v3/token`;
const HS_INTROSPECT_URL = `${env.HUBSPOT_API_BASE}/oauth/v3/token/introspect`;
const SF_TOKEN_URL = `${env.SALESFORCE_LOGIN_URL}/services/oauth2/token`;
const ORG = "00D5g000004ABCDEAA";
const SF_USER = "0055g000001XYZWAA2";

const forms: URLSearchParams[] = [];
const hubspotToken = (extra: Record<string, unknown> = {}) =>
  http.post(HS_TOKEN_URL, async ({ request }) => {
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    forms.push(new URLSearchParams(await request.text()));
    return HttpResponse.json({
      access_token: "hs-access-SECRET-1",
      refresh_token: "hs-refresh-SECRET-1",
      expires_in: 1800,
      token_type: "bearer",
      token_use: "access_token",
      hub_id: 4242,
      user_id: 77,
      scopes: ["oauth", "crm.objects.contacts.read"],
      ...extra,
    });
  });

const network = mockOutbound();
beforeAll(() => network.enable());
afterEach(() => {
  network.resetHandlers();
  forms.length = 0;
});
afterAll(() => network.disable());

const app = testApp((root) => root.route("/", authRoutes));
const get = (path: string) => app.fetch(new Request(new URL(path, env.PUBLIC_BASE_URL), { redirect: "manual" }), env);

async function startInstall(path = "/oauth/install"): Promise<{ location: URL; state: string }> {
  const res = await get(path);
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  return { location, state: location.searchParams.get("state") ?? "" };
}

async function storedRow(portalKey: string) {
  return env.DB.prepare("SELECT p.*, t.* FROM portals p JOIN oauth_tokens t USING (portal_key) WHERE portal_key = ?")
    .bind(portalKey)
    .first<Record<string, unknown>>();
}

async function decrypt(value: unknown): Promise<string> {
  const key = await importTokenKey(env.TOKEN_ENCRYPTION_KEY);
  if (!key.ok) throw new Error(key.error.message);
  const plain = await decryptSecret(key.value, String(value));
  if (!plain.ok) throw new Error(plain.error.message);
  return plain.value;
}

describe("GET /oauth/install", () => {
  it("redirects to HubSpot's consent screen with the app, the callback, the scopes and a stored one-time state", async () => {
    const before = Date.now();
    const { location, state } = await startInstall();
    expect(`${location.origin}${location.pathname}`).toBe("https://app.hubspot.com/oauth/authorize");
    expect(location.searchParams.get("client_id")).toBe(env.HUBSPOT_CLIENT_ID);
    expect(location.searchParams.get("redirect_uri")).toBe(new URL("/oauth/callback", env.PUBLIC_BASE_URL).toString());
    expect(location.searchParams.get("scope")?.split(" ")).toEqual(HUBSPOT_REQUIRED_SCOPES);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await env.DB.prepare("SELECT crm, expires_at, used_at FROM oauth_states WHERE state = ?")
      .bind(state)
      .first<{ crm: string; expires_at: number; used_at: null }>();
    expect(row?.crm).toBe("hubspot");
    expect(row?.used_at).toBeNull();
    expect(row?.expires_at).toBeGreaterThanOrEqual(before + 600_000);
    expect(row?.expires_at).toBeLessThanOrEqual(Date.now() + 600_000);
  });

  it("asks for exactly the scopes the HubSpot project requires", () => {
    expect([...HUBSPOT_REQUIRED_SCOPES].sort()).toEqual([...appMeta.config.auth.requiredScopes].sort());
  });

  it("gives a new state on every start", async () => {
    expect((await startInstall()).state).not.toBe((await startInstall()).state);
  });
});

describe("GET /oauth/callback", () => {
  it("exchanges the code form-encoded, stores the portal and its tokens encrypted, and says installed", async () => {
    network.use(hubspotToken());
    const { state } = await startInstall();
    const res = await get(`/oauth/callback?code=the-code&state=${state}`);

    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/installed[\s\S]*4242/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(Object.fromEntries(forms[0] ?? [])).toEqual({
      grant_type: "authorization_code",
      code: "the-code",
      redirect_uri: new URL("/oauth/callback", env.PUBLIC_BASE_URL).toString(),
      client_id: env.HUBSPOT_CLIENT_ID,
      client_secret: env.HUBSPOT_CLIENT_SECRET,
    });
    const row = await storedRow("hubspot:4242");
    expect(row).toMatchObject({
      crm: "hubspot",
      external_id: "4242",
      status: "active",
      installed_by: "77",
      scopes: "oauth crm.objects.contacts.read",
    });
    expect(JSON.stringify(row)).not.toContain("SECRET");
    expect(await decrypt(row?.access_token_enc)).toBe("hs-access-SECRET-1");
    expect(await decrypt(row?.refresh_token_enc)).toBe("hs-refresh-SECRET-1");
    expect(Number(row?.expires_at)).toBeGreaterThan(Date.now() + 1_700_000);
  });

  it("learns the portal from token introspection when the token answer has no hub_id", async () => {
    network.use(
      hubspotToken({ hub_id: undefined, user_id: undefined }),
      http.post(HS_INTROSPECT_URL, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        expect(form.get("token")).toBe("hs-access-SECRET-1");
        return HttpResponse.json({ active: true, hub_id: 5151, user_id: 88, scopes: ["oauth"], token_type: "bearer" });
      }),
    );
    const { state } = await startInstall();
    expect((await get(`/oauth/callback?code=c&state=${state}`)).status).toBe(200);
    expect(await storedRow("hubspot:5151")).toMatchObject({ installed_by: "88", status: "active" });
  });

  const refusals = [
    { name: "a missing state", query: () => "code=c", status: 400, code: "missing_state" },
    { name: "a forged state", query: () => "code=c&state=forged-state-never-issued", status: 403, code: "unknown_state" },
    {
      name: "an expired state",
      query: async () => {
        await env.DB.prepare("INSERT INTO oauth_states (state, crm, created_at, expires_at) VALUES ('old-state', 'hubspot', ?, ?)")
          .bind(Date.now() - 700_000, Date.now() - 100_000)
          .run();
        return "code=c&state=old-state";
      },
      status: 403,
      code: "expired_state",
    },
    {
      name: "a Salesforce state",
      query: async () => `code=c&state=${(await startInstall("/oauth/salesforce/install")).state}`,
      status: 403,
      code: "wrong_flow_state",
    },
    { name: "a refused consent", query: () => "error=access_denied&state=x", status: 400, code: "authorization_denied" },
  ];
  it.each(refusals)("refuses $name with $status $code and never calls HubSpot", async ({ query, status, code }) => {
    const res = await get(`/oauth/callback?${await query()}`);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
    expect(forms).toHaveLength(0);
  });

  it("refuses a replayed state, after the first use succeeded", async () => {
    network.use(hubspotToken());
    const { state } = await startInstall();
    expect((await get(`/oauth/callback?code=c&state=${state}`)).status).toBe(200);
    const replay = await get(`/oauth/callback?code=c&state=${state}`);
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: { code: "reused_state" } });
    expect(forms).toHaveLength(1);
  });

  it("answers 502 naming HubSpot's refusal when the code exchange fails, and stores nothing", async () => {
    network.use(
      http.post(HS_TOKEN_URL, () =>
        HttpResponse.json({ status: "BAD_AUTH_CODE", message: "missing or unknown auth code" }, { status: 400 }),
      ),
    );
    const { state } = await startInstall();
    const res = await get(`/oauth/callback?code=bad&state=${state}`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: "token_exchange_failed", message: expect.stringContaining("BAD_AUTH_CODE") } });
  });

  it("answers 400 when the code is missing", async () => {
    const { state } = await startInstall();
    expect(await (await get(`/oauth/callback?state=${state}`)).json()).toMatchObject({ error: { code: "missing_code" } });
  });
});

describe("Salesforce OAuth web-server flow", () => {
  it("redirects to the login URL's authorize endpoint with the connected app and a state", async () => {
    const { location, state } = await startInstall("/oauth/salesforce/install");
    expect(`${location.origin}${location.pathname}`).toBe(`${env.SALESFORCE_LOGIN_URL}/services/oauth2/authorize`);
    expect(location.searchParams.get("response_type")).toBe("code");
    expect(location.searchParams.get("client_id")).toBe(env.SALESFORCE_CLIENT_ID);
    expect(location.searchParams.get("redirect_uri")).toBe(new URL("/oauth/salesforce/callback", env.PUBLIC_BASE_URL).toString());
    expect(state.length).toBeGreaterThan(40);
  });

  it("stores the org's tokens encrypted with its instance URL, keyed by the org id", async () => {
    network.use(
      http.post(SF_TOKEN_URL, async ({ request }) => {
        forms.push(new URLSearchParams(await request.text()));
        return HttpResponse.json({
          access_token: "00D!sf-access-SECRET",
          refresh_token: "sf-refresh-SECRET",
          instance_url: "https://acme.my.salesforce.test",
          id: `https://login.salesforce.test/id/${ORG}/${SF_USER}`,
          issued_at: String(Date.now()),
          scope: "api refresh_token",
          token_type: "Bearer",
        });
      }),
    );
    const { state } = await startInstall("/oauth/salesforce/install");
    const res = await get(`/oauth/salesforce/callback?code=sf-code&state=${state}`);
    expect(res.status).toBe(200);
    expect(forms[0]?.get("grant_type")).toBe("authorization_code");
    expect(forms[0]?.get("client_secret")).toBe(env.SALESFORCE_CLIENT_SECRET);
    const row = await storedRow(`salesforce:${ORG}`);
    expect(row).toMatchObject({ crm: "salesforce", installed_by: SF_USER, instance_url: "https://acme.my.salesforce.test" });
    expect(JSON.stringify(row)).not.toContain("SECRET");
    expect(await decrypt(row?.access_token_enc)).toBe("00D!sf-access-SECRET");
  });
});
