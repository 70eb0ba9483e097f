import { env, exports } from "cloudflare:workers";
import { http } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HygieneCardResponse, HygieneFixResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { createLocalHubspot } from "../../../local-hubspot/app.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { signedRequest } from "../../test/signed-request.ts";
import type { AuditRow } from "../audit/audit-query.ts";
import { undoChanges } from "../audit/undo.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { saveInstall } from "../auth/token-store.ts";
import { HubspotCrm } from "../crm/hubspot/hubspot-crm.ts";
import { hygieneEngine } from "../engines/hygiene-engine.ts";
import { createLogger } from "../lib/logger.ts";
import { processPortalEvents } from "../queue/process-events.ts";
import { saveSettings } from "../settings/repository.ts";

const A = 880001;
const B = 880002;
const keyOf = (portalId: number): PortalKey => `hubspot:${portalId}`;
// Two portals, told apart by their access tokens as HubSpot does.
const portalA = createLocalHubspot({ portalId: A, appId: "424242" });
const portalB = createLocalHubspot({ portalId: B, appId: "424242" });
const calls: string[] = [];
const network = mockOutbound(
  http.all(`${env.HUBSPOT_API_BASE}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const portal = request.headers.get("authorization") === `Bearer at-${B}` ? portalB : portalA;
    calls.push(`${request.headers.get("authorization")} ${request.method} ${url.pathname}`);
    const body = request.method === "GET" ? undefined : await request.arrayBuffer();
    return portal.app.request(`${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      ...(body ? { body } : {}),
    });
  }),
);
beforeAll(() => network.enable());
afterAll(() => network.disable());

async function install(portalId: number, settingsDoc: unknown = {}) {
  const token = {
    accessToken: `at-${portalId}`,
    refreshToken: "rt",
    expiresAt: Date.now() + 3_600_000,
    scopes: [],
    userId: "7",
    instanceUrl: null,
  };
  await saveInstall(env, keyOf(portalId), { ...token, externalId: String(portalId) }, "7", Date.now());
  const settings = parsePortalSettings(settingsDoc);
  if (!settings.ok) throw new Error(settings.error.message);
  await saveSettings(env.DB, keyOf(portalId), settings.value, "test", null, Date.now());
}

