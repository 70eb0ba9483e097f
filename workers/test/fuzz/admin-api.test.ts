import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { isNamedError, prototypePolluted, RUNS } from "./arbitraries.ts";
import { spyOnEventQueue } from "./queue-spy.ts";

beforeEach(() => {
  spyOnEventQueue();
  vi.spyOn(env.EVENTS, "send").mockImplementation(async () => ({}) as QueueSendResponse);
});

const portalSegment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("880001", "salesforce:00D5g000004ABCDEAA") },
  fc.constantFrom(
    "880001",
    "0",
    "-1",
    "1e5",
    "9".repeat(16),
    "salesforce:00D5g000004ABCDEAA",
    "salesforce:x",
    "__proto__",
    "%2e%2e",
    "hubspot:1",
  ),
  fc.string({ unit: "grapheme", maxLength: 20 }).map(encodeURIComponent),
);
const queryValue = fc.oneof(
  fc.constantFrom("", "NaN", "-1", "1e400", "1.5", "abc", "880001", "salesforce:x"),
  fc.string({ maxLength: 10 }),
);

/** Admin API calls with a valid token: hostile path segments, query values and bodies. */
const adminCall = fc.oneof(
  fc.tuple(
    fc.constant("GET"),
    portalSegment.map((p) => `/portals/${p}/settings`),
    fc.constant(""),
  ),
  fc.tuple(
    fc.constant("PUT"),
    portalSegment.map((p) => `/portals/${p}/settings`),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  ),
  fc.tuple(
    fc.constant("GET"),
    portalSegment.map((p) => `/portals/${p}/settings/versions`),
    fc.constant(""),
  ),
  fc.tuple(
    fc.constant("GET"),
    fc.tuple(portalSegment, queryValue).map(([p, d]) => `/portals/${p}/metrics?days=${encodeURIComponent(d)}`),
    fc.constant(""),
  ),
  fc.tuple(
    fc.constant("GET"),
    portalSegment.map((p) => `/portals/${p}/ledger`),
    fc.constant(""),
  ),
  fc.tuple(
    fc.constant("GET"),
    fc.tuple(queryValue, queryValue).map(([l, p]) => `/dead-letters?limit=${encodeURIComponent(l)}&portal=${encodeURIComponent(p)}`),
    fc.constant(""),
  ),
  fc.tuple(
    fc.constant("POST"),
    fc.constant("/dead-letters/replay"),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ ids: v })),
  ),
  fc.tuple(
    fc.constant("GET"),
    portalSegment.map((p) => `/salesforce/${p}/outbound-url`),
    fc.constant(""),
  ),
  fc.tuple(
    fc.constantFrom("GET", "POST"),
    portalSegment.map((p) => `/portals/${p}/dedupe/scan`),
    fc.constant(""),
  ),
);

describe("hostile admin API calls (valid token)", () => {
  it("never answers with a 5xx, and names the problem of every 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(adminCall, async ([method, path, body]) => {
        const res = await exports.default.fetch(`https://autopilot.test/api/admin${path}`, {
          method,
          headers: { authorization: `Bearer ${env.ADMIN_API_TOKEN}`, "content-type": "application/json" },
          ...(method === "GET" ? {} : { body }),
        });
        const text = await res.text();
        expect(res.status, `${method} ${path} ${body.slice(0, 100)} → ${text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expect(isNamedError(JSON.parse(text))).toBe(true);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: RUNS.batch },
    );
  });

  it("answers any call without the right bearer token with 401", async () => {
    const header = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 30 }).map((t) => `Bearer ${t}`),
      fc.constantFrom("Bearer", "Basic dGVzdA==", `Bearer ${env.ADMIN_API_TOKEN}x`, `bearer  ${env.ADMIN_API_TOKEN.slice(0, -1)}`),
    );
    await fc.assert(
      fc.asyncProperty(adminCall, header, async ([method, path, body], authorization) => {
        const res = await exports.default.fetch(`https://autopilot.test/api/admin${path}`, {
          method,
          headers: authorization === undefined ? {} : { authorization },
          ...(method === "GET" ? {} : { body }),
        });
        expect(res.status).toBe(401);
        expect(isNamedError(await res.json())).toBe(true);
      }),
      { numRuns: RUNS.small },
    );
  });
});
