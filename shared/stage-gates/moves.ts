import type { RecordHistory } from "../crm-port.ts";
import type { Pipeline, PipelineStage } from "../domain/types.ts";
import { err, ok, type Result } from "../result.ts";
import { lastOpenStageBefore } from "./history.ts";
import type { PipelineGate } from "./settings.ts";
import type { MoveAssessment } from "./types.ts";

/** A stage is closed-won when it is closed with a positive probability; other closed stages are closed-lost. */
export const isClosedWon = (s: PipelineStage): boolean => s.isClosed && (s.probability ?? 0) > 0;
export const isClosedLost = (s: PipelineStage): boolean => s.isClosed && !isClosedWon(s);

/** The pipeline's open stages in display order. */
export function openStages(pipeline: Pipeline): PipelineStage[] {
  return pipeline.stages.filter((s) => !s.isClosed).sort((a, b) => a.displayOrder - b.displayOrder);
}

/**
 * A move placed on the pipeline: its assessment, the open stages whose exit criteria apply, and the open stage the move
 * counts from when the deal was in it (the from-stage, or for a reopened deal the last open stage it was in).
 */
export type MovePlan = MoveAssessment & { stagesToCheck: PipelineStage[]; startStage: PipelineStage | null };

type Where = { pipeline: Pipeline; history: RecordHistory; stageProperty: string };

/**
 * Places a move on the pipeline. Closed stages sit after every open stage (so closed-won is a forward move past all
 * remaining open stages); a deal leaving a closed stage counts from the last open stage its history shows, or the first;
 * a deal entering the pipeline (`fromStageId` null) counts from the first open stage.
 */
export function planMove(
  fromStageId: string | null,
  toStageId: string,
  gate: PipelineGate,
  where: Where,
): Result<MovePlan, "unknown_stage"> {
  const { pipeline } = where;
  const to = pipeline.stages.find((s) => s.id === toStageId);
  if (!to) return err("unknown_stage", `stage ${toStageId} is not in pipeline ${pipeline.id}`);
  const from = fromStageId === null ? null : pipeline.stages.find((s) => s.id === fromStageId);
  if (from === undefined) return err("unknown_stage", `stage ${fromStageId} is not in pipeline ${pipeline.id}`);
  const none = { skippedStageIds: [], allowed: true, reason: null, stagesToCheck: [], startStage: null };
  if (from?.id === to.id) return ok({ kind: "none", ...none });
  if (isClosedLost(to) && gate.allowClosedLostFromAnyStage) return ok({ kind: "closed_lost", ...none });
  const open = openStages(pipeline);
  const start = startStage(from, open, where);
  const fromPos = start ? open.indexOf(start) : 0;
  const toPos = to.isClosed ? open.length : open.findIndex((s) => s.id === to.id);
  if (toPos < fromPos) {
    const reason = gate.allowBackward
      ? null
      : `Moving a deal back from ${from?.label ?? "outside the pipeline"} to ${to.label} is not allowed in ${pipeline.label}`;
    return ok({ ...none, kind: "backward", allowed: gate.allowBackward, reason });
  }
  const stagesToCheck = open.slice(fromPos, toPos);
  return ok({
    kind: from === null ? "entry" : "forward",
    skippedStageIds: stagesToCheck.filter((s) => s !== start).map((s) => s.id),
    allowed: true,
    reason: null,
    stagesToCheck,
    startStage: start,
  });
}

function startStage(from: PipelineStage | null, open: PipelineStage[], where: Where): PipelineStage | null {
  if (from === null) return null;
  if (!from.isClosed) return from;
  const openIds = new Set(open.map((s) => s.id));
  const last = lastOpenStageBefore(where.history, where.stageProperty, from.id, (id) => openIds.has(id));
  return open.find((s) => s.id === last) ?? null;
}
