import { describe, expect, it } from "vitest";
import type { RecordHistory } from "../crm-port.ts";
import { evaluateStageMove, type StageMoveInput } from "./evaluate.ts";
import { historyOf, makeDeal, NOW, SALES_PIPELINE } from "./fixtures.ts";
import { parseStageGateSettings, type StageGateSettings } from "./settings.ts";
import type { Actor, DealAssociations } from "./types.ts";

function settings(pipeline: Record<string, unknown> = {}): StageGateSettings {
  const parsed = parseStageGateSettings({
    pipelines: {
      default: {
        mode: "enforce",
        stages: {
          appointmentscheduled: { required: ["hs_next_step"] },
          qualifiedtobuy: { required: ["amount"], predicates: [{ op: "date_in_future", property: "closedate" }] },
          presentationscheduled: { associations: [{ kind: "contact_with_role", role: "Decision Maker" }, { kind: "company" }] },
          decisionmakerboughtin: { qualification: [{ framework: "BANT", minScore: 75 }] },
          contractsent: { predicates: [{ op: "equals", property: "legal_review", value: "done" }] },
        },
        ...pipeline,
      },
    },
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const complete = {
  hs_next_step: "Send proposal",
  amount: "12000",
  closedate: "2026-06-30",
  bant_budget: "yes",
  bant_authority: "CFO",
  bant_need: "Reporting",
  bant_timeline: "Q2",
  legal_review: "done",
};
const linked: DealAssociations = { contacts: [{ id: "c1", labels: ["decision maker"] }], companies: [{ id: "co1" }] };
const rep: Actor = { userId: "101", teamIds: ["t-sales"] };

function move(from: string | null, to: string, over: Partial<StageMoveInput> = {}) {
  const r = evaluateStageMove({
    deal: makeDeal(complete, to),
    fromStageId: from,
    toStageId: to,
    pipeline: SALES_PIPELINE,
    settings: settings(),
    associations: linked,
    history: {},
    actor: rep,
    now: NOW,
    ...over,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe("which stages a move must satisfy", () => {
  it.each<[string, string | null, string, string, string[], string[]]>([
    ["the next stage: only the stage left", "qualifiedtobuy", "presentationscheduled", "forward", ["qualifiedtobuy"], []],
    [
      "a skip of two stages: the stage left and both skipped",
      "appointmentscheduled",
      "decisionmakerboughtin",
      "forward",
      ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled"],
      ["qualifiedtobuy", "presentationscheduled"],
    ],
    ["closed-won from the last open stage", "contractsent", "closedwon", "forward", ["contractsent"], []],
    [
      "closed-won from early on: every remaining open stage",
      "qualifiedtobuy",
      "closedwon",
      "forward",
      ["qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"],
      ["presentationscheduled", "decisionmakerboughtin", "contractsent"],
    ],
    ["a backward move: none", "contractsent", "qualifiedtobuy", "backward", [], []],
    ["closed-lost from any stage: none", "appointmentscheduled", "closedlost", "closed_lost", [], []],
    ["no change of stage: none", "qualifiedtobuy", "qualifiedtobuy", "none", [], []],
    [
      "a deal created in a later stage: every earlier stage",
      null,
      "presentationscheduled",
      "entry",
      ["appointmentscheduled", "qualifiedtobuy"],
      ["appointmentscheduled", "qualifiedtobuy"],
    ],
  ])("%s", (_name, from, to, kind, checked, skipped) => {
    const d = move(from, to);
    expect(d.move.kind).toBe(kind);
    expect(d.stages.map((s) => s.stageId)).toEqual(checked);
    expect(d.move.skippedStageIds).toEqual(skipped);
    expect(d.verdict).toBe("allowed");
  });
});

describe("verdicts", () => {
  const bare = makeDeal({ hs_next_step: "Call back" }, "presentationscheduled");

  it("blocks a skip in enforce mode when a skipped stage's criteria are unmet, and says which stage wants what", () => {
    const d = move("appointmentscheduled", "presentationscheduled", { deal: bare });
    expect(d.verdict).toBe("blocked");
    expect(d.revertToStageId).toBe("appointmentscheduled");
    expect(d.stages.map((s) => s.met)).toEqual([true, false]);
    expect(d.reasons).toEqual(["Qualified To Buy: Amount is empty", "Qualified To Buy: Close date is empty"]);
    expect(d.summary).toBe("Move blocked: Qualified To Buy: Amount is empty; Qualified To Buy: Close date is empty");
  });

  it("only warns in warn mode and never asks for a revert", () => {
    const d = move("qualifiedtobuy", "presentationscheduled", { deal: bare, settings: settings({ mode: "warn" }) });
    expect(d).toMatchObject({
      verdict: "warned",
      mode: "warn",
      revertToStageId: null,
      reasons: ["Amount is empty", "Close date is empty"],
    });
  });

  it("scores the framework a stage requires and blocks below its minimum", () => {
    const deal = makeDeal({ ...complete, bant_authority: null, bant_timeline: "unknown" }, "contractsent");
    const d = move("decisionmakerboughtin", "contractsent", { deal });
    expect(d.verdict).toBe("blocked");
    expect(d.scores).toEqual([expect.objectContaining({ framework: "BANT", score: 50 })]);
    expect(d.reasons).toEqual(["BANT score 50 is below 75: Authority not identified (BANT A); Timeline not set (BANT T)"]);
    expect(d.stages[0]?.criteria[0]?.properties).toEqual(["bant_authority", "bant_timeline"]);
  });

  it.each<[string, DealAssociations | undefined, string[]]>([
    ["no associations", { contacts: [], companies: [] }, ['No associated contact has the "Decision Maker" role', "No company associated"]],
    [
      "a contact without the role",
      { contacts: [{ id: "c1", labels: ["Influencer"] }], companies: [{ id: "co1" }] },
      ['No associated contact has the "Decision Maker" role'],
    ],
    ["associations not supplied", undefined, ['No associated contact has the "Decision Maker" role', "No company associated"]],
  ])("checks associations: %s", (_name, associations, reasons) => {
    expect(move("presentationscheduled", "decisionmakerboughtin", { associations }).reasons).toEqual(reasons);
  });

  it.each<[string, Record<string, unknown>, string, "allowed" | "blocked" | "warned"]>([
    ["backward moves allowed", {}, "allowed", "allowed"],
    ["backward moves forbidden, enforce", { allowBackward: false }, "blocked", "blocked"],
    ["backward moves forbidden, warn", { allowBackward: false, mode: "warn" }, "warned", "warned"],
  ])("a backward move with %s", (_name, pipeline, _label, verdict) => {
    const d = move("contractsent", "qualifiedtobuy", { settings: settings(pipeline) });
    expect(d.verdict).toBe(verdict);
    if (verdict !== "allowed")
      expect(d.reasons).toEqual(["Moving a deal back from Contract Sent to Qualified To Buy is not allowed in Sales Pipeline"]);
  });

  it("lets a deal go closed-lost from any stage by default, whatever it lacks", () => {
    const d = move("qualifiedtobuy", "closedlost", { deal: makeDeal({}, "closedlost") });
    expect(d).toMatchObject({ verdict: "allowed", stages: [], reasons: [] });
  });

  it("gates closed-lost like closed-won when closed-lost from any stage is off", () => {
    const d = move("decisionmakerboughtin", "closedlost", {
      deal: makeDeal({}, "closedlost"),
      settings: settings({ allowClosedLostFromAnyStage: false }),
    });
    expect(d.verdict).toBe("blocked");
    expect(d.stages.map((s) => s.stageId)).toEqual(["decisionmakerboughtin", "contractsent"]);
  });

  it("allows moves in a pipeline without gates", () => {
    const d = move("appointmentscheduled", "closedwon", { deal: makeDeal({}, "closedwon"), settings: parseOk({}) });
    expect(d).toMatchObject({ verdict: "allowed", mode: "warn" });
    expect(d.stages.every((s) => s.criteria.length === 0)).toBe(true);
  });

  it("reverts a deal created in a gated stage to the first stage", () => {
    const d = move(null, "qualifiedtobuy", { deal: makeDeal({}, "qualifiedtobuy") });
    expect(d).toMatchObject({ verdict: "blocked", revertToStageId: "appointmentscheduled", reasons: ["Next step is empty"] });
  });
});

describe("exemptions", () => {
  const gated = settings({ exemptions: { userIds: ["900"], teamIds: ["t-ops"] } });
  const bare = makeDeal({}, "presentationscheduled");
  it.each<[string, Actor, "blocked" | "exempt", string | null]>([
    ["an exempt user", { userId: "900", teamIds: [] }, "exempt", "user 900 is exempt"],
    ["a member of an exempt team", { userId: "5", teamIds: ["t-sales", "t-ops"] }, "exempt", "team t-ops is exempt"],
    ["anyone else", { userId: "5", teamIds: ["t-sales"] }, "blocked", null],
    ["a workflow or API write", { userId: null, teamIds: [] }, "blocked", null],
  ])("%s", (_name, actor, verdict, because) => {
    const d = move("qualifiedtobuy", "presentationscheduled", { deal: bare, settings: gated, actor });
    expect(d).toMatchObject({ verdict, exemptBecause: because });
    expect(d.revertToStageId).toBe(verdict === "blocked" ? "qualifiedtobuy" : null);
    expect(d.reasons.length).toBeGreaterThan(0);
  });

  it("reports an exempt user's complete move as plainly allowed", () => {
    expect(move("qualifiedtobuy", "presentationscheduled", { settings: gated, actor: { userId: "900", teamIds: [] } }).verdict).toBe(
      "allowed",
    );
  });
});

describe("stage history", () => {
  const gated = settings({
    stages: { decisionmakerboughtin: { predicates: [{ op: "changed_since_stage_entered", property: "hs_next_step" }] } },
  });
  const stageHistory: [string, string | null][] = [
    ["2026-02-01T10:00:00Z", "qualifiedtobuy"],
    ["2026-02-20T10:00:00Z", "decisionmakerboughtin"],
    ["2026-03-10T11:00:00Z", "contractsent"],
  ];

  it.each<[string, [string, string | null][], "allowed" | "blocked"]>([
    [
      "next step updated after entering the stage",
      [
        ["2026-02-10T00:00:00Z", "Demo"],
        ["2026-03-01T00:00:00Z", "Proposal"],
      ],
      "allowed",
    ],
    ["next step last updated before entering the stage", [["2026-02-10T00:00:00Z", "Proposal"]], "blocked"],
  ])("%s", (_name, nextStep, verdict) => {
    const history = historyOf({ dealstage: stageHistory, hs_next_step: nextStep });
    expect(move("decisionmakerboughtin", "contractsent", { settings: gated, history }).verdict).toBe(verdict);
  });

  it("counts a reopened deal from the last open stage it was in, so losing and winning cannot skip the gates", () => {
    const history: RecordHistory = historyOf({
      dealstage: [
        ["2026-02-01T10:00:00Z", "qualifiedtobuy"],
        ["2026-03-01T10:00:00Z", "closedlost"],
      ],
    });
    const d = move("closedlost", "closedwon", { deal: makeDeal({}, "closedwon"), history });
    expect(d.stages.map((s) => s.stageId)).toEqual(["qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"]);
    expect(d.move.skippedStageIds).toEqual(["presentationscheduled", "decisionmakerboughtin", "contractsent"]);
    expect(d.verdict).toBe("blocked");
    expect(d.revertToStageId).toBe("closedlost");
  });

  it("counts a reopened deal without stage history from the first stage", () => {
    const d = move("closedlost", "presentationscheduled", { deal: makeDeal({}, "presentationscheduled") });
    expect(d.stages.map((s) => s.stageId)).toEqual(["appointmentscheduled", "qualifiedtobuy"]);
  });
});

describe("bad input", () => {
  it.each([
    ["an unknown target stage", "qualifiedtobuy", "nope"],
    ["an unknown stage left", "nope", "qualifiedtobuy"],
  ])("refuses %s", (_name, from, to) => {
    const r = evaluateStageMove({
      deal: makeDeal({}),
      fromStageId: from,
      toStageId: to,
      pipeline: SALES_PIPELINE,
      settings: settings(),
      actor: rep,
      now: NOW,
    });
    expect(r.ok || r.error.code).toBe("unknown_stage");
  });
});

function parseOk(doc: unknown): StageGateSettings {
  const parsed = parseStageGateSettings(doc);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}
