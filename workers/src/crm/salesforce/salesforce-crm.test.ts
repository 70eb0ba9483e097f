import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mockOutbound } from "../../auth/test-support.ts";
import { createBudgetedFetch, type ReserveCalls } from "../hubspot/transport.ts";
import { SalesforceCrm } from "./salesforce-crm.ts";
import { fakeSalesforce, TEST_ACCESS_TOKEN, TEST_INSTANCE_URL } from "./test-handlers.ts";
import { sfDatetime } from "./test-org.ts";

const network = mockOutbound();
beforeAll(() => network.enable());
afterEach(() => network.resetHandlers());
afterAll(() => network.disable());

let sf: ReturnType<typeof fakeSalesforce>;
let crm: SalesforceCrm;
const granted: ReserveCalls = async () => ({ granted: true });

function connect(options: { reserve?: ReserveCalls; accessToken?: string; pageSize?: number } = {}) {
  const send = createBudgetedFetch({ reserve: options.reserve ?? granted, timeoutMs: 300 });
  return new SalesforceCrm({
    instanceUrl: TEST_INSTANCE_URL,
    accessToken: options.accessToken ?? TEST_ACCESS_TOKEN,
    apiVersion: "62.0",
    send,
  });
}

beforeEach(() => {
  sf = fakeSalesforce();
  network.use(...sf.handlers);
  crm = connect();
});

const value = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
};
const soqlSent = () =>
  sf.requests.filter((r) => r.path.includes("/query?")).map((r) => new URL(`https://x${r.path}`).searchParams.get("q") ?? "");

