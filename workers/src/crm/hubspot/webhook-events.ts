import { z } from "zod";
import type { ObjectType } from "../../../../shared/domain/types.ts";
import type { CrmEvent, CrmEventKind } from "../../../../shared/events/types.ts";
import { err, ok, type Result } from "../../../../shared/result.ts";

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

/** One event of a HubSpot webhook batch (legacy `contact.*` and generic `object.*` forms). Unknown fields pass. */
export const HubspotWebhookEventSchema = z.looseObject({
  eventId: id,
  subscriptionId: z.number().int().optional(),
  portalId: z.number().int().positive(),
  appId: z.number().int().optional(),
  occurredAt: z.number().int().positive(),
  subscriptionType: z.string().min(1).max(100),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id,
  objectTypeId: z.string().max(20).optional(),
  changeSource: z.string().max(100).optional(),
  changeFlag: z.string().max(100).optional(),
  sourceId: z.string().max(200).optional(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().max(65_536).optional(),
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).max(100).optional(),
  newObjectId: id.optional(),
});
export type HubspotWebhookEvent = z.infer<typeof HubspotWebhookEventSchema>;

const OBJECT_PREFIX: Record<string, ObjectType> = { contact: "contacts", company: "companies", deal: "deals" };
const OBJECT_TYPE_ID: Record<string, ObjectType> = { "0-1": "contacts", "0-2": "companies", "0-3": "deals" };
const ACTION_KIND: Record<string, CrmEventKind> = {
  creation: "created",
  propertyChange: "changed",
  deletion: "deleted",
  privacyDeletion: "privacy_deleted",
  merge: "merged",
  restore: "restored",
};

export type EventProblem = "unsupported_subscription" | "invalid_event";

/** Turns one raw batch element into a CrmEvent, or names why the product cannot use it. */
export function hubspotEventToCrmEvent(raw: unknown): Result<CrmEvent, EventProblem> {
  const parsed = HubspotWebhookEventSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "event";
    return err("invalid_event", `${where}: ${issue?.message ?? "invalid"}`);
  }
  const e = parsed.data;
  const [prefix = "", action = ""] = e.subscriptionType.split(".");
  const objectType = prefix === "object" ? OBJECT_TYPE_ID[e.objectTypeId ?? ""] : OBJECT_PREFIX[prefix];
  const kind = ACTION_KIND[action];
  if (!objectType || !kind) {
    const what = prefix === "object" ? `${e.subscriptionType} for objectTypeId ${e.objectTypeId ?? "(none)"}` : e.subscriptionType;
    return err("unsupported_subscription", `subscription type ${what} is not one the product handles`);
  }
  if (kind === "changed" && !e.propertyName) return err("invalid_event", "propertyName: required for a property change");
  const event: CrmEvent = {
    portalKey: `hubspot:${e.portalId}`,
    origin: "webhook",
    kind,
    objectType,
    objectId: e.objectId,
    eventId: e.eventId,
    subscriptionType: e.subscriptionType,
    occurredAt: e.occurredAt,
  };
  if (e.propertyName !== undefined) event.propertyName = e.propertyName;
  if (e.propertyValue !== undefined) event.propertyValue = e.propertyValue;
  if (e.sourceId !== undefined) event.sourceId = e.sourceId;
  if (e.changeSource !== undefined) event.changeSource = e.changeSource;
  if (e.mergedObjectIds) event.mergedObjectIds = e.mergedObjectIds;
  if (e.primaryObjectId !== undefined) event.primaryObjectId = e.primaryObjectId;
  if (e.newObjectId !== undefined) event.newObjectId = e.newObjectId;
  return ok(event);
}
