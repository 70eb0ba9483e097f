import { describe, expect, it } from "vitest";
import { type Contact, emptyContact } from "../domain/types.ts";
import { choosePrimary, planMerge, planRestore } from "./merge-plan.ts";
import { DedupeSettingsSchema } from "./settings.ts";

const contact = (id: string, over: Partial<Contact>): Contact => ({ ...emptyContact(id), ...over });
const settings = DedupeSettingsSchema.parse({});

describe("DedupeSettingsSchema", () => {
  it("parses {} to defaults with auto-merge off", () => {
    expect(settings.autoMerge).toBe(false);
    expect(settings.thresholds).toEqual({ merge: 0.99, review: 0.5 });
  });

  it("rejects a review threshold above the merge threshold", () => {
    expect(DedupeSettingsSchema.safeParse({ thresholds: { merge: 0.6, review: 0.8 } }).success).toBe(false);
  });
});

describe("choosePrimary", () => {
  const old = contact("1", { createdAt: "2020-01-01", lastActivityAt: "2021-01-01", email: "a@x.com" });
  const recent = contact("2", { createdAt: "2023-01-01", lastActivityAt: "2024-01-01", ownerId: "7", email: "a@x.com", phone: "1" });
  it.each([
    [["oldest"], "1"],
    [["most_recent_activity"], "2"],
    [["has_owner"], "2"],
    [["most_complete"], "2"],
  ] as const)("rule %j keeps %s", (rules, id) => {
    expect(choosePrimary(old, recent, rules).primary.id).toBe(id);
  });
});

describe("planMerge and planRestore", () => {
  const a = contact("1", {
    createdAt: "2020-01-01",
    updatedAt: "2020-01-01",
    email: "bob@old.com",
    firstName: "Bob",
    phone: null,
    jobTitle: "CTO",
  });
  const b = contact("2", {
    createdAt: "2022-01-01",
    updatedAt: "2024-01-01",
    email: "robert@new.com",
    firstName: "Robert",
    phone: "+1617",
    jobTitle: "CEO",
  });
  const plan = planMerge(a, b, DedupeSettingsSchema.parse({ primaryRules: ["oldest"] }));

  it("fills the primary's empty fields, takes the most recent non-empty value and keeps every email", () => {
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const byField = Object.fromEntries(plan.value.updates.map((u) => [u.field, u.to]));
    expect(plan.value.primaryId).toBe("1");
    expect(byField).toEqual({ firstName: "Robert", phone: "+1617", jobTitle: "CEO", hs_additional_emails: "robert@new.com" });
  });

  it("restores by recreating the merged record and writing back exactly what changed", () => {
    if (!plan.ok) throw new Error("no plan");
    const restore = planRestore(plan.value);
    expect(restore.recreate).toMatchObject({ email: "robert@new.com", firstName: "Robert" });
    expect(restore.revertPrimary).toEqual([
      { field: "hs_additional_emails", value: null },
      { field: "firstName", value: "Bob" },
      { field: "phone", value: null },
      { field: "jobTitle", value: "CTO" },
    ]);
  });

  it("refuses to merge a record with itself", () => {
    expect(planMerge(a, a, settings).ok).toBe(false);
  });
});
