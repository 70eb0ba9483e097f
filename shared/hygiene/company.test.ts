import { describe, expect, it } from "vitest";
import type { Company } from "../domain/types.ts";
import { scoreCompany } from "./company.ts";
import { defaultHygieneSettings } from "./settings.ts";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const settings = defaultHygieneSettings();
const ctx = { now: NOW, duplicateSuspects: 0 };

function company(overrides: Partial<Company> = {}): Company {
  return {
    id: "co1",
    name: "Acme GmbH",
    domain: "acme.de",
    website: "https://www.acme.de",
    phone: "+4930901820",
    industry: "Software",
    numberOfEmployees: 40,
    city: "Berlin",
    state: "BE",
    country: "Germany",
    ownerId: "1",
    createdAt: null,
    updatedAt: new Date(NOW).toISOString(),
    extra: {},
    ...overrides,
  };
}

const codes = (c: Company) => scoreCompany(c, settings, ctx).findings.map((f) => `${f.field}:${f.code}`);

describe("scoreCompany", () => {
  it("scores a clean company 100", () => {
    const report = scoreCompany(company(), settings, ctx);
    expect(report.findings).toEqual([]);
    expect(report.score).toBe(100);
  });

  it.each<[Partial<Company>, string, { value: string; safe: boolean } | null]>([
    [{ name: "ACME GMBH" }, "name:company_casing", { value: "Acme GmbH", safe: true }],
    [{ domain: "https://www.acme.de/about" }, "domain:domain_not_normalized", { value: "acme.de", safe: true }],
    [{ domain: "shop.acme.de" }, "domain:domain_not_normalized", { value: "acme.de", safe: false }],
    [{ domain: "acme" }, "domain:website_invalid", null],
    [{ country: "Deutschland" }, "country:country_not_canonical", { value: "Germany", safe: true }],
    [{ state: "Bayern" }, "state:state_not_canonical", { value: "BY", safe: true }],
    [{ phone: "030 901820" }, "phone:phone_not_e164", { value: "+4930901820", safe: true }],
    [{ numberOfEmployees: -3 }, "numberOfEmployees:number_invalid", null],
  ])("with %j finds %s", (overrides, expected, fix) => {
    const report = scoreCompany({ ...company(), ...overrides }, settings, ctx);
    const finding = report.findings.find((f) => `${f.field}:${f.code}` === expected);
    expect(finding?.fix).toEqual(fix);
  });

  it.each<[Partial<Company>, string]>([
    [{ website: "https://globex.com" }, "website:domain_website_mismatch"],
    [{ phone: "+1 415 555 2671" }, "phone:phone_country_mismatch"],
  ])("cross-checks %j", (overrides, expected) => {
    expect(codes({ ...company(), ...overrides })).toContain(expected);
  });

  it("requires name and domain most by default", () => {
    const report = scoreCompany({ ...company(), domain: null, website: null }, settings, ctx);
    expect(report.findings.map((f) => `${f.field}:${f.code}`)).toEqual(["domain:missing_required"]);
    expect(report.parts[0]).toMatchObject({ part: "completeness", score: Math.round((6 / 9) * 100) });
  });
});
