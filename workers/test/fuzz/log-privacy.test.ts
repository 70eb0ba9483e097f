import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import { hubspotMock } from "../../../test/msw/hubspot.ts";
import { mockOutbound } from "../../src/auth/test-support.ts";
import { getAccessToken, saveInstall } from "../../src/auth/token-store.ts";
import { ENGINES } from "../../src/index.ts";
import { consumeEvents } from "../../src/queue/consumer.ts";
import { saveSettings } from "../../src/settings/repository.ts";
import { clearTables } from "../local-crm.ts";
import { signedRequest } from "../signed-request.ts";
import { spyOnEventQueue } from "./queue-spy.ts";

const PORTAL_ID = 880_001;
const EMAIL = "jane.doe.7781@example.org";
// HubSpot keeps emails unique, so the likely duplicate has another address (and the same phone and name).
const EMAIL_B = "j.doe.7781@example.net";
const PHONE = "+1 415-555-0199";
const ACCESS_TOKEN = "pat-na1-LOGTEST-ACCESS-5150";
const hubspot = hubspotMock({ baseUrl: env.HUBSPOT_API_BASE, portalId: PORTAL_ID });
const network = mockOutbound(...hubspot.handlers);
beforeAll(() => network.enable());
afterAll(() => network.disable());

let logged: string[];
beforeEach(async () => {
  await clearTables("portals", "oauth_tokens", "settings_versions", "event_ledger", "dead_letters", "audit_log");
  logged = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === "string" ? a : (JSON.stringify(a) ?? String(a)))).join(" "));
    });
  }
});

/** Every spelling of the secrets and PII that must never reach a log line. */
function forbidden(): string[] {
  return [
    EMAIL,
    EMAIL.toUpperCase(),
    "jane.doe.7781",
    EMAIL_B,
    "j.doe.7781",
    PHONE,
    "4155550199",
    "+14155550199",
    "555-0199",
    ACCESS_TOKEN,
    env.HUBSPOT_CLIENT_SECRET,
    env.ADMIN_API_TOKEN,
    env.TOKEN_ENCRYPTION_KEY,
    env.SALESFORCE_CLIENT_SECRET,
  ];
}

async function createContact(properties: Record<string, string>): Promise<string> {
  const res = await hubspot.app.request("/crm/v3/objects/contacts", {
    method: "POST",
    headers: { authorization: "Bearer t", "content-type": "application/json", "x-local-hubspot-user-id": "7" },
    body: JSON.stringify({ properties }),
  });
  return ((await res.json()) as { id: string }).id;
}

function messageBatch(bodies: unknown[]): MessageBatch<unknown> {
  const messages = bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), body, attempts: 1, ack() {}, retry() {} }));
  return { queue: "crm-events", messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>;
}

describe("logs", () => {
  it("carry no secret, email or phone through a webhook batch with PII, its processing, dead letters and errors", async () => {
    const grant = {
      accessToken: ACCESS_TOKEN,
      refreshToken: "rt",
      expiresAt: Date.now() + 3_600_000,
      scopes: [],
      externalId: String(PORTAL_ID),
      userId: "7",
      instanceUrl: null,
    };
    await saveInstall(env, `hubspot:${PORTAL_ID}`, grant, "7", Date.now());
    const settings = parsePortalSettings({ automations: { hygiene: true, dedupe: true, routing: true, stageGates: true } });
    if (!settings.ok) throw new Error(settings.error.message);
    await saveSettings(env.DB, `hubspot:${PORTAL_ID}`, settings.value, "test", null, Date.now());
    const a = await createContact({ email: EMAIL, phone: PHONE, firstname: "Jane", lastname: "Doe" });
    const b = await createContact({ email: EMAIL_B, phone: PHONE, firstname: "Jane", lastname: "Doe" });
    const base = { portalId: PORTAL_ID, occurredAt: Date.now(), sourceId: "userId:7", changeSource: "CRM_UI" };
    const batch = [
      { ...base, eventId: 1, subscriptionType: "contact.creation", objectId: Number(a) },
      { ...base, eventId: 2, subscriptionType: "contact.creation", objectId: Number(b) },
      { ...base, eventId: 3, subscriptionType: "contact.propertyChange", objectId: Number(a), propertyName: "email", propertyValue: EMAIL },
      { ...base, eventId: 4, subscriptionType: "contact.propertyChange", objectId: Number(b), propertyName: "phone", propertyValue: PHONE },
      // Dead-lettered at intake, carrying PII in the payload and in the bad field.
      { ...base, eventId: 5, subscriptionType: "contact.propertyChange", objectId: EMAIL, propertyName: "phone", propertyValue: PHONE },
    ];
    const sent = spyOnEventQueue();
    const res = await exports.default.fetch(await signedRequest("https://autopilot.test/webhooks/hubspot", JSON.stringify(batch)));
    expect(await res.json()).toEqual({ accepted: 4, deadLettered: 1 });
    // A request refused for its signature, with PII in its body.
    await exports.default.fetch(await signedRequest("https://autopilot.test/webhooks/hubspot", JSON.stringify(batch), { secret: "wrong" }));

    await consumeEvents(messageBatch([...sent, { not: "an event", email: EMAIL }]), env, { engines: ENGINES, tokens: getAccessToken });
    // The duplicates card for the contact, and a card call with PII in its query string.
    await exports.default.fetch(
      await signedRequest(`https://autopilot.test/api/cards/duplicates?portalId=${PORTAL_ID}&userId=7&objectId=${a}`, "", {
        method: "GET",
      }),
    );
    await exports.default.fetch(
      await signedRequest(
        `https://autopilot.test/api/cards/duplicates?portalId=${PORTAL_ID}&userId=7&objectId=${encodeURIComponent(EMAIL)}`,
        "",
        { method: "GET" },
      ),
    );

    const text = logged.join("\n");
    expect(text).toContain("hubspot webhook batch");
    for (const secret of forbidden()) expect(text.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
  });

  // Found by the fuzz (fixed in app.ts and lib/logger.ts): unhandled errors were logged verbatim, and D1 type errors
  // quote the bound value, so an email in a malformed request body reached the log.
  it("keeps an email out of the log when a request fails unexpectedly", async () => {
    await saveInstall(
      env,
      `hubspot:${PORTAL_ID}`,
      {
        accessToken: ACCESS_TOKEN,
        refreshToken: "rt",
        expiresAt: Date.now() + 3_600_000,
        scopes: [],
        externalId: String(PORTAL_ID),
        userId: "7",
        instanceUrl: null,
      },
      "7",
      Date.now(),
    );
    const body = JSON.stringify({ selection: { kind: "rule", ruleId: [EMAIL] } });
    await exports.default.fetch(await signedRequest(`https://autopilot.test/api/settings/audit/undo?portalId=${PORTAL_ID}&userId=7`, body));
    expect(logged.join("\n")).not.toContain(EMAIL);
  });

  it("masks emails and phones quoted by an error that fails a portal's batch in the consumer", async () => {
    const event = {
      portalKey: `hubspot:${PORTAL_ID}`,
      origin: "webhook",
      kind: "created",
      objectType: "contacts",
      objectId: "1",
      eventId: "1",
      subscriptionType: "contact.creation",
      occurredAt: Date.now(),
    };
    const failing = async () => {
      throw new Error(`D1_TYPE_ERROR: Type 'object' not supported for value '${EMAIL}' (phone ${PHONE})`);
    };
    await consumeEvents(messageBatch([event]), env, { engines: ENGINES, tokens: failing });
    const text = logged.join("\n");
    expect(text).toContain("portal batch failed");
    for (const secret of forbidden()) expect(text.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
  });
});
