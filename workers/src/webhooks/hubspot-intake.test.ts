import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { signedRequest } from "../../test/signed-request.ts";

const URL_ = "https://autopilot.test/webhooks/hubspot";
const event = (over: Record<string, unknown> = {}) => ({
  eventId: 1,
  subscriptionId: 9,
  portalId: 62515,
  appId: Number(env.HUBSPOT_APP_ID),
  occurredAt: Date.now(),
  subscriptionType: "contact.propertyChange",
  attemptNumber: 0,
  objectId: 101,
  propertyName: "phone",
  propertyValue: "415 555 0100",
  changeSource: "CRM_UI",
  sourceId: "userId:7",
  ...over,
});

let sent: unknown[];
beforeEach(async () => {
  sent = [];
  vi.spyOn(env.EVENTS, "sendBatch").mockImplementation(async (messages) => {
    for (const m of messages) sent.push(m.body);
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } } as unknown as QueueSendBatchResponse;
  });
  await env.DB.prepare("DELETE FROM dead_letters").run();
});

const post = async (req: Request) => exports.default.fetch(req);

describe("POST /webhooks/hubspot", () => {
  it("enqueues every event of a signed batch as a CrmEvent", async () => {
    const body = JSON.stringify([event(), event({ eventId: 2, subscriptionType: "contact.creation", objectId: 102 })]);
    const res = await post(await signedRequest(URL_, body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, deadLettered: 0 });
    expect(sent).toMatchObject([
      { portalKey: "hubspot:62515", kind: "changed", objectId: "101", propertyName: "phone" },
      { kind: "created", objectId: "102" },
    ]);
  });

  it("dead-letters the events it cannot use with the reason and still takes the rest", async () => {
    const body = JSON.stringify([event(), event({ subscriptionType: "ticket.creation" }), { nonsense: true }, event({ appId: 1 })]);
    const res = await post(await signedRequest(URL_, body));
    expect(await res.json()).toEqual({ accepted: 1, deadLettered: 3 });
    const rows = await env.DB.prepare("SELECT reason_code, reason FROM dead_letters ORDER BY id").all<{
      reason_code: string;
      reason: string;
    }>();
    expect(rows.results.map((r) => r.reason_code)).toEqual(["unsupported_subscription", "invalid_event", "wrong_app"]);
    expect(rows.results[0]?.reason).toContain("event 1: subscription type ticket.creation");
  });

  it("counts a redelivered unusable event on its first dead letter instead of adding it again", async () => {
    const bad = event({ subscriptionType: "ticket.creation" });
    for (const attemptNumber of [0, 1, 2]) {
      const res = await post(await signedRequest(URL_, JSON.stringify([{ ...bad, attemptNumber }])));
      expect(await res.json()).toEqual({ accepted: 0, deadLettered: 1 });
    }
    await post(await signedRequest(URL_, JSON.stringify([{ ...bad, objectId: 999 }])));
    const rows = await env.DB.prepare("SELECT times_seen, last_seen_at >= created_at AS later FROM dead_letters ORDER BY id").all();
    expect(rows.results).toEqual([
      { times_seen: 3, later: 1 },
      { times_seen: 1, later: 1 },
    ]);
  });

  it("records nothing when the enqueue fails, so HubSpot's retry of the batch dead-letters its bad events once", async () => {
    const body = JSON.stringify([event(), event({ subscriptionType: "ticket.creation" })]);
    vi.mocked(env.EVENTS.sendBatch).mockRejectedValueOnce(new Error("Queue send failed"));
    const failed = await post(await signedRequest(URL_, body));
    expect(failed.status).toBe(500);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters").first()).toEqual({ n: 0 });
    const retried = await post(await signedRequest(URL_, body));
    expect(await retried.json()).toEqual({ accepted: 1, deadLettered: 1 });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n, SUM(times_seen) AS seen FROM dead_letters").first()).toEqual({ n: 1, seen: 1 });
  });

  it.each([
    ["no signature", async () => new Request(URL_, { method: "POST", body: "[]" }), "missing_signature"],
    [
      "a tampered body",
      async () => {
        const req = await signedRequest(URL_, JSON.stringify([event()]));
        return new Request(req, { body: JSON.stringify([event({ propertyValue: "evil" })]) });
      },
      "bad_signature",
    ],
    ["a stale timestamp", async () => signedRequest(URL_, "[]", { timestamp: Date.now() - 6 * 60_000 }), "stale_timestamp"],
    ["another app's secret", async () => signedRequest(URL_, "[]", { secret: "someone-else" }), "bad_signature"],
  ])("answers 401 to %s", async (_name, make, code) => {
    const res = await post(await make());
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(sent).toEqual([]);
  });

  it.each([
    ["not JSON", "{not json", "invalid_json"],
    ["not an array", '{"eventId": 1}', "not_an_array"],
  ])("answers 400 to a body that is %s", async (_name, body, code) => {
    const res = await post(await signedRequest(URL_, body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("answers 413 to a body over 1 MB without reading it all", async () => {
    const body = JSON.stringify([event({ propertyValue: "x".repeat(1_100_000) })]);
    const res = await post(await signedRequest(URL_, body));
    expect(res.status).toBe(413);
  });

  it("accepts a URL whose query has escapes, signed with HubSpot's URI decoding", async () => {
    const url = `${URL_}?note=a%3Ab%2Fc%20d`;
    const res = await post(await signedRequest(url, JSON.stringify([event()])));
    expect(res.status).toBe(200);
  });
});
