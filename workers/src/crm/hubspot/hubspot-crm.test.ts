import { beforeEach, describe, expect, it } from "vitest";
import { createLocalHubspot, type LocalHubspot, seedDemoPortal } from "../../../../local-hubspot/index.ts";
import { HubspotCrm } from "./hubspot-crm.ts";

let hubspot: LocalHubspot;
let crm: HubspotCrm;

beforeEach(() => {
  hubspot = createLocalHubspot({ appId: "424242", portalId: 880001 });
  crm = new HubspotCrm("https://api.hubapi.test", "token", async (r) => hubspot.app.fetch(r));
});

async function create(objectType: string, properties: Record<string, string>, associations: unknown[] = []): Promise<string> {
  const res = await hubspot.app.request(`/crm/v3/objects/${objectType}`, {
    method: "POST",
    headers: { authorization: "Bearer t", "content-type": "application/json" },
    body: JSON.stringify({ properties, associations }),
  });
  return ((await res.json()) as { id: string }).id;
}

describe("HubspotCrm against the local HubSpot server", () => {
  it("reads contacts into domain records with property history, and leaves missing ids out", async () => {
    const id = await create("contacts", { email: "ada@example.com", firstname: "Ada", country: "UK" });
    await hubspot.app.request(`/crm/v3/objects/contacts/${id}`, {
      method: "PATCH",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ properties: { country: "United Kingdom" } }),
    });
    const result = await crm.read("contacts", [id, "999999"], { historyFor: ["country"] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.value.keys()]).toEqual([id]);
    const loaded = result.value.get(id);
    expect(loaded?.record).toMatchObject({ id, email: "ada@example.com", firstName: "Ada", country: "United Kingdom" });
    expect(loaded?.history.country?.map((h) => h.value)).toEqual(["United Kingdom", "UK"]);
  });

  it("updates in batches and clears a property written as null", async () => {
    const id = await create("contacts", { email: "b@example.com", phone: "123" });
    expect((await crm.update("contacts", [{ id, properties: { phone: null, firstname: "Bo" } }])).ok).toBe(true);
    const read = await crm.read("contacts", [id]);
    expect(read.ok && read.value.get(id)?.record).toMatchObject({ phone: null, firstName: "Bo" });
  });

  it("names a refused write as a non-retryable validation error", async () => {
    const id = await create("contacts", { email: "c@example.com" });
    const result = await crm.update("contacts", [{ id, properties: { no_such_property: "x" } }]);
    expect(result.ok ? null : result.error).toMatchObject({ code: "validation_error", retryable: false });
  });

  it("lists owners (archived included) and the deal pipeline's stages in order", async () => {
    await seedDemoPortal(hubspot.runtime, { contacts: 5, companies: 2, deals: 2 });
    const owners = await crm.listOwners();
    expect(owners.ok && owners.value.length).toBeGreaterThan(0);
    const pipelines = await crm.listDealPipelines();
    expect(pipelines.ok).toBe(true);
    if (!pipelines.ok) return;
    const stages = pipelines.value[0]?.stages ?? [];
    expect(stages.map((s) => s.displayOrder)).toEqual([...stages.map((s) => s.displayOrder)].sort((a, b) => a - b));
    expect(stages.some((s) => s.isClosed && (s.probability ?? 0) > 0)).toBe(true);
  });

  it("adds notes and tasks on a deal, visible as its associations", async () => {
    const deal = await create("deals", { dealname: "Big one", pipeline: "default", dealstage: "appointmentscheduled" });
    const note = await crm.createNote("deals", deal, "Moved back: Amount is empty");
    const task = await crm.createTask("deals", deal, {
      subject: "Fill the amount",
      body: "Needed to leave Qualified",
      ownerId: null,
      dueAt: Date.now(),
    });
    expect(note.ok && task.ok).toBe(true);
    const notes = await crm.readAssociations("deals", "notes" as never, [deal]);
    expect(notes.ok && notes.value.get(deal)?.map((a) => a.id)).toEqual([note.ok ? note.value.id : ""]);
  });

  it("reads labelled associations in a batch", async () => {
    const contact = await create("contacts", { email: "d@example.com" });
    const deal = await create("deals", { dealname: "D", pipeline: "default", dealstage: "appointmentscheduled" }, [
      { to: { id: contact }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 }] },
    ]);
    const result = await crm.readAssociations("deals", "contacts", [deal]);
    expect(result.ok && result.value.get(deal)?.map((a) => a.id)).toEqual([contact]);
  });

  it("merges two contacts into a new id", async () => {
    const a = await create("contacts", { email: "e@example.com", firstname: "Eve" });
    const b = await create("contacts", { email: "eve@example.com", phone: "+14155550100" });
    const merged = await crm.mergeContacts(a, b);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect([a, b]).not.toContain(merged.value.id);
    const read = await crm.read("contacts", [merged.value.id]);
    expect(read.ok && read.value.get(merged.value.id)?.record).toMatchObject({ email: "e@example.com", phone: "+14155550100" });
  });

  it("pages through records modified since a time", async () => {
    const before = Date.now() - 1_000;
    const ids = [await create("contacts", { email: "f1@example.com" }), await create("contacts", { email: "f2@example.com" })];
    const page = await crm.modifiedSince("contacts", before);
    expect(page.ok && page.value.ids).toEqual(ids);
  });
});

describe("reading extra properties", () => {
  it("asks HubSpot for the extra properties an engine names, beyond the standard set", async () => {
    const id = await create("deals", {
      dealname: "With a custom criterion",
      pipeline: "default",
      dealstage: "appointmentscheduled",
      description: "why",
    });
    const read = await crm.read("deals", [id], { properties: ["description"] });
    expect(read.ok && read.value.get(id)?.record.properties.description).toBe("why");
  });
});
