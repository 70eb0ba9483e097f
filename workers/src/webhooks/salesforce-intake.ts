import { Hono } from "hono";
import type { DeadLetter } from "../../../shared/events/types.ts";
import type { AppEnv } from "../app.ts";
import { timingSafeEqual } from "../auth/crypto.ts";
import { OUTBOUND_ACK, parseOutboundMessage } from "../crm/salesforce/outbound-message.ts";
import { ApiError } from "../http/errors.ts";
import { enqueueEvents, recordDeadLetters } from "../queue/producer.ts";
import { readBodyWithin } from "./body.ts";
import { MAX_WEBHOOK_BYTES } from "./hubspot-intake.ts";

/**
 * The per-org secret in the outbound message URL: derived from TOKEN_ENCRYPTION_KEY, so nothing extra is stored;
 * admins read it from `GET /api/admin/salesforce/:orgId/outbound-url`.
 */
export async function salesforceOutboundSecret(encryptionKey: string, orgId: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`sf-outbound:${encryptionKey}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(orgId)));
  return btoa(String.fromCharCode(...mac.slice(0, 24)))
    .replaceAll("+", "-")
    .replaceAll("/", "_");
}

export const salesforceWebhooks = new Hono<AppEnv>();

salesforceWebhooks.post("/:orgId/:secret", async function receiveOutboundMessage(c) {
  const { orgId, secret } = c.req.param();
  const expected = await salesforceOutboundSecret(c.env.TOKEN_ENCRYPTION_KEY, orgId);
  if (!timingSafeEqual(secret, expected))
    throw new ApiError(401, "bad_secret", "The outbound message URL's secret does not match this org");
  const body = await readBodyWithin(c.req.raw, MAX_WEBHOOK_BYTES);
  const parsed = parseOutboundMessage(body);
  if (!parsed.ok) throw new ApiError(400, parsed.error.code, parsed.error.message);
  if (parsed.value.organizationId.slice(0, 15) !== orgId.slice(0, 15)) {
    throw new ApiError(401, "wrong_org", "The message's OrganizationId is not the org this URL belongs to");
  }
  const dead: DeadLetter[] = parsed.value.rejected.map((r) => ({
    portalKey: `salesforce:${orgId}`,
    source: "salesforce",
    reasonCode: "invalid_notification",
    reason: `notification ${r.index}: ${r.reason}`,
    payload: r.payload,
  }));
  // Enqueue first: Salesforce resends a message we fail, and nothing was recorded yet (dead letters are deduplicated too).
  if (parsed.value.events.length > 0) await enqueueEvents(c.env.EVENTS, parsed.value.events);
  if (dead.length > 0) await recordDeadLetters(c.env.DB, dead);
  c.get("log").info("salesforce outbound message", { accepted: parsed.value.events.length, deadLettered: dead.length });
  return c.body(OUTBOUND_ACK, 200, { "content-type": "text/xml; charset=utf-8" });
});
