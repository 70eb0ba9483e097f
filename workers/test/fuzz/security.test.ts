import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CrmEvent } from "../../../shared/events/types.ts";
import { defaultPortalSettings, parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { hubspotMock } from "../../../test/msw/hubspot.ts";
import { appendAudit } from "../../src/audit/audit-log.ts";
import { base64ToBytes, bytesToBase64, decryptSecret, encryptSecret, importTokenKey } from "../../src/auth/crypto.ts";
import { signHubspotRequest } from "../../src/auth/hubspot-signature.ts";
import { mockOutbound } from "../../src/auth/test-support.ts";
import { getAccessToken, saveInstall } from "../../src/auth/token-store.ts";
import type { Engine } from "../../src/engines/types.ts";
import { ENGINES } from "../../src/index.ts";
import { consumeEvents } from "../../src/queue/consumer.ts";
import { processPortalEvents } from "../../src/queue/process-events.ts";
import { saveSettings } from "../../src/settings/repository.ts";
import { clearTables, localCrm, PORTAL } from "../local-crm.ts";
import { signedRequest } from "../signed-request.ts";
import { isNamedError, RUNS } from "./arbitraries.ts";
import { spyOnEventQueue } from "./queue-spy.ts";

const A = 880_001; // the portal of local-crm.ts
const B = 990_002;
const ADMIN = "7";
const REP = "8";
const WEBHOOK = "https://autopilot.test/webhooks/hubspot";
const grant = (portalId: number, accessToken = "at", refreshToken = "rt") => ({
  accessToken,
  refreshToken,
  expiresAt: Date.now() + 3_600_000,
  scopes: [],
  externalId: String(portalId),
  userId: ADMIN,
  instanceUrl: null,
});

// Portal A's HubSpot, served locally; anything else outbound (a token exchange) fails instead of reaching a network.
const hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId: A });
const network = mockOutbound(...hubspot.handlers);
beforeAll(() => network.enable());
afterAll(() => network.disable());

let sent: unknown[];
beforeEach(async () => {
  sent = spyOnEventQueue();
  await clearTables(
    "portals",
    "oauth_tokens",
    "oauth_states",
    "settings_versions",
    "audit_log",
    "event_ledger",
    "own_writes",
    "record_snapshots",
    "dedupe_suggestions",
    "dead_letters",
    "metrics_daily",
  );
  await saveInstall(env, `hubspot:${A}`, grant(A), ADMIN, Date.now());
});

const card = (path: string, query: string, body = "", method = "GET") =>
  signedRequest(`https://autopilot.test${path}?${query}`, body, { method }).then((r) => exports.default.fetch(r));

