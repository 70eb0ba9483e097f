import { OBJECT_TYPES, SYSTEM_PROPERTIES } from "../crm/object-types.ts";
import type { RecordChange } from "../crm/records.ts";

/** One event as HubSpot puts it in a webhook batch. */
export type WebhookEvent = {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  sourceId: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
};

const FLAGS = { creation: "CREATED", deletion: "DELETED", merge: "MERGED" } as const;

// Stable subscription ids per subscription type, as an app's subscriptions have.
function subscriptionIdFor(subscriptionType: string): number {
  let h = 0;
  for (const ch of subscriptionType) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000;
  return 1_000_000 + h;
}

/** Turns a record change into the event HubSpot would send, or undefined when no subscription covers it. */
export function changeToEvent(
  change: RecordChange,
  ids: { eventId: number; portalId: number; appId: number },
  subscribedProperties: readonly string[] | "all",
): WebhookEvent | undefined {
  if (!["contacts", "companies", "deals"].includes(change.type)) return undefined;
  if (change.kind === "propertyChange") {
    if (SYSTEM_PROPERTIES.has(change.propertyName)) return undefined;
    if (subscribedProperties !== "all" && !subscribedProperties.includes(change.propertyName)) return undefined;
  }
  const subscriptionType = `${OBJECT_TYPES[change.type].singular}.${change.kind}`;
  const event: WebhookEvent = {
    eventId: ids.eventId,
    subscriptionId: subscriptionIdFor(subscriptionType),
    portalId: ids.portalId,
    appId: ids.appId,
    occurredAt: change.occurredAt,
    subscriptionType,
    attemptNumber: 0,
    objectId: Number(change.objectId),
    changeSource: change.source.kind === "integration" ? "INTEGRATION" : "CRM_UI",
    sourceId: change.source.kind === "integration" ? change.source.appId : `userId:${change.source.userId}`,
  };
  if (change.kind === "propertyChange") return { ...event, propertyName: change.propertyName, propertyValue: change.propertyValue };
  if (change.kind === "merge") {
    return {
      ...event,
      changeFlag: FLAGS.merge,
      primaryObjectId: Number(change.primaryObjectId),
      mergedObjectIds: change.mergedObjectIds.map(Number),
      newObjectId: Number(change.newObjectId),
      numberOfPropertiesMoved: change.numberOfPropertiesMoved,
    };
  }
  return { ...event, changeFlag: FLAGS[change.kind] };
}
