import { describe, expect, it } from "vitest";
import { hubspotEventToCrmEvent } from "./webhook-events.ts";

const base = {
  eventId: 100,
  subscriptionId: 5,
  portalId: 62515,
  appId: 424242,
  occurredAt: 1_763_900_000_000,
  attemptNumber: 0,
  objectId: 123,
  changeSource: "CRM",
  sourceId: "userId:7",
};

describe("hubspotEventToCrmEvent", () => {
  it.each([
    ["contact.creation", {}, { kind: "created", objectType: "contacts" }],
    [
      "contact.propertyChange",
      { propertyName: "email", propertyValue: "a@b.co" },
      { kind: "changed", propertyName: "email", propertyValue: "a@b.co" },
    ],
    ["deal.propertyChange", { propertyName: "dealstage", propertyValue: "closedwon" }, { kind: "changed", objectType: "deals" }],
    ["company.deletion", {}, { kind: "deleted", objectType: "companies" }],
    ["contact.privacyDeletion", {}, { kind: "privacy_deleted" }],
    [
      "contact.merge",
      { primaryObjectId: 123, mergedObjectIds: [456], newObjectId: 789 },
      { kind: "merged", mergedObjectIds: ["456"], newObjectId: "789" },
    ],
    ["object.creation", { objectTypeId: "0-1" }, { kind: "created", objectType: "contacts" }],
    [
      "object.propertyChange",
      { objectTypeId: "0-3", propertyName: "dealstage", propertyValue: "x" },
      { kind: "changed", objectType: "deals" },
    ],
  ])("maps %s", (subscriptionType, extra, expected) => {
    const result = hubspotEventToCrmEvent({ ...base, subscriptionType, ...extra });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toMatchObject({ portalKey: "hubspot:62515", objectId: "123", eventId: "100", ...expected });
  });

  it.each([
    [{ subscriptionType: "ticket.creation" }, "unsupported_subscription", "ticket.creation"],
    [{ subscriptionType: "object.creation", objectTypeId: "0-5" }, "unsupported_subscription", "objectTypeId 0-5"],
    [{ subscriptionType: "contact.propertyChange" }, "invalid_event", "propertyName"],
    [{ subscriptionType: "contact.creation", portalId: "abc" }, "invalid_event", "portalId"],
    [{ subscriptionType: "contact.creation", objectId: -1 }, "invalid_event", "objectId"],
    [{ subscriptionType: "contact.creation", occurredAt: undefined }, "invalid_event", "occurredAt"],
  ])("names why %o cannot be used", (override, code, mentions) => {
    const result = hubspotEventToCrmEvent({ ...base, ...override });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message).toContain(mentions);
    }
  });

  it("refuses non-objects without throwing", () => {
    for (const raw of [null, 1, "x", [], true]) expect(hubspotEventToCrmEvent(raw).ok).toBe(false);
  });
});
