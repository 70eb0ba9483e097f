import { describe, expect, it } from "vitest";
import { localHubspot } from "./helpers.ts";

describe("rate limits", () => {
  it("answers the 111th call in 10 seconds with HubSpot's 429 body, per token", async () => {
    const { call } = localHubspot();
    for (let i = 0; i < 110; i++) expect((await call("GET", "/crm/v3/owners")).status).toBe(200);
    const limited = await call("GET", "/crm/v3/owners");
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: "error", errorType: "RATE_LIMIT", policyName: "TEN_SECONDLY_ROLLING" });
    expect(limited.body.message).toEqual(expect.any(String));
    expect(limited.body.correlationId).toEqual(expect.any(String));
    expect((await call("GET", "/crm/v3/owners", undefined, { authorization: "Bearer another-token" })).status).toBe(200);
  });

  it("allows about 5 searches per second", async () => {
    const { call } = localHubspot();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await call("POST", "/crm/v3/objects/contacts/search", {})).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("reports the remaining budget in HubSpot's headers", async () => {
    const { hs } = localHubspot({ rateLimit: { perTenSeconds: 50 } });
    const r = await hs.app.request("/crm/v3/owners", { headers: { authorization: "Bearer t" } });
    expect(r.headers.get("x-hubspot-ratelimit-max")).toBe("50");
    expect(r.headers.get("x-hubspot-ratelimit-remaining")).toBe("49");
  });
});

