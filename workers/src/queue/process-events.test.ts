import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { CrmEvent } from "../../../shared/events/types.ts";
import { APP_ID, clearTables, crmEvent, localCrm, PORTAL } from "../../test/local-crm.ts";
import { stageGatesEngine } from "../engines/stage-gates-engine.ts";
import type { Engine } from "../engines/types.ts";
import { claimEvents } from "../ledger/event-ledger.ts";
import { processPortalEvents } from "./process-events.ts";

/** A minimal engine for exercising the pipeline: spells out the US country code. */
const countryEngine: Engine = {
  name: "hygiene",
  wants: (g) => g.objectType === "contacts",
  async plan(group, ctx) {
    const loaded = ctx.records.get("contacts", group.objectId);
    if (loaded?.record.country !== "USA") return [];
    return [
      {
        kind: "update",
        automation: "hygiene",
        objectType: "contacts",
        objectId: group.objectId,
        before: { country: "USA" },
        after: { country: "United States" },
        rule: "country-name",
        reason: "Country written as its ISO name",
      },
    ];
  },
};

let local: ReturnType<typeof localCrm>;
let calls: string[];

const createContact = async (properties: Record<string, string>) =>
  (await local.asUser("POST", "/crm/v3/objects/contacts", { properties })).id;
const changeEvent = (objectId: string, over: Partial<CrmEvent> = {}) =>
  crmEvent("contacts", objectId, { propertyName: "country", propertyValue: "USA", ...over });
const deps = (settings: unknown) => local.deps(settings, [countryEngine]);
const countryOf = async (id: string) => (await local.get("contacts", id, ["country"])).country;
const hubspot = { app: { request: (path: string, init: RequestInit) => local.hubspot.app.request(path, init) } };

beforeEach(async () => {
  await clearTables("audit_log", "event_ledger", "own_writes", "stage_gate_decisions", "activity_attempts", "record_locks");
  local = localCrm();
  calls = local.calls;
});

describe("processPortalEvents", () => {
  it("waits for an engine's deferred D1 write before the events count as processed, and retries the batch when it fails", async () => {
    const id = await createContact({ email: "a@example.com", country: "USA" });
    let written = false;
    const deferring = (fail: boolean): Engine => ({
      ...countryEngine,
      async plan(group, ctx) {
        const changes = await countryEngine.plan(group, ctx);
        ctx.deferWrite?.(
          new Promise<void>((resolve, reject) =>
            setTimeout(() => {
              if (fail) reject(new Error("D1 is unavailable"));
              else {
                written = true;
                resolve();
              }
            }, 50),
          ),
        );
        return changes;
      },
    });
    const event = changeEvent(id);
    const processed = async () =>
      (
        await env.DB.prepare("SELECT processed_at FROM event_ledger WHERE event_id = ?")
          .bind(event.eventId)
          .first<{ processed_at: number | null }>()
      )?.processed_at ?? null;

    await expect(processPortalEvents(PORTAL, [event], local.deps({}, [deferring(true)]))).rejects.toThrow("D1 is unavailable");
    expect(await processed()).toBeNull();

    // The queue redelivers the same event.
    const report = await processPortalEvents(PORTAL, [event], local.deps({}, [deferring(false)]));
    expect(report.fates).toEqual([{ kind: "done", outcome: "observed" }]);
    expect(written).toBe(true);
    expect(await processed()).not.toBeNull();
  });

  it("in observe-only mode computes and audits the change but writes nothing", async () => {
    const id = await createContact({ email: "a@example.com", country: "USA" });
    const report = await processPortalEvents(PORTAL, [changeEvent(id)], deps({}));
    expect(report.fates).toEqual([{ kind: "done", outcome: "observed" }]);
    expect(await countryOf(id)).toBe("USA");
    const audit = await env.DB.prepare("SELECT status, before, after FROM audit_log WHERE object_id = ?").bind(id).first();
    expect(audit).toEqual({ status: "observed", before: '{"country":"USA"}', after: '{"country":"United States"}' });
  });

  it("once the automation is on, reads once, writes once in a batch, and audits what undoes it", async () => {
    const a = await createContact({ email: "a@example.com", country: "USA" });
    const b = await createContact({ email: "b@example.com", country: "USA" });
    const events = [changeEvent(a), changeEvent(a, { propertyName: "email", propertyValue: "a@example.com" }), changeEvent(b)];
    const report = await processPortalEvents(PORTAL, events, deps({ automations: { hygiene: true } }));
    expect(report.fates.map((f) => f.kind)).toEqual(["done", "done", "done"]);
    expect(report.apiCalls).toBe(2);
    expect(calls).toEqual(["POST /crm/v3/objects/contacts/batch/read", "POST /crm/v3/objects/contacts/batch/update"]);
    expect([await countryOf(a), await countryOf(b)]).toEqual(["United States", "United States"]);
    const rows = await env.DB.prepare("SELECT status FROM audit_log WHERE object_id IN (?, ?)").bind(a, b).all();
    expect(rows.results).toEqual([{ status: "applied" }, { status: "applied" }]);
  });

  it("does nothing the second time the same events arrive", async () => {
    const id = await createContact({ country: "USA" });
    const event = changeEvent(id);
    const settings = { automations: { hygiene: true } };
    await processPortalEvents(PORTAL, [event], deps(settings));
    calls.length = 0;
    const again = await processPortalEvents(PORTAL, [event, event], deps(settings));
    expect(again.fates).toEqual([
      { kind: "done", outcome: "duplicate" },
      { kind: "done", outcome: "duplicate" },
    ]);
    expect(calls).toEqual([]);
  });

  it("recognises the webhook its own write causes and does no new work for it", async () => {
    const id = await createContact({ country: "USA" });
    await processPortalEvents(PORTAL, [changeEvent(id)], deps({ automations: { hygiene: true } }));
    calls.length = 0;
    const echo = changeEvent(id, { propertyValue: "United States", sourceId: APP_ID, changeSource: "INTEGRATION" });
    const journaled = changeEvent(id, { propertyValue: "United States", sourceId: "unknown" });
    const report = await processPortalEvents(PORTAL, [echo, journaled], deps({ automations: { hygiene: true } }));
    expect(report.fates).toEqual([
      { kind: "done", outcome: "own_write" },
      { kind: "done", outcome: "own_write" },
    ]);
    expect(calls).toEqual([]);
  });

  it("asks for a retry when HubSpot rate-limits, and leaves the events unprocessed", async () => {
    const id = await createContact({ country: "USA" });
    await hubspot.app.request("/__control", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ faults: { next429: 5 } }),
    });
    const event = changeEvent(id);
    const report = await processPortalEvents(PORTAL, [event], deps({ automations: { hygiene: true } }));
    expect(report.fates[0]?.kind).toBe("retry");
    const row = await env.DB.prepare("SELECT processed_at FROM event_ledger WHERE object_id = ?").bind(id).first();
    expect(row).toEqual({ processed_at: null });
  });

  it("skips deleted records without reading them", async () => {
    const report = await processPortalEvents(
      PORTAL,
      [changeEvent("999", { kind: "deleted", subscriptionType: "contact.deletion" })],
      deps({}),
    );
    expect(report.fates).toEqual([{ kind: "done", outcome: "no_change" }]);
    expect(calls).toEqual([]);
  });
});

