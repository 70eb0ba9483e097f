import { Buffer } from "node:buffer";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mockOutbound } from "../../auth/test-support.ts";
import { createBudgetedFetch, type ReserveCalls } from "../hubspot/transport.ts";
import { SalesforceCrm } from "./salesforce-crm.ts";
import { fakeSalesforce, TEST_ACCESS_TOKEN, TEST_INSTANCE_URL } from "./test-handlers.ts";

const network = mockOutbound();
beforeAll(() => network.enable());
afterEach(() => network.resetHandlers());
afterAll(() => network.disable());

let sf: ReturnType<typeof fakeSalesforce>;
let crm: SalesforceCrm;
const granted: ReserveCalls = async () => ({ granted: true });

function connect(options: { reserve?: ReserveCalls; accessToken?: string } = {}) {
  const send = createBudgetedFetch({ reserve: options.reserve ?? granted, timeoutMs: 300 });
  return new SalesforceCrm({
    instanceUrl: TEST_INSTANCE_URL,
    accessToken: options.accessToken ?? TEST_ACCESS_TOKEN,
    apiVersion: "62.0",
    send,
  });
}

function start(pageSize?: number) {
  sf = fakeSalesforce(pageSize ? { pageSize } : {});
  network.use(...sf.handlers);
  crm = connect();
}
beforeEach(() => start());

const value = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
};

describe("SalesforceCrm.readAssociations", () => {
  it("links contacts and deals to their account as Primary, and deals to contacts by role", async () => {
    const account = sf.org.insert("Account", { Name: "Acme" });
    const ada = sf.org.insert("Contact", { LastName: "Ada", AccountId: account });
    const bob = sf.org.insert("Contact", { LastName: "Bob" });
    const lead = sf.org.insert("Lead", { LastName: "Lee", Company: "X" });
    const deal = sf.org.insert("Opportunity", { Name: "D", StageName: "Prospecting", CloseDate: "2026-03-31", AccountId: account });
    sf.org.insert("OpportunityContactRole", { OpportunityId: deal, ContactId: ada, Role: "Decision Maker", IsPrimary: true });
    sf.org.insert("OpportunityContactRole", { OpportunityId: deal, ContactId: bob, Role: "Evaluator", IsPrimary: false });

    expect(value(await crm.readAssociations("contacts", "companies", [ada, bob, lead]))).toEqual(
      new Map([
        [ada, [{ id: account, labels: ["Primary"] }]],
        [bob, []],
        [lead, []],
      ]),
    );
    expect(value(await crm.readAssociations("deals", "contacts", [deal])).get(deal)).toEqual([
      { id: ada, labels: ["Decision Maker", "Primary"] },
      { id: bob, labels: ["Evaluator"] },
    ]);
    expect(value(await crm.readAssociations("companies", "deals", [account])).get(account)).toEqual([{ id: deal, labels: ["Primary"] }]);
    expect(value(await crm.readAssociations("contacts", "deals", [bob])).get(bob)).toEqual([{ id: deal, labels: ["Evaluator"] }]);
  });
});

