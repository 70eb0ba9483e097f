import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { emptyContact } from "../../../shared/domain/types.ts";
import { contactToLead } from "../../../shared/routing/lead.ts";
import { parseRoutingSettings } from "../../../shared/routing/settings.ts";
import { clearTables, crmEvent, localCrm, PORTAL } from "../../test/local-crm.ts";
import { processPortalEvents } from "../queue/process-events.ts";
import type { RouteLeadResult } from "../routing/routing-store.ts";
import { freshPortalObject, routingSettingsDoc, seedOwners } from "../routing/test-support.ts";
import { backfillRouteKey, createRoutingEngine } from "./routing-engine.ts";

let local: ReturnType<typeof localCrm>;
let portal: ReturnType<typeof freshPortalObject>;
let engine: ReturnType<typeof createRoutingEngine>;
beforeEach(async () => {
  await clearTables(
    "audit_log",
    "event_ledger",
    "own_writes",
    "routing_decisions",
    "routing_companies",
    "crm_reference_cache",
    "hygiene_scores",
  );
  local = localCrm();
  seedOwners(local.hubspot);
  portal = freshPortalObject();
  engine = createRoutingEngine(() => portal);
});

async function newLead(properties: Record<string, string> = {}): Promise<string> {
  const n = Math.floor(Math.random() * 1e9);
  return (
    await local.asUser("POST", "/crm/v3/objects/contacts", {
      properties: { email: `lead${n}@example.org`, firstname: "Lee", ...properties },
    })
  ).id;
}

const created = (id: string) => crmEvent("contacts", id, { kind: "created", subscriptionType: "contact.creation" });

async function decisionRows(id: string) {
  return (
    await env.DB.prepare(
      "SELECT kind, mode, outcome, owner_id, sla_status, speed_to_lead_ms, decision FROM routing_decisions WHERE object_id = ?",
    )
      .bind(id)
      .all<{
        kind: string;
        mode: string;
        outcome: string;
        owner_id: string;
        sla_status: string;
        speed_to_lead_ms: number;
        decision: string;
      }>()
  ).results;
}

