import { env } from "cloudflare:test";
import { HttpResponse, http } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TokenGrant } from "./oauth.ts";
import { mockOutbound } from "./test-support.ts";
import { getAccessToken, getCrmConnection, REFRESH_MARGIN_MS, saveInstall } from "./token-store.ts";

const NOW = 1_790_000_000_000;
const HS_TOKEN_URL = `${env.HUBSPOT_API_BASE}/oauth/v3/token`;
const SF_TOKEN_URL = `${env.SALESFORCE_LOGIN_URL}/services/oauth2/token`;
const ORG = "00D5g000004ABCDEAA";

const forms: URLSearchParams[] = [];
const network = mockOutbound();
beforeAll(() => network.enable());
afterEach(() => {
  network.resetHandlers();
  forms.length = 0;
});
afterAll(() => network.disable());

function hubspotRefresh(hubId: number, accessToken = "hs-access-NEW") {
  return http.post(HS_TOKEN_URL, async ({ request }) => {
    forms.push(new URLSearchParams(await request.text()));
    return HttpResponse.json({
      access_token: accessToken,
      refresh_token: "hs-refresh-1",
      expires_in: 1800,
      hub_id: hubId,
      token_type: "bearer",
    });
  });
}

async function install(portalKey: `hubspot:${string}` | `salesforce:${string}`, expiresAt: number, over: Partial<TokenGrant> = {}) {
  const grant: TokenGrant = {
    accessToken: "access-OLD",
    refreshToken: "hs-refresh-1",
    expiresAt,
    scopes: ["oauth"],
    externalId: portalKey.split(":")[1] ?? "",
    userId: "7",
    instanceUrl: null,
    ...over,
  };
  expect(await saveInstall(env, portalKey, grant, "7", NOW - 60_000)).toEqual({ ok: true, value: true });
}

const expiresAt = (key: string) =>
  env.DB.prepare("SELECT expires_at, access_token_enc FROM oauth_tokens WHERE portal_key = ?")
    .bind(key)
    .first<{ expires_at: number; access_token_enc: string }>();