describe("SalesforceCrm.listOwners and listDealPipelines", () => {
  it("lists standard users, inactive ones archived, across query pages", async () => {
    start(2);
    sf.org.table("User").push(
      {
        Id: "005000000000101AAA",
        Email: "a@acme.com",
        FirstName: "Ann",
        LastName: "A",
        IsActive: true,
        UserRoleId: "00E000000000001AAA",
        UserType: "Standard",
      },
      {
        Id: "005000000000102AAA",
        Email: "b@acme.com",
        FirstName: "Ben",
        LastName: "B",
        IsActive: false,
        UserRoleId: null,
        UserType: "Standard",
      },
      {
        Id: "005000000000103AAA",
        Email: "bot@acme.com",
        FirstName: null,
        LastName: "Automated Process",
        IsActive: true,
        UserType: "AutomatedProcess",
      },
    );

    const owners = value(await crm.listOwners());

    expect(owners.map((o) => [o.email, o.archived, o.teamIds])).toEqual([
      [null, false, []],
      ["a@acme.com", false, ["00E000000000001AAA"]],
      ["b@acme.com", true, []],
    ]);
    expect(sf.requests.filter((r) => r.path.includes("/query/01g"))).toHaveLength(1);
  });

  it("lists active opportunity stages in sort order, probability as a fraction", async () => {
    const stage = (ApiName: string, SortOrder: number, IsClosed: boolean, IsWon: boolean, DefaultProbability: number, IsActive = true) =>
      sf.org.table("OpportunityStage").push({
        Id: `01J00000000000${SortOrder}AAA`,
        ApiName,
        MasterLabel: ApiName,
        SortOrder,
        IsClosed,
        IsWon,
        DefaultProbability,
        IsActive,
      });
    stage("Closed Won", 3, true, true, 100);
    stage("Prospecting", 1, false, false, 10);
    stage("Retired", 2, false, false, 20, false);
    stage("Closed Lost", 4, true, false, 0);

    const [pipeline, ...others] = value(await crm.listDealPipelines());

    expect(others).toEqual([]);
    expect(pipeline).toEqual({
      id: "default",
      label: "Opportunities",
      stages: [
        { id: "Prospecting", label: "Prospecting", displayOrder: 1, isClosed: false, probability: 0.1 },
        { id: "Closed Won", label: "Closed Won", displayOrder: 3, isClosed: true, probability: 1 },
        { id: "Closed Lost", label: "Closed Lost", displayOrder: 4, isClosed: true, probability: 0 },
      ],
    });
  });
});

describe("SalesforceCrm.createNote and createTask", () => {
  it("creates a ContentNote linked to the record in one composite call, its text escaped as HTML", async () => {
    const contact = sf.org.insert("Contact", { LastName: "A" });
    const note = value(await crm.createNote("contacts", contact, "Merged duplicate <b>Bob</b>\nscore 0.97 & same email"));

    expect(sf.apiCalls).toBe(1);
    const saved = sf.org.find(note.id)?.row;
    expect(saved?.Title).toBe("Merged duplicate <b>Bob</b>");
    expect(Buffer.from(String(saved?.Content), "base64").toString("utf8")).toBe(
      "<p>Merged duplicate &lt;b&gt;Bob&lt;/b&gt;</p><p>score 0.97 &amp; same email</p>",
    );
    expect(sf.org.table("ContentDocumentLink")).toMatchObject([{ ContentDocumentId: note.id, LinkedEntityId: contact, ShareType: "I" }]);
  });

  it("leaves no orphan note when the link is refused", async () => {
    const result = await crm.createNote("deals", "006000000000999AAA", "text");
    expect(result.ok ? null : result.error).toMatchObject({ code: "not_found", retryable: false });
    expect(sf.org.table("ContentNote")).toEqual([]);
  });

  it("creates a task on a person with WhoId and on a deal with WhatId, due on the UTC date", async () => {
    const contact = sf.org.insert("Contact", { LastName: "A" });
    const deal = sf.org.insert("Opportunity", { Name: "D", StageName: "Prospecting", CloseDate: "2026-03-31" });
    const dueAt = Date.UTC(2026, 0, 7, 23, 30);
    const owner = sf.org.integrationUser;

    const onContact = value(await crm.createTask("contacts", contact, { subject: "Call back", body: "Hot lead", ownerId: owner, dueAt }));
    const onDeal = value(await crm.createTask("deals", deal, { subject: "Add amount", body: "Stage gate", ownerId: null, dueAt }));

    expect(sf.org.find(onContact.id)?.row).toMatchObject({
      WhoId: contact,
      OwnerId: owner,
      ActivityDate: "2026-01-07",
      Subject: "Call back",
      Status: "Not Started",
    });
    expect(sf.org.find(onDeal.id)?.row).toMatchObject({ WhatId: deal, Description: "Stage gate" });
    expect(sf.org.find(onDeal.id)?.row.WhoId).toBeUndefined();
  });

  it("finds the tasks on people and deals with their text, to recognise one whose create reply was lost", async () => {
    const contact = sf.org.insert("Contact", { LastName: "A" });
    const deal = sf.org.insert("Opportunity", { Name: "D", StageName: "Prospecting", CloseDate: "2026-03-31" });
    const dueAt = Date.UTC(2026, 0, 7);
    const made = value(
      await crm.createTask("deals", deal, { subject: "Add amount", body: "Gate\n\nRef: autopilot-abc", ownerId: null, dueAt }),
    );
    value(await crm.createTask("contacts", contact, { subject: "Call", body: "Other", ownerId: null, dueAt }));
    expect(value(await crm.findActivities("task", "deals", [deal, "not-an-id"]))).toEqual([
      { id: made.id, objectId: deal, text: "Add amount\nGate\n\nRef: autopilot-abc" },
    ]);
    expect(value(await crm.findActivities("task", "contacts", [contact])).map((t) => t.objectId)).toEqual([contact]);
    expect(value(await crm.findActivities("note", "deals", [deal]))).toEqual([]);
  });

  it("names a task on a deleted record as not found", async () => {
    const keep = sf.org.insert("Contact", { LastName: "Keep" });
    const gone = sf.org.insert("Contact", { LastName: "Gone" });
    sf.org.merge("Contact", keep, [gone]);
    const result = await crm.createTask("contacts", gone, { subject: "s", body: "b", ownerId: null, dueAt: 0 });
    expect(result.ok ? null : result.error.code).toBe("not_found");
  });
});

