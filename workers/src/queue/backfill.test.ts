import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { CrmEvent } from "../../../shared/events/types.ts";
import { type HubspotMock, hubspotMock } from "../../../test/msw/hubspot.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { hubspotEventToCrmEvent } from "../crm/hubspot/webhook-events.ts";
import { BACKFILL_GRACE_MS } from "./backfill.ts";
import { runScheduled } from "./scheduled.ts";

const CRON = "*/5 * * * *";
const tokens = async () => ({ ok: true as const, value: "portal-token" });
const network = mockOutbound();
beforeAll(() => network.enable());
afterAll(() => network.disable());

let portalId = 770_100;
let portalKey: PortalKey;
let hubspot: HubspotMock;
let sent: CrmEvent[];
let sendFails = false;

beforeEach(async () => {
  portalId++;
  portalKey = `hubspot:${portalId}`;
  hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId });
  network.use(...hubspot.handlers);
  await env.DB.batch(
    ["portals", "journal_checkpoints", "backfill_checkpoints", "event_ledger", "dead_letters"].map((t) =>
      env.DB.prepare(`DELETE FROM ${t}`),
    ),
  );
  await env.DB.prepare(
    "INSERT INTO portals (portal_key, crm, external_id, status, installed_at, updated_at) VALUES (?, 'hubspot', ?, 'active', 0, 0)",
  )
    .bind(portalKey, String(portalId))
    .run();
  sent = [];
  sendFails = false;
  vi.spyOn(env.EVENTS, "sendBatch").mockImplementation(async (messages) => {
    if (sendFails) throw new Error("Queue send failed");
    for (const m of messages) sent.push(m.body as CrmEvent);
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } } as unknown as QueueSendBatchResponse;
  });
});
afterEach(() => {
  network.resetHandlers();
  hubspot.close();
});

