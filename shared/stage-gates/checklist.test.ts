import { describe, expect, it } from "vitest";
import type { Deal } from "../domain/types.ts";
import { nextStageChecklist } from "./checklist.ts";
import { dryRun } from "./dry-run.ts";
import { historyOf, makeDeal, NOW, SALES_PIPELINE } from "./fixtures.ts";
import { checkGatesAgainstPipelines } from "./pipeline-check.ts";
import { gateInputsFor } from "./requirements.ts";
import { parseStageGateSettings, type StageGateSettings } from "./settings.ts";

const rules = {
  pipelines: {
    default: {
      mode: "enforce",
      stages: {
        qualifiedtobuy: {
          required: ["amount"],
          predicates: [{ op: "changed_since_stage_entered", property: "hs_next_step" }],
          associations: [{ kind: "contacts_at_least", min: 2 }],
        },
        contractsent: { qualification: [{ framework: "MEDDICC", minScore: 80 }] },
      },
    },
  },
};

function parsed(doc: unknown = rules): StageGateSettings {
  const p = parseStageGateSettings(doc);
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
}

describe("the deal card's next-stage checklist", () => {
  it("lists the criteria to leave the current stage, met and missing, and the next stage", () => {
    const deal = makeDeal({ amount: "500" }, "qualifiedtobuy");
    const history = historyOf({
      dealstage: [["2026-03-01T00:00:00Z", "qualifiedtobuy"]],
      hs_next_step: [["2026-03-02T00:00:00Z", "Demo"]],
    });
    const r = nextStageChecklist(deal, SALES_PIPELINE, parsed(), {
      history,
      now: NOW,
      associations: { contacts: [{ id: "c1", labels: [] }], companies: [] },
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({
      stageLabel: "Qualified To Buy",
      nextStageId: "presentationscheduled",
      mode: "enforce",
      metCount: 2,
      ready: false,
    });
    expect(r.value.items.map((i) => [i.label, i.met])).toEqual([
      ["Amount is filled in", true],
      ["Next step updated since the deal entered Qualified To Buy", true],
      ["At least 2 contacts associated", false],
    ]);
    expect(r.value.items[2]?.reason).toBe("1 contact associated, needs 2");
  });

  it("shows every framework the pipeline uses, even at stages that do not require it", () => {
    const r = nextStageChecklist(makeDeal({ meddicc_champion: "Dana" }, "appointmentscheduled"), SALES_PIPELINE, parsed(), { now: NOW });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ items: [], ready: true });
    expect(r.value.scores).toEqual([expect.objectContaining({ framework: "MEDDICC", score: 14 })]);
  });

  it.each([
    ["the last open stage leads to closed-won", "contractsent", "closedwon"],
    ["a closed deal has no next stage", "closedwon", null],
  ])("%s", (_name, stageId, next) => {
    const r = nextStageChecklist(makeDeal({}, stageId), SALES_PIPELINE, parsed(), { now: NOW });
    expect(r.ok && r.value.nextStageId).toBe(next);
  });

  it("refuses a deal whose stage is not in the pipeline", () => {
    const r = nextStageChecklist(makeDeal({}, "elsewhere"), SALES_PIPELINE, parsed(), { now: NOW });
    expect(r.ok || r.error.code).toBe("unknown_stage");
  });
});

describe("dry run of draft rules", () => {
  const deals: { deal: Deal }[] = [
    { deal: { ...makeDeal({ amount: "100" }, "qualifiedtobuy"), id: "ok" } },
    { deal: { ...makeDeal({}, "qualifiedtobuy"), id: "no-amount" } },
    { deal: { ...makeDeal({}, "appointmentscheduled"), id: "ungated" } },
    { deal: { ...makeDeal({}, "closedwon"), id: "won" } },
    { deal: { ...makeDeal({}, "qualifiedtobuy"), id: "elsewhere", pipelineId: "partners" } },
  ];
  const draft = { pipelines: { default: { mode: "enforce", stages: { qualifiedtobuy: { required: ["amount"] } } } } };

  it("reports the open deals that could not leave their stage, with what each lacks", () => {
    const r = dryRun(draft, deals, { pipelines: [SALES_PIPELINE], now: NOW });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.evaluated).toBe(3);
    expect(r.value.hits.map((h) => [h.dealId, h.outcome, h.missing.map((m) => m.reason)])).toEqual([
      ["no-amount", "blocked", ["Amount is empty"]],
    ]);
    expect(r.value.byStage).toEqual([
      { pipelineId: "default", stageId: "qualifiedtobuy", stageLabel: "Qualified To Buy", open: 2, hit: 1 },
    ]);
    expect(r.value.skipped).toEqual([
      { dealId: "won", reason: "deal is closed" },
      { dealId: "elsewhere", reason: "pipeline partners is unknown" },
    ]);
  });

  it("calls them warned when the draft pipeline is in warn mode", () => {
    const r = dryRun({ pipelines: { default: { stages: draft.pipelines.default.stages } } }, deals, {
      pipelines: [SALES_PIPELINE],
      now: NOW,
    });
    expect(r.ok && r.value.hits.map((h) => h.outcome)).toEqual(["warned"]);
  });

  it("rejects an invalid draft with every problem and its path", () => {
    const r = dryRun({ pipelines: { default: { mode: "strict" } } }, deals, { pipelines: [SALES_PIPELINE], now: NOW });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ path: "pipelines.default.mode" })]);
  });
});

describe("what the edge must read", () => {
  it("lists the properties, the histories and whether associations are needed", () => {
    const plan = gateInputsFor(parsed(), "default");
    expect(plan.historyFor).toEqual(["dealstage", "hs_next_step"]);
    expect(plan.associations).toBe(true);
    expect(plan.properties).toEqual(expect.arrayContaining(["amount", "hs_next_step", "meddicc_economic_buyer", "meddicc_competition"]));
  });

  it("needs only the stage history for a pipeline without gates", () => {
    expect(gateInputsFor(parsed(), "partners")).toEqual({ properties: [], historyFor: ["dealstage"], associations: false });
  });
});

describe("settings checked against the CRM's pipelines", () => {
  it("flags unknown pipelines, unknown stages and criteria on closed stages", () => {
    const s = parsed({
      pipelines: {
        default: { stages: { qualifiedtobuy: { required: ["amount"] }, gone: {}, closedwon: { required: ["amount"] } } },
        partners: {},
      },
    });
    expect(checkGatesAgainstPipelines(s, [SALES_PIPELINE])).toEqual([
      { path: "pipelines.default.stages.gone", message: "Sales Pipeline has no stage gone" },
      {
        path: "pipelines.default.stages.closedwon",
        message: "Closed Won is a closed stage: deals never leave it, so its criteria are never checked",
      },
      { path: "pipelines.partners", message: "the CRM has no deal pipeline partners" },
    ]);
  });

  it("finds nothing wrong with gates on existing open stages", () => {
    expect(checkGatesAgainstPipelines(parsed(), [SALES_PIPELINE])).toEqual([]);
  });
});
