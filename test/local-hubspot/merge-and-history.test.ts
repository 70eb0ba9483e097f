import { describe, expect, it } from "vitest";
import { localHubspot } from "./helpers.ts";

describe("merge", () => {
  it("creates a new id that both old ids resolve to, primary values winning and the secondary filling gaps", async () => {
    const { call, createContact } = localHubspot();
    const primary = await createContact({ email: "ann@acme.com", firstname: "Ann", jobtitle: "CTO" });
    const secondary = await createContact({ email: "ann.lee@gmail.com", firstname: "Annie", lastname: "Lee", phone: "+1 617 555 0100" });
    const merged = await call("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: primary, objectIdToMerge: secondary });
    expect(merged.status).toBe(200);
    const newId = String(merged.body.id);
    expect([primary, secondary]).not.toContain(newId);
    for (const oldId of [primary, secondary]) {
      const r = await call("GET", `/crm/v3/objects/contacts/${oldId}?properties=phone,jobtitle,hs_additional_emails,hs_merged_object_ids`);
      expect(r.body.id).toBe(newId);
      expect(r.body.properties).toMatchObject({
        email: "ann@acme.com",
        firstname: "Ann",
        lastname: "Lee",
        phone: "+1 617 555 0100",
        jobtitle: "CTO",
        hs_additional_emails: "ann.lee@gmail.com",
        hs_merged_object_ids: `${primary};${secondary}`,
      });
    }
    const list = await call("GET", "/crm/v3/objects/contacts");
    expect(list.body.results?.map((r) => r.id)).toEqual([newId]);
  });

  it("refuses to merge a record with itself and answers 404 for an unknown id", async () => {
    const { call, createContact } = localHubspot();
    const id = await createContact({ email: "x@acme.com" });
    expect((await call("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: id, objectIdToMerge: id })).status).toBe(400);
    expect((await call("POST", "/crm/v3/objects/contacts/merge", { primaryObjectId: id, objectIdToMerge: "999" })).status).toBe(404);
  });
});

describe("propertiesWithHistory", () => {
  it("lists every value newest first with its source: the app's id for token writes, userId for UI writes", async () => {
    const { call, createContact } = localHubspot({ appId: 777 });
    const id = await createContact({ email: "h@acme.com", jobtitle: "Engineer" });
    await call(
      "PATCH",
      `/crm/v3/objects/contacts/${id}`,
      { properties: { jobtitle: "Lead Engineer" } },
      { "x-local-hubspot-user-id": "55" },
    );
    const r = await call("GET", `/crm/v3/objects/contacts/${id}?propertiesWithHistory=jobtitle`);
    const history = (r.body.propertiesWithHistory as Record<string, Record<string, unknown>[]>).jobtitle;
    expect(history?.map((h) => h.value)).toEqual(["Lead Engineer", "Engineer"]);
    expect(history?.[0]).toMatchObject({ sourceType: "CRM_UI", sourceId: "userId:55", updatedByUserId: 55 });
    expect(history?.[1]).toMatchObject({ sourceType: "INTEGRATION", sourceId: "777" });
  });

  it("maintains hs_object_id, createdate and lastmodifieddate, and refuses writes to read-only ones", async () => {
    const { call, createContact } = localHubspot();
    const id = await createContact({ email: "m@acme.com" });
    const before = await call("GET", `/crm/v3/objects/contacts/${id}`);
    await new Promise((r) => setTimeout(r, 5));
    await call("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { firstname: "Max" } });
    const after = await call("GET", `/crm/v3/objects/contacts/${id}`);
    const props = after.body.properties as Record<string, string>;
    expect(props.hs_object_id).toBe(id);
    expect(props.createdate).toBe((before.body.properties as Record<string, string>).createdate);
    expect(Date.parse(props.lastmodifieddate ?? "")).toBeGreaterThan(
      Date.parse((before.body.properties as Record<string, string>).lastmodifieddate ?? ""),
    );
    const refused = await call("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { hs_object_id: "1" } });
    expect(refused.status).toBe(400);
    expect(String(refused.body.message)).toContain("READ_ONLY_VALUE");
  });
});

describe("validation", () => {
  it.each([
    ["an invalid email", "contacts", { email: "not-an-email" }, "INVALID_EMAIL"],
    ["an unknown property", "contacts", { favourite_colour: "blue" }, "PROPERTY_DOESNT_EXIST"],
    ["an owner that does not exist", "contacts", { hubspot_owner_id: "123" }, "INVALID_OPTION"],
    ["a stage outside the pipeline", "deals", { dealname: "D", pipeline: "default", dealstage: "nowhere" }, "INVALID_OPTION"],
    ["a non-numeric amount", "deals", { dealname: "D", amount: "lots" }, "INVALID_DECIMAL"],
  ])("answers 400 VALIDATION_ERROR in HubSpot's shape for %s", async (_name, type, properties, code) => {
    const { call } = localHubspot();
    const r = await call("POST", `/crm/v3/objects/${type}`, { properties });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect(String(r.body.message)).toMatch(/^Property values were not valid: /);
    expect(String(r.body.message)).toContain(code);
    expect(r.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("treats emails as unique per contact, case-insensitively, with HubSpot's 409", async () => {
    const { call, createContact } = localHubspot();
    const id = await createContact({ email: "dup@acme.com" });
    const r = await call("POST", "/crm/v3/objects/contacts", { properties: { email: "DUP@acme.com" } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ category: "CONFLICT", message: `Contact already exists. Existing ID: ${id}` });
  });

  it("keeps a deal's derived stage facts when its stage moves", async () => {
    const { call } = localHubspot();
    const d = await call("POST", "/crm/v3/objects/0-3", {
      properties: { dealname: "Big", pipeline: "default", dealstage: "contractsent" },
    });
    await call("PATCH", `/crm/v3/objects/deals/${d.body.id}`, { properties: { dealstage: "closedwon" } });
    const r = await call("GET", `/crm/v3/objects/0-3/${d.body.id}?properties=hs_is_closed,hs_is_closed_won,hs_deal_stage_probability`);
    expect(r.body.properties).toMatchObject({
      dealstage: "closedwon",
      hs_is_closed: "true",
      hs_is_closed_won: "true",
      hs_deal_stage_probability: "1",
    });
  });
});
