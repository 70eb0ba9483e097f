import { describe, expect, it } from "vitest";
import { companyMatchKey, formatCompanyName } from "./company.ts";

describe("companyMatchKey", () => {
  it.each([
    ["Acme", "acme"],
    ["ACME, Inc.", "acme"],
    ["Acme Inc", "acme"],
    ["The Acme Corporation", "acme"],
    ["Acme LLC", "acme"],
    ["Acme Ltd.", "acme"],
    ["Acme Pty Ltd", "acme"],
    ["Acme GmbH", "acme"],
    ["Müller & Söhne GmbH & Co. KG", "muller and sohne"],
    ["Société Générale S.A.", "societe generale"],
    ["Acme B.V.", "acme"],
    ["ACME S.p.A.", "acme"],
    ["Acme Holdings", "acme holdings"],
    ["Acme Group Inc", "acme group"],
    ["Smith and Co", "smith"],
    ["Procter & Gamble", "procter and gamble"],
    ["AT&T", "at and t"],
    ["Inc", "inc"],
    ["The", "the"],
    ["3M Company", "3m"],
  ])("keys %j as %j", (raw, key) => {
    expect(companyMatchKey(raw)).toBe(key);
  });

  it.each([null, "", "  ", "---"])("gives null for %j", (raw) => {
    expect(companyMatchKey(raw)).toBeNull();
  });

  it("meets names that differ only in legal form and punctuation", () => {
    expect(companyMatchKey("Acme, Inc.")).toBe(companyMatchKey("ACME LLC"));
  });
});

describe("formatCompanyName", () => {
  it.each([
    ["ACME HOLDINGS GMBH", "Acme Holdings GmbH"],
    ["acme inc", "Acme Inc."],
    ["acme inc.", "Acme Inc."],
    ["IBM", "IBM"],
    ["SAP SE", "SAP SE"],
    ["bank of america", "Bank of America"],
    ["société générale sa", "Société Générale S.A."],
    ["  Acme   Corp ", "Acme Corp"],
    ["eBay", "eBay"],
    ["ACME B.V.", "Acme B.V."],
    ["smith-jones llp", "Smith-Jones LLP"],
  ])("displays %j as %j", (raw, display) => {
    expect(formatCompanyName(raw)).toBe(display);
  });

  it.each([null, "", "   "])("gives null for %j", (raw) => {
    expect(formatCompanyName(raw)).toBeNull();
  });
});
