import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { hubspotMock } from "../../../test/msw/hubspot.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { saveInstall } from "../auth/token-store.ts";
import { HubspotCrm } from "../crm/hubspot/hubspot-crm.ts";
import { saveSettings } from "../settings/repository.ts";
import { routeContact } from "./route-contact.ts";
import { routingSettingsDoc, seedOwners } from "./test-support.ts";

const hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId: 880001 });
const network = mockOutbound(...hubspot.handlers);
beforeAll(() => network.enable());
afterAll(() => network.disable());

let portalKey: PortalKey;
let portal: DurableObjectStub<import("../portal/portal-durable-object.ts").PortalDurableObject>;
let next = 880_200;
beforeEach(async () => {
  // A portal key (and so a Durable Object) of its own per test.
  portalKey = `hubspot:${next++}`;
  portal = env.PORTAL.get(env.PORTAL.idFromName(portalKey));
  seedOwners(hubspot);
  await saveInstall(
    env,
    portalKey,
    {
      accessToken: "at",
      refreshToken: "rt",
      expiresAt: Date.now() + 3_600_000,
      scopes: [],
      externalId: portalKey.slice(8),
      userId: "7",
      instanceUrl: null,
    },
    "7",
    Date.now(),
  );
  await saveSettings(env.DB, portalKey, settings(), "test", null, Date.now());
});

function settings() {
  const parsed = parsePortalSettings(routingSettingsDoc());
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  asUser = false,
): Promise<{ id: string; properties: Record<string, string | null> }> {
  const headers: Record<string, string> = { authorization: "Bearer t", "content-type": "application/json" };
  if (asUser) headers["x-local-hubspot-user-id"] = "7";
  const res = await hubspot.app.request(path, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; properties: Record<string, string | null> };
}

/** A new lead routed to rep 101 and written, as the pipeline would; its SLA then made due. */
async function assignedLeadPastItsSla(): Promise<string> {
  const { id } = await api(
    "POST",
    "/crm/v3/objects/contacts",
    { properties: { email: `sla${Math.random()}@example.org`, hs_lead_status: "NEW" } },
    true,
  );
  const crm = new HubspotCrm(env.HUBSPOT_API_BASE, "at", fetch);
  const read = await crm.read("contacts", [id]);
  const contact = read.ok ? read.value.get(id)?.record : undefined;
  if (!contact) throw new Error("contact not readable");
  const routed = await routeContact({
    db: env.DB,
    portalKey,
    crm: "hubspot",
    contact,
    settings: settings(),
    owners: undefined,
    router: portal,
    routeKey: "created",
    kind: "initial",
    now: Date.now(),
  });
  expect(routed.change?.after).toEqual({ hubspot_owner_id: "101" });
  await api("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { hubspot_owner_id: "101" } });
  // The timer is set for 30 minutes from now; make the lead due without touching the alarm itself.
  await runInDurableObject(portal, (_instance, state) => {
    state.storage.sql.exec("UPDATE routing_open SET sla_due_at = ? WHERE lead_id = ?", Date.now() - 1_000, id);
  });
  return id;
}

async function decisions(id: string) {
  return (
    await env.DB.prepare(
      "SELECT kind, owner_id, previous_owner_id, sla_status FROM routing_decisions WHERE portal_key = ? AND object_id = ? ORDER BY id",
    )
      .bind(portalKey, id)
      .all()
  ).results;
}

describe("the SLA alarm", () => {
  it("re-routes a lead its rep did not act on, and tasks the rep's manager", async () => {
    const id = await assignedLeadPastItsSla();
    expect(await runDurableObjectAlarm(portal)).toBe(true);

    expect((await api("GET", `/crm/v3/objects/contacts/${id}?properties=hubspot_owner_id`)).properties.hubspot_owner_id).toBe("102");
    expect(await decisions(id)).toEqual([
      { kind: "initial", owner_id: "101", previous_owner_id: null, sla_status: "breached" },
      { kind: "sla_reroute", owner_id: "102", previous_owner_id: "101", sla_status: "pending" },
    ]);
    const task = await env.DB.prepare(
      "SELECT status, after FROM audit_log WHERE portal_key = ? AND object_id = ? AND action = 'create_task'",
    )
      .bind(portalKey, id)
      .first<{ status: string; after: string }>();
    expect(task?.status).toBe("applied");
    expect(JSON.parse(task?.after ?? "{}")).toMatchObject({ ownerId: "104", subject: expect.stringContaining("SLA missed: Ana") });
    const status = await portal.routingStatus();
    expect(status.state.openLeads).toEqual({ "101": 0, "102": 1 });
    expect(status.nextSlaAt).toBeGreaterThan(Date.now());
  });

  it("lowers the rep's open load when the lead was worked, and re-routes nothing", async () => {
    const id = await assignedLeadPastItsSla();
    await api("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { hs_lead_status: "IN_PROGRESS" } }, true);
    expect(await runDurableObjectAlarm(portal)).toBe(true);

    expect((await api("GET", `/crm/v3/objects/contacts/${id}?properties=hubspot_owner_id`)).properties.hubspot_owner_id).toBe("101");
    expect(await decisions(id)).toEqual([{ kind: "initial", owner_id: "101", previous_owner_id: null, sla_status: "met" }]);
    expect((await portal.routingStatus()).state.openLeads).toEqual({ "101": 0 });
    expect(await portal.openLead(id)).toBeNull();
  });

  it("counts logged activity after the assignment as acting on the lead", async () => {
    const id = await assignedLeadPastItsSla();
    await api(
      "PATCH",
      `/crm/v3/objects/contacts/${id}`,
      { properties: { notes_last_updated: new Date(Date.now() + 1_000).toISOString() } },
      true,
    );
    await runDurableObjectAlarm(portal);
    expect((await decisions(id)).map((d) => d.sla_status)).toEqual(["met"]);
  });
});
