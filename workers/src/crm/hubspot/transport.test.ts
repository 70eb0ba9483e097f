import { describe, expect, it } from "vitest";
import { CrmTransportError, createBudgetedFetch } from "./transport.ts";

const ok = async () => new Response("{}", { status: 200 });

describe("createBudgetedFetch", () => {
  it("reserves a search call for /search paths and a general call otherwise", async () => {
    const kinds: string[] = [];
    const send = createBudgetedFetch({
      reserve: async (kind) => {
        kinds.push(kind);
        return { granted: true };
      },
      fetch: ok,
    });
    await send(new Request("https://api.test/crm/v3/objects/contacts/search", { method: "POST" }));
    await send(new Request("https://api.test/crm/v3/objects/contacts/batch/read", { method: "POST" }));
    expect(kinds).toEqual(["search", "general"]);
  });

  it("waits in place for a short refusal, then goes ahead", async () => {
    let asks = 0;
    const send = createBudgetedFetch({
      reserve: async () => (++asks === 1 ? { granted: false, retryAfterMs: 20 } : { granted: true }),
      fetch: ok,
    });
    expect((await send(new Request("https://api.test/x"))).status).toBe(200);
    expect(asks).toBe(2);
  });

  it("gives a long refusal back as a retryable budget error instead of holding the consumer", async () => {
    const send = createBudgetedFetch({ reserve: async () => ({ granted: false, retryAfterMs: 9_000 }), fetch: ok });
    const error = await send(new Request("https://api.test/x")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmTransportError);
    expect((error as CrmTransportError).crmError).toMatchObject({ code: "budget_exhausted", retryable: true, retryAfterMs: 9_000 });
  });

  it("turns a call that outlives its timeout into a retryable timeout", async () => {
    const hang = (_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const send = createBudgetedFetch({ reserve: async () => ({ granted: true }), fetch: hang as typeof fetch, timeoutMs: 30 });
    const error = (await send(new Request("https://api.test/x")).catch((e: unknown) => e)) as CrmTransportError;
    expect(error.crmError).toMatchObject({ code: "timeout", retryable: true });
  });

  it("counts every call that reached HubSpot, with its status", async () => {
    const seen: number[] = [];
    const send = createBudgetedFetch({
      reserve: async () => ({ granted: true }),
      fetch: async () => new Response("{}", { status: 429 }),
      onCall: (c) => seen.push(c.status),
    });
    await send(new Request("https://api.test/x"));
    expect(seen).toEqual([429]);
  });
});