describe("signatures", () => {
  const event = { eventId: 1, portalId: A, occurredAt: Date.now(), subscriptionType: "contact.creation", objectId: 5 };
  const tamper = fc.oneof(
    fc.record({ what: fc.constant("body" as const), at: fc.nat(), ch: fc.constantFrom("x", "9", " ", "\u00e9") }),
    fc.record({ what: fc.constant("url" as const), at: fc.nat(), ch: fc.constantFrom("?a=1", "&portalId=2", "/x") }),
    fc.record({ what: fc.constant("timestamp" as const), at: fc.integer({ min: 1, max: 200_000 }), ch: fc.constant("") }),
    fc.record({ what: fc.constant("signature" as const), at: fc.nat(), ch: fc.constantFrom("A", "/", "+") }),
    fc.record({ what: fc.constant("method" as const), at: fc.nat(), ch: fc.constantFrom("PUT", "PATCH", "DELETE") }),
  );

  it("answers 401 to any single change of a signed webhook request (body, URL, timestamp, signature, method)", async () => {
    await fc.assert(
      fc.asyncProperty(tamper, async ({ what, at, ch }) => {
        const body = JSON.stringify([event]);
        const timestamp = Date.now();
        const signature = await signHubspotRequest({
          clientSecret: env.HUBSPOT_CLIENT_SECRET,
          method: "POST",
          url: WEBHOOK,
          body,
          timestamp,
        });
        const splice = (s: string) => {
          const i = at % (s.length + 1);
          const out = s.slice(0, i) + ch + s.slice(i + 1);
          return out === s ? `${s}${ch}` : out;
        };
        const r = {
          url: what === "url" ? `${WEBHOOK}${ch}` : WEBHOOK,
          body: what === "body" ? splice(body) : body,
          ts: what === "timestamp" ? String(timestamp - at) : String(timestamp),
          sig: what === "signature" ? splice(signature) : signature,
          method: what === "method" ? ch : "POST",
        };
        // Base64 has spare bits before "=": another spelling of the same MAC bytes is the same signature, not a forgery.
        fc.pre(what !== "signature" || base64ToBytes(r.sig)?.join() !== base64ToBytes(signature)?.join());
        sent.length = 0;
        const res = await exports.default.fetch(
          new Request(r.url, {
            method: r.method,
            body: r.body,
            headers: { "X-HubSpot-Signature-v3": r.sig, "X-HubSpot-Request-Timestamp": r.ts },
          }),
        );
        // A changed URL or method may not be a webhook route at all (404); it is never accepted.
        expect(what === "url" || what === "method" ? [401, 404] : [401]).toContain(res.status);
        expect(isNamedError(await res.json())).toBe(true);
        expect(sent).toEqual([]);
      }),
      { numRuns: RUNS.small },
    );
  });

  it("answers 401 to correctly signed requests older or further in the future than 5 minutes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 301_000, max: 400 * 86_400_000 }), fc.boolean(), async (skew, past) => {
        const timestamp = past ? Date.now() - skew : Date.now() + skew;
        const webhook = await exports.default.fetch(await signedRequest(WEBHOOK, JSON.stringify([event]), { timestamp }));
        const settings = await exports.default.fetch(
          await signedRequest(`https://autopilot.test/api/settings?portalId=${A}&userId=${ADMIN}`, "", { method: "GET", timestamp }),
        );
        for (const res of [webhook, settings]) {
          expect(res.status).toBe(401);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe(past ? "stale_timestamp" : "future_timestamp");
        }
        expect(sent).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });
});

/** Spells out the US country code: the smallest engine with a visible effect in the CRM. */
const countryEngine: Engine = {
  name: "hygiene",
  wants: (g) => g.objectType === "contacts",
  async plan(group, ctx) {
    const loaded = ctx.records.get("contacts", group.objectId);
    if (loaded?.record.country !== "USA") return [];
    return [
      {
        kind: "update",
        automation: "hygiene",
        objectType: "contacts",
        objectId: group.objectId,
        before: { country: "USA" },
        after: { country: "United States" },
        rule: "country-name",
        reason: "Country written as its ISO name",
      },
    ];
  },
};

