import { describe, expect, it } from "vitest";
import { evaluateCondition, evaluateRules } from "./conditions.ts";
import { ConditionSchema } from "./settings.ts";
import type { PropertyMap } from "./types.ts";

const LEAD: PropertyMap = {
  country: "US",
  state: " ca ",
  zip: "94107",
  industry: "Software",
  numberofemployees: "1,200",
  hs_lead_source: "webinar",
  lifecyclestage: "lead",
  hygiene_score: 72,
  company: "",
  email: null,
};
const COMPANY: PropertyMap = { industry: "Banking", numberofemployees: "40" };

describe("condition operators", () => {
  it.each<[string, unknown, boolean]>([
    ["eq ignores case and surrounding spaces", { property: "state", operator: "eq", value: "CA" }, true],
    ["eq fails on another value", { property: "country", operator: "eq", value: "DE" }, false],
    ["eq compares numbers as numbers", { property: "numberofemployees", operator: "eq", value: 1200 }, true],
    ["eq fails on an empty value", { property: "company", operator: "eq", value: "Acme" }, false],
    ["in finds the value in the list", { property: "country", operator: "in", value: ["CA", "us", "MX"] }, true],
    ["in fails outside the list", { property: "country", operator: "in", value: ["DE", "FR"] }, false],
    ["in fails on an absent value", { property: "email", operator: "in", value: ["a@b.com"] }, false],
    ["not_in passes outside the list", { property: "industry", operator: "not_in", value: ["Banking", "Insurance"] }, true],
    ["not_in fails inside the list", { property: "industry", operator: "not_in", value: ["software"] }, false],
    ["not_in passes on an empty value", { property: "company", operator: "not_in", value: ["Acme"] }, true],
    ["starts_with matches a postal prefix", { property: "zip", operator: "starts_with", value: "941" }, true],
    ["starts_with matches any of several prefixes", { property: "zip", operator: "starts_with", value: ["10", "94"] }, true],
    ["starts_with fails on other prefixes", { property: "zip", operator: "starts_with", value: ["10", "95"] }, false],
    ["between includes both ends", { property: "numberofemployees", operator: "between", value: [200, 1200] }, true],
    ["between fails above the range", { property: "numberofemployees", operator: "between", value: [1, 1199] }, false],
    ["gte passes at the bound", { property: "hygiene_score", operator: "gte", value: 72 }, true],
    ["gte fails below the bound", { property: "hygiene_score", operator: "gte", value: 73 }, false],
    ["lte passes at the bound", { property: "hygiene_score", operator: "lte", value: 72 }, true],
    ["lte fails above the bound", { property: "numberofemployees", operator: "lte", value: 1000 }, false],
    ["gte fails on an empty number", { property: "hygiene_score", operator: "gte", value: 0, source: "company" }, false],
    ["exists passes on a set property", { property: "lifecyclestage", operator: "exists" }, true],
    ["exists fails on a blank property", { property: "company", operator: "exists" }, false],
    ["exists false passes on an absent property", { property: "email", operator: "exists", value: false }, true],
    ["a company condition reads the company", { property: "industry", source: "company", operator: "eq", value: "banking" }, true],
    ["a company condition ignores the contact", { property: "numberofemployees", source: "company", operator: "gte", value: 1000 }, false],
  ])("%s", (_name, raw, expected) => {
    const condition = ConditionSchema.parse(raw);
    const result = evaluateCondition(condition, LEAD, COMPANY);
    expect(result.matched).toBe(expected);
    expect(result.reason).toContain(expected ? "meets" : "fails");
  });

  it("says what it saw, including a value that is not a number", () => {
    const r = evaluateCondition(
      ConditionSchema.parse({ property: "numberofemployees", operator: "gte", value: 10 }),
      { numberofemployees: "lots" },
      null,
    );
    expect(r).toMatchObject({ matched: false, actual: "lots" });
    expect(r.reason).toContain('"lots" is not a number');
  });
});

describe("rule order", () => {
  const rule = (id: string, queue: string, conditions: unknown[]) => ({
    id,
    queue,
    conditions: conditions.map((c) => ConditionSchema.parse(c)),
  });
  const rules = [
    rule("enterprise", "ent", [{ property: "numberofemployees", operator: "gte", value: 5000 }]),
    rule("west", "west", [
      { property: "country", operator: "eq", value: "US" },
      { property: "zip", operator: "starts_with", value: "9" },
    ]),
    rule("us", "us", [{ property: "country", operator: "eq", value: "US" }]),
  ];

  it("stops at the first matching rule and records the ones before it", () => {
    const { results, matched } = evaluateRules(LEAD, null, { rules, fallbackQueue: null });
    expect(matched?.ruleId).toBe("west");
    expect(results.map((r) => [r.ruleId, r.matched])).toEqual([
      ["enterprise", false],
      ["west", true],
    ]);
    expect(results[0]?.reason).toContain("numberofemployees is 1200");
  });

  it("names the fallback queue when no rule matches", () => {
    const { matched, summary } = evaluateRules({ country: "DE" }, null, { rules, fallbackQueue: "pool" });
    expect(matched).toBeNull();
    expect(summary).toBe("none of 3 rules matched; using the fallback queue pool");
  });

  it("matches every lead with a rule that has no conditions", () => {
    const { matched } = evaluateRules({}, null, { rules: [rule("all", "q", [])], fallbackQueue: null });
    expect(matched?.reason).toContain("matches every lead");
  });
});
