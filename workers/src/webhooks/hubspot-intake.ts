import { Hono } from "hono";
import type { CrmEvent, DeadLetter } from "../../../shared/events/types.ts";
import type { AppEnv } from "../app.ts";
import { verifyHubspotSignature } from "../auth/hubspot-signature.ts";
import { hubspotEventToCrmEvent } from "../crm/hubspot/webhook-events.ts";
import { ApiError } from "../http/errors.ts";
import { enqueueEvents, recordDeadLetters } from "../queue/producer.ts";
import { readBodyWithin } from "./body.ts";

/** HubSpot sends at most 100 events a batch; 1 MB bounds any body we read. */
export const MAX_WEBHOOK_BYTES = 1_048_576;
/** Cloudflare Queues carry at most 128 KB per message. */
const MAX_QUEUE_MESSAGE_BYTES = 120_000;

export const hubspotWebhooks = new Hono<AppEnv>();

hubspotWebhooks.post("/", async function receiveHubspotWebhook(c) {
  const body = await readBodyWithin(c.req.raw, MAX_WEBHOOK_BYTES);
  const verified = await verifyHubspotSignature({
    clientSecret: c.env.HUBSPOT_CLIENT_SECRET,
    method: c.req.method,
    url: c.req.url,
    body,
    signature: c.req.header("X-HubSpot-Signature-v3") ?? null,
    timestamp: c.req.header("X-HubSpot-Request-Timestamp") ?? null,
    now: Date.now(),
  });
  if (!verified.ok) throw new ApiError(401, verified.error.code, verified.error.message);

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid JSON");
  }
  if (!Array.isArray(parsed)) throw new ApiError(400, "not_an_array", "The body must be a JSON array of webhook events");

  const good: CrmEvent[] = [];
  const dead: DeadLetter[] = [];
  const appId = c.env.HUBSPOT_APP_ID;
  parsed.forEach((raw: unknown, index: number) => {
    const mapped = hubspotEventToCrmEvent(raw);
    if (!mapped.ok) {
      dead.push({
        portalKey: portalKeyOf(raw),
        source: "hubspot",
        reasonCode: mapped.error.code,
        reason: `event ${index}: ${mapped.error.message}`,
        payload: raw,
      });
      return;
    }
    const rawAppId = (raw as { appId?: unknown }).appId;
    if (appId && rawAppId !== undefined && String(rawAppId) !== appId) {
      dead.push({
        portalKey: mapped.value.portalKey,
        source: "hubspot",
        reasonCode: "wrong_app",
        reason: `event ${index}: appId ${String(rawAppId)} is not this app`,
        payload: raw,
      });
      return;
    }
    const bytes = new TextEncoder().encode(JSON.stringify(mapped.value)).byteLength;
    if (bytes > MAX_QUEUE_MESSAGE_BYTES) {
      // The consumer re-reads the record anyway; an event too big for a queue message cannot travel.
      dead.push({
        portalKey: mapped.value.portalKey,
        source: "hubspot",
        reasonCode: "event_too_large",
        reason: `event ${index}: ${bytes} bytes is over the queue's message limit`,
        payload: { ...(raw as object), propertyValue: "(dropped: too large)" },
      });
      return;
    }
    good.push(mapped.value);
  });

  // Enqueue first: when it fails HubSpot retries the batch, and nothing was recorded yet (dead letters are deduplicated too).
  if (good.length > 0) await enqueueEvents(c.env.EVENTS, good);
  if (dead.length > 0) await recordDeadLetters(c.env.DB, dead);
  c.get("log").info("hubspot webhook batch", { events: parsed.length, accepted: good.length, deadLettered: dead.length });
  return c.json({ accepted: good.length, deadLettered: dead.length });
});

function portalKeyOf(raw: unknown): `hubspot:${string}` | null {
  const portalId = (raw as { portalId?: unknown } | null)?.portalId;
  return typeof portalId === "number" && Number.isInteger(portalId) && portalId > 0 ? `hubspot:${portalId}` : null;
}
