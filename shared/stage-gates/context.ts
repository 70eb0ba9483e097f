import type { RecordHistory } from "../crm-port.ts";
import type { Deal, PipelineStage } from "../domain/types.ts";
import type { CriteriaContext } from "./criteria.ts";
import { type FrameworkName, type QualificationScore, scoreFramework } from "./frameworks.ts";
import { stageEnteredAt } from "./history.ts";
import type { StageGateSettings } from "./settings.ts";
import type { DealAssociations } from "./types.ts";
import { readDealProperty } from "./values.ts";

/** What the edge read besides the deal; all optional so callers pass only what the rules need (see `gateInputsFor`). */
export type GateInputs = {
  associations?: DealAssociations | undefined;
  /** Per-property value history; the stage property's history tells when the deal entered a stage. */
  history?: RecordHistory | undefined;
  /** The CRM's property labels by name, for reasons a person reads. */
  propertyLabels?: Readonly<Record<string, string>> | undefined;
  now: number;
};

/** Builds the context for checking criteria while leaving `startStage` (null: the deal was in none; its creation counts). */
export function criteriaContext(
  deal: Deal,
  settings: StageGateSettings,
  inputs: GateInputs,
  startStage: PipelineStage | null,
): CriteriaContext {
  const history = inputs.history ?? {};
  const entered = startStage ? stageEnteredAt(history, settings.stageProperty, startStage.id) : null;
  const created = deal.createdAt === null ? Number.NaN : Date.parse(deal.createdAt);
  const scores = new Map<FrameworkName, QualificationScore>();
  const blank = new Set(settings.qualification.blankValues.map((v) => v.trim().toLowerCase()));
  const read = (p: string) => readDealProperty(deal, p);
  return {
    deal,
    history,
    now: inputs.now,
    // Without a stage history the deal has been in its stage since it was created.
    enteredAt: entered ?? (Number.isFinite(created) && (startStage === null || !history[settings.stageProperty]) ? created : null),
    stageLabel: startStage?.label ?? "the pipeline",
    propertyLabels: inputs.propertyLabels,
    associations: inputs.associations,
    score(framework) {
      let s = scores.get(framework);
      if (!s) {
        s = scoreFramework(framework, settings.qualification[framework], read, blank);
        scores.set(framework, s);
      }
      return s;
    },
  };
}
