import { XMLParser } from "fast-xml-parser";
import type { ObjectType } from "../../../../shared/domain/types.ts";
import type { CrmEvent } from "../../../../shared/events/types.ts";
import { err, ok, type Result } from "../../../../shared/result.ts";

/** Salesforce sObject types we act on, and the domain object each becomes. */
const SOBJECT_TYPES: Record<string, ObjectType> = { Contact: "contacts", Lead: "contacts", Account: "companies", Opportunity: "deals" };

export type OutboundMessage = {
  organizationId: string;
  actionId: string;
  events: CrmEvent[];
  rejected: Array<{ index: number; reason: string; payload: unknown }>;
};
export type OutboundProblem = "invalid_xml" | "not_outbound_message" | "too_many_notifications";

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === "Notification",
  processEntities: true,
});

/**
 * Parses a Salesforce Outbound Message (SOAP) into CrmEvents. Notifications we cannot use are returned as
 * rejected with the reason, so the rest of the message still goes through.
 */
export function parseOutboundMessage(xml: string): Result<OutboundMessage, OutboundProblem> {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (cause) {
    return err("invalid_xml", `The body is not well-formed XML: ${cause instanceof Error ? cause.message.split("\n")[0] : "parse error"}`);
  }
  const notifications = (doc as { Envelope?: { Body?: { notifications?: Record<string, unknown> } } })?.Envelope?.Body?.notifications;
  if (!notifications || typeof notifications !== "object")
    return err("not_outbound_message", "Expected a SOAP Envelope whose Body holds <notifications>");
  const organizationId = String(notifications.OrganizationId ?? "");
  const list = (notifications.Notification ?? []) as unknown[];
  if (!/^00D[0-9A-Za-z]{12,15}$/.test(organizationId))
    return err("not_outbound_message", "OrganizationId is missing or not a Salesforce org id");
  if (list.length > 100) return err("too_many_notifications", `At most 100 notifications per message, got ${list.length}`);
  const events: CrmEvent[] = [];
  const rejected: OutboundMessage["rejected"] = [];
  list.forEach((raw, index) => {
    const mapped = notificationToEvent(organizationId, raw);
    if (mapped.ok) events.push(mapped.value);
    else rejected.push({ index, reason: mapped.error.message, payload: raw });
  });
  return ok({ organizationId, actionId: String(notifications.ActionId ?? ""), events, rejected });
}

function notificationToEvent(orgId: string, raw: unknown): Result<CrmEvent, "invalid_notification"> {
  const n = raw as { Id?: unknown; sObject?: Record<string, unknown> } | null;
  const notificationId = typeof n?.Id === "string" ? n.Id : "";
  const sObject = n?.sObject;
  if (!notificationId || !sObject) return err("invalid_notification", "a Notification needs an Id and an sObject");
  const type = String(sObject["@_type"] ?? "").replace(/^.*:/, "");
  const objectType = SOBJECT_TYPES[type];
  if (!objectType) return err("invalid_notification", `sObject type ${type || "(none)"} is not one the product handles`);
  const objectId = typeof sObject.Id === "string" ? sObject.Id : "";
  if (!/^[0-9A-Za-z]{15,18}$/.test(objectId)) return err("invalid_notification", "sObject Id is missing or not a Salesforce id");
  const modified = Date.parse(String(sObject.LastModifiedDate ?? ""));
  const created = Date.parse(String(sObject.CreatedDate ?? ""));
  const event: CrmEvent = {
    portalKey: `salesforce:${orgId}`,
    origin: "outbound_message",
    kind: Number.isFinite(created) && created === modified ? "created" : "changed",
    objectType,
    objectId,
    eventId: notificationId,
    subscriptionType: `salesforce.${type}.outbound`,
    // Retries of one notification repeat its Id; without LastModifiedDate, 0 keeps the ledger key stable.
    occurredAt: Number.isFinite(modified) ? modified : 0,
  };
  if (typeof sObject.LastModifiedById === "string") event.sourceId = `userId:${sObject.LastModifiedById}`;
  if (type === "Opportunity" && typeof sObject.StageName === "string") {
    event.propertyName = "StageName";
    event.propertyValue = sObject.StageName;
  }
  return ok(event);
}

export const OUTBOUND_ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>`;
