import { Client } from "@hubspot/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpecValidator, SKIP_REASON, specsPresent } from "./openapi.ts";
import { recordingLocalHubspot } from "./recording.ts";

let hs: Awaited<ReturnType<typeof recordingLocalHubspot>>;
let client: Client;

beforeAll(async () => {
  hs = await recordingLocalHubspot();
  hs.local.runtime.store.setOwners([
    {
      id: "7000001",
      userId: 9000101,
      email: "alice@demo.example",
      firstName: "Alice",
      lastName: "Nguyen",
      teams: [{ id: "1", name: "West", primary: true }],
      archived: false,
      createdAt: 0,
      updatedAt: 0,
    },
  ]);
  client = new Client({ accessToken: "local-token", basePath: hs.url });
});
afterAll(() => hs.stop());

describe("@hubspot/api-client against the local server, unchanged", () => {
  it("creates, reads with history, searches, batch-updates and merges contacts", async () => {
    const ann = await client.crm.contacts.basicApi.create({
      properties: { email: "ann@acme.com", firstname: "Ann", hubspot_owner_id: "7000001" },
      associations: [],
    });
    const annie = await client.crm.contacts.basicApi.create({
      properties: { email: "annie@gmail.com", firstname: "Annie", phone: "+1 617 555 0100" },
      associations: [],
    });
    expect(ann.id).toMatch(/^\d+$/);
    expect(ann.createdAt).toBeInstanceOf(Date);

    const found = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "email", operator: "CONTAINS_TOKEN" as never, value: "*@acme.com" }] }],
      sorts: ["createdate"],
      properties: ["email", "hubspot_owner_id"],
      limit: 10,
      after: "0",
    });
    expect(found.total).toBe(1);
    expect(found.results[0]?.properties.hubspot_owner_id).toBe("7000001");

    const updated = await client.crm.contacts.batchApi.update({
      inputs: [
        { id: ann.id, properties: { jobtitle: "CTO" } },
        { id: annie.id, properties: { lastname: "Lee" } },
      ],
    });
    expect(updated.results.map((r) => r.id).sort()).toEqual([ann.id, annie.id].sort());

    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: ann.id, objectIdToMerge: annie.id });
    expect(merged.id).not.toBe(ann.id);
    const read = await client.crm.contacts.basicApi.getById(annie.id, ["phone", "jobtitle", "lastname"], ["jobtitle"]);
    expect(read.id).toBe(merged.id);
    expect(read.properties).toMatchObject({ firstname: "Ann", phone: "+1 617 555 0100", jobtitle: "CTO", lastname: "Lee" });
    expect(read.propertiesWithHistory?.jobtitle?.[0]).toMatchObject({ value: "CTO", sourceType: "INTEGRATION" });
  });

  it("reads owners and the deal pipeline with its stages", async () => {
    const owners = await client.crm.owners.ownersApi.getPage();
    expect(owners.results.map((o) => [o.id, o.email, o.userId])).toEqual([["7000001", "alice@demo.example", 9000101]]);
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll("deals");
    const stages = pipelines.results[0]?.stages ?? [];
    expect(stages.find((s) => s.id === "closedwon")?.metadata).toEqual({ isClosed: "true", probability: "1" });
  });

  it("creates and moves deals by name and through the generic objects API", async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: "Renewal", pipeline: "default", dealstage: "qualifiedtobuy" },
      associations: [],
    });
    await client.crm.objects.basicApi.update("deals", deal.id, { properties: { dealstage: "contractsent" } });
    const read = await client.crm.objects.basicApi.getById("0-3", deal.id, ["dealstage"]);
    expect(read.properties.dealstage).toBe("contractsent");
  });

  it("surfaces HubSpot's errors as the api-client's exceptions", async () => {
    await expect(client.crm.contacts.basicApi.getById("999999999")).rejects.toMatchObject({ code: 404 });
    await expect(client.crm.contacts.basicApi.create({ properties: { email: "nope" }, associations: [] })).rejects.toMatchObject({
      code: 400,
    });
  });
});

describe("requests the api-client sent and the server's answers, against HubSpot's OpenAPI specs", () => {
  it.skipIf(!specsPresent)(specsPresent ? "all validate" : `skipped: ${SKIP_REASON}`, () => {
    const spec = createSpecValidator();
    const problems: string[] = [];
    for (const x of hs.exchanges) {
      const req = spec.request(x.method, x.path, x.requestBody);
      const res = spec.response(x.method, x.path, x.status, x.responseBody);
      if (!req || !res) problems.push(`${x.method} ${x.path}: no operation in the specs`);
      for (const e of req?.errors ?? []) problems.push(`request ${req?.operation}: ${e}`);
      for (const e of res?.errors ?? []) problems.push(`response ${res?.operation}: ${e}`);
    }
    expect(hs.exchanges.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
