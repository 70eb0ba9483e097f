import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubspotMock } from "./hubspot.ts";

const mock = hubspotMock({ baseUrl: "https://api.hubapi.test" });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => {
  server.close();
  mock.close();
});

const call = (path: string, init: RequestInit = {}) =>
  fetch(`https://api.hubapi.test${path}`, {
    ...init,
    headers: { authorization: "Bearer t", "content-type": "application/json", ...init.headers },
  });

describe("msw HubSpot handlers", () => {
  it("serve the local server's implementation: a created contact is found by search and emits a creation event", async () => {
    const created = await call("/crm/v3/objects/contacts", {
      method: "POST",
      body: JSON.stringify({ properties: { email: "msw@example.com", firstname: "Mia" } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const search = await call("/crm/v3/objects/contacts/search", {
      method: "POST",
      body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: "email", operator: "EQ", value: "MSW@example.com" }] }] }),
    });
    const found = (await search.json()) as { total: number; results: { id: string }[] };
    expect(found.results.map((r) => r.id)).toEqual([id]);
    expect(mock.runtime.webhooks.journal.at(-1)).toMatchObject({
      subscriptionType: "contact.creation",
      objectId: Number(id),
      changeSource: "INTEGRATION",
    });
  });

  it("answer HubSpot's 401 body without a token", async () => {
    const response = await fetch("https://api.hubapi.test/crm/v3/objects/contacts");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION" });
  });
});