beforeEach(async () => {
  const tables = ["hygiene_scores", "hygiene_trend", "record_snapshots", "settings_versions", "audit_log", "own_writes", "event_ledger"];
  await env.DB.batch(tables.map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
  await install(A);
  await install(B);
  calls.length = 0;
});

let n = 0;
/** A contact with a US phone not in E.164, created in portal A as a person would. */
async function messyContact(): Promise<string> {
  n++;
  const res = await portalA.app.request("/crm/v3/objects/contacts", {
    method: "POST",
    headers: { authorization: "Bearer t", "content-type": "application/json", "x-local-hubspot-user-id": "7" },
    body: JSON.stringify({
      properties: { email: `ana${n}@acme.example`, firstname: "ana", lastname: "Silva", phone: "(415) 555-0100", country: "United States" },
    }),
  });
  return ((await res.json()) as { id: string }).id;
}

/** Runs the contact's creation through the pipeline with the hygiene engine (observe-only), as a webhook would. */
async function scored(id: string): Promise<void> {
  const crm = new HubspotCrm(env.HUBSPOT_API_BASE, `at-${A}`, (r) => fetch(r));
  const settings = parsePortalSettings({});
  if (!settings.ok) throw new Error(settings.error.message);
  const event = { portalKey: keyOf(A), origin: "webhook" as const, kind: "created" as const, objectType: "contacts" as const };
  await processPortalEvents(
    keyOf(A),
    [{ ...event, objectId: id, eventId: `c-${id}`, subscriptionType: "contact.creation", occurredAt: Date.now() }],
    {
      db: env.DB,
      appId: "424242",
      engines: [hygieneEngine],
      log: createLogger({ test: true }),
      now: Date.now,
      settingsFor: async () => settings.value,
      crmFor: async () => ({ ok: true, value: crm }),
    },
  );
  calls.length = 0;
}

const url = (path: string, portalId: number, objectId: string, userId = "7", objectType = "contacts") =>
  `https://autopilot.test/api/cards/${path}?portalId=${portalId}&userId=${userId}&objectType=${objectType}&objectId=${objectId}`;
const get = async (u: string) => exports.default.fetch(await signedRequest(u, "", { method: "GET" }));
const post = async (u: string, body: unknown) => exports.default.fetch(await signedRequest(u, JSON.stringify(body)));
async function phoneOf(id: string): Promise<string> {
  const res = await portalA.app.request(`/crm/v3/objects/contacts/${id}?properties=phone`, { headers: { authorization: "Bearer t" } });
  return ((await res.json()) as { properties: { phone: string } }).properties.phone;
}

describe("GET /api/cards/hygiene", () => {
  it("answers a scored record's score, breakdown and fixes from D1 without calling HubSpot", async () => {
    const id = await messyContact();
    await scored(id);
    const res = await get(url("hygiene", A, id));
    expect(res.status).toBe(200);
    const card = (await res.json()) as HygieneCardResponse;
    expect(calls).toEqual([]);
    expect(card.score).toBeGreaterThan(0);
    expect(card.breakdown.map((p) => p.part)).toEqual(expect.arrayContaining(["completeness", "validity"]));
    expect(card.breakdown.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1);
    expect(card.findings.find((f) => f.id === "phone_not_e164:phone")).toMatchObject({
      fieldLabel: "Phone number",
      fix: { value: "+14155550100", safe: true },
    });
    expect(card).toMatchObject({
      objectId: id,
      mode: "observe",
      modeReason: expect.stringContaining("observe-only"),
      permissions: { canFix: true },
    });
  });

  it("scores a record the pipeline never saw with one CRM read, then answers from D1", async () => {
    const id = await messyContact();
    expect((await get(url("hygiene", A, id))).status).toBe(200);
    expect(calls).toHaveLength(1);
    calls.length = 0;
    expect((await get(url("hygiene", A, id))).status).toBe(200);
    expect(calls).toEqual([]);
  });

  it("says auto when the automation is on, and hides fixes of a field set to off", async () => {
    const id = await messyContact();
    await scored(id);
    await install(A, { automations: { hygiene: true }, hygiene: { fixPolicy: { contacts: { phone: "off" } } } });
    const card = (await (await get(url("hygiene", A, id))).json()) as HygieneCardResponse;
    expect(card.mode).toBe("auto");
    expect(card.modeReason).toBeNull();
    expect(card.findings.find((f) => f.id === "phone_not_e164:phone")?.fix).toBeNull();
  });

  it("gives a request signed for portal B nothing of portal A's record", async () => {
    const id = await messyContact();
    await scored(id);
    const res = await get(url("hygiene", B, id));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("555");
    expect(calls.every((c) => c.startsWith(`Bearer at-${B}`))).toBe(true);
    const fix = await post(url("hygiene/fix", B, id), { allSafe: true });
    expect(fix.status).toBe(404);
    expect(await phoneOf(id)).toBe("(415) 555-0100");
  });

  it("refuses deals and asks for a record", async () => {
    expect((await get(url("hygiene", A, "1", "7", "deals"))).status).toBe(400);
  });
});

describe("POST /api/cards/hygiene/fix", () => {
  it("writes the chosen fix through HubSpot, audits it as the user with the old value, and it can be undone", async () => {
    const id = await messyContact();
    await scored(id);
    const res = await post(url("hygiene/fix", A, id), { findingIds: ["phone_not_e164:phone"] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as HygieneFixResponse;
    expect(body.applied).toEqual([
      {
        findingId: "phone_not_e164:phone",
        field: "phone",
        before: "(415) 555-0100",
        after: "+14155550100",
        auditId: expect.stringMatching(/^\d+$/),
      },
    ]);
    expect(body.card.findings.map((f) => f.id)).not.toContain("phone_not_e164:phone");
    expect(await phoneOf(id)).toBe("+14155550100");
    const row = await env.DB.prepare("SELECT * FROM audit_log WHERE id = ?").bind(Number(body.applied[0]?.auditId)).first<AuditRow>();
    expect(row).toMatchObject({ actor: "user:7", status: "applied", rule: "phone_not_e164", before: '{"phone":"(415) 555-0100"}' });
    const journaled = await env.DB.prepare("SELECT COUNT(*) AS n FROM own_writes WHERE object_id = ? AND property = 'phone'")
      .bind(id)
      .first();
    expect(journaled).toEqual({ n: 1 });

    const crm = new HubspotCrm(env.HUBSPOT_API_BASE, `at-${A}`, (r) => fetch(r));
    const undo = await undoChanges([row as AuditRow], {
      db: env.DB,
      crm,
      portalKey: keyOf(A),
      userId: "7",
      now: Date.now(),
      dryRun: false,
    });
    expect(undo.undone).toEqual([String(row?.id)]);
    expect(await phoneOf(id)).toBe("(415) 555-0100");
  });

  it("applies every safe fix in one write", async () => {
    const id = await messyContact();
    await scored(id);
    const body = (await (await post(url("hygiene/fix", A, id), { allSafe: true })).json()) as HygieneFixResponse;
    expect(body.applied.map((a) => a.findingId).sort()).toEqual(["name_casing:firstName", "phone_not_e164:phone"]);
    expect(calls.filter((c) => c.includes("batch/update"))).toHaveLength(1);
    expect(body.card.score).toBeGreaterThan(0);
  });

  it("refuses users without the fix permission, a fix no longer offered, and any write under the kill switch", async () => {
    const id = await messyContact();
    await scored(id);
    await install(A, { permissions: { everyoneMayFix: false } });
    const card = (await (await get(url("hygiene", A, id, "8"))).json()) as HygieneCardResponse;
    expect(card.permissions.canFix).toBe(false);
    expect((await post(url("hygiene/fix", A, id, "8"), { allSafe: true })).status).toBe(403);

    const stale = (await (await post(url("hygiene/fix", A, id), { findingIds: ["email_role:email"] })).json()) as HygieneFixResponse;
    expect(stale.refused).toEqual([{ findingId: "email_role:email", reason: expect.stringContaining("no longer") }]);

    await install(A, { killSwitch: true });
    const killed = (await (await post(url("hygiene/fix", A, id), { findingIds: ["phone_not_e164:phone"] })).json()) as HygieneFixResponse;
    expect(killed.applied).toEqual([]);
    expect(killed.refused[0]?.reason).toContain("kill switch");
    expect(await phoneOf(id)).toBe("(415) 555-0100");
  });

  it("answers 400 to a body that names nothing", async () => {
    const id = await messyContact();
    expect((await post(url("hygiene/fix", A, id), { allSafe: false })).status).toBe(400);
  });
});
