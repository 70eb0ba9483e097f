import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Signature } from "@hubspot/api-client";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningLocalHubspot, startLocalHubspot } from "../../local-hubspot/server.ts";
import type { WebhookEvent } from "../../local-hubspot/webhooks/events.ts";

type Received = { url: string; body: string; events: WebhookEvent[]; signature: string; timestamp: number };

/** A webhook receiver that answers each delivery with the next planned status (then 200), or hangs on "hang". */
async function receiver(plan: (number | "hang")[] = []) {
  const received: Received[] = [];
  const app = new Hono();
  app.post("/hooks/hubspot", async (c) => {
    const body = await c.req.text();
    received.push({
      url: c.req.url,
      body,
      events: JSON.parse(body) as WebhookEvent[],
      signature: c.req.header("x-hubspot-signature-v3") ?? "",
      timestamp: Number(c.req.header("x-hubspot-request-timestamp")),
    });
    const next = plan.shift() ?? 200;
    if (next === "hang") await new Promise((r) => setTimeout(r, 400));
    return c.body(null, next === "hang" ? 200 : (next as 200));
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const running: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function setup(plan: (number | "hang")[] = [], query = "") {
  const rx = await receiver(plan);
  const hs = await startLocalHubspot({
    webhook: {
      targetUrl: `http://127.0.0.1:${rx.port}/hooks/hubspot${query}`,
      clientSecret: "shh",
      appId: 4242,
      portalId: 99,
      backoffMs: 20,
      timeoutMs: 150,
      batchDelayMs: 10,
    },
  });
  running.push(hs, { stop: rx.close });
  const call = (hsx: RunningLocalHubspot, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${hsx.url}${path}`, {
      method,
      headers: { authorization: "Bearer app-token", "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => ({}))) as Record<string, unknown> }));
  return {
    rx,
    hs,
    call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(hs, method, path, body, headers),
  };
}

describe("webhooks", () => {
  it("signs each batch with v3 over the URI HubSpot decodes, verifiable by @hubspot/api-client", async () => {
    const { rx, hs, call } = await setup([], "?portal=a%3Ab");
    await call("POST", "/crm/v3/objects/contacts", { properties: { email: "sig@acme.com" } });
    await hs.runtime.webhooks.idle();
    const got = rx.received[0];
    expect(got).toBeDefined();
    if (!got) return;
    const url = `http://127.0.0.1:${rx.port}/hooks/hubspot?portal=a:b`;
    const check = (u: string) =>
      Signature.isValid({
        signatureVersion: "v3",
        signature: got.signature,
        clientSecret: "shh",
        requestBody: got.body,
        url: u,
        method: "POST",
        timestamp: got.timestamp,
      });
    expect(check(url)).toBe(true);
    expect(check(got.url)).toBe(false);
  });

  it("sends creation, property changes and deletion of API writes with the app's id as sourceId", async () => {
    const { rx, hs, call } = await setup();
    const created = await call("POST", "/crm/v3/objects/deals", {
      properties: { dealname: "D", pipeline: "default", dealstage: "qualifiedtobuy" },
    });
    const id = String(created.body.id);
    await call("PATCH", `/crm/v3/objects/0-3/${id}`, { properties: { dealstage: "contractsent" } });
    await call("DELETE", `/crm/v3/objects/deals/${id}`);
    await hs.runtime.webhooks.idle();
    const events = rx.received.flatMap((r) => r.events);
    expect(events.map((e) => [e.subscriptionType, e.propertyName, e.propertyValue])).toEqual([
      ["deal.creation", undefined, undefined],
      ["deal.propertyChange", "dealstage", "contractsent"],
      ["deal.deletion", undefined, undefined],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        portalId: 99,
        appId: 4242,
        objectId: Number(id),
        changeSource: "INTEGRATION",
        sourceId: "4242",
        attemptNumber: 0,
      });
      expect(e.eventId).toEqual(expect.any(Number));
      expect(e.subscriptionId).toEqual(expect.any(Number));
      expect(e.occurredAt).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it("marks UI-like writes with userId and sends merge events with HubSpot's merge fields", async () => {
    const { rx, hs, call } = await setup();
    const ui = { "x-local-hubspot-user-id": "55" };
    const a = await call("POST", "/crm/v3/objects/contacts", { properties: { email: "m1@acme.com" } }, ui);
    const b = await call("POST", "/crm/v3/objects/contacts", { properties: { email: "m2@acme.com" } }, ui);
    const merged = await call("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: a.body.id, objectIdToMerge: b.body.id }, ui);
    await hs.runtime.webhooks.idle();
    const events = rx.received.flatMap((r) => r.events);
    expect(events[0]).toMatchObject({ subscriptionType: "contact.creation", changeSource: "CRM_UI", sourceId: "userId:55" });
    expect(events.at(-1)).toMatchObject({
      subscriptionType: "contact.merge",
      objectId: Number(merged.body.id),
      primaryObjectId: Number(a.body.id),
      mergedObjectIds: [Number(b.body.id)],
      newObjectId: Number(merged.body.id),
    });
  });

  it("batches at most 100 events per delivery", async () => {
    const { rx, hs, call } = await setup();
    for (const offset of [0, 100]) {
      const inputs = Array.from({ length: 100 }, (_, i) => ({ properties: { email: `bulk${offset + i}@acme.com` } }));
      expect((await call("POST", "/crm/v3/objects/contacts/batch/create", { inputs })).status).toBe(201);
    }
    await hs.runtime.webhooks.idle();
    const sizes = rx.received.map((r) => r.events.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it("retries a failed or unanswered delivery with backoff and a higher attemptNumber", async () => {
    const { rx, hs, call } = await setup([500, "hang"]);
    await call("POST", "/crm/v3/objects/companies", { properties: { name: "Retry Co" } });
    await hs.runtime.webhooks.idle();
    expect(rx.received.map((r) => r.events[0]?.attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(rx.received.map((r) => r.events[0]?.eventId)).size).toBe(1);
    expect(hs.runtime.webhooks.deliveries.map((d) => d.status)).toEqual([500, "timeout", 200]);
  });
});
