import type { Deal, Pipeline } from "../domain/types.ts";
import { err, ok, type Result } from "../result.ts";
import { criteriaContext, type GateInputs } from "./context.ts";
import { checkStageCriteria } from "./criteria.ts";
import type { FrameworkName, QualificationScore } from "./frameworks.ts";
import { isClosedWon, openStages } from "./moves.ts";
import { DEFAULT_PIPELINE_GATE, type GateMode, type StageGateSettings } from "./settings.ts";
import type { CriterionResult } from "./types.ts";

/** The deal card's checklist: what leaving the current stage still needs, and the pipeline's qualification scores. */
export type StageChecklist = {
  pipelineId: string;
  stageId: string;
  stageLabel: string;
  /** The next open stage, or closed-won after the last one; null when the deal is closed. */
  nextStageId: string | null;
  nextStageLabel: string | null;
  mode: GateMode;
  items: CriterionResult[];
  metCount: number;
  /** True when every criterion is met (or there are none). */
  ready: boolean;
  /** Scores of every framework the pipeline's stages use, so the card shows them at every stage. */
  scores: QualificationScore[];
};

/** The criteria to leave the deal's current stage, met or missing, for the deal card. */
export function nextStageChecklist(
  deal: Deal,
  pipeline: Pipeline,
  settings: StageGateSettings,
  inputs: GateInputs,
): Result<StageChecklist, "unknown_stage"> {
  const stage = pipeline.stages.find((s) => s.id === deal.stageId);
  if (!stage) return err("unknown_stage", `deal ${deal.id} is in stage ${deal.stageId ?? "(none)"}, not in pipeline ${pipeline.id}`);
  const gate = settings.pipelines[pipeline.id] ?? DEFAULT_PIPELINE_GATE;
  const ctx = criteriaContext(deal, settings, inputs, stage.isClosed ? null : stage);
  const criteria = gate.stages[stage.id];
  const items = stage.isClosed || !criteria ? [] : checkStageCriteria(criteria, ctx);
  const next = stage.isClosed ? undefined : nextStage(pipeline, stage.id);
  const used = new Set<FrameworkName>(Object.values(gate.stages).flatMap((c) => c.qualification.map((q) => q.framework)));
  const metCount = items.filter((i) => i.met).length;
  return ok({
    pipelineId: pipeline.id,
    stageId: stage.id,
    stageLabel: stage.label,
    nextStageId: next?.id ?? null,
    nextStageLabel: next?.label ?? null,
    mode: gate.mode,
    items,
    metCount,
    ready: metCount === items.length,
    scores: [...used].map((f) => ctx.score(f)),
  });
}

function nextStage(pipeline: Pipeline, stageId: string) {
  const open = openStages(pipeline);
  const i = open.findIndex((s) => s.id === stageId);
  return open[i + 1] ?? pipeline.stages.find(isClosedWon);
}
