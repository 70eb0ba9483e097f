import { describe, expect, it } from "vitest";
import { emptyContact } from "../domain/types.ts";
import { buildCompanyIndex, companiesForLead, companyNameKey, isFreeMailDomain, registrableDomain } from "./accounts.ts";
import { contactToLead } from "./lead.ts";

describe("account keys", () => {
  it.each<[string | null, string | null]>([
    ["jo@eu.acme.com", "acme.com"],
    ["https://www.acme.co.uk/about", "acme.co.uk"],
    ["ACME.COM", "acme.com"],
    ["jo@localhost", null],
    ["", null],
    [null, null],
  ])("registrable domain of %j is %j", (raw, expected) => {
    expect(registrableDomain(raw)).toBe(expected);
  });

  it.each<[string | null, string | null]>([
    ["Acme, Inc.", "acme"],
    ["ACME LLC", "acme"],
    ["Müller & Söhne GmbH", "muller and sohne"],
    ["The Co.", "the"],
    ["Inc.", null],
    [null, null],
  ])("name key of %j is %j", (raw, expected) => {
    expect(companyNameKey(raw)).toBe(expected);
  });

  it.each([
    ["gmail.com", true],
    ["yahoo.co.uk", true],
    ["acme.com", false],
  ])("%s is free mail: %s", (domain, expected) => {
    expect(isFreeMailDomain(domain)).toBe(expected);
  });

  it("finds a lead's companies by domain and by name, each once", () => {
    const a = { id: "1", domain: "acme.com", name: "Acme Inc", ownerId: "7" };
    const b = { id: "2", domain: "other.com", name: "ACME", ownerId: "8" };
    const c = { id: "3", domain: "zeta.com", name: "Zeta", ownerId: "9" };
    const index = buildCompanyIndex([a, b, c]);
    expect(companiesForLead({ email: "jo@sales.acme.com", company: "Acme" }, index)).toEqual([a, b]);
    expect(companiesForLead({ email: "jo@gmail.com" }, index)).toEqual([]);
  });
});

describe("contactToLead", () => {
  it("names a domain contact's fields as HubSpot properties and adds the hygiene score", () => {
    const contact = {
      ...emptyContact("42"),
      email: "a@b.com",
      postalCode: "94107",
      numberOfEmployees: 120,
      leadSource: "web",
      extra: { hs_persona: "ceo" },
    };
    const lead = contactToLead(contact, 81);
    expect(lead.id).toBe("42");
    expect(lead.properties).toMatchObject({
      email: "a@b.com",
      zip: "94107",
      numberofemployees: 120,
      hs_lead_source: "web",
      hs_persona: "ceo",
      hygiene_score: 81,
    });
  });
});
