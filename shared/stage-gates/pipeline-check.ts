import type { Pipeline } from "../domain/types.ts";
import type { SettingsProblem, StageGateSettings } from "./settings.ts";

/**
 * Problems a schema cannot see: gates on pipelines or stages the CRM does not have, and criteria on closed stages
 * (never left, so never checked). Paths match the settings document, for the settings page.
 */
export function checkGatesAgainstPipelines(settings: StageGateSettings, pipelines: readonly Pipeline[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const byId = new Map(pipelines.map((p) => [p.id, p]));
  for (const [pipelineId, gate] of Object.entries(settings.pipelines)) {
    const pipeline = byId.get(pipelineId);
    if (!pipeline) {
      problems.push({ path: `pipelines.${pipelineId}`, message: `the CRM has no deal pipeline ${pipelineId}` });
      continue;
    }
    for (const stageId of Object.keys(gate.stages)) {
      const stage = pipeline.stages.find((s) => s.id === stageId);
      const path = `pipelines.${pipelineId}.stages.${stageId}`;
      if (!stage) problems.push({ path, message: `${pipeline.label} has no stage ${stageId}` });
      else if (stage.isClosed)
        problems.push({ path, message: `${stage.label} is a closed stage: deals never leave it, so its criteria are never checked` });
    }
  }
  return problems;
}
