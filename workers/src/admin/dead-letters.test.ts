import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CrmEvent } from "../../../shared/events/types.ts";
import { recordDeadLetters } from "../queue/producer.ts";

const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(`https://autopilot.test/api/admin${path}`, {
    ...init,
    headers: { authorization: `Bearer ${env.ADMIN_API_TOKEN}`, "content-type": "application/json" },
  });

const event: CrmEvent = {
  portalKey: "hubspot:77",
  origin: "webhook",
  kind: "changed",
  objectType: "contacts",
  objectId: "5",
  eventId: "9",
  subscriptionType: "contact.propertyChange",
  occurredAt: 1_700_000_000_000,
  propertyName: "phone",
  propertyValue: "1",
};
const exhausted = { portalKey: "hubspot:77" as const, source: "consumer" as const, reasonCode: "retries_exhausted", payload: event };

let sent: unknown[];
beforeEach(async () => {
  sent = [];
  vi.spyOn(env.EVENTS, "sendBatch").mockImplementation(async (messages) => {
    for (const m of messages) sent.push(m.body);
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } } as unknown as QueueSendBatchResponse;
  });
  await env.DB.prepare("DELETE FROM dead_letters").run();
});

type Listed = { id: number; times_seen: number; last_seen_at: number; created_at: number; reason: string; replayed_at: number | null };

describe("the admin dead-letter routes over deduplicated dead letters", () => {
  it("list one row per distinct dead letter with how often and when it was last seen", async () => {
    await recordDeadLetters(env.DB, [{ ...exhausted, reason: "gave up after 3 attempts" }], 1_000);
    await recordDeadLetters(env.DB, [{ ...exhausted, reason: "gave up after 5 attempts" }], 2_000);
    const res = await admin("/dead-letters?portal=77");
    const { deadLetters } = (await res.json()) as { deadLetters: Listed[] };
    expect(deadLetters).toMatchObject([{ times_seen: 2, created_at: 1_000, last_seen_at: 2_000, reason: "gave up after 5 attempts" }]);
  });

  it("replay a deduplicated dead letter once, and open it again when the same failure comes back", async () => {
    await recordDeadLetters(env.DB, [
      { ...exhausted, reason: "r" },
      { ...exhausted, reason: "r" },
    ]);
    const [row] = ((await (await admin("/dead-letters")).json()) as { deadLetters: Listed[] }).deadLetters;
    const replay = await admin("/dead-letters/replay", { method: "POST", body: JSON.stringify({ ids: [row?.id] }) });
    expect(await replay.json()).toEqual({ replayed: 1, skipped: [] });
    expect(sent).toEqual([{ ...event, origin: "replay" }]);

    await recordDeadLetters(env.DB, [{ ...exhausted, reason: "again" }]);
    const [again] = ((await (await admin("/dead-letters")).json()) as { deadLetters: Listed[] }).deadLetters;
    expect(again).toMatchObject({ id: row?.id, times_seen: 3, replayed_at: null, reason: "again" });
  });
});