describe("replayed webhook requests", () => {
  it("have no second effect: the replayed events are duplicates in the ledger, nothing is read, written or audited again", async () => {
    const local = localCrm();
    const id = (await local.asUser("POST", "/crm/v3/objects/contacts", { properties: { country: "USA" } })).id;
    const body = JSON.stringify([
      {
        eventId: 77,
        portalId: A,
        occurredAt: Date.now(),
        subscriptionType: "contact.propertyChange",
        objectId: Number(id),
        propertyName: "country",
        propertyValue: "USA",
        sourceId: "userId:7",
      },
    ]);
    const request = await signedRequest(WEBHOOK, body);
    const deps = local.deps({ automations: { hygiene: true } }, [countryEngine]);

    expect((await exports.default.fetch(request.clone())).status).toBe(200);
    const first = await processPortalEvents(PORTAL, sent.splice(0) as CrmEvent[], deps);
    expect(first.fates).toEqual([{ kind: "done", outcome: "applied" }]);
    expect((await local.get("contacts", id, ["country"])).country).toBe("United States");

    // Someone puts the old value back by hand; a replay must not "fix" it again on the strength of the old event.
    await local.asUser("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { country: "USA" } });
    local.calls.length = 0;
    for (let i = 0; i < 3; i++) {
      expect((await exports.default.fetch(request.clone())).status).toBe(200);
      const again = await processPortalEvents(PORTAL, sent.splice(0) as CrmEvent[], deps);
      expect(again.fates).toEqual([{ kind: "done", outcome: "duplicate" }]);
    }
    expect(local.calls).toEqual([]);
    expect((await local.get("contacts", id, ["country"])).country).toBe("USA");
    const audits = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE object_id = ?").bind(id).first<{ n: number }>();
    expect(audits?.n).toBe(1);
  });
});

describe("replayed webhook requests through the queue consumer and every engine", () => {
  const batchOf = (bodies: unknown[]) => {
    const acked: boolean[] = bodies.map(() => false);
    const messages = bodies.map((body, i) => ({
      id: `m${i}`,
      timestamp: new Date(),
      body,
      attempts: 1,
      ack() {
        acked[i] = true;
      },
      retry() {},
    }));
    return { batch: { queue: "crm-events", messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>, acked };
  };
  const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())?.n ?? 0;
  /** Every row an engine or the pipeline may write, table by table (the metrics counters aside). */
  const sideEffects = async () => {
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('metrics_daily', 'latency_samples', 'd1_migrations') ORDER BY name",
    ).all<{ name: string }>();
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables.results) out[name] = (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results;
    return out;
  };

  it("acks every replay as a duplicate and changes no stored row and no CRM record", async () => {
    const on = parsePortalSettings({ automations: { hygiene: true, dedupe: true, routing: true, stageGates: true } });
    if (!on.ok) throw new Error(on.error.message);
    await saveSettings(env.DB, `hubspot:${A}`, on.value, "test", null, Date.now());
    const created = await hubspot.app.request("/crm/v3/objects/contacts", {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json", "x-local-hubspot-user-id": "7" },
      body: JSON.stringify({
        properties: { email: "Mixed.Case@Example.COM", firstname: "ANA", lastname: "de la cruz", country: "usa", phone: "(415) 555 2671" },
      }),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const body = JSON.stringify([
      { eventId: 9, portalId: A, occurredAt: Date.now(), subscriptionType: "contact.creation", objectId: Number(id), sourceId: "userId:7" },
    ]);
    const request = await signedRequest(WEBHOOK, body);
    const properties = "email,firstname,lastname,country,phone,hubspot_owner_id";
    const readContact = async () =>
      JSON.stringify(
        await (
          await hubspot.app.request(`/crm/v3/objects/contacts/${id}?properties=${properties}`, { headers: { authorization: "Bearer t" } })
        ).json(),
      );

    const intake = await exports.default.fetch(request.clone());
    expect(await intake.json()).toEqual({ accepted: 1, deadLettered: 0 });
    const first = batchOf(sent.splice(0));
    await consumeEvents(first.batch, env, { engines: ENGINES, tokens: getAccessToken });
    expect(first.acked).toEqual([true]);
    // The first delivery read the record (its snapshot is saved) and let every engine act on it.
    expect(await count(`SELECT COUNT(*) AS n FROM record_snapshots WHERE object_id = '${id}'`)).toBe(1);
    const before = { state: await sideEffects(), contact: await readContact() };

    for (let i = 0; i < 3; i++) {
      expect((await exports.default.fetch(request.clone())).status).toBe(200);
      const again = batchOf(sent.splice(0));
      await consumeEvents(again.batch, env, { engines: ENGINES, tokens: getAccessToken });
      expect(again.acked).toEqual([true]);
    }
    expect(await sideEffects()).toEqual(before.state);
    expect(await readContact()).toBe(before.contact);
    expect(await count("SELECT COALESCE(SUM(value), 0) AS n FROM metrics_daily WHERE name = 'events_duplicate'")).toBe(3);
  });
});

describe("cross-portal isolation", () => {
  const SECRET = "SECRET-OF-PORTAL-B";
  beforeEach(async () => {
    await saveInstall(env, `hubspot:${B}`, grant(B), "1000", Date.now());
    const settingsB = defaultPortalSettings();
    settingsB.permissions.adminUserIds = ["4242999"];
    await saveSettings(env.DB, `hubspot:${B}`, settingsB, `user:4242999`, SECRET, Date.now());
    const snapshot = env.DB.prepare(
      "INSERT INTO record_snapshots (portal_key, object_type, object_id, record, history, fetched_at) VALUES (?, ?, ?, ?, '{}', ?)",
    );
    await env.DB.batch([
      snapshot.bind(
        `hubspot:${B}`,
        "deals",
        "5555",
        JSON.stringify({
          id: "5555",
          name: SECRET,
          properties: { dealname: SECRET, pipeline: "default", dealstage: "appointmentscheduled" },
        }),
        Date.now(),
      ),
      snapshot.bind(
        `hubspot:${B}`,
        "contacts",
        "5555",
        JSON.stringify({ id: "5555", firstName: SECRET, email: "b@secret.example" }),
        Date.now(),
      ),
      env.DB.prepare(
        "INSERT INTO dedupe_suggestions (portal_key, id_a, id_b, score, decision, evidence, veto, suggested_at) VALUES (?, '5555', '5556', 0.99, 'merge', ?, NULL, ?)",
      ).bind(`hubspot:${B}`, JSON.stringify([{ field: "email", a: SECRET, b: SECRET, score: 1 }]), Date.now()),
    ]);
    await appendAudit(
      env.DB,
      [
        {
          portalKey: `hubspot:${B}`,
          automation: "hygiene",
          action: "update_properties",
          objectType: "contacts",
          objectId: "5555",
          status: "applied",
          rule: "r",
          reason: SECRET,
          before: { x: SECRET },
          after: { x: "y" },
        },
      ],
      Date.now(),
    );
  });

  it("never shows portal B's records, suggestions, settings or audit to a request signed for portal A", async () => {
    const bAudit = await env.DB.prepare("SELECT id FROM audit_log WHERE portal_key = ?").bind(`hubspot:${B}`).first<{ id: number }>();
    const asA = `portalId=${A}&userId=${ADMIN}&objectId=5555`;
    const responses = [
      await card("/api/cards/deal-gates", asA),
      await card("/api/cards/duplicates", asA),
      await card("/api/cards/duplicates/merge", asA, JSON.stringify({ pairId: "5555:5556", primaryId: "5555", otherId: "5556" }), "POST"),
      await card("/api/cards/duplicates/dismiss", asA, JSON.stringify({ pairId: "5555:5556", otherId: "5556" }), "POST"),
      await card("/api/settings", asA),
      await card("/api/settings/versions", asA),
      await card("/api/settings/audit", asA),
      await card("/api/settings/review-queue", asA),
      await card(
        "/api/settings/audit/undo",
        asA,
        JSON.stringify({ selection: { kind: "entries", ids: [String(bAudit?.id)] }, dryRun: true }),
        "POST",
      ),
      await card("/api/cards/deal-gates", `portalId=${A}&portalId=${B}&userId=${ADMIN}&objectId=5555`),
    ];
    let crossPortalReads = 0;
    for (const res of responses) {
      const text = await res.text();
      if (text.includes(SECRET) || text.includes("4242999") || text.includes("b@secret")) crossPortalReads++;
    }
    expect(crossPortalReads).toBe(0);
    const undone = await env.DB.prepare("SELECT undone_at FROM audit_log WHERE id = ?")
      .bind(bAudit?.id)
      .first<{ undone_at: number | null }>();
    expect(undone?.undone_at).toBeNull();
    const dismissed = await env.DB.prepare("SELECT COUNT(*) AS n FROM dedupe_suggestions WHERE portal_key = ?")
      .bind(`hubspot:${B}`)
      .first<{ n: number }>();
    expect(dismissed?.n).toBe(1);
  });
});

describe("card endpoints when HubSpot fails", () => {
  // Found by the security run (fixed in cards/record-snapshots.ts): a failed CRM read was a plain Error, so a 500.
  it("answers the deal-gates card with a named 502 when HubSpot answers 5xx", async () => {
    await hubspot.app.request("/__control", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ faults: { rate5xx: 1 } }),
    });
    const res = await card("/api/cards/deal-gates", `portalId=${A}&userId=${ADMIN}&objectId=5555`);
    expect(res.status).toBe(502);
    expect(isNamedError(await res.json())).toBe(true);
  });
});

