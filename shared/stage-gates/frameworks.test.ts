import { describe, expect, it } from "vitest";
import { FRAMEWORK_ELEMENTS, type FrameworkName, scoreFramework } from "./frameworks.ts";
import { defaultStageGateSettings, parseStageGateSettings, type StageGateSettings } from "./settings.ts";

const blank = new Set(["no", "unknown", "n/a"]);

function score(framework: FrameworkName, values: Record<string, string | null>, settings: StageGateSettings = defaultStageGateSettings()) {
  return scoreFramework(framework, settings.qualification[framework], (p) => values[p] ?? null, blank);
}

/** Fills the first `n` elements of a framework under their default properties. */
function filled(framework: FrameworkName, n: number): Record<string, string> {
  return Object.fromEntries(FRAMEWORK_ELEMENTS[framework].slice(0, n).map((e) => [e.defaultProperty, "documented"]));
}

describe("framework scores", () => {
  it.each<[FrameworkName, number, number]>([
    ["MEDDICC", 7, 100],
    ["MEDDICC", 0, 0],
    ["MEDDICC", 2, 29],
    ["MEDDPICC", 8, 100],
    ["MEDDPICC", 6, 75],
    ["BANT", 4, 100],
    ["BANT", 1, 25],
    ["SPICED", 5, 100],
    ["SPICED", 3, 60],
  ])("%s with %i elements filled scores %i", (framework, n, expected) => {
    expect(score(framework, filled(framework, n)).score).toBe(expected);
  });

  it.each<[FrameworkName, string]>([
    ["MEDDICC", "MEDDICC"],
    ["MEDDPICC", "MEDDPICC"],
    ["BANT", "BANT"],
    ["SPICED", "SPICED"],
  ])("%s has one element per letter of its acronym, in order", (framework, acronym) => {
    expect(FRAMEWORK_ELEMENTS[framework].map((e) => e.letter).join("")).toBe(acronym);
  });

  it.each<[FrameworkName, string, string]>([
    ["MEDDICC", "meddicc_economic_buyer", "Economic buyer not identified (MEDDICC E)"],
    ["MEDDPICC", "meddpicc_paper_process", "Paper process not documented (MEDDPICC P)"],
    ["BANT", "bant_budget", "Budget not confirmed (BANT B)"],
    ["SPICED", "spiced_critical_event", "Critical event not identified (SPICED CE)"],
  ])("%s names the missing element %s with its letter", (framework, property, reason) => {
    const s = score(framework, {});
    expect(s.elements.find((e) => e.property === property)).toMatchObject({ met: false, score: 0, reason });
  });

  it("treats blank markers such as 'Unknown' as not filled", () => {
    const s = score("BANT", { bant_budget: "Unknown", bant_authority: "CFO", bant_need: "n/a", bant_timeline: "Q3" });
    expect(s.score).toBe(50);
    expect(s.elements.filter((e) => !e.met).map((e) => e.key)).toEqual(["budget", "need"]);
  });

  it("reads mapped properties and weighs elements by their weight", () => {
    const parsed = parseStageGateSettings({
      qualification: { BANT: { budget: { property: "budget_confirmed", weight: 2 }, timeline: { weight: 2 } } },
    });
    if (!parsed.ok) throw new Error(parsed.error.message);
    // budget (2) and authority (1) filled out of 2 + 1 + 1 + 2.
    const s = score("BANT", { budget_confirmed: "yes", bant_authority: "CFO" }, parsed.value);
    expect(s.score).toBe(50);
    expect(s.elements[0]).toMatchObject({ property: "budget_confirmed", met: true });
  });

  it("scores 0–N rating properties against their scale", () => {
    const parsed = parseStageGateSettings({ qualification: { SPICED: { pain: { scale: 3 }, impact: { scale: 3 } } } });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const s = score(
      "SPICED",
      { spiced_situation: "x", spiced_pain: "3", spiced_impact: "1", spiced_critical_event: "x", spiced_decision: "high" },
      parsed.value,
    );
    // 1 + 1 + 1/3 + 1 + 1 of 5.
    expect(s.score).toBe(87);
    expect(s.elements.find((e) => e.key === "impact")).toMatchObject({
      met: false,
      reason: "Impact not quantified: rated 1 of 3 (SPICED I)",
    });
    expect(s.elements.find((e) => e.key === "pain")).toMatchObject({ met: true, reason: "Pain rated 3 of 3 (SPICED P)" });
  });

  it("gives nothing for a rating that is not a number", () => {
    const parsed = parseStageGateSettings({ qualification: { BANT: { need: { scale: 5 } } } });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const s = score("BANT", { bant_need: "strong" }, parsed.value);
    expect(s.elements.find((e) => e.key === "need")).toMatchObject({ score: 0, reason: 'Need rating "strong" is not a number (BANT N)' });
  });
});
