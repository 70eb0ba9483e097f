import { describe, expect, it } from "vitest";
import { type Contact, emptyContact } from "../domain/types.ts";
import { overriddenBy, planAutoFixes, type ValueChange } from "./auto-fix.ts";
import { scoreContact } from "./contact.ts";
import { type HygieneSettings, HygieneSettingsSchema } from "./settings.ts";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const messy: Contact = {
  ...emptyContact("c1"),
  email: " Jo@ACME.com",
  firstName: "JO",
  lastName: "doe",
  phone: "(415) 555-2671",
  country: "USA",
  state: "california",
};
const allAuto = HygieneSettingsSchema.parse({
  fixPolicy: { contacts: { email: "auto", firstName: "auto", lastName: "auto", phone: "auto", country: "auto", state: "auto" } },
});

function plan(contact: Contact, settings: HygieneSettings, history?: Record<string, ValueChange[]>) {
  const report = scoreContact(contact, settings, { now: NOW });
  return planAutoFixes({ report, record: contact, settings, history });
}

describe("planAutoFixes", () => {
  it("batches every safe fix whose field is set to auto into one update, with old values for undo", () => {
    const p = plan(messy, allAuto);
    expect(p.updates).toEqual({
      email: "jo@acme.com",
      firstName: "Jo",
      lastName: "Doe",
      phone: "+14155552671",
      country: "United States",
      state: "CA",
    });
    expect(p.changes).toContainEqual({ field: "email", code: "email_not_normalized", from: " Jo@ACME.com", to: "jo@acme.com" });
    expect(p.changes).toContainEqual({ field: "state", code: "state_not_canonical", from: "california", to: "CA" });
  });

  it("applies nothing with the default settings (suggest everywhere)", () => {
    const p = plan(messy, HygieneSettingsSchema.parse({}));
    expect(p.updates).toEqual({});
    expect(new Set(p.skipped.map((s) => s.reason))).toEqual(new Set(["policy_suggest"]));
  });

  it("leaves a field whose policy is suggest for a person", () => {
    const settings = HygieneSettingsSchema.parse({ fixPolicy: { contacts: { ...allAuto.fixPolicy.contacts, phone: "suggest" } } });
    const p = plan(messy, settings);
    expect(p.updates.phone).toBeUndefined();
    expect(p.skipped).toContainEqual({ field: "phone", code: "phone_not_e164", reason: "policy_suggest" });
  });

  it("has nothing to apply on a field whose policy is off (its fix is hidden)", () => {
    const settings = HygieneSettingsSchema.parse({ fixPolicy: { contacts: { ...allAuto.fixPolicy.contacts, phone: "off" } } });
    const p = plan(messy, settings);
    expect(p.updates.phone).toBeUndefined();
    expect(p.updates.email).toBe("jo@acme.com");
  });

  it("never applies an unsafe fix, even on auto", () => {
    const guessed = { ...messy, country: null, state: null };
    const p = plan(guessed, allAuto);
    expect(p.updates.phone).toBeUndefined();
    expect(p.skipped).toContainEqual({ field: "phone", code: "phone_not_e164", reason: "not_safe" });
    const split = plan({ ...messy, firstName: "John Smith", lastName: null }, allAuto);
    expect(split.updates).not.toHaveProperty("lastName");
    expect(split.skipped).toContainEqual({ field: "lastName", code: "name_full_in_first", reason: "not_safe" });
  });

  it("does not rewrite a value a user set by hand after our fix", () => {
    const history = {
      firstName: [
        { value: "JO", timestamp: 1_000, source: "other" as const },
        { value: "Jo", timestamp: 2_000, source: "ours" as const },
        { value: "JO", timestamp: 3_000, source: "user" as const },
      ],
    };
    const p = plan(messy, allAuto, history);
    expect(p.updates.firstName).toBeUndefined();
    expect(p.skipped).toContainEqual({ field: "firstName", code: "name_casing", reason: "user_override" });
    expect(p.updates.lastName).toBe("Doe");
  });

  it("fixes a value a user typed before we ever fixed the field", () => {
    const history = { firstName: [{ value: "JO", timestamp: 3_000, source: "user" as const }] };
    expect(plan(messy, allAuto, history).updates.firstName).toBe("Jo");
  });

  it("fixes again when our fix is still the latest change (history order does not matter)", () => {
    const history = {
      firstName: [
        { value: "Jo", timestamp: 2_000, source: "ours" as const },
        { value: "JO", timestamp: 1_000, source: "user" as const },
      ],
    };
    expect(plan(messy, allAuto, history).updates.firstName).toBe("Jo");
  });

  it("keeps out of a tug of war with another automation that changed our fix", () => {
    const history = {
      phone: [
        { value: "+14155552671", timestamp: 1_000, source: "ours" as const },
        { value: "(415) 555-2671", timestamp: 2_000, source: "other" as const },
      ],
    };
    expect(plan(messy, allAuto, history).skipped).toContainEqual({ field: "phone", code: "phone_not_e164", reason: "automation_override" });
  });

  it("writes at most one fix per field", () => {
    const p = plan(
      { ...messy, firstName: "John Smith", lastName: null },
      HygieneSettingsSchema.parse({ fixPolicy: { contacts: { firstName: "auto" } } }),
    );
    expect(Object.keys(p.updates)).toEqual([]);
    const fields = p.changes.map((c) => c.field);
    expect(new Set(fields).size).toBe(fields.length);
  });
});

describe("overriddenBy", () => {
  const ours = (t: number): ValueChange => ({ value: "a", timestamp: t, source: "ours" });
  const user = (t: number): ValueChange => ({ value: "b", timestamp: t, source: "user" });
  const other = (t: number): ValueChange => ({ value: "c", timestamp: t, source: "other" });
  it.each([
    [[], null],
    [[user(1)], null],
    [[ours(1)], null],
    [[ours(1), user(2)], "user_override"],
    [[user(2), ours(1)], "user_override"],
    [[ours(1), user(2), ours(3)], null],
    [[ours(1), other(2)], "automation_override"],
    [[ours(1), other(2), user(3)], "user_override"],
  ] as const)("reads %j as %s", (history, expected) => {
    expect(overriddenBy(history)).toBe(expected);
  });
});