/** A change made by a person in HubSpot's UI: it lands in the journal (and would be sent as a webhook). */
async function asUser(method: string, path: string, body: unknown): Promise<string> {
  const res = await hubspot.app.request(path, {
    method,
    headers: { authorization: "Bearer user", "content-type": "application/json", "x-local-hubspot-user-id": "7" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return String(((await res.json()) as { id: string }).id);
}

type Report = { backfill: Record<string, { status?: string; by?: string; enqueued?: number; entries?: number }> };
const run = async (now: number) => (await runScheduled(CRON, env, tokens, now)) as unknown as Report;
const journalOf = (r: Report) => r.backfill[`${portalKey}:journal`];
const byOf = (r: Report) => [r.backfill[`${portalKey}:contacts`]?.by, r.backfill[`${portalKey}:deals`]?.by];
const checkpoint = () =>
  env.DB.prepare("SELECT journal_offset, status FROM journal_checkpoints WHERE portal_key = ?")
    .bind(portalKey)
    .first<{ journal_offset: string | null; status: string }>();
/** What the intake would have enqueued for the events HubSpot journaled (and sent as webhooks), as backfill. */
const intakeShape = (events: readonly unknown[]) =>
  events.map((e) => {
    const mapped = hubspotEventToCrmEvent(e);
    if (!mapped.ok) throw new Error(mapped.error.message);
    return { ...mapped.value, origin: "backfill" as const };
  });

/** A ledger row for an event: received at `receivedAt`, processed at `processedAt` (null: claimed, never finished). */
async function ledgerRow(e: CrmEvent | undefined, receivedAt: number, processedAt: number | null): Promise<void> {
  if (!e) throw new Error("no event");
  await env.DB.prepare(
    "INSERT INTO event_ledger (portal_key, subscription_type, object_type, object_id, event_id, occurred_at, received_at, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(e.portalKey, e.subscriptionType, e.objectType, e.objectId, e.eventId, e.occurredAt, receivedAt, processedAt)
    .run();
}

describe("the backfill cron on a HubSpot portal with a Webhooks Journal", () => {
  it("reads from the earliest entry once it found the journal empty, so a new portal's first events are covered", async () => {
    const t0 = Date.now();
    expect(journalOf(await run(t0))).toMatchObject({ status: "empty" });
    const before = hubspot.runtime.webhooks.journal.length;
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "first@example.com" } });
    const journaled = hubspot.runtime.webhooks.journal.slice(before);
    const read = await run(t0 + 5 * 60_000);
    expect(journalOf(read)).toMatchObject({ status: "read", entries: 1, enqueued: 1 });
    expect(sent.filter((e) => !e.subscriptionType.startsWith("backfill."))).toEqual(intakeShape(journaled));
    expect((await checkpoint())?.journal_offset).toBeTruthy();
  });

  it("enqueues again an event claimed over the grace period ago whose batch never finished", async () => {
    const t0 = Date.now();
    const id = await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    await run(t0);
    const before = hubspot.runtime.webhooks.journal.length;
    await asUser("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { firstname: "Ada" } });
    await asUser("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { lastname: "Byron" } });
    const [stalled, done] = intakeShape(hubspot.runtime.webhooks.journal.slice(before));
    // The first was claimed by a batch that was lost (a restart with a local queue); the second was processed.
    await ledgerRow(stalled as CrmEvent, t0, null);
    await ledgerRow(done as CrmEvent, t0, t0);
    const read = await run(t0 + 5 * 60_000);
    expect(journalOf(read)).toMatchObject({ status: "read", enqueued: 1 });
    expect(sent.filter((e) => e.subscriptionType !== "backfill.contacts")).toEqual([stalled]);
  });

  it("starts at the newest entry, then enqueues what the ledger has not seen, as the intake would, and stops searching", async () => {
    const t0 = Date.now();
    const first = await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    const started = await run(t0);
    expect(journalOf(started)).toMatchObject({ status: "started", enqueued: 0 });
    // The search reconciles what came before the journal took over.
    expect(byOf(started)).toEqual(["search", "search"]);

    const before = hubspot.runtime.webhooks.journal.length;
    await asUser("PATCH", `/crm/v3/objects/contacts/${first}`, { properties: { firstname: "Ada" } });
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "b@example.com" } });
    const journaled = hubspot.runtime.webhooks.journal.slice(before);
    expect(journaled.map((e) => e.subscriptionType)).toEqual(["contact.propertyChange", "contact.creation"]);
    // The first change was delivered and processed: the ledger has it.
    const [done] = intakeShape(journaled);
    await ledgerRow(done, t0, t0);

    const read = await run(t0 + 5 * 60_000);
    expect(journalOf(read)).toMatchObject({ status: "read", entries: 1, enqueued: 1 });
    expect(sent.filter((e) => e.subscriptionType !== "backfill.contacts")).toEqual(intakeShape(journaled).slice(1));

    const later = await run(t0 + 10 * 60_000);
    expect(journalOf(later)).toMatchObject({ status: "read", entries: 0 });
    expect(byOf(later)).toEqual(["journal", "journal"]);
    const until = await env.DB.prepare("SELECT MIN(reconciled_until) AS t FROM backfill_checkpoints WHERE portal_key = ?")
      .bind(portalKey)
      .first<{ t: number }>();
    expect(until?.t).toBe(t0 + 10 * 60_000 - BACKFILL_GRACE_MS);
  });

  it("leaves an entry with events younger than the grace period for the next run", async () => {
    const t0 = Date.now();
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    await run(t0);
    const offset = (await checkpoint())?.journal_offset;
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "young@example.com" } });
    const early = await run(Date.now() + 1_000);
    expect(journalOf(early)).toMatchObject({ status: "read", entries: 0, enqueued: 0 });
    expect((await checkpoint())?.journal_offset).toBe(offset);
    const late = await run(Date.now() + BACKFILL_GRACE_MS + 1_000);
    expect(journalOf(late)).toMatchObject({ entries: 1, enqueued: 1 });
    expect((await checkpoint())?.journal_offset).not.toBe(offset);
  });

  it("does not move the offset when the events cannot be enqueued, so the next run delivers them", async () => {
    const t0 = Date.now();
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    await run(t0);
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "b@example.com" } });
    const offset = (await checkpoint())?.journal_offset;
    sendFails = true;
    await expect(run(t0 + 5 * 60_000)).rejects.toThrow("Queue send failed");
    expect((await checkpoint())?.journal_offset).toBe(offset);
    sendFails = false;
    expect(journalOf(await run(t0 + 5 * 60_000))).toMatchObject({ status: "read", enqueued: 1 });
  });

  it("falls back to searching for modified records when the journal answers 403", async () => {
    hubspot.runtime.journal.available = false;
    const t0 = Date.now();
    const id = await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    const report = await run(t0 + 5 * 60_000);
    expect(journalOf(report)).toMatchObject({ status: "unavailable" });
    expect(byOf(report)).toEqual(["search", "search"]);
    expect(sent).toMatchObject([{ origin: "backfill", objectId: id, subscriptionType: "backfill.contacts" }]);
  });

  it("searches up records whose event was claimed but never finished, and not those processed", async () => {
    hubspot.runtime.journal.available = false;
    const t0 = Date.now();
    const stalled = await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    const done = await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "b@example.com" } });
    const created = (id: string): CrmEvent => ({
      portalKey,
      origin: "webhook",
      kind: "created",
      objectType: "contacts",
      objectId: id,
      eventId: `e-${id}`,
      subscriptionType: "contact.creation",
      occurredAt: Date.now() + 1_000,
    });
    await ledgerRow(created(stalled), t0, null);
    await ledgerRow(created(done), t0, t0);
    await run(t0 + 5 * 60_000);
    expect(sent.map((e) => [e.objectId, e.subscriptionType])).toEqual([[stalled, "backfill.contacts"]]);
  });

  it.each([
    ["a 503", () => HttpResponse.json({ status: "error", message: "down" }, { status: 503 })],
    ["a read still PROCESSING", () => HttpResponse.json({ status: "PROCESSING", results: [], startedAt: "x", completedAt: "x" })],
  ])("keeps its offset and searches instead when the journal answers %s", async (_name, answer) => {
    const t0 = Date.now();
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    await run(t0);
    const offset = (await checkpoint())?.journal_offset;
    network.use(http.get(`${env.HUBSPOT_API_BASE}/webhooks-journal/*`, answer));
    const report = await run(t0 + 5 * 60_000);
    expect(journalOf(report)).toMatchObject({ status: "failed" });
    expect(byOf(report)).toEqual(["search", "search"]);
    expect(await checkpoint()).toEqual({ journal_offset: offset, status: "failed" });
  });

  it("restarts from the newest entry, searching meanwhile, when the stored offset expired (404)", async () => {
    const t0 = Date.now();
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    await env.DB.prepare(
      "INSERT INTO journal_checkpoints (portal_key, journal_offset, covered_from, status, updated_at) VALUES (?, ?, ?, 'read', ?)",
    )
      .bind(portalKey, "00000000-0000-4000-8000-000000000000", t0 - 4 * 86_400_000, t0 - 4 * 86_400_000)
      .run();
    const report = await run(t0);
    expect(journalOf(report)).toMatchObject({ status: "offset_expired" });
    expect(byOf(report)).toEqual(["search", "search"]);
    const cp = await checkpoint();
    expect(cp?.journal_offset).toMatch(/^[0-9a-f-]{36}$/);
    expect(cp?.journal_offset).not.toBe("00000000-0000-4000-8000-000000000000");
  });

  it("dead-letters a journal event the product cannot use once, as the intake does for its webhook copy", async () => {
    const t0 = Date.now();
    await asUser("POST", "/crm/v3/objects/contacts", { properties: { email: "a@example.com" } });
    await run(t0);
    const bad = { eventId: 9, portalId, occurredAt: t0, subscriptionType: "ticket.creation", objectId: 5 };
    hubspot.runtime.journal.append({
      ...bad,
      subscriptionId: 1,
      appId: 424242,
      attemptNumber: 0,
      changeSource: "CRM_UI",
      sourceId: "userId:7",
    });
    await run(t0 + 5 * 60_000);
    await run(t0 + 10 * 60_000);
    const rows = await env.DB.prepare("SELECT source, reason_code, times_seen, reason FROM dead_letters").all();
    expect(rows.results).toMatchObject([{ source: "hubspot", reason_code: "unsupported_subscription", times_seen: 1 }]);
    expect(String(rows.results[0]?.reason)).toMatch(/^journal entry [0-9a-f-]{36} event 0: subscription type ticket.creation/);
  });
});
