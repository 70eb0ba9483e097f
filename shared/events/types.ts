import type { ObjectType, PortalKey } from "../domain/types.ts";

/** What happened to a record, in CRM-agnostic terms. */
export type CrmEventKind = "created" | "changed" | "deleted" | "privacy_deleted" | "merged" | "restored";

/**
 * One CRM change notification, as it travels through the queue. Adapters build these from HubSpot webhooks,
 * Salesforce outbound messages and the backfill; engines only ever see this shape.
 */
export type CrmEvent = {
  portalKey: PortalKey;
  origin: "webhook" | "outbound_message" | "backfill" | "replay";
  kind: CrmEventKind;
  objectType: ObjectType;
  objectId: string;
  /** The vendor's event id (not guaranteed unique); with the other key parts it identifies one delivery. */
  eventId: string;
  /** The vendor's subscription type, e.g. `contact.propertyChange`, kept for the ledger key and for audit. */
  subscriptionType: string;
  occurredAt: number;
  propertyName?: string;
  propertyValue?: string;
  /** Who made the change: `userId:123`, an app id, `integration`... */
  sourceId?: string;
  changeSource?: string;
  mergedObjectIds?: string[];
  primaryObjectId?: string;
  newObjectId?: string;
};

/** The ledger key: an event is acted on once per key. */
export function eventKey(e: Pick<CrmEvent, "portalKey" | "subscriptionType" | "objectId" | "eventId" | "occurredAt">): string {
  return `${e.portalKey}|${e.subscriptionType}|${e.objectId}|${e.eventId}|${e.occurredAt}`;
}

export type DeadLetter = {
  portalKey: PortalKey | null;
  source: "hubspot" | "salesforce" | "consumer" | "backfill";
  reasonCode: string;
  reason: string;
  payload: unknown;
};
