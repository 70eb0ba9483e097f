import type { Deal, Pipeline } from "../domain/types.ts";
import { ok, type Result } from "../result.ts";
import { criteriaContext, type GateInputs } from "./context.ts";
import { checkStageCriteria } from "./criteria.ts";
import { type MovePlan, openStages, planMove } from "./moves.ts";
import { DEFAULT_PIPELINE_GATE, type PipelineGate, type StageGateSettings } from "./settings.ts";
import type { Actor, StageCheck, StageMoveDecision, Verdict } from "./types.ts";

export type StageMoveInput = GateInputs & {
  deal: Deal;
  /** The stage the deal left; null when it entered the pipeline (created in, or moved from another pipeline). */
  fromStageId: string | null;
  toStageId: string;
  pipeline: Pipeline;
  settings: StageGateSettings;
  actor: Actor;
};

/**
 * Decides a stage move: the exit criteria of the stage left and of every open stage skipped, the pipeline's move rules
 * (backward, closed-lost), exemptions and mode. Pure; the edge reverts, notes and audits from the decision.
 */
export function evaluateStageMove(input: StageMoveInput): Result<StageMoveDecision, "unknown_stage"> {
  const { pipeline, settings } = input;
  const gate = settings.pipelines[pipeline.id] ?? DEFAULT_PIPELINE_GATE;
  const planned = planMove(input.fromStageId, input.toStageId, gate, {
    pipeline,
    history: input.history ?? {},
    stageProperty: settings.stageProperty,
  });
  if (!planned.ok) return planned;
  const plan = planned.value;
  const ctx = criteriaContext(input.deal, settings, input, plan.startStage);
  const stages: StageCheck[] = plan.stagesToCheck.map((s) => {
    // Skipped stages were never entered: "changed since" counts from entering the stage the move started in.
    const criteria = checkStageCriteria(gate.stages[s.id] ?? EMPTY, ctx);
    return { stageId: s.id, stageLabel: s.label, met: criteria.every((c) => c.met), criteria };
  });
  const frameworks = stages.flatMap((s) => s.criteria.flatMap((c) => (c.framework ? [c.framework] : [])));
  const reasons = unmetReasons(plan, stages);
  const exemptBecause = reasons.length > 0 ? exemption(input.actor, gate) : null;
  const verdict: Verdict = reasons.length === 0 ? "allowed" : exemptBecause ? "exempt" : gate.mode === "enforce" ? "blocked" : "warned";
  const revertToStageId = verdict === "blocked" ? (input.fromStageId ?? openStages(pipeline)[0]?.id ?? null) : null;
  return ok({
    verdict,
    mode: gate.mode,
    dealId: input.deal.id,
    pipelineId: pipeline.id,
    fromStageId: input.fromStageId,
    toStageId: input.toStageId,
    move: { kind: plan.kind, skippedStageIds: plan.skippedStageIds, allowed: plan.allowed, reason: plan.reason },
    stages,
    scores: [...new Set(frameworks)].map((f) => ctx.score(f)),
    reasons,
    exemptBecause,
    revertToStageId,
    summary: summarise(verdict, reasons, exemptBecause),
  });
}

const EMPTY = { required: [], predicates: [], associations: [], qualification: [] };

function unmetReasons(plan: MovePlan, stages: StageCheck[]): string[] {
  const out = plan.reason ? [plan.reason] : [];
  const several = stages.length > 1;
  for (const s of stages) {
    for (const c of s.criteria) if (!c.met) out.push(several ? `${s.stageLabel}: ${c.reason}` : c.reason);
  }
  return out;
}

function exemption(actor: Actor, gate: PipelineGate): string | null {
  if (actor.userId !== null && gate.exemptions.userIds.includes(actor.userId)) return `user ${actor.userId} is exempt`;
  const team = actor.teamIds.find((t) => gate.exemptions.teamIds.includes(t));
  return team === undefined ? null : `team ${team} is exempt`;
}

function summarise(verdict: Verdict, reasons: string[], exemptBecause: string | null): string {
  const list = reasons.join("; ");
  switch (verdict) {
    case "allowed":
      return "Move allowed: every exit criterion is met";
    case "blocked":
      return `Move blocked: ${list}`;
    case "warned":
      return `Move allowed with a warning: ${list}`;
    case "exempt":
      return `Move allowed because ${exemptBecause}: ${list}`;
  }
}
