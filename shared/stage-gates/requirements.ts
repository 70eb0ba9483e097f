import { FRAMEWORK_ELEMENTS } from "./frameworks.ts";
import { DEFAULT_PIPELINE_GATE, type StageGateSettings } from "./settings.ts";

/** What the edge must read for a pipeline's gates: properties, properties with history, and whether associations matter. */
export type GateReadPlan = { properties: string[]; historyFor: string[]; associations: boolean };

/** Lists what evaluating `pipelineId`'s gates reads, so the edge fetches only that (and never skips what a rule needs). */
export function gateInputsFor(settings: StageGateSettings, pipelineId: string): GateReadPlan {
  const gate = settings.pipelines[pipelineId] ?? DEFAULT_PIPELINE_GATE;
  const properties = new Set<string>();
  const historyFor = new Set<string>([settings.stageProperty]);
  let associations = false;
  for (const c of Object.values(gate.stages)) {
    for (const p of c.required) properties.add(p);
    for (const p of c.predicates) {
      properties.add(p.property);
      if (p.op === "changed_since_stage_entered") historyFor.add(p.property);
    }
    if (c.associations.length > 0) associations = true;
    for (const q of c.qualification) {
      const mapping = settings.qualification[q.framework] as Record<string, { property: string }>;
      for (const e of FRAMEWORK_ELEMENTS[q.framework]) properties.add(mapping[e.key]?.property ?? e.defaultProperty);
    }
  }
  return { properties: [...properties], historyFor: [...historyFor], associations };
}
