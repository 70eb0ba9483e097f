import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { playActivity } from "../../local-hubspot/activity/player.ts";
import { builtInContacts } from "../../local-hubspot/seed/contact-source.ts";
import { seedDemoPortal } from "../../local-hubspot/seed/demo-portal.ts";
import { startLocalHubspot } from "../../local-hubspot/server.ts";

const dir = mkdtempSync(join(tmpdir(), "local-hubspot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("demo portal", () => {
  it("seeds owners, companies, 500+ contacts with duplicates and deals once, and keeps them across restarts in SQLite", async () => {
    const dbPath = join(dir, "portal.sqlite");
    const first = await startLocalHubspot({ dbPath });
    const summary = await seedDemoPortal(first.runtime, { contacts: 520 });
    expect(summary).toMatchObject({ seeded: true, owners: 6 });
    expect(summary.contacts).toBeGreaterThanOrEqual(500);
    expect(summary.companies).toBeGreaterThan(5);
    expect(summary.deals).toBeGreaterThan(30);
    expect(first.runtime.webhooks.journal).toHaveLength(0);
    const contacts = first.runtime.store.live("contacts");
    const names = contacts.map((c) => `${c.properties.firstname ?? ""} ${c.properties.lastname ?? ""}`.trim().toLowerCase());
    expect(new Set(names).size).toBeLessThan(names.length);
    await first.stop();

    const second = await startLocalHubspot({ dbPath });
    expect(second.runtime.store.live("contacts")).toHaveLength(summary.contacts);
    expect((await seedDemoPortal(second.runtime)).seeded).toBe(false);
    const owners = await second.request("/crm/v3/owners", { headers: { authorization: "Bearer t" } });
    expect(((await owners.json()) as { results: unknown[] }).results).toHaveLength(6);
    await second.stop();
  });

  it("takes its contacts from a swappable source", async () => {
    const hs = await startLocalHubspot();
    const rows = await builtInContacts({ count: 30, seed: 3 });
    const summary = await seedDemoPortal(hs.runtime, { contactSource: async () => rows, deals: 5 });
    expect(summary.contacts + summary.skippedContacts).toBe(30);
    await hs.stop();
  });
});

describe("activity player", () => {
  it("plays new contacts, edits and deal moves through the API as UI users, so webhooks flow", async () => {
    const hs = await startLocalHubspot();
    await seedDemoPortal(hs.runtime, { contacts: 60, deals: 20 });
    const player = playActivity({ baseUrl: hs.url, ratePerMinute: 60_000, maxActions: 40, seed: 11 });
    const actions = await player.done;
    expect(actions).toHaveLength(40);
    expect(new Set(actions.map((a) => a.kind)).size).toBeGreaterThanOrEqual(3);
    expect(actions.filter((a) => a.status >= 400 && a.status !== 409)).toEqual([]);
    const journal = hs.runtime.webhooks.journal;
    expect(journal.length).toBeGreaterThanOrEqual(30);
    expect(journal.every((e) => e.changeSource === "CRM_UI" && e.sourceId.startsWith("userId:"))).toBe(true);
    expect(journal.some((e) => e.subscriptionType === "deal.propertyChange" && e.propertyName === "dealstage")).toBe(true);
    await hs.stop();
  });
});