describe("admin-only actions", () => {
  it("answers 403 when a rep saves settings, dry-runs them, undoes, reads versions or merges, and changes nothing", async () => {
    const asRep = `portalId=${A}&userId=${REP}&objectId=101`;
    const attempts: Array<[string, string, string]> = [
      ["PUT", "/api/settings/save", JSON.stringify({ baseVersion: 0, document: { killSwitch: true }, note: "rep" })],
      ["POST", "/api/settings/dry-run", JSON.stringify({ document: { killSwitch: true } })],
      ["POST", "/api/settings/audit/undo", JSON.stringify({ selection: { kind: "entries", ids: ["1"] }, dryRun: false })],
      ["GET", "/api/settings", ""],
      ["GET", "/api/settings/versions", ""],
      ["POST", "/api/cards/duplicates/merge", JSON.stringify({ pairId: "101:102", primaryId: "101", otherId: "102" })],
    ];
    for (const [method, path, body] of attempts) {
      const res = await card(path, asRep, body, method);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    const versions = await env.DB.prepare("SELECT COUNT(*) AS n FROM settings_versions").first<{ n: number }>();
    expect(versions?.n).toBe(0);
  });
});

describe("OAuth state", () => {
  const callback = (query: string, path = "/oauth/callback") => exports.default.fetch(`https://autopilot.test${path}?${query}`);

  it("answers 403 to any state this app did not issue, and never exchanges the code", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 60 }),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToBase64(b).replace(/=+$/, "")),
        ),
        async (state) => {
          const res = await callback(new URLSearchParams({ state, code: "stolen-code" }).toString());
          expect(res.status).toBe(403);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unknown_state");
        },
      ),
      { numRuns: RUNS.small },
    );
    const installs = await env.DB.prepare("SELECT COUNT(*) AS n FROM portals").first<{ n: number }>();
    expect(installs?.n).toBe(1);
  });

  it("refuses a state used twice, one issued for the other CRM's flow, and one past its 10 minutes", async () => {
    const issue = async (path: string) =>
      new URL(
        (await exports.default.fetch(`https://autopilot.test${path}`, { redirect: "manual" })).headers.get("location") ?? "",
      ).searchParams.get("state") ?? "";
    const salesforceState = await issue("/oauth/salesforce/install");
    expect((await callback(`state=${salesforceState}&code=x`)).status).toBe(403);

    const expired = await issue("/oauth/install");
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ? WHERE state = ?")
      .bind(Date.now() - 1, expired)
      .run();
    const late = await callback(`state=${expired}&code=x`);
    expect([late.status, ((await late.json()) as { error: { code: string } }).error.code]).toEqual([403, "expired_state"]);

    const once = await issue("/oauth/install");
    await env.DB.prepare("UPDATE oauth_states SET used_at = ? WHERE state = ?").bind(Date.now(), once).run();
    const reused = await callback(`state=${once}&code=x`);
    expect([reused.status, ((await reused.json()) as { error: { code: string } }).error.code]).toEqual([403, "reused_state"]);
  });
});

