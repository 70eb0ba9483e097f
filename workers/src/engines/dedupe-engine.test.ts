import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearTables, crmEvent, localCrm, PORTAL } from "../../test/local-crm.ts";
import { rememberNotDuplicate } from "../dedupe/index-repository.ts";
import { DEDUPE_TABLES, JON, JONATHAN, PRIYA, PRIYA_AGAIN } from "../dedupe/test-support.ts";
import { processPortalEvents } from "../queue/process-events.ts";
import { dedupeEngine } from "./dedupe-engine.ts";

let local: ReturnType<typeof localCrm>;
beforeEach(async () => {
  await clearTables(...DEDUPE_TABLES);
  local = localCrm();
});

const created = (id: string) => crmEvent("contacts", id, { kind: "created", subscriptionType: "contact.creation" });

async function createAndProcess(properties: Record<string, string>, settings: unknown = {}): Promise<string> {
  const { id } = await local.asUser("POST", "/crm/v3/objects/contacts", { properties });
  await processPortalEvents(PORTAL, [created(id)], local.deps(settings, [dedupeEngine]));
  return id;
}

const suggestions = async () => (await env.DB.prepare("SELECT id_a, id_b, decision FROM dedupe_suggestions ORDER BY id_a").all()).results;
const mergeAudit = async () =>
  (
    await env.DB.prepare("SELECT status, object_id, before, after FROM audit_log WHERE action = 'merge' ORDER BY id").all<{
      status: string;
      object_id: string;
      before: string;
      after: string;
    }>()
  ).results;
const BOTH_ON = { automations: { dedupe: true }, dedupe: { autoMerge: true } };

