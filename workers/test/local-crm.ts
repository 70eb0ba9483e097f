import { env } from "cloudflare:workers";
import { createLocalHubspot, type LocalHubspot } from "../../local-hubspot/index.ts";
import type { PortalKey } from "../../shared/domain/types.ts";
import type { CrmEvent } from "../../shared/events/types.ts";
import { parsePortalSettings } from "../../shared/settings/portal-settings.ts";
import { HubspotCrm } from "../src/crm/hubspot/hubspot-crm.ts";
import type { Engine } from "../src/engines/types.ts";
import { createLogger } from "../src/lib/logger.ts";
import type { PortalDeps } from "../src/queue/process-events.ts";

export const APP_ID = "424242";
export const PORTAL: PortalKey = "hubspot:880001";

/** A fresh in-memory HubSpot portal, the real api-client adapter pointed at it, and a log of the calls made. */
export function localCrm() {
  const hubspot: LocalHubspot = createLocalHubspot({ appId: APP_ID, portalId: 880001 });
  const calls: string[] = [];
  const crm = new HubspotCrm("https://api.hubapi.test", "private-token", async (request) => {
    calls.push(`${request.method} ${new URL(request.url).pathname}`);
    return hubspot.app.fetch(request);
  });

  /** Creates or changes a record as a person in HubSpot's UI would (history says `userId:7`). */
  async function asUser(method: string, path: string, body: unknown): Promise<{ id: string }> {
    const res = await hubspot.app.request(path, {
      method,
      headers: { authorization: "Bearer user", "content-type": "application/json", "x-local-hubspot-user-id": "7" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  }

  async function get(objectType: string, id: string, properties: string[]): Promise<Record<string, string | null>> {
    const res = await hubspot.app.request(`/crm/v3/objects/${objectType}/${id}?properties=${properties.join(",")}`, {
      headers: { authorization: "Bearer t" },
    });
    return ((await res.json()) as { properties: Record<string, string | null> }).properties;
  }

  function deps(settingsDoc: unknown, engines: readonly Engine[]): PortalDeps {
    const parsed = parsePortalSettings(settingsDoc);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return {
      db: env.DB,
      appId: APP_ID,
      engines,
      log: createLogger({ test: true }),
      now: Date.now,
      settingsFor: async () => parsed.value,
      crmFor: async () => ({ ok: true as const, value: crm }),
    };
  }

  return { hubspot, crm, calls, asUser, get, deps };
}

export function crmEvent(objectType: CrmEvent["objectType"], objectId: string, over: Partial<CrmEvent> = {}): CrmEvent {
  const singular = { contacts: "contact", companies: "company", deals: "deal" }[objectType];
  return {
    portalKey: PORTAL,
    origin: "webhook",
    kind: "changed",
    objectType,
    objectId,
    eventId: `evt-${objectId}-${Math.random()}`,
    subscriptionType: `${singular}.propertyChange`,
    occurredAt: Date.now(),
    sourceId: "userId:7",
    ...over,
  };
}

/** Empties the tables a test writes, since D1 storage is shared by the tests of one file. */
export async function clearTables(...tables: string[]): Promise<void> {
  await env.DB.batch(tables.map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
}