describe("tokens at rest", () => {
  it("stores no plaintext token anywhere in D1, and a stored token does not decrypt with another key", async () => {
    const access = "pat-na1-ACCESS-7f3c9e1b";
    const refresh = "REFRESH-0b8d4a2c-93e1";
    await saveInstall(env, "hubspot:31337", grant(31337, access, refresh), ADMIN, Date.now());
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
      expect(rows, name).not.toContain(access);
      expect(rows, name).not.toContain(refresh);
    }
    const row = await env.DB.prepare(
      "SELECT access_token_enc, refresh_token_enc FROM oauth_tokens WHERE portal_key = 'hubspot:31337'",
    ).first<{
      access_token_enc: string;
      refresh_token_enc: string;
    }>();
    const other = await importTokenKey(bytesToBase64(crypto.getRandomValues(new Uint8Array(32))));
    const right = await importTokenKey(env.TOKEN_ENCRYPTION_KEY);
    if (!other.ok || !right.ok || !row) throw new Error("setup");
    for (const stored of [row.access_token_enc, row.refresh_token_enc]) {
      expect(atob(stored)).not.toContain(access.slice(0, 8));
      expect(await decryptSecret(other.value, stored)).toMatchObject({ ok: false, error: { code: "undecryptable_token" } });
    }
    expect(await decryptSecret(right.value, row.access_token_enc)).toEqual({ ok: true, value: access });
    // The same token encrypts differently each time (random IV), so equal tokens are not recognisable in D1.
    expect(await encryptSecret(right.value, access)).not.toBe(await encryptSecret(right.value, access));
  });
});
