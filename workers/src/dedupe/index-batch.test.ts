import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { Thresholds } from "../../../shared/dedupe/cluster.ts";
import { prepareContact } from "../../../shared/dedupe/prepare.ts";
import type { PreparedContact } from "../../../shared/dedupe/types.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { generateMessyContacts } from "../../../test/fixtures/messy-contacts.ts";
import { clearTables } from "../../test/local-crm.ts";
import { matchAndIndex, matchAndIndexBatch } from "./index-repository.ts";
import { DEDUPE_TABLES } from "./test-support.ts";

/** The portal settings' default thresholds. */
const DEFAULT_THRESHOLDS: Thresholds = { merge: 0.99, review: 0.5 };
const ONE_BY_ONE = "hubspot:1001" as PortalKey;
const BATCHED = "hubspot:1002" as PortalKey;

/** Generated messy contacts (a quarter of the people appear more than once), prepared for the index. */
function contacts(count: number, seed: number): PreparedContact[] {
  return generateMessyContacts({ count, seed }).contacts.map((g) =>
    prepareContact({
      id: g.id,
      firstName: g.first_name,
      lastName: g.last_name,
      email: g.email,
      phone: g.phone,
      company: g.company,
      jobTitle: g.job_title,
      street: g.street,
      city: g.city,
      state: g.state,
      postalCode: g.postal_code,
      country: g.country,
    }),
  );
}

/** The portal's whole index, portal key left out, in a stable order. */
async function indexOf(portalKey: PortalKey) {
  const rows = async (sql: string) => (await env.DB.prepare(sql).bind(portalKey).all()).results;
  return {
    contacts: await rows("SELECT contact_id, fields FROM dedupe_contacts WHERE portal_key = ? ORDER BY contact_id"),
    keys: await rows("SELECT key, contact_id FROM dedupe_keys WHERE portal_key = ? ORDER BY key, contact_id"),
    terms: await rows("SELECT term, n FROM dedupe_terms WHERE portal_key = ? AND n > 0 ORDER BY term"),
  };
}

beforeEach(async () => {
  await clearTables(...DEDUPE_TABLES);
});

describe("matching and indexing a batch of contacts at once", () => {
  it("finds the same matches and leaves the same index as one contact after another, duplicates inside the batch included", async () => {
    const all = contacts(240, 7);
    const [before, batch] = [all.slice(0, 120), all.slice(120)];
    // Some of the batch are changes to contacts the index already holds (a new email), and one contact appears
    // twice in the batch's history: the same id, indexed earlier with other fields.
    const changed = before.slice(0, 10).map((c) => ({ ...c, email: `changed.${c.email || "none@example.com"}` }));
    const incoming = [...batch, ...changed];
    for (const portal of [ONE_BY_ONE, BATCHED]) {
      for (const c of before) await matchAndIndex(env.DB, portal, c, DEFAULT_THRESHOLDS, 1);
    }

    const sequential = [];
    for (const c of incoming) sequential.push(await matchAndIndex(env.DB, ONE_BY_ONE, c, DEFAULT_THRESHOLDS, 2));
    const batched = await matchAndIndexBatch(env.DB, BATCHED, incoming, DEFAULT_THRESHOLDS, 2);

    expect(sequential.flat().length).toBeGreaterThan(20);
    // Pairs whose both records arrive in this batch are found by the later one.
    const inBatch = new Set(incoming.map((c) => c.id));
    expect(batched.some((ms, i) => ms.some((m) => inBatch.has(m.id) && m.id !== incoming[i]?.id))).toBe(true);
    expect(batched).toEqual(sequential);
    expect(await indexOf(BATCHED)).toEqual(await indexOf(ONE_BY_ONE));
  }, 60_000); // 250 one-by-one index round trips through local D1: seconds on a busy 2-core machine

  it("writes nothing for contacts the index already holds unchanged, and an empty batch reads nothing", async () => {
    const some = contacts(30, 11);
    await matchAndIndexBatch(env.DB, BATCHED, some, DEFAULT_THRESHOLDS, 1);
    const indexed = await indexOf(BATCHED);
    const again = await matchAndIndexBatch(env.DB, BATCHED, some, DEFAULT_THRESHOLDS, 2);
    expect(await indexOf(BATCHED)).toEqual(indexed);
    expect(again.length).toBe(some.length);
    expect(await matchAndIndexBatch(env.DB, BATCHED, [], DEFAULT_THRESHOLDS, 3)).toEqual([]);
  });
});
