import { describe, expect, it, vi } from "vitest";
import { ApiError, createFetchJson, type HubspotFetch, workerOrigin } from "./client.ts";
import { ROUTES, splitRoute } from "./contract.ts";

function answering(status: number, body: unknown) {
  return vi.fn<HubspotFetch>(async () => ({ ok: status < 400, status, json: async () => body }));
}

describe("createFetchJson", () => {
  it("puts the identity in the query string HubSpot signs and sends the body as JSON", async () => {
    const fetch = answering(200, { applied: [] });
    const fetchJson = createFetchJson(fetch, "https://worker.example");
    await fetchJson("POST /api/cards/hygiene/fix", { portalId: 7, userId: 9, objectType: "contacts", objectId: 101 }, { allSafe: true });
    expect(fetch).toHaveBeenCalledWith(
      "https://worker.example/api/cards/hygiene/fix?portalId=7&userId=9&objectType=contacts&objectId=101",
      {
        method: "POST",
        body: { allSafe: true },
        timeout: 10_000,
      },
    );
  });

  it("sends GETs without a body and leaves out unset filters", async () => {
    const fetch = answering(200, { entries: [] });
    await createFetchJson(fetch, "https://worker.example")("GET /api/settings/audit", {
      portalId: 7,
      userId: 9,
      automation: undefined,
      status: "undone",
    });
    expect(fetch).toHaveBeenCalledWith("https://worker.example/api/settings/audit?portalId=7&userId=9&status=undone", {
      method: "GET",
      timeout: 10_000,
    });
  });

  it("turns an error answer into an ApiError with the Worker's code, message and problems", async () => {
    const problems = [{ path: "dedupe.thresholds", message: "the review threshold must not exceed the merge threshold" }];
    const fetchJson = createFetchJson(
      answering(422, { error: { code: "invalid_settings", message: "Invalid settings", problems } }),
      "https://w.example",
    );
    const failure = await fetchJson("GET /api/settings", { portalId: 1, userId: 2 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 422, code: "invalid_settings", message: "Invalid settings", problems });
  });

  it("names the status when the error answer is not JSON", async () => {
    const fetch = vi.fn<HubspotFetch>(async () => ({ ok: false, status: 502, json: async () => Promise.reject(new Error("not json")) }));
    await expect(createFetchJson(fetch, "https://w.example")("GET /api/settings", { portalId: 1, userId: 2 })).rejects.toMatchObject({
      code: "http_error",
      message: "Request failed (502)",
    });
  });
});

describe("workerOrigin", () => {
  it.each([
    [{ WORKER_ORIGIN: "https://autopilot.example.com/" }, "https://autopilot.example.com"],
    [{ WORKER_ORIGIN: "http://localhost:8787" }, "https://crm-autopilot.example.workers.dev"],
    [undefined, "https://crm-autopilot.example.workers.dev"],
  ])("takes the profile's HTTPS origin, else the default (%j)", (variables, expected) => {
    expect(workerOrigin(variables)).toBe(expected);
  });
});

describe("the route map", () => {
  it("lists each route once, each a method and an /api path", () => {
    expect(new Set(ROUTES).size).toBe(ROUTES.length);
    for (const route of ROUTES) expect(splitRoute(route).path).toMatch(/^\/api\/(cards|settings)(\/|$)/);
  });
});
