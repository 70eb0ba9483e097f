import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearTables, PORTAL } from "../../test/local-crm.ts";
import { type RecordLease, releaseRecordLeases, takeRecordLeases } from "./record-locks.ts";

const lease = (holder: string): RecordLease => ({ portalKey: PORTAL, objectType: "deals", holder });
const TTL = 60_000;

beforeEach(async () => {
  await clearTables("record_locks");
});

describe("record leases in D1", () => {
  it("gives each record to one holder at a time, and the free ones to whoever asks", async () => {
    expect(await takeRecordLeases(env.DB, lease("first"), ["1", "2"], 1_000, TTL)).toEqual(["1", "2"]);
    expect(await takeRecordLeases(env.DB, lease("second"), ["2", "3"], 1_001, TTL)).toEqual(["3"]);
  });

  it("lets the holder take its own lease again", async () => {
    await takeRecordLeases(env.DB, lease("first"), ["1"], 1_000, TTL);
    expect(await takeRecordLeases(env.DB, lease("first"), ["1"], 2_000, TTL)).toEqual(["1"]);
  });

  it("hands an expired lease (a crashed holder) to the next taker", async () => {
    await takeRecordLeases(env.DB, lease("crashed"), ["1"], 1_000, TTL);
    expect(await takeRecordLeases(env.DB, lease("next"), ["1"], 1_000 + TTL - 1, TTL)).toEqual([]);
    expect(await takeRecordLeases(env.DB, lease("next"), ["1"], 1_000 + TTL, TTL)).toEqual(["1"]);
  });

  it("releases only the leases the holder still has", async () => {
    await takeRecordLeases(env.DB, lease("slow"), ["1"], 1_000, TTL);
    await takeRecordLeases(env.DB, lease("next"), ["1"], 1_000 + TTL, TTL);
    await releaseRecordLeases(env.DB, lease("slow"), ["1"]);
    expect(await takeRecordLeases(env.DB, lease("third"), ["1"], 1_000 + TTL + 1, TTL)).toEqual([]);
    await releaseRecordLeases(env.DB, lease("next"), ["1"]);
    expect(await takeRecordLeases(env.DB, lease("third"), ["1"], 1_000 + TTL + 2, TTL)).toEqual(["1"]);
  });
});