describe("deletions", () => {
  it("purges a privacy-deleted contact's values from the audit log", async () => {
    const id = await createContact({ country: "USA" });
    await processPortalEvents(PORTAL, [changeEvent(id)], deps({}));
    await processPortalEvents(
      PORTAL,
      [changeEvent(id, { kind: "privacy_deleted", subscriptionType: "contact.privacyDeletion" })],
      deps({}),
    );
    const audit = await env.DB.prepare("SELECT before, after FROM audit_log WHERE object_id = ?").bind(id).first();
    expect(audit).toEqual({ before: null, after: null });
  });

  it("commits the audit of changes already made when a later part of the batch must be retried", async () => {
    const id = await createContact({ email: "b@example.com", country: "USA" });
    const deal = await local.asUser("POST", "/crm/v3/objects/deals", {
      properties: { dealname: "No amount", pipeline: "default", dealstage: "appointmentscheduled" },
    });
    await local.asUser("PATCH", `/crm/v3/objects/deals/${deal.id}`, { properties: { dealstage: "qualifiedtobuy" } });
    const settings = {
      automations: { hygiene: true, stageGates: true },
      stageGates: { pipelines: { default: { mode: "enforce", stages: { appointmentscheduled: { required: ["amount"] } } } } },
    };
    // The stage gate's note call fails after the contact's fix was written: the batch is retried.
    local.hubspot.runtime.control.faults = { next5xx: 1, paths: ["/crm/v3/objects/notes"] };
    const report = await processPortalEvents(
      PORTAL,
      [changeEvent(id), crmEvent("deals", deal.id, { propertyName: "dealstage", propertyValue: "qualifiedtobuy" })],
      local.deps(settings, [countryEngine, stageGatesEngine]),
    );
    expect(report.fates.map((f) => f.kind)).toEqual(["retry", "retry"]);
    expect(await countryOf(id)).toBe("United States");
    const audit = await env.DB.prepare("SELECT action, status FROM audit_log WHERE object_id = ?").bind(id).all();
    expect(audit.results).toEqual([{ action: "update_properties", status: "applied" }]);
    const ledger = await env.DB.prepare("SELECT COUNT(*) AS n FROM event_ledger WHERE processed_at IS NOT NULL").first();
    expect(ledger).toEqual({ n: 0 });
  });

  it("closes as backfilled the stalled claims of a record the backfill's search reconciled, not recent ones", async () => {
    const id = await createContact({ email: "c@example.com", country: "USA" });
    const stalled = changeEvent(id, { occurredAt: Date.now() - 300_000 });
    const recent = changeEvent(id, { occurredAt: Date.now() - 1_000 });
    // Claimed by batches that were lost: one five minutes ago, one just now (it may still be on its way).
    await claimEvents(env.DB, [stalled], Date.now() - 300_000);
    await claimEvents(env.DB, [recent], Date.now() - 1_000);
    const backfilled = crmEvent("contacts", id, { origin: "backfill", eventId: "backfill:1", subscriptionType: "backfill.contacts" });
    await processPortalEvents(PORTAL, [backfilled], deps({ automations: { hygiene: true } }));
    const rows = await env.DB.prepare("SELECT event_id, outcome FROM event_ledger WHERE object_id = ? ORDER BY received_at").bind(id).all();
    expect(rows.results).toEqual([
      { event_id: stalled.eventId, outcome: "backfilled" },
      { event_id: recent.eventId, outcome: null },
      { event_id: "backfill:1", outcome: "applied" },
    ]);
  });
});
