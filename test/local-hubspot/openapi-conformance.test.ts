import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpecValidator, SKIP_REASON, specsPresent } from "./openapi.ts";
import { recordingLocalHubspot } from "./recording.ts";

let hs: Awaited<ReturnType<typeof recordingLocalHubspot>>;

const call = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${hs.url}${path}`, {
    method,
    headers: { authorization: "Bearer conformance", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
};

/** Drives the endpoints the api-client test does not: error answers, 207s, upserts, v4 associations, OAuth. */
async function driveEverything() {
  const a = await call("POST", "/crm/v3/objects/contacts", { properties: { email: "c1@acme.com", firstname: "C" }, associations: [] });
  const b = await call("POST", "/crm/v3/objects/contacts", { properties: { email: "c2@acme.com" }, associations: [] });
  await call("POST", "/crm/v3/objects/contacts", { properties: { email: "C1@acme.com" }, associations: [] });
  await call("POST", "/crm/v3/objects/contacts", { properties: { email: "bad" }, associations: [] });
  await call("GET", "/crm/v3/objects/contacts/12345");
  await call("GET", `/crm/v3/objects/contacts/${a.body.id}?propertiesWithHistory=email`);
  await call("GET", "/crm/v3/objects/contacts?limit=1");
  await call("POST", "/crm/v3/objects/contacts/batch/read", {
    inputs: [{ id: a.body.id }, { id: "999" }],
    properties: ["email"],
    propertiesWithHistory: [],
  });
  await call("POST", "/crm/v3/objects/contacts/batch/upsert", {
    inputs: [{ id: "c3@acme.com", idProperty: "email", properties: { firstname: "Up" } }],
  });
  await call("POST", "/crm/v3/objects/contacts/batch/create", { inputs: [{ properties: { email: "c4@acme.com" }, associations: [] }] });
  const company = await call("POST", "/crm/v3/objects/companies", { properties: { name: "Acme", domain: "acme.com" }, associations: [] });
  await call("PATCH", `/crm/v3/objects/companies/${company.body.id}`, { properties: { city: "Boston" } });
  await call("POST", "/crm/v3/objects/companies/search", { filterGroups: [], sorts: [], properties: ["name"], limit: 5, after: "0" });
  const deal = await call("POST", "/crm/v3/objects/0-3", {
    properties: { dealname: "D", pipeline: "default", dealstage: "qualifiedtobuy" },
    associations: [],
  });
  await call("PATCH", `/crm/v3/objects/0-3/${deal.body.id}`, { properties: { dealstage: "nowhere" } });
  await call("POST", "/crm/v3/objects/0-3/search", {
    filterGroups: [{ filters: [{ propertyName: "dealstage", operator: "EQ", value: "qualifiedtobuy" }] }],
    sorts: [],
    properties: [],
    limit: 10,
    after: "0",
  });
  await call("PUT", `/crm/v4/objects/contacts/${a.body.id}/associations/default/companies/${company.body.id}`);
  await call("PUT", `/crm/v4/objects/deals/${deal.body.id}/associations/contacts/${b.body.id}`, [
    { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 },
  ]);
  await call("GET", `/crm/v4/objects/companies/${company.body.id}/associations/contacts`);
  await call("POST", "/crm/v4/associations/deals/contacts/batch/read", { inputs: [{ id: deal.body.id }] });
  await call("POST", "/crm/v3/objects/notes", {
    properties: { hs_timestamp: String(Date.now()), hs_note_body: "Merged duplicate" },
    associations: [{ to: { id: a.body.id }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 202 }] }],
  });
  await call("POST", "/crm/v3/objects/tasks", {
    properties: { hs_timestamp: String(Date.now()), hs_task_subject: "Call back" },
    associations: [],
  });
  await call("GET", "/crm/v3/pipelines/deals/default/stages");
  await call("GET", "/crm/v3/owners/424");
  await call("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: a.body.id, objectIdToMerge: b.body.id });
  await call("DELETE", `/crm/v3/objects/companies/${company.body.id}`);
  await driveJournal();
  const minted = await call("POST", "/__control/tokens", {});
  const form = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: String(minted.body.refreshToken),
    client_id: "x",
    client_secret: "y",
  });
  await fetch(`${hs.url}/oauth/v3/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
}

