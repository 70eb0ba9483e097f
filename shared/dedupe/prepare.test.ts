import { describe, expect, it } from "vitest";
import { normalizePhone } from "../normalize/phone.ts";
import { createContactPreparer, nanpE164, prepareContact } from "./prepare.ts";
import type { DedupeContact } from "./types.ts";

describe("the North American phone fast path", () => {
  it.each([
    ["(415) 555-2671", "US", "+14155552671"],
    ["415.555.2671", "CA", "+14155552671"],
    ["1-617-995-0080", "US", "+16179950080"],
    ["+1 646 255 2042", "GB", "+16462552042"],
    ["+12125550100", "DE", "+12125550100"],
  ])("reads %s (region %s) as libphonenumber does", (raw, region, e164) => {
    expect(nanpE164(raw, region)).toBe(e164);
    expect(normalizePhone(raw, region).e164).toBe(e164);
  });

  it.each([
    ["415 555 2671", "GB", "another region's national number"],
    ["07836 332535", "US", "a leading trunk zero"],
    ["+44 20 7946 0958", "US", "another calling code"],
    ["(212) 555-0100 ext 12", "US", "an extension"],
    ["+1 212 055 0100", "US", "an exchange starting with 0"],
    ["212-555-01000", "US", "eleven national digits"],
    ["1-800-FLOWERS", "US", "letters"],
  ])("leaves %s (region %s) to libphonenumber: %s", (raw, region) => {
    expect(nanpE164(raw, region)).toBeNull();
  });
});

describe("a batch's contact preparer", () => {
  const contact = (id: string, over: Partial<DedupeContact>): DedupeContact => ({
    id,
    firstName: "Robert",
    lastName: "Kowalczyk",
    email: "R.Kowalczyk+news@Acme.com",
    phone: "(617) 555-0134",
    company: "Acme, Inc.",
    jobTitle: "VP Sales",
    street: "12 Main St.",
    city: "BOSTON",
    state: "MA",
    postalCode: "02110",
    country: "USA",
    ...over,
  });
  const contacts = [
    contact("1", {}),
    contact("2", { firstName: " ROBERT ", city: "Boston", country: "United States" }),
    contact("3", { firstName: null, lastName: null, company: null, street: null, postalCode: null, country: null, jobTitle: null }),
    contact("4", { firstName: "Zoë", lastName: "Østergaard", country: "Deutschland", phone: "0151 23456789", street: "Hauptstraße 5" }),
  ];

  it("prepares every field as prepareContact does, however often a value repeats", () => {
    const prepare = createContactPreparer(2);
    for (const c of [...contacts, ...contacts]) expect(prepare(c)).toEqual(prepareContact(c));
  });
});
