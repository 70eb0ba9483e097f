import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CrmResult } from "../../../../shared/crm-port.ts";
import { mockOutbound } from "../../auth/test-support.ts";
import { createBudgetedFetch, type ReserveCalls } from "../hubspot/transport.ts";
import { toSalesforceCrmError } from "./errors.ts";
import { SalesforceCrm } from "./salesforce-crm.ts";
import { fakeSalesforce, faults, TEST_ACCESS_TOKEN, TEST_INSTANCE_URL } from "./test-handlers.ts";

const network = mockOutbound();
beforeAll(() => network.enable());
afterEach(() => network.resetHandlers());
afterAll(() => network.disable());

let sf: ReturnType<typeof fakeSalesforce>;
const granted: ReserveCalls = async () => ({ granted: true });
const connect = (reserve: ReserveCalls = granted, accessToken = TEST_ACCESS_TOKEN) =>
  new SalesforceCrm({
    instanceUrl: TEST_INSTANCE_URL,
    accessToken,
    apiVersion: "62.0",
    send: createBudgetedFetch({ reserve, timeoutMs: 200 }),
  });

beforeEach(() => {
  sf = fakeSalesforce();
  network.use(...sf.handlers);
});

const C = "003000000000001AAA";
const C2 = "003000000000002AAA";
/** Every CrmPort method, each making at least one call. */
const METHODS: Array<[string, (crm: SalesforceCrm) => Promise<CrmResult<unknown>>]> = [
  ["read", (crm) => crm.read("contacts", [C])],
  ["readProperties", (crm) => crm.readProperties("contacts", [C], ["Email"])],
  ["update", (crm) => crm.update("contacts", [{ id: C, properties: { FirstName: "A" } }])],
  ["modifiedSince", (crm) => crm.modifiedSince("companies", 0)],
  ["readAssociations", (crm) => crm.readAssociations("deals", "contacts", ["006000000000001AAA"])],
  ["listOwners", (crm) => crm.listOwners()],
  ["listDealPipelines", (crm) => crm.listDealPipelines()],
  ["createNote", (crm) => crm.createNote("contacts", C, "note")],
  ["createTask", (crm) => crm.createTask("contacts", C, { subject: "s", body: "b", ownerId: null, dueAt: 0 })],
  ["mergeContacts", (crm) => crm.mergeContacts(C, C2)],
  ["createContact", (crm) => crm.createContact({ LastName: "A" })],
];
const isSoap = (name: string) => name === "mergeContacts";

/** The same failure as REST answers it and as the SOAP API does (a fault). */
const FAULTS: Array<[string, (soap: boolean) => Response | Promise<Response>, { code: string; retryable: boolean }]> = [
  [
    "the daily API limit",
    (soap) => (soap ? faults.soapFault("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.") : faults.requestLimit()),
    { code: "rate_limited", retryable: true },
  ],
  ["an outage page (503)", () => faults.unavailable(), { code: "server_error", retryable: true }],
  [
    "an unexpected error (500)",
    (soap) => (soap ? faults.soapFault("UNKNOWN_EXCEPTION", "An unexpected error occurred") : faults.unknownException()),
    { code: "server_error", retryable: true },
  ],
  [
    "an expired session",
    (soap) => (soap ? faults.soapFault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader") : faults.sessionExpired()),
    { code: "unauthorized", retryable: false },
  ],
  [
    "missing permissions (403)",
    (soap) => (soap ? faults.soapFault("INSUFFICIENT_ACCESS", "insufficient access rights on object id") : faults.insufficientAccess()),
    { code: "unauthorized", retryable: false },
  ],
  ["no answer", () => faults.stall(), { code: "timeout", retryable: true }],
];

describe("SalesforceCrm errors", () => {
  for (const [method, call] of METHODS) {
    it.each(FAULTS)(`${method}: maps %s`, async (_, respond, expected) => {
      sf.failNext(() => respond(isSoap(method)));
      const result = await call(connect());
      expect(result.ok ? null : result.error).toMatchObject(expected);
    });

    it(`${method}: gives the call back to the queue when the portal's budget is spent, without calling Salesforce`, async () => {
      const result = await call(connect(async () => ({ granted: false, retryAfterMs: 30_000 })));
      expect(result.ok ? null : result.error).toMatchObject({ code: "budget_exhausted", retryable: true, retryAfterMs: 30_000 });
      expect(sf.requests).toHaveLength(0);
    });
  }

  it("refuses a wrong token as unauthorized, on REST and on SOAP", async () => {
    const crm = connect(granted, "revoked");
    expect(await crm.listOwners()).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(await crm.mergeContacts(C, C2)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
  });

  it("waits longer after the daily limit than after the concurrent-request limit", () => {
    expect(toSalesforceCrmError({ errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." }).retryAfterMs).toBe(
      900_000,
    );
    expect(
      toSalesforceCrmError({ errorCode: "REQUEST_LIMIT_EXCEEDED", message: "ConcurrentPerOrgLongTxn Limit exceeded" }).retryAfterMs,
    ).toBe(10_000);
  });

  it.each([
    ["UNABLE_TO_LOCK_ROW", "server_error", true],
    ["sf:ENTITY_IS_DELETED", "not_found", false],
    ["FIELD_CUSTOM_VALIDATION_EXCEPTION", "validation_error", false],
    ["MALFORMED_QUERY", "bad_request", false],
    ["ERROR_HTTP_404", "not_found", false],
  ])("maps %s to %s", (errorCode, code, retryable) => {
    expect(toSalesforceCrmError({ errorCode, message: "m" })).toMatchObject({ code, retryable });
  });

  it("counts the org's API usage from Sforce-Limit-Info", async () => {
    const seen: unknown[] = [];
    const crm = new SalesforceCrm({
      instanceUrl: TEST_INSTANCE_URL,
      accessToken: TEST_ACCESS_TOKEN,
      apiVersion: "62.0",
      send: createBudgetedFetch({ reserve: granted }),
      onApiUsage: (usage) => seen.push(usage),
    });
    expect(crm.apiUsage).toBeNull();
    await crm.listOwners();
    await crm.listDealPipelines();
    expect(crm.apiUsage).toEqual({ used: 2, limit: 15000 });
    expect(seen).toEqual([
      { used: 1, limit: 15000 },
      { used: 2, limit: 15000 },
    ]);
  });
});
