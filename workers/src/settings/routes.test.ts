import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AuditResponse, DashboardResponse, SettingsResponse, UndoResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { hubspotMock } from "../../../test/msw/hubspot.ts";
import { signedRequest } from "../../test/signed-request.ts";
import { appendAudit } from "../audit/audit-log.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { saveInstall } from "../auth/token-store.ts";
import { saveSnapshots } from "../cards/record-snapshots.ts";

const PORTAL_ID = 880001;
const ADMIN = "7";
const REP = "8";
const hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId: PORTAL_ID });
const network = mockOutbound(...hubspot.handlers);
beforeAll(() => network.enable());
afterAll(() => network.disable());

beforeEach(async () => {
  await env.DB.batch(["audit_log", "settings_versions", "portals", "oauth_tokens"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
  const grant = {
    accessToken: "at",
    refreshToken: "rt",
    expiresAt: Date.now() + 3_600_000,
    scopes: [],
    externalId: String(PORTAL_ID),
    userId: ADMIN,
    instanceUrl: null,
  };
  await saveInstall(env, `hubspot:${PORTAL_ID}`, grant, ADMIN, Date.now());
});

const url = (path: string, userId: string, portalId = PORTAL_ID) =>
  `https://autopilot.test/api/settings${path}?portalId=${portalId}&userId=${userId}`;
const call = async (method: string, path: string, userId: string, body?: unknown) =>
  exports.default.fetch(await signedRequest(url(path, userId), body === undefined ? "" : JSON.stringify(body), { method }));

describe("/api/settings", () => {
  it("lets the installing user read the observe-only defaults, and no one else", async () => {
    const res = await call("GET", "", ADMIN);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SettingsResponse;
    expect(body.version).toBe(0);
    expect(body.document.automations).toEqual({ hygiene: false, dedupe: false, routing: false, stageGates: false });
    expect((await call("GET", "", REP)).status).toBe(403);
  });

  it("saves a valid document as the next version and refuses a stale base version", async () => {
    const doc = { automations: { hygiene: true } };
    const saved = await call("PUT", "/save", ADMIN, { baseVersion: 0, document: doc, note: "turn on hygiene" });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { version: number }).version).toBe(1);
    const stale = await call("PUT", "/save", ADMIN, { baseVersion: 0, document: doc, note: null });
    expect(stale.status).toBe(409);
  });

  it("answers an invalid document with 422 and every problem's path", async () => {
    const res = await call("PUT", "/save", ADMIN, {
      baseVersion: 0,
      document: { automations: { hygiene: 1 }, killSwitch: "no" },
      note: null,
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { problems: Array<{ path: string }> } };
    expect(body.error.problems.map((p) => p.path).sort()).toEqual(["automations.hygiene", "killSwitch"]);
  });

  it("shows what a draft would change before saving it", async () => {
    const res = await call("POST", "/dry-run", ADMIN, { document: { killSwitch: true } });
    expect(await res.json()).toEqual({ problems: [], changes: [{ path: "killSwitch", before: false, after: true }], impact: [] });
  });

  it("undoes an automatic fix where the record still holds our value, and leaves a person's later edit alone", async () => {
    const make = async (phone: string) => {
      const res = await hubspot.app.request("/crm/v3/objects/contacts", {
        method: "POST",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: JSON.stringify({ properties: { phone } }),
      });
      return ((await res.json()) as { id: string }).id;
    };
    const ours = await make("+14155550100");
    const edited = await make("+1 (415) 555-0199 as typed later");
    const entry = (objectId: string, after: string) => ({
      portalKey: `hubspot:${PORTAL_ID}` as const,
      automation: "hygiene",
      action: "update_properties",
      objectType: "contacts",
      objectId,
      status: "applied" as const,
      rule: "phone-e164",
      reason: "phone to E.164",
      before: { phone: "415 555 0100" },
      after: { phone: after },
    });
    await appendAudit(env.DB, [entry(ours, "+14155550100"), entry(edited, "+14155550199")], Date.now());

    const audit = (await (await call("GET", "/audit", ADMIN)).json()) as AuditResponse;
    expect(audit.entries.map((e) => e.undoable)).toEqual([true, true]);
    const res = await call("POST", "/audit/undo", ADMIN, {
      selection: { kind: "rule", ruleId: "phone-e164", from: null, to: null },
      dryRun: false,
    });
    const outcome = (await res.json()) as UndoResponse;
    expect(outcome.undone).toHaveLength(1);
    expect(outcome.skipped.map((s) => s.reason)).toEqual(["every field was changed since; the newer values stay"]);
    const contact = await hubspot.app.request(`/crm/v3/objects/contacts/${ours}?properties=phone`, {
      headers: { authorization: "Bearer t" },
    });
    expect(((await contact.json()) as { properties: { phone: string } }).properties.phone).toBe("415 555 0100");
  });

  it("refuses undo to a user without the undo permission", async () => {
    const res = await call("POST", "/audit/undo", REP, { selection: { kind: "entries", ids: ["1"] }, dryRun: true });
    expect(res.status).toBe(403);
  });
});

describe("/api/settings/dashboard", () => {
  it("sums blocked stage moves by rule and by rep from what the gates recorded", async () => {
    const now = Date.now();
    await env.DB.prepare("DELETE FROM stage_gate_decisions").run();
    const insert = (id: string, actor: string | null) =>
      env.DB.prepare(
        `INSERT INTO stage_gate_decisions (portal_key, object_id, decided_at, pipeline_id, from_stage, to_stage, verdict, mode, actor_user_id, reasons, move_key)
         VALUES (?, ?, ?, 'default', 'appointmentscheduled', 'qualifiedtobuy', 'blocked', 'enforce', ?, '[]', ?)`,
      ).bind(`hubspot:${PORTAL_ID}`, id, now, actor, `k${id}`);
    await env.DB.batch([insert("1", "7"), insert("2", "7"), insert("3", null)]);
    const res = await call("GET", "/dashboard", ADMIN);
    expect(res.status).toBe(200);
    const body = (await res.json()) as DashboardResponse;
    expect(body.stageMovesBlocked.byRule).toEqual([{ rule: "default: appointmentscheduled → qualifiedtobuy", count: 3 }]);
    expect(body.stageMovesBlocked.byRep.map((r) => [r.ownerId, r.count])).toEqual([
      ["7", 2],
      ["workflow or integration", 1],
    ]);
    expect(body.hygiene.distribution).toHaveLength(5);
  });

  it("refuses a rep and an unreadable range", async () => {
    expect((await call("GET", "/dashboard", REP)).status).toBe(403);
    const res = await exports.default.fetch(await signedRequest(`${url("/dashboard", ADMIN)}&from=never`, "", { method: "GET" }));
    expect(res.status).toBe(400);
  });
});

describe("/api/settings/dry-run impact", () => {
  it("lists the open deals a draft's stage exit criteria would stop, before it is saved", async () => {
    await env.DB.prepare("DELETE FROM record_snapshots").run();
    const deal = {
      id: "501",
      name: "No amount yet",
      pipelineId: "default",
      stageId: "appointmentscheduled",
      amount: null,
      closeDate: null,
      ownerId: null,
      createdAt: new Date().toISOString(),
      updatedAt: null,
      properties: { dealname: "No amount yet", dealstage: "appointmentscheduled", pipeline: "default", amount: null },
    };
    await saveSnapshots(env.DB, `hubspot:${PORTAL_ID}`, "deals", new Map([["501", { record: deal, history: {} }]]), Date.now());
    const draft = {
      stageGates: { pipelines: { default: { mode: "enforce", stages: { appointmentscheduled: { required: ["amount"] } } } } },
    };
    const res = await call("POST", "/dry-run", ADMIN, { document: draft });
    const body = (await res.json()) as { impact: Array<{ automation: string; count: number; examples: Array<{ objectId: string }> }> };
    expect(body.impact).toMatchObject([{ automation: "stageGates", count: 1, examples: [{ objectId: "501" }] }]);
  });
});

describe("/api/settings/audit/export", () => {
  it("hands an admin a short-lived link to the filtered audit log as CSV, which cannot be altered", async () => {
    await env.DB.prepare("DELETE FROM audit_log").run();
    const entry = (objectId: string, automation: string) => ({
      portalKey: `hubspot:${PORTAL_ID}` as const,
      automation,
      action: "update_properties",
      objectType: "contacts",
      objectId,
      status: "applied" as const,
      rule: "r",
      reason: "=cmd|' /C calc'!A0",
      before: { phone: "1" },
      after: { phone: "+1" },
    });
    await appendAudit(env.DB, [entry("1", "hygiene"), entry("2", "routing")], Date.now());
    const res = await call("POST", "/audit/export", ADMIN, { filter: { automation: "hygiene" } });
    const link = (await res.json()) as { url: string; rows: number };
    expect(link.rows).toBe(1);
    const csv = await (await exports.default.fetch(link.url)).text();
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("id,at,automation,action,rule,object_type,object_id,status,reason,before,after,actor,undone_at");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",hygiene,update_properties,");
    expect(lines[1]).toContain("'=cmd");
    const tampered = link.url.replace(/\.([^.]+)$/, ".AAAA");
    expect((await exports.default.fetch(tampered)).status).toBe(403);
    expect((await call("POST", "/audit/export", REP, { filter: {} })).status).toBe(403);
  });

  it.each(["garbage", "a.b.c", "%00.%00", `${"x".repeat(5000)}.y`])("refuses the forged export link %#", async (token) => {
    const res = await exports.default.fetch(`https://autopilot.test/exports/audit/${token}`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_link");
  });

  it("refuses an export filter that is not one", async () => {
    const res = await call("POST", "/audit/export", ADMIN, { filter: { from: "yesterday-ish" } });
    expect(res.status).toBe(400);
  });
});