describe("dedupe on the event pipeline", () => {
  it("indexes a new contact and matches the next one against it in the index", async () => {
    const a = await createAndProcess(PRIYA);
    const indexed = await env.DB.prepare("SELECT contact_id FROM dedupe_contacts").all();
    expect(indexed.results).toEqual([{ contact_id: a }]);
    const population = await env.DB.prepare("SELECT n FROM dedupe_terms WHERE term = 'population'").first();
    expect(population).toEqual({ n: 1 });
    const b = await createAndProcess(PRIYA_AGAIN);
    const [low, high] = [a, b].sort();
    expect(await suggestions()).toEqual([{ id_a: low, id_b: high, decision: "review" }]);
  });

  it("stores a review-level pair as a suggestion and never merges it, even with auto-merge on", async () => {
    await createAndProcess(PRIYA, BOTH_ON);
    await createAndProcess(PRIYA_AGAIN, BOTH_ON);
    expect((await suggestions()).map((s) => s.decision)).toEqual(["review"]);
    expect(await mergeAudit()).toEqual([]);
    expect(local.calls.filter((c) => c.endsWith("/merge"))).toEqual([]);
  });

  it.each([
    { name: "automation off, auto-merge on", settings: { dedupe: { autoMerge: true } } },
    { name: "automation on, auto-merge off", settings: { automations: { dedupe: true } } },
    { name: "kill switch on", settings: { ...BOTH_ON, killSwitch: true } },
  ])("only observes a merge-level pair when $name", async ({ settings }) => {
    await createAndProcess(JONATHAN, settings);
    await createAndProcess(JON, settings);
    expect((await suggestions()).map((s) => s.decision)).toEqual(["merge"]);
    expect((await mergeAudit()).map((r) => r.status)).toEqual(["observed"]);
    expect(local.calls.filter((c) => c.endsWith("/merge"))).toEqual([]);
  });

  it("with both switches on writes the surviving values onto the primary, then merges, and audits both snapshots", async () => {
    const first = await createAndProcess(JONATHAN, BOTH_ON);
    local.calls.length = 0;
    const second = await createAndProcess(JON, BOTH_ON);
    const update = local.calls.indexOf("POST /crm/v3/objects/contacts/batch/update");
    const merge = local.calls.indexOf("POST /crm/v3/objects/contacts/merge");
    expect(update).toBeGreaterThanOrEqual(0);
    expect(merge).toBeGreaterThan(update);

    const [entry] = await mergeAudit();
    expect(entry?.status).toBe("applied");
    expect(entry?.object_id).toBe(first); // the more complete record survives
    const after = JSON.parse(entry?.after ?? "{}");
    const before = JSON.parse(entry?.before ?? "{}");
    expect(before.primary.firstName).toBe("Jonathan");
    expect(before.merged.id).toBe(second);
    const survivor = await local.get("contacts", after.newId, ["firstname", "jobtitle", "hs_additional_emails"]);
    // Most recent non-empty value wins (the later record's "Jon"); the primary keeps what only it had.
    expect(survivor).toMatchObject({ firstname: "Jon", jobtitle: "CFO" });
    expect(survivor.hs_additional_emails).toContain("j.kowalczyk@gmail.com");

    const journal = await env.DB.prepare("SELECT old_id, new_id FROM dedupe_merge_journal ORDER BY old_id").all();
    expect(journal.results).toEqual([first, second].sort().map((old) => ({ old_id: old, new_id: after.newId })));
    const indexed = await env.DB.prepare("SELECT contact_id FROM dedupe_contacts").all();
    expect(indexed.results).toEqual([{ contact_id: after.newId }]);
    expect(await suggestions()).toEqual([]);
  });

  it("merges once when the same events are delivered again after the ledger lost them", async () => {
    await createAndProcess(JONATHAN, BOTH_ON);
    const { id } = await local.asUser("POST", "/crm/v3/objects/contacts", { properties: JON });
    const event = created(id);
    await processPortalEvents(PORTAL, [event], local.deps(BOTH_ON, [dedupeEngine]));
    await clearTables("event_ledger");
    await processPortalEvents(PORTAL, [event], local.deps(BOTH_ON, [dedupeEngine]));
    expect(local.calls.filter((c) => c.endsWith("/merge"))).toHaveLength(1);
    expect((await mergeAudit()).map((r) => r.status)).toEqual(["applied"]);
  });

  it("never suggests a pair again once someone said it is not a duplicate", async () => {
    const a = await createAndProcess(PRIYA);
    const b = await createAndProcess(PRIYA_AGAIN);
    await rememberNotDuplicate(env.DB, PORTAL, b, a, "user:7", Date.now());
    expect(await suggestions()).toEqual([]);
    await local.asUser("PATCH", `/crm/v3/objects/contacts/${b}`, { properties: { city: "London " } });
    const change = crmEvent("contacts", b, { propertyName: "city", propertyValue: "London " });
    await processPortalEvents(PORTAL, [change], local.deps({}, [dedupeEngine]));
    expect(await suggestions()).toEqual([]);
  });

  it("takes a deleted contact out of the index, its term counts and its suggestions", async () => {
    const a = await createAndProcess(PRIYA);
    await createAndProcess(PRIYA_AGAIN);
    const deletion = crmEvent("contacts", a, { kind: "deleted", subscriptionType: "contact.deletion" });
    await processPortalEvents(PORTAL, [deletion], local.deps({}, [dedupeEngine]));
    const ids = (await env.DB.prepare("SELECT contact_id FROM dedupe_contacts").all()).results.map((r) => r.contact_id);
    expect(ids).not.toContain(a);
    expect(await env.DB.prepare("SELECT n FROM dedupe_terms WHERE term = 'population'").first()).toEqual({ n: 1 });
    expect(await env.DB.prepare("SELECT n FROM dedupe_terms WHERE term = 'email:priya.v@fabrikam.com'").first()).toEqual({ n: 0 });
    expect(await suggestions()).toEqual([]);
  });

  it("follows a merge made in HubSpot: old ids journaled and forgotten, the new record indexed", async () => {
    const a = await createAndProcess(PRIYA);
    const b = await createAndProcess(PRIYA_AGAIN);
    const merged = await local.asUser("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: a, objectIdToMerge: b });
    const event = crmEvent("contacts", merged.id, {
      kind: "merged",
      subscriptionType: "contact.merge",
      primaryObjectId: a,
      mergedObjectIds: [b],
      newObjectId: merged.id,
    });
    await processPortalEvents(PORTAL, [event], local.deps({}, [dedupeEngine]));
    const ids = (await env.DB.prepare("SELECT contact_id FROM dedupe_contacts").all()).results.map((r) => r.contact_id);
    expect(ids).toEqual([merged.id]);
    const journal = await env.DB.prepare("SELECT old_id, new_id FROM dedupe_merge_journal ORDER BY old_id").all();
    expect(journal.results).toEqual([a, b].sort().map((old) => ({ old_id: old, new_id: merged.id })));
  });
});
