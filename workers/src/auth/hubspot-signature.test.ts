import { createHmac } from "node:crypto";
import { Signature } from "@hubspot/api-client";
import { describe, expect, it } from "vitest";
import { hubspotSignedUri, signHubspotRequest, verifyHubspotSignature } from "./hubspot-signature.ts";

const SECRET = "test-client-secret";
const NOW = 1_790_000_000_000;

// Independent of the module under test: node's HMAC and HubSpot's documented table of decoded escapes, applied one by one.
function referenceSign(method: string, url: string, body: string, timestamp: number, secret = SECRET): string {
  const decoded = [
    ["%3A", ":"],
    ["%2F", "/"],
    ["%3F", "?"],
    ["%40", "@"],
    ["%21", "!"],
    ["%24", "$"],
    ["%27", "'"],
    ["%28", "("],
    ["%29", ")"],
    ["%2A", "*"],
    ["%2C", ","],
    ["%3B", ";"],
  ].reduce((uri, [encoded, char]) => uri.split(encoded as string).join(char as string), url);
  return createHmac("sha256", secret).update(`${method}${decoded}${body}${timestamp}`).digest("base64");
}

function apiClientSign(method: string, url: string, body: string, timestamp: number): string {
  return Signature.getSignature(method, "v3", { signature: "", clientSecret: SECRET, requestBody: body, url, timestamp });
}

const verify = (over: Partial<Parameters<typeof verifyHubspotSignature>[0]>) =>
  verifyHubspotSignature({ clientSecret: SECRET, method: "POST", url: "", body: "", signature: null, timestamp: null, now: NOW, ...over });

describe("verifyHubspotSignature against @hubspot/api-client's v3 signer (URLs without escapes)", () => {
  const cases = [
    { name: "a webhook batch", method: "POST", url: "https://autopilot.test/webhooks/hubspot", body: '[{"eventId":1,"portalId":42}]' },
    {
      name: "a card GET with a query",
      method: "GET",
      url: "https://autopilot.test/api/cards/contact?portalId=42&userId=7&objectId=9",
      body: "",
    },
    {
      name: "a unicode body",
      method: "POST",
      url: "https://autopilot.test/api/settings/save?portalId=42&userId=7",
      body: '{"name":"Zoë Ørsted"}',
    },
  ];
  it.each(cases)("accepts $name that the api-client signs and holds valid", async ({ method, url, body }) => {
    const timestamp = Date.now() - 1000;
    const signature = apiClientSign(method, url, body, timestamp);
    expect(Signature.isValid({ signatureVersion: "v3", method, url, requestBody: body, clientSecret: SECRET, signature, timestamp })).toBe(
      true,
    );
    const result = await verify({ method, url, body, signature, timestamp: String(timestamp), now: Date.now() });
    expect(result).toEqual({ ok: true, value: true });
  });

  it("signs exactly as the api-client when the URL has no escapes", async () => {
    const url = "https://autopilot.test/webhooks/hubspot?x=1";
    const ours = await signHubspotRequest({ clientSecret: SECRET, method: "POST", url, body: "[]", timestamp: NOW });
    expect(ours).toBe(apiClientSign("POST", url, "[]", NOW));
  });
});

describe("verifyHubspotSignature with HubSpot's URI decoding (URLs with escapes)", () => {
  const cases = [
    {
      name: "encoded colon and slash in a query value",
      url: "https://autopilot.test/api/cards/x?portalId=42&next=https%3A%2F%2Fa.test%2Fb",
    },
    { name: "encoded @ and comma", url: "https://autopilot.test/api/cards/x?portalId=42&email=a%40b.test&ids=1%2C2" },
    { name: "every decoded escape", url: "https://autopilot.test/p?q=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B" },
    { name: "escapes that stay encoded (space, percent, plus)", url: "https://autopilot.test/p?q=a%20b%25c%2Bd%40e" },
  ];
  it.each(cases)("accepts $name", async ({ url }) => {
    const signature = referenceSign("GET", url, "", NOW);
    expect(await verify({ method: "GET", url, signature, timestamp: String(NOW) })).toEqual({ ok: true, value: true });
  });

  it("decodes only the twelve listed escapes", () => {
    expect(hubspotSignedUri("https://h/p?a=%3A%2f%20%25%2B%3b")).toBe("https://h/p?a=:/%20%25%2B;");
  });

  it("refuses a signature made over the undecoded URL", async () => {
    const url = "https://autopilot.test/p?email=a%40b.test";
    const signature = apiClientSign("GET", url, "", NOW);
    expect(await verify({ method: "GET", url, signature, timestamp: String(NOW) })).toMatchObject({
      ok: false,
      error: { code: "bad_signature" },
    });
  });
});

describe("verifyHubspotSignature refusals", () => {
  const url = "https://autopilot.test/webhooks/hubspot";
  const body = '[{"eventId":1}]';
  const ts = NOW - 10_000;
  const good = referenceSign("POST", url, body, ts);
  const cases = [
    { name: "a tampered body", over: { body: '[{"eventId":2}]' }, code: "bad_signature" },
    { name: "a different URL", over: { url: `${url}?portalId=43` }, code: "bad_signature" },
    { name: "a different method", over: { method: "PUT" }, code: "bad_signature" },
    {
      name: "a signature made with another secret",
      over: { signature: referenceSign("POST", url, body, ts, "other-secret") },
      code: "bad_signature",
    },
    { name: "a signature that is not base64", over: { signature: "not base64!" }, code: "bad_signature" },
    { name: "a replayed signature with a new timestamp", over: { timestamp: String(ts + 1) }, code: "bad_signature" },
    { name: "a timestamp older than five minutes", over: { now: ts + 300_001 }, code: "stale_timestamp" },
    { name: "a timestamp more than five minutes ahead", over: { now: ts - 300_001 }, code: "future_timestamp" },
    { name: "a missing signature", over: { signature: null }, code: "missing_signature" },
    { name: "an empty signature", over: { signature: "" }, code: "missing_signature" },
    { name: "a missing timestamp", over: { timestamp: undefined }, code: "missing_timestamp" },
    { name: "a timestamp in seconds with letters", over: { timestamp: "17e11" }, code: "malformed_timestamp" },
    { name: "no client secret configured", over: { clientSecret: "" }, code: "missing_client_secret" },
  ] as const;
  it.each(cases)("refuses $name with $code", async ({ over, code }) => {
    const result = await verify({ url, body, signature: good, timestamp: String(ts), ...over });
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it("accepts the same request at the edge of the window", async () => {
    expect(await verify({ url, body, signature: good, timestamp: String(ts), now: ts + 300_000 })).toEqual({ ok: true, value: true });
  });
});
