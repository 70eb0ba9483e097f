import { describe, expect, it } from "vitest";
import { DEFAULT_BLANK_VALUES, DEFAULT_PIPELINE_GATE, defaultStageGateSettings, parseStageGateSettings } from "./settings.ts";

describe("stage-gate settings defaults", () => {
  it("parses {} to no gated pipeline, the dealstage history and default framework properties", () => {
    const s = defaultStageGateSettings();
    expect(s.pipelines).toEqual({});
    expect(s.stageProperty).toBe("dealstage");
    expect(s.qualification.blankValues).toEqual(DEFAULT_BLANK_VALUES);
    expect(s.qualification.MEDDICC.economicBuyer).toEqual({ property: "meddicc_economic_buyer", weight: 1 });
    expect(s.qualification.MEDDPICC.paperProcess).toEqual({ property: "meddpicc_paper_process", weight: 1 });
    expect(s.qualification.BANT.timeline).toEqual({ property: "bant_timeline", weight: 1 });
    expect(s.qualification.SPICED.criticalEvent).toEqual({ property: "spiced_critical_event", weight: 1 });
  });

  it("gives an unconfigured pipeline warn mode, backward and closed-lost moves allowed, no exemptions", () => {
    expect(DEFAULT_PIPELINE_GATE).toEqual({
      mode: "warn",
      allowBackward: true,
      allowClosedLostFromAnyStage: true,
      exemptions: { teamIds: [], userIds: [] },
      stages: {},
    });
  });

  it("fills a stage's missing criteria lists and keeps the framework overrides next to the defaults", () => {
    const parsed = parseStageGateSettings({
      pipelines: { default: { mode: "enforce", stages: { qualifiedtobuy: { required: ["amount"] } } } },
      qualification: { MEDDICC: { champion: { property: "champion_name" } } },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.pipelines.default?.stages.qualifiedtobuy).toEqual({
      required: ["amount"],
      predicates: [],
      associations: [],
      qualification: [],
    });
    expect(parsed.value.qualification.MEDDICC.champion?.property).toBe("champion_name");
    expect(parsed.value.qualification.MEDDICC.metrics?.property).toBe("meddicc_metrics");
  });
});

describe("invalid stage-gate settings", () => {
  const stage = (criteria: unknown) => ({ pipelines: { default: { stages: { s1: criteria } } } });
  it.each<[string, unknown, string]>([
    ["an unknown mode", { pipelines: { default: { mode: "block" } } }, "pipelines.default.mode"],
    [
      "an unknown predicate",
      stage({ predicates: [{ op: "greater_than", property: "amount" }] }),
      "pipelines.default.stages.s1.predicates.0.op",
    ],
    [
      "equals without a value",
      stage({ predicates: [{ op: "equals", property: "dealtype" }] }),
      "pipelines.default.stages.s1.predicates.0.value",
    ],
    [
      "one_of with no values",
      stage({ predicates: [{ op: "one_of", property: "x", values: [] }] }),
      "pipelines.default.stages.s1.predicates.0.values",
    ],
    [
      "a number minimum given as text",
      stage({ predicates: [{ op: "number_at_least", property: "amount", min: "1000" }] }),
      "pipelines.default.stages.s1.predicates.0.min",
    ],
    ["a blank required property", stage({ required: ["amount", " "] }), "pipelines.default.stages.s1.required.1"],
    [
      "zero contacts required",
      stage({ associations: [{ kind: "contacts_at_least", min: 0 }] }),
      "pipelines.default.stages.s1.associations.0.min",
    ],
    [
      "a contact role left empty",
      stage({ associations: [{ kind: "contact_with_role", role: "" }] }),
      "pipelines.default.stages.s1.associations.0.role",
    ],
    [
      "an unknown framework",
      stage({ qualification: [{ framework: "GPCTBA", minScore: 50 }] }),
      "pipelines.default.stages.s1.qualification.0.framework",
    ],
    [
      "a minimum score above 100",
      stage({ qualification: [{ framework: "BANT", minScore: 120 }] }),
      "pipelines.default.stages.s1.qualification.0.minScore",
    ],
    ["an element BANT does not have", { qualification: { BANT: { champion: { property: "x" } } } }, "qualification.BANT"],
    ["a zero weight", { qualification: { SPICED: { pain: { weight: 0 } } } }, "qualification.SPICED.pain.weight"],
    ["a misspelt setting", { pipelines: { default: { allowBackwards: false } } }, "pipelines.default"],
    ["exemptions given as one id", { pipelines: { default: { exemptions: { userIds: "42" } } } }, "pipelines.default.exemptions.userIds"],
  ])("reports %s at its path", (_name, doc, path) => {
    const parsed = parseStageGateSettings(doc);
    expect(parsed.ok).toBe(false);
    expect(parsed.problems?.map((p) => p.path)).toContain(path);
  });

  it("lists every problem, not only the first", () => {
    const parsed = parseStageGateSettings({
      pipelines: { default: { mode: "block", stages: { s1: { required: [""], qualification: [{ framework: "BANT", minScore: -1 }] } } } },
      stageProperty: "",
    });
    expect(parsed.problems?.map((p) => p.path).sort()).toEqual([
      "pipelines.default.mode",
      "pipelines.default.stages.s1.qualification.0.minScore",
      "pipelines.default.stages.s1.required.0",
      "stageProperty",
    ]);
    expect(parsed.ok || parsed.error.code).toBe("invalid_settings");
  });
});
