import { describe, expect, it } from "vitest";
import { localHubspot } from "./helpers.ts";

async function portal() {
  const h = localHubspot();
  const ids: Record<string, string> = {};
  const people: [string, Record<string, string>][] = [
    ["ann", { email: "ann@acme.com", firstname: "Ann", lastname: "Lee", annualrevenue: "500", jobtitle: "VP Sales" }],
    ["bob", { email: "bob@gmail.com", firstname: "Bob", lastname: "Stone", annualrevenue: "1500" }],
    ["cy", { email: "cy@acme.com", firstname: "Cy", annualrevenue: "2500", jobtitle: "Head of Sales Ops" }],
    ["dee", { firstname: "Dee", lastname: "Lee" }],
  ];
  for (const [key, props] of people) ids[key] = await h.createContact(props);
  const search = async (body: Record<string, unknown>) => {
    const r = await h.call("POST", "/crm/v3/objects/contacts/search", body);
    return { ...r, ids: (r.body.results ?? []).map((x) => Object.entries(ids).find(([, id]) => id === x.id)?.[0]) };
  };
  return { ...h, ids, search };
}

const one = (propertyName: string, operator: string, extra: Record<string, unknown> = {}) => ({
  filterGroups: [{ filters: [{ propertyName, operator, ...extra }] }],
});

describe("search filters", () => {
  it.each([
    ["EQ ignores case", one("email", "EQ", { value: "ANN@acme.com" }), ["ann"]],
    ["NEQ includes records without the value", one("lastname", "NEQ", { value: "Lee" }), ["bob", "cy"]],
    ["LT compares numbers", one("annualrevenue", "LT", { value: "1500" }), ["ann"]],
    ["LTE compares numbers", one("annualrevenue", "LTE", { value: "1500" }), ["ann", "bob"]],
    ["GT compares numbers, not text", one("annualrevenue", "GT", { value: "600" }), ["bob", "cy"]],
    ["GTE", one("annualrevenue", "GTE", { value: "2500" }), ["cy"]],
    ["BETWEEN is inclusive", one("annualrevenue", "BETWEEN", { value: "500", highValue: "1500" }), ["ann", "bob"]],
    ["IN", one("firstname", "IN", { values: ["ann", "dee"] }), ["ann", "dee"]],
    ["NOT_IN", one("firstname", "NOT_IN", { values: ["ann", "dee"] }), ["bob", "cy"]],
    ["HAS_PROPERTY", one("email", "HAS_PROPERTY"), ["ann", "bob", "cy"]],
    ["NOT_HAS_PROPERTY", one("email", "NOT_HAS_PROPERTY"), ["dee"]],
    ["CONTAINS_TOKEN with a wildcard", one("email", "CONTAINS_TOKEN", { value: "*@acme.com" }), ["ann", "cy"]],
    ["CONTAINS_TOKEN on a word", one("jobtitle", "CONTAINS_TOKEN", { value: "sales" }), ["ann", "cy"]],
    ["NOT_CONTAINS_TOKEN", one("jobtitle", "NOT_CONTAINS_TOKEN", { value: "ops" }), ["ann", "bob", "dee"]],
  ])("%s", async (_name, body, expected) => {
    const { search } = await portal();
    const r = await search(body);
    expect(r.status).toBe(200);
    expect(r.ids).toEqual(expected);
    expect(r.body.total).toBe(expected.length);
  });

  it("ORs filter groups and ANDs the filters inside each", async () => {
    const { search } = await portal();
    const r = await search({
      filterGroups: [
        {
          filters: [
            { propertyName: "lastname", operator: "EQ", value: "Lee" },
            { propertyName: "email", operator: "HAS_PROPERTY" },
          ],
        },
        { filters: [{ propertyName: "firstname", operator: "EQ", value: "Bob" }] },
      ],
    });
    expect(r.ids).toEqual(["ann", "bob"]);
  });

  it("sorts by a property, descending, with object or string sorts", async () => {
    const { search } = await portal();
    expect((await search({ sorts: [{ propertyName: "annualrevenue", direction: "DESCENDING" }] })).ids).toEqual([
      "cy",
      "bob",
      "ann",
      "dee",
    ]);
    expect((await search({ sorts: ["annualrevenue"] })).ids).toEqual(["ann", "bob", "cy", "dee"]);
  });

  it("matches a free-text query against names and emails", async () => {
    const { search } = await portal();
    expect((await search({ query: "lee" })).ids).toEqual(["ann", "dee"]);
  });

  it("pages with `after`, refuses pages over 200 and more than 5 filter groups", async () => {
    const { search } = await portal();
    const first = await search({ limit: 3 });
    expect(first.ids).toEqual(["ann", "bob", "cy"]);
    const after = (first.body.paging as { next: { after: string } }).next.after;
    const second = await search({ limit: 3, after });
    expect(second.ids).toEqual(["dee"]);
    expect(second.body.paging).toBeUndefined();
    expect((await search({ limit: 201 })).status).toBe(400);
    const groups = Array.from({ length: 6 }, () => ({ filters: [{ propertyName: "email", operator: "HAS_PROPERTY" }] }));
    expect((await search({ filterGroups: groups })).status).toBe(400);
  });
});

describe("the 10,000-result cap", () => {
  it("reports the full total but stops paging at 10,000 and refuses `after` beyond it", async () => {
    const { hs, call } = localHubspot({ rateLimit: { perTenSeconds: 1_000_000, searchPerSecond: 1_000_000 } });
    hs.runtime.store.persistence.transaction(() => {
      for (let i = 0; i < 10_050; i++) hs.runtime.engine.create("companies", { name: `Co ${i}` }, { kind: "integration", appId: "1" });
    });
    const last = await call("POST", "/crm/v3/objects/companies/search", { limit: 200, after: "9800" });
    expect(last.body.total).toBe(10_050);
    expect(last.body.results).toHaveLength(200);
    expect(last.body.paging).toBeUndefined();
    expect((await call("POST", "/crm/v3/objects/companies/search", { limit: 10, after: "10000" })).status).toBe(400);
  });
});