describe("routing on the event pipeline", () => {
  it("writes the chosen owner when routing is on and keeps the decision with its reasons", async () => {
    const id = await newLead();
    await processPortalEvents(PORTAL, [created(id)], local.deps(routingSettingsDoc(), [engine]));

    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id).toBe("101");
    const [row] = await decisionRows(id);
    expect(row).toMatchObject({ kind: "initial", mode: "auto", outcome: "assigned", owner_id: "101", sla_status: "pending" });
    expect(row?.speed_to_lead_ms).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(row?.decision ?? "{}").reasons.at(-1)).toBe("assigned to 101 Ana");
    const audit = await env.DB.prepare("SELECT automation, status, rule FROM audit_log WHERE object_id = ?").bind(id).all();
    expect(audit.results).toEqual([{ automation: "routing", status: "applied", rule: "routing:assign" }]);
    expect((await portal.openLead(id))?.ownerId).toBe("101");
  });

  it("only records the decision when observe-only, without moving the live rotation", async () => {
    const id = await newLead();
    await processPortalEvents(PORTAL, [created(id)], local.deps(routingSettingsDoc({ on: false }), [engine]));

    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id ?? null).toBeNull();
    expect((await decisionRows(id)).map((r) => [r.mode, r.owner_id, r.sla_status])).toEqual([["observe", "101", "none"]]);
    const statuses = await env.DB.prepare("SELECT status FROM audit_log WHERE object_id = ?").bind(id).all();
    expect(statuses.results).toEqual([{ status: "observed" }]);
    const status = await portal.routingStatus();
    expect(status.state.lastAssigned).toEqual({});
    expect(status.shadow.lastAssigned).toEqual({ all: "101" });
    expect(await portal.openLead(id)).toBeNull();

    // Turned on later, the first real lead starts the rotation from the beginning.
    const next = await newLead();
    await processPortalEvents(PORTAL, [created(next)], local.deps(routingSettingsDoc(), [engine]));
    expect((await local.get("contacts", next, ["hubspot_owner_id"])).hubspot_owner_id).toBe("101");
  });

  it("assigns a lead once when its event is redelivered after a failed write", async () => {
    const id = await newLead();
    const deps = local.deps(routingSettingsDoc(), [engine]);
    const event = created(id);
    const real = local.hubspot.app.fetch;
    let failed = false;
    local.hubspot.app.fetch = (request: Request, ...rest: unknown[]) => {
      if (!failed && new URL(request.url).pathname.endsWith("/batch/update")) {
        failed = true;
        return new Response(JSON.stringify({ status: "error", message: "unavailable" }), { status: 503 });
      }
      return (real as (r: Request, ...x: unknown[]) => Response | Promise<Response>)(request, ...rest);
    };
    const first = await processPortalEvents(PORTAL, [event], deps);
    expect(first.fates[0]?.kind).toBe("retry");
    await processPortalEvents(PORTAL, [event], deps);
    local.hubspot.app.fetch = real;

    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id).toBe("101");
    expect(await decisionRows(id)).toHaveLength(1);
    // The rotation moved once: the next lead goes to the second rep.
    const next = await newLead();
    await processPortalEvents(PORTAL, [created(next)], deps);
    expect((await local.get("contacts", next, ["hubspot_owner_id"])).hubspot_owner_id).toBe("102");
  });

  it("skips archived owners and says so", async () => {
    seedOwners(local.hubspot, ["101"]);
    const id = await newLead();
    await processPortalEvents(PORTAL, [created(id)], local.deps(routingSettingsDoc(), [engine]));

    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id).toBe("102");
    const decision = JSON.parse((await decisionRows(id))[0]?.decision ?? "{}");
    const ana = decision.queues[0].candidates.find((c: { ownerId: string }) => c.ownerId === "101");
    expect(ana).toMatchObject({ eligible: false, reasons: ["archived in the CRM"] });
  });

  it("leaves contacts that already have an owner alone", async () => {
    const id = await newLead({ hubspot_owner_id: "103" });
    await processPortalEvents(PORTAL, [created(id)], local.deps(routingSettingsDoc(), [engine]));
    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id).toBe("103");
    expect(await decisionRows(id)).toHaveLength(0);
  });

  it("routes an unowned contact again when its lead status puts it back in play", async () => {
    const id = await newLead();
    const change = crmEvent("contacts", id, { propertyName: "hs_lead_status", propertyValue: "NEW" });
    await processPortalEvents(PORTAL, [change], local.deps(routingSettingsDoc(), [engine]));
    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id).toBe("101");
    const other = crmEvent("contacts", id, { propertyName: "hs_lead_status", propertyValue: "UNQUALIFIED" });
    expect(
      engine.wants({
        objectType: "contacts",
        objectId: id,
        events: [other],
        gone: false,
        created: false,
        changedProperties: new Set(["hs_lead_status"]),
      }),
    ).toBe(false);
  });

  it("routes an unowned contact the backfill found (its creation webhook never came), and not an owned or cold one", async () => {
    const fresh = await newLead();
    const owned = await newLead({ hubspot_owner_id: "103" });
    const backfilled = (id: string) =>
      crmEvent("contacts", id, { origin: "backfill", eventId: "backfill:1", subscriptionType: "backfill.contacts" });
    await processPortalEvents(PORTAL, [backfilled(fresh), backfilled(owned)], local.deps(routingSettingsDoc(), [engine]));
    expect((await local.get("contacts", fresh, ["hubspot_owner_id"])).hubspot_owner_id).toBe("101");
    expect((await local.get("contacts", owned, ["hubspot_owner_id"])).hubspot_owner_id).toBe("103");
    // Its creation webhook, late: the lead is owned now and routed once.
    await processPortalEvents(PORTAL, [created(fresh)], local.deps(routingSettingsDoc(), [engine]));
    expect(await decisionRows(fresh)).toHaveLength(1);
    expect(backfillRouteKey({ ...emptyContact("1"), createdAt: new Date(0).toISOString(), lifecycleStage: "customer" }, Date.now())).toBe(
      null,
    );
    expect(
      backfillRouteKey(
        { ...emptyContact("1"), createdAt: new Date(0).toISOString(), updatedAt: new Date(5).toISOString(), lifecycleStage: "lead" },
        Date.now(),
      ),
    ).toBe("reentry:5");
  });

  it("routes the unowned survivor of a merge of new leads", async () => {
    const id = await newLead();
    const merged = crmEvent("contacts", id, { kind: "merged", subscriptionType: "contact.merge", newObjectId: id });
    await processPortalEvents(PORTAL, [merged], local.deps(routingSettingsDoc(), [engine]));
    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id).toBe("101");
  });

  it("gives a lead to the owner of the company sharing its email domain", async () => {
    const company = await local.asUser("POST", "/crm/v3/objects/companies", {
      properties: { name: "Acme", domain: "acme.com", hubspot_owner_id: "103" },
    });
    const companyEvent = crmEvent("companies", company.id, { kind: "created", subscriptionType: "company.creation" });
    const id = await newLead({ email: "jo@eu.acme.com" });
    await processPortalEvents(PORTAL, [companyEvent, created(id)], local.deps(routingSettingsDoc(), [engine]));

    expect((await local.get("contacts", id, ["hubspot_owner_id"])).hubspot_owner_id).toBe("103");
    const decision = JSON.parse((await decisionRows(id))[0]?.decision ?? "{}");
    expect(decision.via).toBe("account");
  });
});

describe("routing state in the portal's Durable Object", () => {
  const settings = parseRoutingSettings(routingSettingsDoc().routing);
  if (!settings.ok) throw new Error(settings.error.message);
  const lead = (id: string) => contactToLead({ ...emptyContact(id), email: `${id}@example.org` });

  it("gives two concurrent leads different round-robin slots", async () => {
    const request = (id: string) =>
      portal.routeLead({
        portalKey: PORTAL,
        routeKey: "created",
        lead: lead(id),
        context: {},
        settings: settings.value,
        mode: "auto",
        now: Date.now(),
      });
    const results = (await Promise.all([request("9001"), request("9002")])) as RouteLeadResult[];
    const owners = results.map((r) => (r.ok ? r.decision.ownerId : null));
    expect(new Set(owners)).toEqual(new Set(["101", "102"]));
    expect((await portal.routingStatus()).state.openLeads).toEqual({ "101": 1, "102": 1 });
  });

  it("answers a repeated request for the same lead with the first decision", async () => {
    const request = () =>
      portal.routeLead({
        portalKey: PORTAL,
        routeKey: "created",
        lead: lead("9003"),
        context: {},
        settings: settings.value,
        mode: "auto",
        now: Date.now(),
      });
    const [a, b] = (await Promise.all([request(), request()])) as RouteLeadResult[];
    expect(a?.ok && b?.ok && [a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a?.ok && b?.ok && a.decision.ownerId === b.decision.ownerId).toBe(true);
    expect((await portal.routingStatus()).state.openLeads).toEqual({ "101": 1 });
  });
});