describe("SalesforceCrm.read", () => {
  it("reads Contacts (company from their Account) and Leads (company inline) as contacts, leaving unknown ids out", async () => {
    const account = sf.org.insert("Account", { Name: "Acme Ltd", Website: "https://www.acme.co.uk/about", Industry: "Retail" });
    const contact = sf.org.insert("Contact", {
      LastName: "Lovelace",
      FirstName: "Ada",
      Email: "ada@acme.co.uk",
      AccountId: account,
      MailingCountry: "UK",
    });
    const lead = sf.org.insert("Lead", { LastName: "Hopper", Company: "Navy", Status: "Open - Not Contacted", NumberOfEmployees: 40 });

    const loaded = value(await crm.read("contacts", [contact, lead, "003000000000999AAA", "not-an-id"]));

    expect([...loaded.keys()].sort()).toEqual([contact, lead].sort());
    expect(loaded.get(contact)?.record).toMatchObject({
      email: "ada@acme.co.uk",
      firstName: "Ada",
      company: "Acme Ltd",
      website: "https://www.acme.co.uk/about",
      industry: "Retail",
      country: "UK",
      companyId: account,
      createdAt: "2026-01-05T09:00:02.000Z",
      extra: { sObjectType: "Contact", CreatedById: sf.org.integrationUser },
    });
    expect(loaded.get(lead)?.record).toMatchObject({
      company: "Navy",
      leadStatus: "Open - Not Contacted",
      numberOfEmployees: 40,
      companyId: null,
      extra: { sObjectType: "Lead" },
    });
  });

  it("reads accounts as companies with the website's domain, and opportunities as deals in the one pipeline", async () => {
    const account = sf.org.insert("Account", { Name: "Acme", Website: "www.acme.com", NumberOfEmployees: 120, BillingCountry: "US" });
    const deal = sf.org.insert("Opportunity", {
      Name: "Acme renewal",
      StageName: "Prospecting",
      CloseDate: "2026-03-31",
      Amount: 5000,
      AccountId: account,
      Budget__c: "Approved",
    });

    expect(value(await crm.read("companies", [account])).get(account)?.record).toMatchObject({
      name: "Acme",
      domain: "acme.com",
      numberOfEmployees: 120,
      country: "US",
    });
    const loaded = value(await crm.read("deals", [deal], { historyFor: ["Budget__c"] })).get(deal)?.record;
    expect(loaded).toMatchObject({
      name: "Acme renewal",
      pipelineId: "default",
      stageId: "Prospecting",
      amount: 5000,
      closeDate: "2026-03-31",
    });
    expect(loaded?.properties).toMatchObject({ StageName: "Prospecting", Budget__c: "Approved", AccountId: account });
  });

  it("gives field history newest first, ending with the value the record was created with", async () => {
    const contact = sf.org.insert("Contact", { LastName: "Doe", Email: "old@example.com" });
    expect((await crm.update("contacts", [{ id: contact, properties: { Email: "new@example.com" } }])).ok).toBe(true);

    const history = value(await crm.read("contacts", [contact], { historyFor: ["Email", "Phone"] })).get(contact)?.history;

    expect(history?.Email?.map((h) => [h.value, h.sourceType])).toEqual([
      ["new@example.com", "USER"],
      ["old@example.com", "CREATED"],
    ]);
    expect(history?.Email?.[0]).toMatchObject({ sourceId: sf.org.integrationUser, timestamp: "2026-01-05T09:00:02.000Z" });
    // Phone never changed (and is not tracked): its current value, since creation.
    expect(history?.Phone).toEqual([
      { value: null, timestamp: "2026-01-05T09:00:01.000Z", sourceType: "CREATED", sourceId: sf.org.integrationUser },
    ]);
  });

  it("takes stage history from OpportunityHistory, one entry per stage change", async () => {
    const deal = sf.org.insert("Opportunity", { Name: "D", StageName: "Prospecting", CloseDate: "2026-03-31" });
    await crm.update("deals", [{ id: deal, properties: { StageName: "Qualification" } }]);
    await crm.update("deals", [{ id: deal, properties: { Amount: "900" } }]);
    await crm.update("deals", [{ id: deal, properties: { StageName: "Proposal/Price Quote" } }]);

    const history = value(await crm.read("deals", [deal], { historyFor: ["StageName", "Amount"] })).get(deal)?.history;

    expect(history?.StageName?.map((h) => [h.value, h.sourceType])).toEqual([
      ["Proposal/Price Quote", "USER"],
      ["Qualification", "USER"],
      ["Prospecting", "CREATED"],
    ]);
    expect(history?.Amount?.map((h) => h.value)).toEqual(["900", null]);
  });

  it("reads extra properties by field name, and readProperties gives raw values of just the named fields", async () => {
    const account = sf.org.insert("Account", { Name: "Acme" });
    const deal = sf.org.insert("Opportunity", {
      Name: "D",
      StageName: "Prospecting",
      CloseDate: "2026-03-31",
      AccountId: account,
      Budget__c: "Pending",
    });

    const loaded = value(await crm.read("deals", [deal], { properties: ["Budget__c"] })).get(deal);
    expect(loaded?.record.properties.Budget__c).toBe("Pending");
    expect(loaded?.history).toEqual({});
    expect(value(await crm.readProperties("deals", [deal, "006000000000999AAA"], ["Budget__c", "Amount", "Account.Name"]))).toEqual(
      new Map([[deal, { Budget__c: "Pending", Amount: null, "Account.Name": "Acme" }]]),
    );
  });

  it("queries at most 200 ids per SOQL statement", async () => {
    const ids = Array.from({ length: 201 }, (_, i) => sf.org.insert("Account", { Name: `A${i}` }));
    expect(value(await crm.read("companies", ids)).size).toBe(201);
    expect(soqlSent().map((q) => q.split("', '").length)).toEqual([200, 1]);
  });

  it("refuses a history field name that is not a Salesforce field, without calling Salesforce", async () => {
    const result = await crm.read("contacts", ["003000000000001AAA"], { historyFor: ["Email) OR (Id != null"] });
    expect(result.ok ? null : result.error).toMatchObject({ code: "bad_request", retryable: false });
    expect(sf.requests).toHaveLength(0);
  });

  it("names a field the org does not have as a validation error", async () => {
    const id = sf.org.insert("Account", { Name: "A" });
    const result = await crm.read("companies", [id], { historyFor: ["NoSuchField__c"] });
    expect(result.ok ? null : result.error).toMatchObject({ code: "validation_error", retryable: false });
  });
});

