import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CrmEvent } from "../../../shared/events/types.ts";
import { claimEvents, LEDGER_RETENTION_MS, markProcessed, pruneLedger } from "./event-ledger.ts";
import { findOwnWriteEchoes, journalOwnWrites } from "./own-writes.ts";

const event = (over: Partial<CrmEvent> = {}): CrmEvent => ({
  portalKey: "hubspot:1",
  origin: "webhook",
  kind: "changed",
  objectType: "contacts",
  objectId: "10",
  eventId: "e1",
  subscriptionType: "contact.propertyChange",
  occurredAt: 1_700_000_000_000,
  propertyName: "phone",
  propertyValue: "+14155550100",
  ...over,
});

describe("event ledger", () => {
  it("says an event is new until it is marked processed, then a duplicate", async () => {
    const e = event({ eventId: "ledger-1" });
    expect(await claimEvents(env.DB, [e], 1)).toEqual([false]);
    expect(await claimEvents(env.DB, [e], 2)).toEqual([false]);
    await markProcessed(env.DB, [{ event: e, outcome: "applied" }], 3);
    expect(await claimEvents(env.DB, [e, event({ eventId: "ledger-2" })], 4)).toEqual([true, false]);
  });

  it("keys by occurrence time too, since HubSpot event ids are not unique", async () => {
    const first = event({ eventId: "dup", occurredAt: 10 });
    await claimEvents(env.DB, [first], 1);
    await markProcessed(env.DB, [{ event: first, outcome: "applied" }], 1);
    expect(await claimEvents(env.DB, [event({ eventId: "dup", occurredAt: 11 })], 2)).toEqual([false]);
  });

  it("keeps entries for 72 hours and prunes them after", async () => {
    const e = event({ eventId: "old" });
    await claimEvents(env.DB, [e], 0);
    expect(await pruneLedger(env.DB, LEDGER_RETENTION_MS - 1)).toBe(0);
    expect(await pruneLedger(env.DB, LEDGER_RETENTION_MS + 1)).toBeGreaterThanOrEqual(1);
  });
});

describe("own-write echoes", () => {
  it("recognises the app as source and values we journaled, and nothing else", async () => {
    await journalOwnWrites(
      env.DB,
      [{ portalKey: "hubspot:1", objectType: "contacts", objectId: "10", property: "phone", value: "+14155550100" }],
      1,
    );
    const echoes = await findOwnWriteEchoes(
      env.DB,
      [
        event({ sourceId: "424242" }),
        event({ sourceId: "userId:7" }),
        event({ sourceId: "userId:7", propertyValue: "+14155550199" }),
        event({ portalKey: "hubspot:2", sourceId: "userId:7" }),
      ],
      "424242",
    );
    expect(echoes).toEqual([true, true, false, false]);
  });
});
