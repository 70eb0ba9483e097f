import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type {
  DuplicateMergeResponse,
  DuplicatesCardResponse,
  ReviewQueueResponse,
} from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { hubspotMock } from "../../../test/msw/hubspot.ts";
import { signedRequest } from "../../test/signed-request.ts";
import { mockOutbound } from "../auth/test-support.ts";
import { saveInstall } from "../auth/token-store.ts";
import { HubspotCrm } from "../crm/hubspot/hubspot-crm.ts";
import { DEDUPE_TABLES, JON, JONATHAN, PRIYA, PRIYA_AGAIN } from "../dedupe/test-support.ts";
import { dedupeEngine } from "../engines/dedupe-engine.ts";
import { createLogger } from "../lib/logger.ts";
import { processPortalEvents } from "../queue/process-events.ts";

const PORTAL_ID = 880001;
const OTHER_PORTAL_ID = 880002;
const PORTAL: PortalKey = `hubspot:${PORTAL_ID}`;
const hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId: PORTAL_ID });
const network = mockOutbound(...hubspot.handlers);
beforeAll(() => network.enable());
afterAll(() => network.disable());

async function install(portalId: number) {
  const token = { accessToken: "at", refreshToken: "rt", expiresAt: Date.now() + 3_600_000, scopes: [], userId: "7", instanceUrl: null };
  await saveInstall(env, `hubspot:${portalId}`, { ...token, externalId: String(portalId) }, "7", Date.now());
}

beforeEach(async () => {
  await env.DB.batch([...DEDUPE_TABLES, "settings_versions"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
  await install(PORTAL_ID);
  await install(OTHER_PORTAL_ID);
});

let run = 0;

/** Creates contacts in HubSpot and runs their creation events through the pipeline with the dedupe engine. */
async function indexed(...contacts: Record<string, string>[]): Promise<string[]> {
  const ids: string[] = [];
  run++;
  for (const raw of contacts) {
    // The mock portal lives for the whole file and emails are unique: a +tag keeps them apart (matching drops it).
    const properties = { ...raw, email: (raw.email ?? "").replace("@", `+run${run}@`) };
    const res = await hubspot.app.request("/crm/v3/objects/contacts", {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ properties }),
    });
    const id = ((await res.json()) as { id: string }).id;
    ids.push(id);
    const settings = parsePortalSettings({});
    if (!settings.ok) throw new Error(settings.error.message);
    const crm = new HubspotCrm(env.HUBSPOT_API_BASE, "at", (r) => fetch(r));
    const event = { portalKey: PORTAL, origin: "webhook" as const, kind: "created" as const, objectType: "contacts" as const };
    await processPortalEvents(
      PORTAL,
      [{ ...event, objectId: id, eventId: `c-${id}`, subscriptionType: "contact.creation", occurredAt: Date.now() }],
      {
        db: env.DB,
        appId: "424242",
        engines: [dedupeEngine],
        log: createLogger({ test: true }),
        now: Date.now,
        settingsFor: async () => settings.value,
        crmFor: async () => ({ ok: true, value: crm }),
      },
    );
  }
  return ids;
}

const url = (path: string, portalId: number, objectId?: string, userId = "7") =>
  `https://autopilot.test/api/${path}?portalId=${portalId}&userId=${userId}${objectId ? `&objectType=contacts&objectId=${objectId}` : ""}`;
const get = async (u: string) => exports.default.fetch(await signedRequest(u, "", { method: "GET" }));
const post = async (u: string, body: unknown) => exports.default.fetch(await signedRequest(u, JSON.stringify(body)));

