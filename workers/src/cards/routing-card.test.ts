import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApiErrorBody, RerouteResponse, RoutingCardResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { hubspotMock } from "../../../test/msw/hubspot.ts";
import { signedRequest } from "../../test/signed-request.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { saveInstall } from "../auth/token-store.ts";
import { HubspotCrm } from "../crm/hubspot/hubspot-crm.ts";
import { routeContact } from "../routing/route-contact.ts";
import { routingSettingsDoc, seedOwners } from "../routing/test-support.ts";
import { saveSettings } from "../settings/repository.ts";

const hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId: 880001 });
const network = mockOutbound(...hubspot.handlers);
beforeAll(() => network.enable());
afterAll(() => network.disable());

let portalId: number;
let next = 880_300;
const keyOf = (id: number): PortalKey => `hubspot:${id}`;

async function install(id: number, doc: unknown): Promise<void> {
  await saveInstall(
    env,
    keyOf(id),
    {
      accessToken: "at",
      refreshToken: "rt",
      expiresAt: Date.now() + 3_600_000,
      scopes: [],
      externalId: String(id),
      userId: "7",
      instanceUrl: null,
    },
    "7",
    Date.now(),
  );
  const parsed = parsePortalSettings(doc);
  if (!parsed.ok) throw new Error(parsed.error.message);
  await saveSettings(env.DB, keyOf(id), parsed.value, "test", null, Date.now());
}

beforeEach(async () => {
  portalId = next++;
  seedOwners(hubspot);
  await install(portalId, routingSettingsDoc());
});

async function newContact(properties: Record<string, string> = {}): Promise<string> {
  const res = await hubspot.app.request("/crm/v3/objects/contacts", {
    method: "POST",
    headers: { authorization: "Bearer t", "content-type": "application/json" },
    body: JSON.stringify({ properties: { email: `card${Math.random()}@example.org`, ...properties } }),
  });
  return ((await res.json()) as { id: string }).id;
}

/** Routes and writes the contact as the pipeline would. */
async function routed(id: string, on = true): Promise<void> {
  const doc = routingSettingsDoc({ on });
  const settings = parsePortalSettings(doc);
  if (!settings.ok) throw new Error(settings.error.message);
  const crm = new HubspotCrm(env.HUBSPOT_API_BASE, "at", fetch);
  const read = await crm.read("contacts", [id]);
  const contact = read.ok ? read.value.get(id)?.record : undefined;
  if (!contact) throw new Error("no contact");
  const out = await routeContact({
    db: env.DB,
    portalKey: keyOf(portalId),
    crm: "hubspot",
    contact,
    settings: settings.value,
    owners: undefined,
    router: env.PORTAL.get(env.PORTAL.idFromName(keyOf(portalId))),
    routeKey: "created",
    kind: "initial",
    now: Date.now(),
  });
  if (on && out.change) await crm.update("contacts", [{ id, properties: out.change.after }]);
}

const url = (path: string, pid: number, objectId: string, userId = 7) =>
  `https://autopilot.test/api/cards/${path}?portalId=${pid}&userId=${userId}&objectType=contacts&objectId=${objectId}`;

async function getCard(pid: number, objectId: string): Promise<{ status: number; body: RoutingCardResponse }> {
  const res = await exports.default.fetch(await signedRequest(url("routing", pid, objectId), "", { method: "GET" }));
  return { status: res.status, body: (await res.json()) as RoutingCardResponse };
}

async function reroute(pid: number, objectId: string, userId: number, body: unknown) {
  const res = await exports.default.fetch(await signedRequest(url("routing/reroute", pid, objectId, userId), JSON.stringify(body)));
  return { status: res.status, body: (await res.json()) as RerouteResponse & ApiErrorBody };
}

describe("GET /api/cards/routing", () => {
  it("says a record no decision covers is unrouted", async () => {
    const { status, body } = await getCard(portalId, await newContact());
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "unrouted", owner: null, reasons: [], sla: { status: "none", minutes: 30 } });
  });

  it("shows the owner, the rule, the candidates, speed-to-lead and a pending SLA", async () => {
    const id = await newContact();
    await routed(id);
    const { body } = await getCard(portalId, id);
    expect(body).toMatchObject({
      status: "assigned",
      owner: { id: "101", name: "Ana", email: "ana@demo.example" },
      queue: { id: "all", name: "Everyone" },
      matchedRule: { id: "everyone", name: "Every lead" },
      strategy: "round_robin",
      mode: "auto",
      sla: { status: "pending", minutes: 30, reroutedAt: null },
    });
    expect(body.candidates.map((c) => [c.id, c.chosen])).toEqual([
      ["101", true],
      ["102", false],
      ["103", false],
    ]);
    expect(body.reasons.at(-1)).toBe("assigned to 101 Ana");
    expect(body.speedToLeadMs).toBeGreaterThanOrEqual(0);
    expect(body.permissions.canReroute).toBe(true);
  });

  it("shows an observe-only decision without an SLA", async () => {
    await install(portalId, routingSettingsDoc({ on: false }));
    const id = await newContact();
    await routed(id, false);
    const { body } = await getCard(portalId, id);
    expect(body).toMatchObject({ status: "assigned", mode: "observe", sla: { status: "none" } });
    expect(body.modeReason).toContain("observe-only");
  });

  it("never shows another portal's decision for the same record id", async () => {
    const id = await newContact();
    await routed(id);
    const other = next++;
    await install(other, routingSettingsDoc());
    const { status, body } = await getCard(other, id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "unrouted", owner: null, reasons: [] });
  });
});

describe("POST /api/cards/routing/reroute", () => {
  it("refuses a user without the reroute permission", async () => {
    const id = await newContact();
    await routed(id);
    const { status, body } = await reroute(portalId, id, 55, { reason: "wrong territory" });
    expect(status).toBe(403);
    expect(body.error.code).toBe("forbidden");
  });

  it("moves the lead to the next rep, writes it and shows the new decision", async () => {
    const id = await newContact();
    await routed(id);
    const { status, body } = await reroute(portalId, id, 7, { reason: "wrong territory" });
    expect(status).toBe(200);
    expect(body.status).toBe("rerouted");
    expect(body.card.owner?.id).toBe("102");
    expect(body.card.reasons[0]).toBe("re-routing away from 101: re-routed by user 7: wrong territory");
    expect(body.card.sla.reroutedAt).not.toBeNull();
    const res = await hubspot.app.request(`/crm/v3/objects/contacts/${id}?properties=hubspot_owner_id`, {
      headers: { authorization: "Bearer t" },
    });
    expect(((await res.json()) as { properties: Record<string, string> }).properties.hubspot_owner_id).toBe("102");
  });

  it("only records the new decision when routing is observe-only", async () => {
    await install(portalId, routingSettingsDoc({ on: false }));
    const id = await newContact({ hubspot_owner_id: "103" });
    const { body } = await reroute(portalId, id, 7, { reason: "rep left" });
    expect(body.status).toBe("observed");
    const res = await hubspot.app.request(`/crm/v3/objects/contacts/${id}?properties=hubspot_owner_id`, {
      headers: { authorization: "Bearer t" },
    });
    expect(((await res.json()) as { properties: Record<string, string> }).properties.hubspot_owner_id).toBe("103");
  });

  it("asks for a reason", async () => {
    const id = await newContact();
    const { status } = await reroute(portalId, id, 7, { reason: " " });
    expect(status).toBe(400);
  });
});
