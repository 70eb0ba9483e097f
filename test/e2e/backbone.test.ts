import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, STACK_PORTAL_ID, type Stack, startStack } from "./stack.ts";

type Metrics = { counters: Record<string, number> };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const metrics = () => stack.admin<Metrics>(`/portals/${STACK_PORTAL_ID}/metrics`);

describe("the backbone, end to end through wrangler dev and the local HubSpot server", () => {
  it("processes the signed webhooks a contact creation causes, once", async () => {
    const res = await stack.hubspotAsUser("/crm/v3/objects/contacts", {
      method: "POST",
      body: JSON.stringify({ properties: { email: "ada@example.com", firstname: "ada", phone: "415 555 0100" } }),
    });
    expect(res.status).toBe(201);
    const counters = await eventually(async () => {
      const m = await metrics();
      return (m.counters.events_processed ?? 0) >= 1 ? m.counters : null;
    });
    expect(counters.events_dead_lettered ?? 0).toBe(0);
    const deliveries = stack.hubspot.runtime.webhooks.deliveries;
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.ok)).toBe(true);
  });

  it("starts the portal observe-only, and saves settings as versions with who and when", async () => {
    const current = await stack.admin<{ version: number; settings: { automations: Record<string, boolean> } }>(
      `/portals/${STACK_PORTAL_ID}/settings`,
    );
    expect(current.version).toBe(0);
    expect(Object.values(current.settings.automations)).toEqual([false, false, false, false]);
    const saved = await stack.admin<{ version: number }>(`/portals/${STACK_PORTAL_ID}/settings`, {
      method: "PUT",
      body: JSON.stringify({ automations: { hygiene: true } }),
    });
    expect(saved.version).toBe(1);
    const versions = await stack.admin<{ versions: Array<{ version: number; createdBy: string }> }>(
      `/portals/${STACK_PORTAL_ID}/settings/versions`,
    );
    expect(versions.versions).toMatchObject([{ version: 1, createdBy: "admin-api" }]);
  });

  it("rejects an invalid settings document with every problem and keeps the last good version", async () => {
    const res = await fetch(`${stack.worker.url}/api/admin/portals/${STACK_PORTAL_ID}/settings`, {
      method: "PUT",
      headers: { authorization: "Bearer e2e-admin-token", "content-type": "application/json" },
      body: JSON.stringify({ automations: { hygiene: "yes" }, apiBudget: { perTenSeconds: -1 } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { problems: Array<{ path: string }> } };
    expect(body.error.problems.map((p) => p.path).sort()).toEqual(["apiBudget.perTenSeconds", "automations.hygiene"]);
    const current = await stack.admin<{ version: number }>(`/portals/${STACK_PORTAL_ID}/settings`);
    expect(current.version).toBe(1);
  });

  it("refuses the admin API without the token", async () => {
    const res = await fetch(`${stack.worker.url}/api/admin/portals/${STACK_PORTAL_ID}/settings`);
    expect(res.status).toBe(401);
  });
});