describe("getAccessToken", () => {
  it("serves the stored token without calling HubSpot while it has more than the margin left", async () => {
    await install("hubspot:301", NOW + REFRESH_MARGIN_MS + 1);
    expect(await getAccessToken(env, "hubspot:301", NOW)).toEqual({ ok: true, value: "access-OLD" });
    expect(forms).toHaveLength(0);
  });

  it("refreshes a token that expires within the margin, before it expires, and stores the new one encrypted", async () => {
    network.use(hubspotRefresh(302));
    await install("hubspot:302", NOW + REFRESH_MARGIN_MS - 1);

    expect(await getAccessToken(env, "hubspot:302", NOW)).toEqual({ ok: true, value: "hs-access-NEW" });
    expect(Object.fromEntries(forms[0] ?? [])).toEqual({
      grant_type: "refresh_token",
      refresh_token: "hs-refresh-1",
      client_id: env.HUBSPOT_CLIENT_ID,
      client_secret: env.HUBSPOT_CLIENT_SECRET,
    });
    const row = await expiresAt("hubspot:302");
    expect(row?.expires_at).toBe(NOW + 1_800_000);
    expect(row?.access_token_enc).not.toContain("NEW");
    // The refreshed token is now served from D1 with no second call.
    expect(await getAccessToken(env, "hubspot:302", NOW + 60_000)).toEqual({ ok: true, value: "hs-access-NEW" });
    expect(forms).toHaveLength(1);
  });

  it("refreshes an already expired token too", async () => {
    network.use(hubspotRefresh(303));
    await install("hubspot:303", NOW - 1);
    expect(await getAccessToken(env, "hubspot:303", NOW)).toEqual({ ok: true, value: "hs-access-NEW" });
  });

  it("refuses a refreshed token that belongs to another portal", async () => {
    network.use(hubspotRefresh(999));
    await install("hubspot:304", NOW);
    expect(await getAccessToken(env, "hubspot:304", NOW)).toMatchObject({ ok: false, error: { code: "portal_mismatch" } });
    expect((await expiresAt("hubspot:304"))?.expires_at).toBe(NOW);
  });

  it("asks for a reinstall when HubSpot refuses the refresh token (uninstalled)", async () => {
    network.use(
      http.post(HS_TOKEN_URL, () =>
        HttpResponse.json({ status: "BAD_REFRESH_TOKEN", message: "missing or unknown refresh token" }, { status: 400 }),
      ),
    );
    await install("hubspot:305", NOW);
    expect(await getAccessToken(env, "hubspot:305", NOW)).toMatchObject({ ok: false, error: { code: "reauthorization_required" } });
  });

  it("reports an outage of the token endpoint as such (retryable), not as a reinstall", async () => {
    network.use(http.post(HS_TOKEN_URL, () => new HttpResponse(null, { status: 503 })));
    await install("hubspot:306", NOW);
    expect(await getAccessToken(env, "hubspot:306", NOW)).toMatchObject({ ok: false, error: { code: "token_endpoint_unavailable" } });
  });

  it("answers not_installed for a portal without tokens", async () => {
    expect(await getAccessToken(env, "hubspot:404", NOW)).toMatchObject({ ok: false, error: { code: "not_installed" } });
  });

  it("serves the static token in private-app mode for HubSpot portals, and never for Salesforce", async () => {
    const privateEnv = { ...env, HUBSPOT_ACCESS_TOKEN: "pat-na1-static" };
    expect(await getAccessToken(privateEnv, "hubspot:12345", NOW)).toEqual({ ok: true, value: "pat-na1-static" });
    expect(await getAccessToken(privateEnv, `salesforce:${ORG}`, NOW)).toMatchObject({ ok: false, error: { code: "not_installed" } });
  });

  it("names a missing encryption key instead of failing obscurely", async () => {
    await install("hubspot:307", NOW + 3_600_000);
    expect(await getAccessToken({ ...env, TOKEN_ENCRYPTION_KEY: "" }, "hubspot:307", NOW)).toMatchObject({
      ok: false,
      error: { code: "missing_encryption_key" },
    });
  });
});

describe("getCrmConnection for Salesforce", () => {
  it("refreshes at the login URL and keeps the refresh token and instance URL", async () => {
    network.use(
      http.post(SF_TOKEN_URL, async ({ request }) => {
        forms.push(new URLSearchParams(await request.text()));
        return HttpResponse.json({
          access_token: "sf-access-NEW",
          instance_url: "https://acme.my.salesforce.test",
          id: `https://login.salesforce.test/id/${ORG}/0055g000001XYZWAA2`,
          issued_at: String(NOW),
          token_type: "Bearer",
        });
      }),
    );
    await install(`salesforce:${ORG}`, NOW + 1000, { refreshToken: "sf-refresh-1", instanceUrl: "https://acme.my.salesforce.test" });
    expect(await getCrmConnection(env, `salesforce:${ORG}`, NOW)).toEqual({
      ok: true,
      value: { accessToken: "sf-access-NEW", instanceUrl: "https://acme.my.salesforce.test" },
    });
    expect(forms[0]?.get("refresh_token")).toBe("sf-refresh-1");
    // Salesforce sent no new refresh token: the stored one still works for the next refresh.
    expect(
      await env.DB.prepare("SELECT refresh_token_enc FROM oauth_tokens WHERE portal_key = ?").bind(`salesforce:${ORG}`).first(),
    ).toMatchObject({
      refresh_token_enc: expect.any(String),
    });
    expect(await getCrmConnection(env, `salesforce:${ORG}`, NOW + 3_700_000)).toMatchObject({ ok: true });
    expect(forms[1]?.get("refresh_token")).toBe("sf-refresh-1");
  });
});
