import { describe, expect, it } from "vitest";
import { coalesceEvents } from "./coalesce.ts";
import type { CrmEvent } from "./types.ts";

const base: CrmEvent = {
  portalKey: "hubspot:1",
  origin: "webhook",
  kind: "changed",
  objectType: "contacts",
  objectId: "10",
  eventId: "1",
  subscriptionType: "contact.propertyChange",
  occurredAt: 1000,
};

describe("coalesceEvents", () => {
  it("folds every event for one record into one group with the changed properties", () => {
    const groups = coalesceEvents([
      { ...base, eventId: "2", occurredAt: 2000, propertyName: "phone" },
      { ...base, eventId: "1", kind: "created", subscriptionType: "contact.creation" },
      { ...base, eventId: "3", occurredAt: 3000, propertyName: "email" },
      { ...base, objectId: "11", eventId: "4", propertyName: "email" },
    ]);
    expect(groups).toHaveLength(2);
    const first = groups.find((g) => g.objectId === "10");
    expect(first?.created).toBe(true);
    expect(first?.gone).toBe(false);
    expect([...(first?.changedProperties ?? [])].sort()).toEqual(["email", "phone"]);
    expect(first?.events.map((e) => e.eventId)).toEqual(["1", "2", "3"]);
  });

  it("marks a record deleted after its changes as gone, so nothing is read for it", () => {
    const [group] = coalesceEvents([
      { ...base, propertyName: "phone" },
      { ...base, eventId: "9", kind: "deleted", subscriptionType: "contact.deletion", occurredAt: 5000 },
    ]);
    expect(group?.gone).toBe(true);
  });

  it("treats a record merged into another id as gone but not the surviving id", () => {
    const groups = coalesceEvents([
      { ...base, objectId: "10", kind: "merged", subscriptionType: "contact.merge", newObjectId: "99" },
      { ...base, objectId: "99", kind: "merged", subscriptionType: "contact.merge", newObjectId: "99" },
    ]);
    expect(groups.map((g) => [g.objectId, g.gone])).toEqual([
      ["10", true],
      ["99", false],
    ]);
  });
});