describe("SalesforceCrm.update", () => {
  it("writes Leads and Contacts in one sObject Collections call, clearing fields written as null", async () => {
    const contact = sf.org.insert("Contact", { LastName: "A", Phone: "123" });
    const lead = sf.org.insert("Lead", { LastName: "B", Company: "C" });

    const result = await crm.update("contacts", [
      { id: contact, properties: { Phone: null, FirstName: "Al" } },
      { id: lead, properties: { Status: "Working - Contacted" } },
    ]);

    expect(result.ok).toBe(true);
    expect(sf.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["PATCH /services/data/v62.0/composite/sobjects"]);
    expect(sf.org.find(contact)?.row).toMatchObject({ Phone: null, FirstName: "Al" });
    expect(sf.org.find(lead)?.row).toMatchObject({ Status: "Working - Contacted" });
  });

  it("sends 200 records per call", async () => {
    const ids = Array.from({ length: 201 }, (_, i) => sf.org.insert("Account", { Name: `A${i}` }));
    expect(
      (
        await crm.update(
          "companies",
          ids.map((id) => ({ id, properties: { Industry: "Retail" } })),
        )
      ).ok,
    ).toBe(true);
    expect(sf.requests.map((r) => (JSON.parse(r.body) as { records: unknown[] }).records.length)).toEqual([200, 1]);
  });

  it("reports the record's own error when a validation rule refuses one record, and writes none of them", async () => {
    sf.org.rules.push({
      sObject: "Opportunity",
      field: "Amount",
      message: "Amount is required past Qualification",
      rejects: (r) => r.StageName === "Proposal" && r.Amount == null,
    });
    const a = sf.org.insert("Opportunity", { Name: "A", StageName: "Prospecting", CloseDate: "2026-03-31" });
    const b = sf.org.insert("Opportunity", { Name: "B", StageName: "Prospecting", CloseDate: "2026-03-31" });

    const result = await crm.update("deals", [
      { id: a, properties: { StageName: "Qualification" } },
      { id: b, properties: { StageName: "Proposal" } },
    ]);

    expect(result.ok ? null : result.error).toMatchObject({ code: "validation_error", retryable: false });
    expect(result.ok ? "" : result.error.message).toContain("Amount is required past Qualification");
    expect(sf.org.find(a)?.row.StageName).toBe("Prospecting");
  });

  it.each([
    ["an unknown field", { Nope__c: "x" }, "validation_error"],
    ["a cleared required field", { LastName: null }, "validation_error"],
  ] as const)("names %s as a validation error", async (_, properties, code) => {
    const id = sf.org.insert("Contact", { LastName: "A" });
    const result = await crm.update("contacts", [{ id, properties }]);
    expect(result.ok ? null : result.error.code).toBe(code);
  });

  it("names a record deleted by a merge as not found", async () => {
    const keep = sf.org.insert("Contact", { LastName: "Keep" });
    const gone = sf.org.insert("Contact", { LastName: "Gone" });
    sf.org.merge("Contact", keep, [gone]);
    const result = await crm.update("contacts", [{ id: gone, properties: { FirstName: "X" } }]);
    expect(result.ok ? null : result.error).toMatchObject({ code: "not_found", retryable: false });
  });
});

describe("SalesforceCrm.modifiedSince", () => {
  it("pages through Contacts and Leads together, oldest first, each id once", async () => {
    const since = sf.org.now;
    for (let i = 0; i < 150; i++) {
      sf.org.insert("Contact", { LastName: `C${i}` });
      sf.org.insert("Lead", { LastName: `L${i}`, Company: "X" });
    }
    const seen: string[] = [];
    const times: number[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = value(await crm.modifiedSince("contacts", since + 1, after));
      seen.push(...page.ids);
      times.push(...page.modifiedAt);
      after = page.next;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(300);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(seen.filter((id) => id.startsWith("00Q"))).toHaveLength(150);
  });

  it("keeps records modified in the same second apart by id across a page boundary", async () => {
    const ids = Array.from({ length: 203 }, (_, i) => sf.org.insert("Account", { Name: `A${i}` }));
    for (const row of sf.org.table("Account")) row.LastModifiedDate = sfDatetime(Date.UTC(2026, 0, 6));
    const first = value(await crm.modifiedSince("companies", Date.UTC(2026, 0, 6)));
    const second = value(await crm.modifiedSince("companies", Date.UTC(2026, 0, 6), first.next));
    expect([...first.ids, ...second.ids].sort()).toEqual([...ids].sort());
    expect(second.next).toBeUndefined();
  });

  it("leaves out records modified before the given time", async () => {
    sf.org.insert("Account", { Name: "old" });
    const since = sf.org.now + 1000;
    const fresh = sf.org.insert("Account", { Name: "new" });
    expect(value(await crm.modifiedSince("companies", since))).toEqual({ ids: [fresh], modifiedAt: [since] });
  });

  it("refuses a cursor it did not make", async () => {
    const result = await crm.modifiedSince("deals", 0, "{not json");
    expect(result.ok ? null : result.error.code).toBe("bad_request");
  });
});
