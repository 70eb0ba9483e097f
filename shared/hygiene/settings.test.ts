import { describe, expect, it } from "vitest";
import { DEFAULT_PART_WEIGHTS, DEFAULT_REQUIRED, defaultHygieneSettings, fixPolicyFor, parseHygieneSettings } from "./settings.ts";

describe("hygiene settings", () => {
  it("parses {} to the documented defaults", () => {
    expect(defaultHygieneSettings()).toEqual({
      defaultRegion: "US",
      freshnessHorizonDays: 365,
      countryFormat: "name",
      fixPolicy: { contacts: {}, companies: {}, deals: {} },
      defaultFixPolicy: "suggest",
      required: DEFAULT_REQUIRED,
      partWeights: DEFAULT_PART_WEIGHTS,
    });
  });

  it("never applies fixes automatically by default", () => {
    const s = defaultHygieneSettings();
    for (const field of ["email", "phone", "firstName", "country"]) expect(fixPolicyFor(s, "contacts", field)).toBe("suggest");
  });

  it("takes per-field policies per object and upper-cases the region", () => {
    const parsed = parseHygieneSettings({ defaultRegion: "de", fixPolicy: { contacts: { phone: "auto", email: "off" } } });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.defaultRegion).toBe("DE");
    expect(fixPolicyFor(parsed.value, "contacts", "phone")).toBe("auto");
    expect(fixPolicyFor(parsed.value, "contacts", "email")).toBe("off");
    expect(fixPolicyFor(parsed.value, "companies", "phone")).toBe("suggest");
  });

  it("replaces the required fields of an object it is given, keeping the others' defaults", () => {
    const parsed = parseHygieneSettings({ required: { contacts: { email: 5, hs_linkedin: 1 } } });
    expect(parsed.ok && parsed.value.required.contacts).toEqual({ email: 5, hs_linkedin: 1 });
    expect(parsed.ok && parsed.value.required.deals).toEqual(DEFAULT_REQUIRED.deals);
  });

  it.each([
    [{ defaultRegion: "USA" }, "defaultRegion"],
    [{ freshnessHorizonDays: 0 }, "freshnessHorizonDays"],
    [{ defaultFixPolicy: "auto" }, "defaultFixPolicy"],
    [{ fixPolicy: { contacts: { phone: "always" } } }, "fixPolicy.contacts.phone"],
    [{ required: { contacts: { email: -1 } } }, "required.contacts.email"],
    [{ partWeights: { validity: 101 } }, "partWeights.validity"],
    [{ surprise: true }, "(root)"],
  ])("rejects %j naming %s", (doc, path) => {
    const parsed = parseHygieneSettings(doc);
    expect(parsed.ok).toBe(false);
    expect(parsed.problems?.map((p) => p.path)).toContain(path);
  });
});
