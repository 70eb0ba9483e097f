import { env } from "cloudflare:test";
import { createHmac } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type CardEnv, requireAdminToken, requireCardSignature } from "./middleware.ts";
import { testApp } from "./test-support.ts";

const ORIGIN = "https://autopilot.test";

function app() {
  return testApp((root) => {
    const cards = new Hono<CardEnv>();
    cards.use(requireCardSignature());
    cards.get("/contact", (c) => c.json({ card: c.get("card") }));
    cards.post("/contact/fix", async (c) => c.json({ card: c.get("card"), body: await c.req.json() }));
    root.route("/api/cards", cards);
    root.use("/api/admin/*", requireAdminToken());
    root.get("/api/admin/ping", (c) => c.json({ ok: true }));
  });
}

// HubSpot's signer for URLs without escapes: HMAC-SHA256 over method + url + body + timestamp, base64.
function signedRequest(method: string, path: string, body = "", timestamp = Date.now()): Request {
  const url = `${ORIGIN}${path}`;
  const signature = createHmac("sha256", env.HUBSPOT_CLIENT_SECRET).update(`${method}${url}${body}${timestamp}`).digest("base64");
  return new Request(url, {
    method,
    headers: { "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp), "content-type": "application/json" },
    ...(body ? { body } : {}),
  });
}

const call = (req: Request) => app().fetch(req, env);

describe("requireCardSignature", () => {
  it("sets the portal, user and object from the signed query string", async () => {
    const res = await call(signedRequest("GET", "/api/cards/contact?portalId=101&userId=7&objectId=555&objectTypeId=0-1"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      card: { portalId: "101", portalKey: "hubspot:101", userId: "7", objectId: "555", objectTypeId: "0-1" },
    });
  });

  it("verifies the body and leaves it readable by the handler", async () => {
    const res = await call(signedRequest("POST", "/api/cards/contact/fix?portalId=101&userId=7&objectId=555", '{"field":"email"}'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ card: { portalKey: "hubspot:101" }, body: { field: "email" } });
  });

  it("refuses a request signed for portal A that asks for portal B in the query", async () => {
    const signed = signedRequest("GET", "/api/cards/contact?portalId=101&userId=7&objectId=555");
    for (const url of [signed.url.replace("portalId=101", "portalId=202"), `${signed.url}&portalId=202`]) {
      const res = await call(new Request(url, { headers: signed.headers }));
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "bad_signature" } });
    }
  });

  it("ignores a portal named anywhere but the signed query (body, headers)", async () => {
    const req = signedRequest("POST", "/api/cards/contact/fix?portalId=101&userId=7&objectId=555", '{"portalId":202}');
    req.headers.set("X-Portal-Id", "202");
    const res = await call(req);
    expect(await res.json()).toMatchObject({ card: { portalId: "101", portalKey: "hubspot:101" }, body: { portalId: 202 } });
  });

  it("refuses a signed query that gives the portal twice with different values", async () => {
    const res = await call(signedRequest("GET", "/api/cards/contact?portalId=101&userId=7&portalId=202"));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "ambiguous_identity" } });
  });

  it("accepts the same portal given twice (the card and HubSpot may both add it)", async () => {
    const res = await call(signedRequest("GET", "/api/cards/contact?portalId=101&userId=7&portalId=101"));
    expect(await res.json()).toMatchObject({ card: { portalKey: "hubspot:101", objectId: null } });
  });

  const refusals = [
    {
      name: "no signature headers",
      req: () => new Request(`${ORIGIN}/api/cards/contact?portalId=101&userId=7`),
      code: "missing_signature",
    },
    {
      name: "a stale signature",
      req: () => signedRequest("GET", "/api/cards/contact?portalId=101&userId=7", "", Date.now() - 301_000),
      code: "stale_timestamp",
    },
    { name: "a signed query without portalId", req: () => signedRequest("GET", "/api/cards/contact?userId=7"), code: "missing_identity" },
    { name: "a signed query without userId", req: () => signedRequest("GET", "/api/cards/contact?portalId=101"), code: "missing_identity" },
    {
      name: "a non-numeric portalId",
      req: () => signedRequest("GET", "/api/cards/contact?portalId=abc&userId=7"),
      code: "missing_identity",
    },
    {
      name: "a tampered body",
      req: () => {
        const r = signedRequest("POST", "/api/cards/contact/fix?portalId=101&userId=7", '{"a":1}');
        return new Request(r.url, { method: "POST", headers: r.headers, body: '{"a":2}' });
      },
      code: "bad_signature",
    },
  ];
  it.each(refusals)("answers 401 $code to $name", async ({ req, code }) => {
    const res = await call(req());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code } });
  });
});

describe("requireAdminToken", () => {
  const cases = [
    { name: "the right bearer token", header: `Bearer ${env.ADMIN_API_TOKEN}`, status: 200, code: undefined },
    { name: "no Authorization header", header: undefined, status: 401, code: "missing_admin_token" },
    { name: "a Basic header", header: `Basic ${env.ADMIN_API_TOKEN}`, status: 401, code: "missing_admin_token" },
    { name: "a wrong token", header: "Bearer not-the-token", status: 401, code: "bad_admin_token" },
    {
      name: "a token with a prefix of the right one",
      header: `Bearer ${env.ADMIN_API_TOKEN.slice(0, -1)}`,
      status: 401,
      code: "bad_admin_token",
    },
  ];
  it.each(cases)("answers $status to $name", async ({ header, status, code }) => {
    const res = await call(new Request(`${ORIGIN}/api/admin/ping`, header ? { headers: { Authorization: header } } : {}));
    expect(res.status).toBe(status);
    if (code) expect(await res.json()).toMatchObject({ error: { code } });
  });

  it("closes the admin API when no token is configured", async () => {
    const res = await app().fetch(new Request(`${ORIGIN}/api/admin/ping`, { headers: { Authorization: "Bearer " } }), {
      ...env,
      ADMIN_API_TOKEN: "",
    });
    expect(await res.json()).toMatchObject({ error: { code: "admin_api_disabled" } });
  });
});