describe("fault injection", () => {
  it("answers the next N calls with 429 or 5xx when told at runtime through /__control, then recovers", async () => {
    const { call } = localHubspot();
    expect((await call("POST", "/__control", { faults: { next429: 2, next5xx: 1, status5xx: 502 } })).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("GET", "/crm/v3/owners")).status);
    expect(statuses).toEqual([429, 429, 502, 200]);
  });

  it("limits faults to the endpoints named in `paths`, leaving the others answering", async () => {
    const { call } = localHubspot();
    expect((await call("POST", "/__control", { faults: { next5xx: 1, paths: ["/crm/v3/objects/notes"] } })).status).toBe(200);
    expect((await call("GET", "/crm/v3/owners")).status).toBe(200);
    expect((await call("POST", "/crm/v3/objects/notes/batch/create", { inputs: [] })).status).toBe(503);
    expect((await call("POST", "/crm/v3/objects/notes/batch/create", { inputs: [] })).status).not.toBe(503);
  });

  it("applies a write whose reply it then loses: the caller gets a late 504, the record exists", async () => {
    const { call, hs } = localHubspot();
    await call("POST", "/__control", { faults: { nextLostReply: 1, hangMs: 50, paths: ["/crm/v3/objects/tasks"] } });
    expect((await call("GET", "/crm/v3/objects/tasks")).status).toBe(200);
    const started = Date.now();
    const lost = await call("POST", "/crm/v3/objects/tasks", { properties: { hs_task_subject: "Call back" } });
    expect(lost.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(hs.runtime.store.live("tasks").map((t) => t.properties.hs_task_subject)).toEqual(["Call back"]);
    expect((await call("POST", "/crm/v3/objects/tasks", { properties: { hs_task_subject: "Again" } })).status).toBe(201);
  });

  it("adds fixed latency and holds hung requests until they time out", async () => {
    const { call } = localHubspot({ latencyMs: 40 });
    let started = Date.now();
    await call("GET", "/crm/v3/owners");
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    await call("POST", "/__control", { latency: 0, faults: { nextHang: 1, hangMs: 150 } });
    started = Date.now();
    const hung = await call("GET", "/crm/v3/owners");
    expect(hung.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("authentication and OAuth", () => {
  it("exchanges an authorization code and refreshes, keeping the refresh token, form-encoded", async () => {
    const { hs } = localHubspot({ oauth: { clientId: "cid", clientSecret: "secret" }, acceptAnyToken: false });
    const authorize = await hs.app.request(
      "/oauth/authorize?client_id=cid&redirect_uri=https://app.test/cb&scope=crm.objects.contacts.read&state=s1",
    );
    const location = new URL(authorize.headers.get("location") ?? "");
    expect(location.searchParams.get("state")).toBe("s1");
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const grant = { client_id: "cid", client_secret: "secret", redirect_uri: "https://app.test/cb" };
    const tokens = (await (
      await hs.app.request(
        "/oauth/v3/token",
        form({ ...grant, grant_type: "authorization_code", code: location.searchParams.get("code") ?? "" }),
      )
    ).json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 1800, hub_id: 880001 });
    const reused = await hs.app.request(
      "/oauth/v3/token",
      form({ ...grant, grant_type: "authorization_code", code: location.searchParams.get("code") ?? "" }),
    );
    expect(reused.status).toBe(400);
    const refreshed = (await (
      await hs.app.request("/oauth/v3/token", form({ ...grant, grant_type: "refresh_token", refresh_token: String(tokens.refresh_token) }))
    ).json()) as Record<string, unknown>;
    expect(refreshed.refresh_token).toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const ok = await hs.app.request("/crm/v3/owners", { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    expect(ok.status).toBe(200);
    const stranger = await hs.app.request("/crm/v3/owners", { headers: { authorization: "Bearer made-up" } });
    expect(stranger.status).toBe(401);
  });

  it("rejects an expired token with EXPIRED_AUTHENTICATION", async () => {
    const { call } = localHubspot();
    const minted = await call("POST", "/__control/tokens", { expiresInSeconds: -60 });
    const r = await call("GET", "/crm/v3/owners", undefined, { authorization: `Bearer ${minted.body.accessToken}` });
    expect(r.status).toBe(401);
    expect(r.body.category).toBe("EXPIRED_AUTHENTICATION");
  });
});

describe("batch endpoints", () => {
  it("update valid ids, report missing ones in a 207, and refuse more than 100 inputs", async () => {
    const { call, createContact } = localHubspot();
    const a = await createContact({ email: "a@acme.com" });
    const r = await call("POST", "/crm/v3/objects/contacts/batch/update", {
      inputs: [
        { id: a, properties: { firstname: "A" } },
        { id: "424", properties: { firstname: "B" } },
      ],
    });
    expect(r.status).toBe(207);
    expect(r.body).toMatchObject({
      status: "COMPLETE",
      numErrors: 1,
      errors: [{ category: "OBJECT_NOT_FOUND", context: { ids: ["424"] } }],
    });
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i), properties: {} }));
    expect((await call("POST", "/crm/v3/objects/contacts/batch/update", { inputs })).status).toBe(400);
  });

  it("upserts by email: updates the existing contact and creates the new one", async () => {
    const { call, createContact } = localHubspot();
    const existing = await createContact({ email: "u@acme.com" });
    const r = await call("POST", "/crm/v3/objects/contacts/batch/upsert", {
      inputs: [
        { id: "U@acme.com", idProperty: "email", properties: { firstname: "Uma" } },
        { id: "new@acme.com", idProperty: "email", properties: { firstname: "Nia" } },
      ],
    });
    expect(r.status).toBe(200);
    const results = r.body.results ?? [];
    expect(results.map((x) => [x.new, (x.properties as Record<string, string>).email])).toEqual([
      [false, "u@acme.com"],
      [true, "new@acme.com"],
    ]);
    expect(results[0]?.id).toBe(existing);
  });

  it("reads a batch with history, following merged ids", async () => {
    const { call, createContact } = localHubspot();
    const a = await createContact({ email: "r1@acme.com" });
    const b = await createContact({ email: "r2@acme.com" });
    const merged = await call("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: a, objectIdToMerge: b });
    const r = await call("POST", "/crm/v3/objects/contacts/batch/read", {
      inputs: [{ id: a }],
      properties: [],
      propertiesWithHistory: ["email"],
    });
    expect(r.body.results?.[0]?.id).toBe(merged.body.id);
    const history = r.body.results?.[0]?.propertiesWithHistory as Record<string, unknown[]> | undefined;
    expect(history?.email?.length).toBeGreaterThan(0);
  });
});

describe("associations", () => {
  it("links a contact to a company both ways (v4), shows it on v3 reads and moves it on merge", async () => {
    const { call, createContact } = localHubspot();
    const company = await call("POST", "/crm/v3/objects/companies", { properties: { name: "Acme", domain: "acme.com" } });
    const a = await createContact({ email: "as1@acme.com" });
    const b = await createContact({ email: "as2@acme.com" });
    const put = await call("PUT", `/crm/v4/objects/contacts/${b}/associations/default/companies/${company.body.id}`);
    expect(put.status).toBe(200);
    const merged = await call("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: a, objectIdToMerge: b });
    const fromCompany = await call("GET", `/crm/v4/objects/companies/${company.body.id}/associations/contacts`);
    expect(fromCompany.body.results).toEqual([
      { toObjectId: merged.body.id, associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 280 }] },
    ]);
    const v3 = await call("GET", `/crm/v3/objects/contacts/${merged.body.id}?associations=companies`);
    expect(v3.body.associations).toEqual({ companies: { results: [{ id: company.body.id, type: "contact_to_company" }] } });
  });
});