describe("the duplicates card", () => {
  it("lists a review-level candidate with its score, evidence and merge preview, without calling HubSpot", async () => {
    const [a, b] = await indexed(PRIYA, PRIYA_AGAIN);
    let calls = 0;
    const counting = hubspot.app.fetch;
    hubspot.app.fetch = (...args) => {
      calls++;
      return counting(...args);
    };
    const res = await get(url("cards/duplicates", PORTAL_ID, b));
    hubspot.app.fetch = counting;
    expect(res.status).toBe(200);
    const card = (await res.json()) as DuplicatesCardResponse;
    expect(calls).toBe(0);
    expect(card.mode).toBe("observe");
    expect(card.permissions.canMerge).toBe(true);
    const [candidate] = card.candidates;
    expect(candidate?.other).toMatchObject({ id: a, name: "Priya Venkataraman", email: "priya.v+run1@fabrikam.com" });
    expect(candidate?.decision).toBe("review");
    expect(candidate?.score).toBeGreaterThan(0.5);
    expect(candidate?.evidence.find((e) => e.field === "last_name")).toMatchObject({
      thisValue: "venkataraman",
      otherValue: "venkataraman",
    });
    const email = candidate?.preview.fields.find((f) => f.field === "email");
    expect(email).toMatchObject({ thisValue: "pvenkataraman+run1@outlook.com", otherValue: "priya.v+run1@fabrikam.com" });
  });

  it("gives nothing to a request signed for another portal, and refuses its merge", async () => {
    const [, b] = await indexed(PRIYA, PRIYA_AGAIN);
    const card = (await (await get(url("cards/duplicates", OTHER_PORTAL_ID, b))).json()) as DuplicatesCardResponse;
    expect(card.candidates).toEqual([]);
    const [a] = (await env.DB.prepare("SELECT id_a FROM dedupe_suggestions").all<{ id_a: string }>()).results.map((r) => r.id_a);
    const merge = await post(url("cards/duplicates/merge", OTHER_PORTAL_ID, b), {
      pairId: [a, b].sort().join(":"),
      otherId: a,
      primaryId: a,
    });
    expect(merge.status).toBe(404);
  });

  it("merges through HubSpot when a permitted user presses Merge, and audits it as theirs", async () => {
    const [a, b] = (await indexed(JONATHAN, JON)) as [string, string];
    const card = (await (await get(url("cards/duplicates", PORTAL_ID, b))).json()) as DuplicatesCardResponse;
    const candidate = card.candidates[0];
    expect(candidate?.decision).toBe("merge");
    const res = await post(url("cards/duplicates/merge", PORTAL_ID, b), {
      pairId: candidate?.pairId,
      otherId: a,
      primaryId: candidate?.preview.primaryId,
    });
    const body = (await res.json()) as DuplicateMergeResponse;
    expect(body.status).toBe("merged");
    expect(body.newObjectId).toMatch(/^\d+$/);
    const audit = await env.DB.prepare("SELECT actor, status, rule FROM audit_log WHERE action = 'merge' AND status = 'applied'").first();
    expect(audit).toEqual({ actor: "user:7", status: "applied", rule: "dedupe:manual-merge" });
    const after = (await (await get(url("cards/duplicates", PORTAL_ID, body.newObjectId ?? ""))).json()) as DuplicatesCardResponse;
    expect(after.candidates).toEqual([]);
  });

  it("lets only users with the merge permission merge", async () => {
    const [a, b] = await indexed(JONATHAN, JON);
    const card = (await (await get(url("cards/duplicates", PORTAL_ID, b, "8"))).json()) as DuplicatesCardResponse;
    expect(card.permissions.canMerge).toBe(false);
    const res = await post(url("cards/duplicates/merge", PORTAL_ID, b, "8"), { pairId: [a, b].sort().join(":"), otherId: a, primaryId: a });
    expect(res.status).toBe(403);
  });

  it("remembers Not a duplicate: the pair leaves the card and the review queue", async () => {
    const [a, b] = (await indexed(PRIYA, PRIYA_AGAIN)) as [string, string];
    const pairId = [a, b].sort().join(":");
    const res = await post(url("cards/duplicates/dismiss", PORTAL_ID, b), { pairId, otherId: a });
    expect(await res.json()).toEqual({ dismissed: true, pairId });
    const card = (await (await get(url("cards/duplicates", PORTAL_ID, b))).json()) as DuplicatesCardResponse;
    expect(card.candidates).toEqual([]);
    const remembered = await env.DB.prepare("SELECT decided_by FROM dedupe_not_duplicates").first();
    expect(remembered).toEqual({ decided_by: "user:7" });
  });
});

describe("the review queue", () => {
  it("lists the portal's open pairs for admins, strongest first, and refuses other users", async () => {
    await indexed(PRIYA, PRIYA_AGAIN, JONATHAN, JON);
    const res = await get(url("settings/review-queue", PORTAL_ID));
    expect(res.status).toBe(200);
    const queue = (await res.json()) as ReviewQueueResponse;
    expect(queue.total).toBe(2);
    expect(queue.items.map((i) => i.a.name.split(" ")[1])).toEqual(["Kowalczyk", "Venkataraman"]);
    expect(queue.nextCursor).toBeNull();
    expect((await get(url("settings/review-queue", PORTAL_ID, undefined, "8"))).status).toBe(403);
  });
});
