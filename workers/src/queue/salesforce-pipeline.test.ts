import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { clearTables, crmEvent } from "../../test/local-crm.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { createBudgetedFetch } from "../crm/hubspot/transport.ts";
import { SalesforceCrm } from "../crm/salesforce/salesforce-crm.ts";
import { fakeSalesforce, TEST_ACCESS_TOKEN, TEST_INSTANCE_URL } from "../crm/salesforce/test-handlers.ts";
import { DEDUPE_TABLES } from "../dedupe/test-support.ts";
import { dedupeEngine } from "../engines/dedupe-engine.ts";
import { hygieneEngine } from "../engines/hygiene-engine.ts";
import { stageGatesEngine } from "../engines/stage-gates-engine.ts";
import { createLogger } from "../lib/logger.ts";
import { processPortalEvents } from "./process-events.ts";

const ORG: PortalKey = "salesforce:00D000000000001EAA";
const network = mockOutbound();
beforeAll(() => network.enable());
afterEach(() => network.resetHandlers());
afterAll(() => network.disable());

let sf: ReturnType<typeof fakeSalesforce>;
beforeEach(async () => {
  await clearTables(...DEDUPE_TABLES, "hygiene_scores", "event_ledger");
  sf = fakeSalesforce();
  network.use(...sf.handlers);
});

function deps(settingsDoc: unknown) {
  const parsed = parsePortalSettings(settingsDoc);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const crm = new SalesforceCrm({
    instanceUrl: TEST_INSTANCE_URL,
    accessToken: TEST_ACCESS_TOKEN,
    apiVersion: "62.0",
    send: createBudgetedFetch({ reserve: async () => ({ granted: true }), timeoutMs: 300 }),
  });
  return {
    db: env.DB,
    appId: undefined,
    engines: [hygieneEngine, dedupeEngine, stageGatesEngine],
    log: createLogger({ test: true }),
    now: Date.now,
    settingsFor: async () => parsed.value,
    crmFor: async () => ({ ok: true as const, value: crm }),
  };
}

const soqlSent = () =>
  sf.requests.filter((r) => r.path.includes("/query?")).map((r) => new URL(`https://x${r.path}`).searchParams.get("q") ?? "");

describe("a Salesforce org on the event pipeline", () => {
  it("reads new Contacts with Salesforce fields only, then scores and indexes them (no HubSpot property names in the SOQL)", async () => {
    const a = sf.org.insert("Contact", { LastName: "Lovelace", FirstName: "Ada", Email: "ada@acme.example", Phone: "+1 415 555 2671" });
    const b = sf.org.insert("Contact", { LastName: "Lovelace", FirstName: "Ada", Email: "ada@acme.example", Phone: "(415) 555-2671" });
    const events = [a, b].map((id) => crmEvent("contacts", id, { portalKey: ORG, kind: "created", subscriptionType: "contact.creation" }));
    // Hygiene set to fix a field automatically: its history must not be asked of Salesforce by a HubSpot name.
    const report = await processPortalEvents(
      ORG,
      events,
      deps({ automations: { hygiene: true, dedupe: true }, hygiene: { fixPolicy: { contacts: { phone: "auto" } } } }),
    );

    expect(report.fates.map((f) => f.kind)).toEqual(["done", "done"]);
    expect(soqlSent().filter((q) => /\bhs_|jobtitle|hubspot/i.test(q))).toEqual([]);
    const scored = await env.DB.prepare("SELECT object_id FROM hygiene_scores WHERE portal_key = ? ORDER BY object_id").bind(ORG).all();
    expect(scored.results.map((r) => r.object_id)).toEqual([a, b].sort());
    const pairs = await env.DB.prepare("SELECT id_a, id_b FROM dedupe_suggestions WHERE portal_key = ?").bind(ORG).all();
    expect(pairs.results).toEqual([{ id_a: [a, b].sort()[0], id_b: [a, b].sort()[1] }]);
  });

  it("dead-letters the events whose records the org refuses to read (a criteria field it does not have), naming why", async () => {
    const deal = sf.org.insert("Opportunity", { Name: "Big", StageName: "Prospecting", CloseDate: "2026-12-31" });
    const contact = sf.org.insert("Contact", { LastName: "Hopper", Email: "grace@navy.example" });
    const settings = {
      automations: { stageGates: true },
      stageGates: {
        stageProperty: "StageName",
        pipelines: { default: { mode: "enforce", stages: { Qualification: { required: ["Budget__x"] } } } },
      },
    };
    const events = [
      crmEvent("deals", deal, { portalKey: ORG, propertyName: "StageName", propertyValue: "Qualification" }),
      crmEvent("contacts", contact, { portalKey: ORG, kind: "created", subscriptionType: "contact.creation" }),
    ];
    const report = await processPortalEvents(ORG, events, deps(settings));

    expect(report.fates[0]).toMatchObject({ kind: "dead", reason: expect.stringMatching(/reading the deals failed: .*Budget__x/) });
    expect(report.fates[1]).toMatchObject({ kind: "done" });
    const ledger = await env.DB.prepare("SELECT object_id, processed_at FROM event_ledger WHERE portal_key = ? ORDER BY object_type")
      .bind(ORG)
      .all<{ object_id: string; processed_at: number | null }>();
    // The refused event stays unprocessed in the ledger, so replaying it from the dead letters is not a duplicate.
    expect(ledger.results.find((r) => r.object_id === deal)?.processed_at).toBeNull();
    expect(ledger.results.find((r) => r.object_id === contact)?.processed_at).not.toBeNull();
  });
});
