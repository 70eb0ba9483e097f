import { describe, expect, it } from "vitest";
import type { WebhookEvent } from "../../local-hubspot/webhooks/events.ts";
import { localHubspot } from "./helpers.ts";

const JOURNAL = "/webhooks-journal/journal-local/2026-03";
type Batch = { status: string; results: Array<{ currentOffset: string; expiresAt: string; url: string }> };

function journalOf(options: Parameters<typeof localHubspot>[0] = {}) {
  const { hs, call, createContact } = localHubspot({ portalId: 880001, ...options });
  const batch = async (path: string) => {
    const r = await call("GET", `${JOURNAL}${path}`);
    return { status: r.status, body: r.body as unknown as Batch & { category?: string } };
  };
  /** Downloads an entry's file as a reader does: the pre-signed URL, no token. */
  const file = async (url: string) => {
    const res = await hs.app.request(url);
    return { status: res.status, events: (res.status === 200 ? await res.json() : []) as WebhookEvent[] };
  };
  return { hs, call, createContact, batch, file };
}

describe("the local Webhooks Journal (2026-03, local variant)", () => {
  it("journals the events the webhook subscriptions produce, in entries read in order after an offset", async () => {
    const j = journalOf();
    expect((await j.batch("/batch/latest/1")).body.results).toEqual([]);
    const first = await j.createContact({ email: "a@example.com" });
    const start = await j.batch("/batch/latest/1?installPortalId=880001");
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ status: "COMPLETE", results: [{ currentOffset: expect.stringMatching(/^[0-9a-f-]{36}$/) }] });
    const startOffset = start.body.results[0]?.currentOffset ?? "";
    expect((await j.file(start.body.results[0]?.url ?? "")).events).toMatchObject([
      { subscriptionType: "contact.creation", objectId: Number(first) },
    ]);

    const second = await j.createContact({ email: "b@example.com" });
    await j.call("PATCH", `/crm/v3/objects/contacts/${first}`, { properties: { firstname: "Ada" } });
    const next = await j.batch(`/batch/${startOffset}/next/10`);
    expect(next.body.results).toHaveLength(1);
    const events = (await j.file(next.body.results[0]?.url ?? "")).events;
    expect(events.map((e) => [e.subscriptionType, String(e.objectId), e.propertyName])).toEqual([
      ["contact.creation", second, undefined],
      ["contact.propertyChange", first, "firstname"],
    ]);
    // The same events the webhooks carry (same ids), without a delivery attempt number.
    const sent = j.hs.runtime.webhooks.journal.slice(1);
    expect(events.map((e) => e.eventId)).toEqual(sent.map((e) => e.eventId));
    expect(events.every((e) => !("attemptNumber" in e))).toBe(true);
    const caughtUp = await j.batch(`/batch/${next.body.results[0]?.currentOffset}/next/10`);
    expect(caughtUp).toMatchObject({ status: 200, body: { results: [] } });
  });

  it("closes an entry at 100 events, so a large change spans entries", async () => {
    const j = journalOf();
    const inputs = Array.from({ length: 100 }, (_, i) => ({ properties: { email: `p${i}@example.com` } }));
    await j.call("POST", "/crm/v3/objects/contacts/batch/create", { inputs: inputs.slice(0, 60) });
    await j.call("POST", "/crm/v3/objects/contacts/batch/create", { inputs: inputs.slice(60) });
    await j.createContact({ email: "last@example.com" });
    const latest = await j.batch("/batch/latest/5");
    const sizes = await Promise.all(latest.body.results.map(async (r) => (await j.file(r.url)).events.length));
    expect(sizes).toEqual([100, 1]);
  });

  it("answers 404 for an offset that expired (3 days) or never existed", async () => {
    let now = Date.now();
    const j = journalOf({ journal: { clock: () => now } });
    await j.createContact({ email: "old@example.com" });
    const offset = (await j.batch("/batch/latest/1")).body.results[0]?.currentOffset;
    now += 3 * 86_400_000 + 1;
    const expired = await j.batch(`/batch/${offset}/next/10`);
    expect(expired).toMatchObject({ status: 404, body: { category: "OBJECT_NOT_FOUND" } });
    expect((await j.batch("/batch/00000000-0000-4000-8000-000000000000/next/1")).status).toBe(404);
    expect((await j.batch("/batch/not-an-offset/next/1")).status).toBe(404);
  });

  it("serves the earliest entries oldest first, refuses a bad count and shows another portal nothing", async () => {
    const j = journalOf();
    expect(await j.batch("/batch/earliest/1")).toMatchObject({ status: 200, body: { results: [] } });
    const inputs = Array.from({ length: 100 }, (_, i) => ({ properties: { email: `e${i}@example.com` } }));
    await j.call("POST", "/crm/v3/objects/contacts/batch/create", { inputs });
    await j.createContact({ email: "late@example.com" });
    const latest = await j.batch("/batch/latest/5");
    const earliest = await j.batch("/batch/earliest/1");
    expect(earliest.body.results.map((r) => r.currentOffset)).toEqual([latest.body.results[0]?.currentOffset]);
    expect((await j.file(earliest.body.results[0]?.url ?? "")).events).toHaveLength(100);
    for (const bad of ["0", "-1", "abc"]) {
      expect(await j.batch(`/batch/earliest/${bad}`)).toMatchObject({ status: 400, body: { category: "VALIDATION_ERROR" } });
    }
    expect((await j.batch("/batch/earliest/5?installPortalId=12345")).body.results).toEqual([]);
  });

  it("refuses a bad count, and answers 403 when the app may not read the journal", async () => {
    const j = journalOf({ journal: { available: false } });
    expect(await j.batch("/batch/latest/1")).toMatchObject({ status: 403, body: { category: "MISSING_SCOPES" } });
    j.hs.runtime.journal.available = true;
    expect(await j.batch("/batch/latest/0")).toMatchObject({ status: 400, body: { category: "VALIDATION_ERROR" } });
    expect((await j.call("GET", `${JOURNAL}/batch/latest/1`, undefined, { authorization: "" })).status).toBe(401);
  });

  it("is exempt from the rate limits, and shows another portal nothing", async () => {
    const j = journalOf({ rateLimit: { perTenSeconds: 3 } });
    await j.createContact({ email: "a@example.com" });
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await j.batch("/batch/latest/1")).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await j.batch("/batch/latest/1?installPortalId=12345")).body.results).toEqual([]);
  });

  it("serves an entry's file only at the URL it handed out, until that URL expires", async () => {
    const j = journalOf();
    await j.createContact({ email: "a@example.com" });
    const [entry] = (await j.batch("/batch/latest/1")).body.results;
    const url = new URL(entry?.url ?? "");
    expect(Date.parse(entry?.expiresAt ?? "")).toBeGreaterThan(Date.now());
    url.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 1));
    expect((await j.file(url.toString())).status).toBe(403);
    expect((await j.file(entry?.url ?? "")).status).toBe(200);
  });
});
