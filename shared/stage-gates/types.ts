import type { FrameworkName, QualificationScore } from "./frameworks.ts";
import type { GateMode } from "./settings.ts";

/** The deal's associations as the edge read them; `labels` are the association labels (roles) on the deal. */
export type DealAssociations = {
  contacts: readonly { id: string; labels: readonly string[] }[];
  companies: readonly { id: string; labels?: readonly string[] }[];
};

/** Who made the move: a CRM user (null for workflows and API writes) and their teams. */
export type Actor = { userId: string | null; teamIds: readonly string[] };

export type CriterionKind = "required" | "predicate" | "association" | "qualification";

/** One exit criterion, checked: what it asks (`label`), whether it is met and why, and the properties to fill. */
export type CriterionResult = {
  /** Its place in the stage's settings, e.g. `predicates.1`. */
  id: string;
  kind: CriterionKind;
  label: string;
  met: boolean;
  reason: string;
  properties: string[];
  framework?: FrameworkName;
};

/** One stage whose exit criteria a move had to meet. */
export type StageCheck = { stageId: string; stageLabel: string; met: boolean; criteria: CriterionResult[] };

export type MoveKind = "none" | "forward" | "backward" | "closed_lost" | "entry";

/** How the move relates to the pipeline's order, and whether the pipeline's move rules allow it at all. */
export type MoveAssessment = {
  kind: MoveKind;
  /** Open stages passed over without being entered. */
  skippedStageIds: string[];
  allowed: boolean;
  reason: string | null;
};

export type Verdict = "allowed" | "blocked" | "warned" | "exempt";

/** Everything the edge needs to act on a stage move and explain it. */
export type StageMoveDecision = {
  verdict: Verdict;
  mode: GateMode;
  dealId: string;
  pipelineId: string;
  fromStageId: string | null;
  toStageId: string;
  move: MoveAssessment;
  stages: StageCheck[];
  scores: QualificationScore[];
  /** Unmet reasons, move rule first, each prefixed by its stage when criteria come from several stages. */
  reasons: string[];
  /** Why an exempt actor was let through; null unless the verdict is `exempt`. */
  exemptBecause: string | null;
  /** The stage to move the deal back to; set only when the verdict is `blocked`. */
  revertToStageId: string | null;
  summary: string;
};