/** The Webhooks Journal reads the backfill makes: latest, next after an offset (caught up, expired), refused. */
async function driveJournal() {
  const latest = await call("GET", "/webhooks-journal/journal-local/2026-03/batch/latest/1?installPortalId=880001");
  const [entry] = latest.body.results as Array<{ currentOffset: string; url: string }>;
  await fetch(entry?.url ?? "");
  await call("POST", "/crm/v3/objects/contacts", { properties: { email: "j1@acme.com" }, associations: [] });
  await call("GET", `/webhooks-journal/journal-local/2026-03/batch/${entry?.currentOffset}/next/50?installPortalId=880001`);
  await call("GET", "/webhooks-journal/journal-local/2026-03/batch/00000000-0000-4000-8000-000000000000/next/50");
  await call("GET", "/webhooks-journal/journal-local/2026-03/batch/latest/0");
  await call("POST", "/__control", { journal: { available: false } });
  await call("GET", "/webhooks-journal/journal-local/2026-03/batch/latest/1");
  await call("POST", "/__control", { journal: { available: true } });
}

beforeAll(async () => {
  hs = await recordingLocalHubspot();
  if (specsPresent) await driveEverything();
});
afterAll(() => hs.stop());

describe("the local server's answers against HubSpot's OpenAPI specs", () => {
  it.skipIf(!specsPresent)(
    specsPresent ? "validate for every endpoint and status it produced, errors included" : `skipped: ${SKIP_REASON}`,
    () => {
      const spec = createSpecValidator();
      const problems: string[] = [];
      const covered = new Set<string>();
      // `/__control` and `/__journal-files` (the journal's pre-signed storage URLs) are not HubSpot API paths.
      for (const x of hs.exchanges.filter((e) => !e.path.startsWith("/__"))) {
        const res = spec.response(x.method, x.path, x.status, x.responseBody);
        const req = spec.request(x.method, x.path, x.requestBody);
        if (!res || !req) {
          problems.push(`${x.method} ${x.path}: no operation in the specs`);
          continue;
        }
        covered.add(res.operation);
        for (const e of [...req.errors.map((m) => `request: ${m}`), ...res.errors]) problems.push(`${res.operation}: ${e}`);
      }
      expect(problems).toEqual([]);
      expect([...covered].filter((o) => / → (400|404|409|207)$/.test(o)).length).toBeGreaterThanOrEqual(4);
      expect(covered.size).toBeGreaterThan(20);
      const journal = "webhooks-journal-2026-03 GET /webhooks-journal/journal-local/2026-03/batch";
      expect([...covered]).toEqual(
        expect.arrayContaining([
          `${journal}/latest/{count} → 200`,
          `${journal}/latest/{count} → 403`,
          `${journal}/latest/{count} → 400`,
          `${journal}/{offset}/next/{count} → 200`,
          `${journal}/{offset}/next/{count} → 404`,
        ]),
      );
    },
  );

  it.skipIf(!specsPresent)(specsPresent ? "rejects a body that breaks the schema (the check can fail)" : `skipped: ${SKIP_REASON}`, () => {
    const spec = createSpecValidator();
    const broken = { id: "1", properties: { email: 5 }, archived: "no" };
    expect(spec.response("GET", "/crm/v3/objects/contacts/1", 200, broken)?.errors.length).toBeGreaterThanOrEqual(3);
    expect(spec.request("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: "1" })?.errors).toEqual([
      expect.stringContaining("objectIdToMerge"),
    ]);
  });
});
