import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DealGatesCardResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { hubspotMock } from "../../../test/msw/hubspot.ts";
import { signedRequest } from "../../test/signed-request.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { saveInstall } from "../auth/token-store.ts";
import { saveSettings } from "../settings/repository.ts";

const PORTAL_ID = 880001;
const hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId: PORTAL_ID });
const network = mockOutbound(...hubspot.handlers);
beforeAll(() => network.enable());
afterAll(() => network.disable());

beforeEach(async () => {
  await env.DB.batch(
    ["record_snapshots", "crm_reference_cache", "stage_gate_decisions", "settings_versions"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
  await saveInstall(
    env,
    `hubspot:${PORTAL_ID}`,
    {
      accessToken: "at",
      refreshToken: "rt",
      expiresAt: Date.now() + 3_600_000,
      scopes: [],
      externalId: String(PORTAL_ID),
      userId: "7",
      instanceUrl: null,
    },
    "7",
    Date.now(),
  );
  const settings = parsePortalSettings({
    stageGates: { pipelines: { default: { mode: "enforce", stages: { appointmentscheduled: { required: ["amount", "closedate"] } } } } },
  });
  if (!settings.ok) throw new Error(settings.error.message);
  await saveSettings(env.DB, `hubspot:${PORTAL_ID}`, settings.value, "test", null, Date.now());
});

async function createDeal(properties: Record<string, string>): Promise<string> {
  const res = await hubspot.app.request("/crm/v3/objects/deals", {
    method: "POST",
    headers: { authorization: "Bearer t", "content-type": "application/json" },
    body: JSON.stringify({ properties }),
  });
  return ((await res.json()) as { id: string }).id;
}

const cardUrl = (portalId: number, objectId: string) =>
  `https://autopilot.test/api/cards/deal-gates?portalId=${portalId}&userId=7&objectType=deals&objectId=${objectId}`;

describe("GET /api/cards/deal-gates", () => {
  it("lists what leaving the current stage still needs, in observe-only mode", async () => {
    const id = await createDeal({ dealname: "Acme", pipeline: "default", dealstage: "appointmentscheduled", amount: "5000" });
    const res = await exports.default.fetch(await signedRequest(cardUrl(PORTAL_ID, id), "", { method: "GET" }));
    expect(res.status).toBe(200);
    const card = (await res.json()) as DealGatesCardResponse;
    expect(card.stage.id).toBe("appointmentscheduled");
    expect(card.nextStage?.id).toBe("qualifiedtobuy");
    expect(card.gateMode).toBe("enforce");
    expect(card.items.map((i) => [i.properties[0]?.name, i.met])).toEqual([
      ["amount", true],
      ["closedate", false],
    ]);
    expect(card.ready).toBe(false);
    expect(card.mode).toBe("observe");
  });

  it("answers the second view from D1 without calling HubSpot", async () => {
    const id = await createDeal({ dealname: "Beta", pipeline: "default", dealstage: "appointmentscheduled" });
    await exports.default.fetch(await signedRequest(cardUrl(PORTAL_ID, id), "", { method: "GET" }));
    let calls = 0;
    const counting = hubspot.app.fetch;
    hubspot.app.fetch = (...args) => {
      calls++;
      return counting(...args);
    };
    const res = await exports.default.fetch(await signedRequest(cardUrl(PORTAL_ID, id), "", { method: "GET" }));
    hubspot.app.fetch = counting;
    expect(res.status).toBe(200);
    expect(calls).toBe(0);
  });

  it("answers 404 for a deal the portal does not have", async () => {
    const res = await exports.default.fetch(await signedRequest(cardUrl(PORTAL_ID, "999999"), "", { method: "GET" }));
    expect(res.status).toBe(404);
  });

  it("refuses an unsigned request and one whose query was changed after signing", async () => {
    const id = await createDeal({ dealname: "Gamma", pipeline: "default", dealstage: "appointmentscheduled" });
    expect((await exports.default.fetch(cardUrl(PORTAL_ID, id))).status).toBe(401);
    const signed = await signedRequest(cardUrl(PORTAL_ID, id), "", { method: "GET" });
    const tampered = new Request(cardUrl(999, id), { headers: signed.headers });
    expect((await exports.default.fetch(tampered)).status).toBe(401);
  });
});
