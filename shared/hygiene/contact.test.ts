import { describe, expect, it } from "vitest";
import { type Contact, emptyContact } from "../domain/types.ts";
import { scoreContact } from "./contact.ts";
import { defaultHygieneSettings, HygieneSettingsSchema } from "./settings.ts";
import type { FindingCode, HygieneContext } from "./types.ts";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const settings = defaultHygieneSettings();
const ctx: HygieneContext = { now: NOW, duplicateSuspects: 0 };

/** A contact that passes every check. */
function clean(overrides: Partial<Contact> = {}): Contact {
  return {
    ...emptyContact("c1"),
    email: "jo.doe@acme.com",
    firstName: "Jo",
    lastName: "Doe",
    phone: "+14155552671",
    company: "Acme Inc.",
    jobTitle: "VP Sales",
    website: "https://www.acme.com",
    country: "United States",
    state: "CA",
    updatedAt: new Date(NOW).toISOString(),
    ...overrides,
  };
}

const codes = (c: Contact, context: HygieneContext = ctx) => scoreContact(c, settings, context).findings.map((f) => `${f.field}:${f.code}`);

describe("scoreContact", () => {
  it("scores a clean, fresh, unique contact 100 with no findings", () => {
    const report = scoreContact(clean(), settings, ctx);
    expect(report.findings).toEqual([]);
    expect(report.score).toBe(100);
    expect(report.parts.map((p) => p.part)).toEqual(["completeness", "validity", "consistency", "freshness", "uniqueness"]);
  });

  it.each<[Partial<Contact>, string, FindingCode, string | null, boolean | null]>([
    [{ email: " Jo.Doe@ACME.com" }, "email", "email_not_normalized", "jo.doe@acme.com", true],
    [{ email: "jo@acme" }, "email", "email_invalid", null, null],
    [{ email: "jo@gmial.com" }, "email", "email_invalid", "jo@gmail.com", false],
    [{ email: "jo@acme.con" }, "email", "email_invalid", "jo@acme.com", false],
    [{ email: "info@acme.com" }, "email", "email_role", null, null],
    [{ email: "jo@mailinator.com", website: null }, "email", "email_disposable", null, null],
    [{ phone: "(415) 555-2671" }, "phone", "phone_not_e164", "+14155552671", true],
    [{ phone: "(415) 555-2671", country: null }, "phone", "phone_not_e164", "+14155552671", false],
    [{ phone: "+1 123 456 7890" }, "phone", "phone_unverified", null, null],
    [{ phone: "12345" }, "phone", "phone_invalid", null, null],
    [{ mobilePhone: "call me" }, "mobilePhone", "phone_invalid", null, null],
    [{ firstName: "JO" }, "firstName", "name_casing", "Jo", true],
    [{ lastName: "o'brien" }, "lastName", "name_casing", "O'Brien", true],
    [{ lastName: " Doe " }, "lastName", "whitespace", "Doe", true],
    [{ firstName: "jo@acme.com" }, "firstName", "name_invalid", null, null],
    [{ firstName: "12" }, "firstName", "name_invalid", null, null],
    [{ company: "ACME INC" }, "company", "company_casing", "Acme Inc.", true],
    [{ country: "USA" }, "country", "country_not_canonical", "United States", true],
    [{ country: "Atlantis" }, "country", "country_unknown", null, null],
    [{ state: "california" }, "state", "state_not_canonical", "CA", true],
    [{ state: "Ontario" }, "state", "state_unknown", null, null],
    [{ website: "not a site" }, "website", "website_invalid", null, null],
    [{ city: "San  Francisco " }, "city", "whitespace", "San Francisco", true],
  ])("with %j finds %s:%s, fix %j (safe %s)", (overrides, field, code, value, safe) => {
    const finding = scoreContact(clean(overrides), settings, ctx).findings.find((f) => f.field === field && f.code === code);
    expect(finding).toBeDefined();
    expect(finding?.fix).toEqual(value === null && safe === null ? null : { value, safe });
  });

  it("offers a split, never safe, when first name holds a full name", () => {
    const report = scoreContact(clean({ firstName: "John Smith", lastName: null }), settings, ctx);
    const split = report.findings.filter((f) => f.code === "name_full_in_first");
    expect(split.map((f) => [f.field, f.fix])).toEqual([
      ["firstName", { value: "John", safe: false }],
      ["lastName", { value: "Smith", safe: false }],
    ]);
  });

  it.each<[Partial<Contact>, HygieneContext, string]>([
    [{ phone: "+44 20 7946 0958" }, ctx, "phone:phone_country_mismatch"],
    [{ mobilePhone: "+49 30 901820" }, ctx, "mobilePhone:phone_country_mismatch"],
    [{ email: "jo@other.com" }, ctx, "email:email_domain_mismatch"],
    [{ email: "jo@other.com", website: null }, { ...ctx, company: { ...companyOf("acme.com") } }, "email:email_domain_mismatch"],
  ])("cross-checks %j", (overrides, context, expected) => {
    const report = scoreContact(clean(overrides), settings, context);
    expect(report.findings.map((f) => `${f.field}:${f.code}`)).toContain(expected);
    expect(report.parts.find((p) => p.part === "consistency")?.score).toBeLessThan(100);
  });

  it.each<[Partial<Contact>]>([
    [{ email: "jo@gmail.com" }],
    [{ email: "jo@sales.acme.com" }],
    [{ phone: "+14165550199", country: "Canada", state: "ON" }],
  ])("finds %j consistent", (overrides) => {
    expect(codes(clean(overrides))).toEqual([]);
  });

  it("lists each missing required field and weighs completeness by the configured weights", () => {
    const report = scoreContact(clean({ email: null, jobTitle: null }), settings, ctx);
    expect(codes(clean({ email: null, jobTitle: null }))).toEqual(["email:missing_required", "jobTitle:missing_required"]);
    // Defaults weigh 11 in all; email (3) and job title (1) are missing.
    expect(report.parts.find((p) => p.part === "completeness")?.score).toBe(Math.round((7 / 11) * 100));
  });

  it("counts a required value with an error finding as empty, without a second finding", () => {
    const report = scoreContact(clean({ email: "not-an-email" }), settings, ctx);
    expect(report.parts.find((p) => p.part === "completeness")).toMatchObject({
      score: Math.round((8 / 11) * 100),
      reasons: ["unusable: email"],
    });
    expect(report.findings.map((f) => f.code)).toEqual(["email_invalid"]);
  });

  it("counts a custom property from extra as a required field", () => {
    const custom = HygieneSettingsSchema.parse({ required: { contacts: { linkedin_url: 1 } } });
    expect(scoreContact(clean(), custom, ctx).parts[0]?.score).toBe(0);
    expect(scoreContact(clean({ extra: { linkedin_url: "https://linkedin.com/in/jo" } }), custom, ctx).parts[0]?.score).toBe(100);
  });

  it("leaves out parts without data and re-spreads their weight", () => {
    const report = scoreContact(clean({ updatedAt: null, website: null, phone: null, state: null }), settings, { now: NOW });
    expect(report.skipped.map((s) => s.part)).toEqual(["consistency", "freshness", "uniqueness"]);
    expect(report.parts.map((p) => [p.part, p.weight])).toEqual([
      ["completeness", 35 / 65],
      ["validity", 30 / 65],
    ]);
    // Completeness 10/11 (phone missing) and validity 1, weighted 35:30.
    expect(report.score).toBe(Math.round((((10 / 11) * 35 + 30) / 65) * 100));
  });

  it("decays freshness linearly over the horizon and flags a stale record", () => {
    const days = (n: number) => new Date(NOW - n * 86_400_000).toISOString();
    const fresh = (n: number) =>
      scoreContact(clean({ updatedAt: days(n) }), settings, ctx).parts.find((p) => p.part === "freshness")?.score;
    expect([fresh(0), fresh(73), fresh(365), fresh(900)]).toEqual([100, 80, 0, 0]);
    expect(codes(clean({ updatedAt: days(400) }))).toEqual(["updatedAt:stale"]);
    expect(codes(clean({ updatedAt: days(1), lastActivityAt: days(400) }))).toEqual(["lastActivityAt:stale"]);
  });

  it("lowers uniqueness with suspected duplicates", () => {
    const uniq = (n: number) =>
      scoreContact(clean(), settings, { now: NOW, duplicateSuspects: n }).parts.find((p) => p.part === "uniqueness")?.score;
    expect([uniq(0), uniq(1), uniq(3)]).toEqual([100, 30, 0]);
    expect(codes(clean(), { now: NOW, duplicateSuspects: 2 })).toEqual(["id:duplicate_suspected"]);
  });

  it("hides the fix, not the finding, of a field whose policy is off", () => {
    const off = HygieneSettingsSchema.parse({ fixPolicy: { contacts: { firstName: "off" } } });
    const finding = scoreContact(clean({ firstName: "JO" }), off, ctx).findings[0];
    expect(finding).toMatchObject({ code: "name_casing", fix: null });
  });

  it("reports normalised values and the job title's seniority and function", () => {
    const report = scoreContact(
      clean({ phone: "(415) 555-2671", country: "USA", state: "california", website: "http://www.acme.com/x" }),
      settings,
      ctx,
    );
    expect(report.normalized).toMatchObject({
      phone: "+14155552671",
      country: "US",
      state: "CA",
      website: "acme.com",
      email: "jo.doe@acme.com",
      seniority: "vp",
      jobFunction: "sales",
    });
  });

  it("scores a blank contact 0 from completeness alone", () => {
    const report = scoreContact(emptyContact("blank"), settings, { now: NOW });
    expect(report.score).toBe(0);
    expect(report.parts.map((p) => p.part)).toEqual(["completeness"]);
  });

  it("survives garbage in every field", () => {
    const junk = "\u0000<>\"';--💥";
    const c = {
      ...emptyContact("junk"),
      email: junk,
      firstName: junk,
      lastName: junk,
      phone: junk,
      company: junk,
      country: junk,
      state: junk,
      website: junk,
      updatedAt: junk,
    };
    const report = scoreContact(c, settings, ctx);
    expect(report.score).toBeGreaterThanOrEqual(0);
    expect(report.score).toBeLessThan(60);
  });
});

function companyOf(domain: string) {
  return {
    id: "co1",
    name: "Acme",
    domain,
    website: null,
    phone: null,
    industry: null,
    numberOfEmployees: null,
    city: null,
    state: null,
    country: null,
    ownerId: null,
    createdAt: null,
    updatedAt: null,
    extra: {},
  };
}
