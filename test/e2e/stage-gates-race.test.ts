import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signHubspotV3 } from "../../local-hubspot/webhooks/signature.ts";
import { eventually, STACK_PORTAL_ID, STACK_SECRETS, type Stack, startStack } from "./stack.ts";

// Leaving qualifiedtobuy needs an amount, so appointmentscheduled → presentationscheduled skips a gate.
const SETTINGS = {
  automations: { stageGates: true },
  stageGates: { pipelines: { default: { mode: "enforce", stages: { qualifiedtobuy: { required: ["amount"] } } } } },
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ settings: SETTINGS });
});
afterAll(async () => {
  await stack?.stop();
});

type HistoryEntry = { value: string; sourceId?: string };
type Metrics = { counters: Record<string, number> };

async function hubspot<T>(path: string): Promise<T> {
  const res = await fetch(`${stack.hubspot.url}${path}`, { headers: { authorization: `Bearer ${STACK_SECRETS.HUBSPOT_ACCESS_TOKEN}` } });
  return (await res.json()) as T;
}

async function moveAsRep(id: string, dealstage: string): Promise<void> {
  const res = await stack.hubspotAsUser(`/crm/v3/objects/deals/${id}`, {
    method: "PATCH",
    body: JSON.stringify({ properties: { dealstage } }),
  });
  expect(res.status).toBe(200);
}

/** Delivers `events` again as HubSpot does after a timeout: a new signed request, same event ids. */
async function redeliver(events: unknown[]): Promise<void> {
  const url = `${stack.worker.url}/webhooks/hubspot`;
  const body = JSON.stringify(events);
  const timestamp = Date.now();
  const signature = await signHubspotV3({ clientSecret: STACK_SECRETS.HUBSPOT_CLIENT_SECRET, method: "POST", url, body, timestamp });
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-hubspot-signature-v3": signature, "x-hubspot-request-timestamp": String(timestamp) },
  });
  expect(res.status).toBe(200);
}

describe("stage gates under racing deliveries, end to end through wrangler dev", () => {
  it("a skip, the rep's next move and redelivered webhooks end in one revert to before the skip, one note, one task", async () => {
    const created = await stack.hubspotAsUser("/crm/v3/objects/deals", {
      method: "POST",
      body: JSON.stringify({ properties: { dealname: "Racing deal", pipeline: "default", dealstage: "appointmentscheduled" } }),
    });
    const { id } = (await created.json()) as { id: string };
    await moveAsRep(id, "presentationscheduled");
    await new Promise((resolve) => setTimeout(resolve, 150));
    await moveAsRep(id, "decisionmakerboughtin");
    await stack.hubspot.runtime.webhooks.idle();

    // Both stage events again, each in its own request, twice over and at once: several batches judge the same deal.
    const stageEvents = stack.hubspot.runtime.webhooks.journal.filter(
      (e) => String(e.objectId) === id && e.subscriptionType === "deal.propertyChange" && e.propertyName === "dealstage",
    );
    expect(stageEvents).toHaveLength(2);
    await Promise.all([...stageEvents, ...stageEvents].map((e) => redeliver([e])));

    const history = () =>
      hubspot<{ properties: { dealstage: string }; propertiesWithHistory: { dealstage: HistoryEntry[] } }>(
        `/crm/v3/objects/deals/${id}?propertiesWithHistory=dealstage`,
      );
    await eventually(async () =>
      (await history()).propertiesWithHistory.dealstage.some((h) => h.sourceId === STACK_SECRETS.HUBSPOT_APP_ID),
    );
    // Then every event (the revert's own echo too) is consumed before counting; a straggling batch gets a moment more.
    await stack.hubspot.runtime.webhooks.idle();
    const sent = stack.hubspot.runtime.webhooks.journal.length + 4;
    await eventually(async () => {
      const { counters } = await stack.admin<Metrics>(`/portals/${STACK_PORTAL_ID}/metrics`);
      const outcomes = ["events_processed", "events_duplicate", "events_own_write", "events_dead_lettered"];
      return outcomes.reduce((sum, name) => sum + (counters[name] ?? 0), 0) >= sent;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const deal = await history();
    const notes = await hubspot<{ results: unknown[] }>("/crm/v3/objects/notes?limit=100");
    const tasks = await hubspot<{ results: unknown[] }>("/crm/v3/objects/tasks?limit=100");
    expect({
      stage: deal.properties.dealstage,
      reverts: deal.propertiesWithHistory.dealstage.filter((h) => h.sourceId === STACK_SECRETS.HUBSPOT_APP_ID).length,
      notes: notes.results.length,
      tasks: tasks.results.length,
    }).toEqual({ stage: "appointmentscheduled", reverts: 1, notes: 1, tasks: 1 });
  });
});