describe("SalesforceCrm.mergeContacts and createContact", () => {
  it("merges through SOAP: the master survives with its id and takes over the loser's contact roles", async () => {
    const master = sf.org.insert("Contact", { LastName: "Lovelace" });
    const loser = sf.org.insert("Contact", { LastName: "Lovelace" });
    const deal = sf.org.insert("Opportunity", { Name: "D", StageName: "Prospecting", CloseDate: "2026-03-31" });
    sf.org.insert("OpportunityContactRole", { OpportunityId: deal, ContactId: loser, Role: "Evaluator" });

    expect(await crm.mergeContacts(master, loser)).toEqual({ ok: true, value: { id: master } });
    expect(sf.requests.map((r) => r.path)).toEqual(["/services/Soap/u/62.0"]);
    expect(sf.requests[0]?.body).toContain(`<recordToMergeIds>${loser}</recordToMergeIds>`);
    expect(sf.org.find(loser)).toBeNull();
    expect(sf.org.table("OpportunityContactRole")[0]?.ContactId).toBe(master);
  });

  it("merges Leads too, and refuses a Lead with a Contact without calling Salesforce", async () => {
    const a = sf.org.insert("Lead", { LastName: "A", Company: "X" });
    const b = sf.org.insert("Lead", { LastName: "A", Company: "X" });
    const contact = sf.org.insert("Contact", { LastName: "A" });
    expect(value(await crm.mergeContacts(a, b))).toEqual({ id: a });
    const mixed = await crm.mergeContacts(a, contact);
    expect(mixed.ok ? null : mixed.error.code).toBe("bad_request");
    expect(sf.requests).toHaveLength(1);
  });

  it("names a merge with an already merged record as not found", async () => {
    const master = sf.org.insert("Contact", { LastName: "A" });
    const loser = sf.org.insert("Contact", { LastName: "A" });
    await crm.mergeContacts(master, loser);
    const again = await crm.mergeContacts(master, loser);
    expect(again.ok ? null : again.error).toMatchObject({ code: "not_found", retryable: false });
  });

  it("creates a Contact, and names a missing LastName as a validation error", async () => {
    const created = value(await crm.createContact({ LastName: "Hopper", Email: "grace@navy.mil", Phone: null }));
    expect(sf.org.find(created.id)).toMatchObject({ sObject: "Contact", row: { Email: "grace@navy.mil" } });
    const refused = await crm.createContact({ Email: "x@example.com" });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: "validation_error", retryable: false });
    expect(refused.ok ? "" : refused.error.message).toContain("REQUIRED_FIELD_MISSING");
  });
});
