/** Shapes of the routing and deal stage-exit cards. Types only. */
import type { AutomationMode, ObjectType, Ref } from "./contract-common.ts";

/** One routing rule as the engine evaluated it for this record, in order. */
export type RuleEvaluation = { ruleId: string; ruleName: string; matched: boolean; reason: string };
/** One rep the queue considered, and why they could or could not take the lead. */
export type RoutingCandidate = Ref & {
  eligible: boolean;
  why: string;
  chosen: boolean;
  weight: number | null;
  openLeads: number | null;
};

export type SlaStatus = "met" | "pending" | "breached" | "none";

/** GET /api/cards/routing (contacts and companies) */
export type RoutingCardResponse = {
  objectType: ObjectType;
  objectId: string;
  /** `unrouted`: no decision recorded for this record yet. */
  status: "assigned" | "unrouted";
  owner: (Ref & { email: string | null }) | null;
  queue: Ref | null;
  matchedRule: Ref | null;
  /** Set when lead-to-account matching sent the lead to the account owner. */
  accountMatch: (Ref & { matchedOn: string }) | null;
  strategy: "round_robin" | "weighted_round_robin" | "load_balanced" | "account_owner" | null;
  /** The decision in one line each, in order: e.g. "Rule 'EMEA' matched on country = DE". */
  reasons: string[];
  rulesEvaluated: RuleEvaluation[];
  candidates: RoutingCandidate[];
  /** From the record's creation to the owner being written. */
  speedToLeadMs: number | null;
  assignedAt: string | null;
  sla: { status: SlaStatus; dueAt: string | null; minutes: number | null; reroutedAt: string | null };
  mode: AutomationMode;
  modeReason: string | null;
  permissions: { canReroute: boolean };
};

/** POST /api/cards/routing/reroute */
export type RerouteRequest = { reason: string };
export type RerouteResponse = {
  /** `observed`: routing is observe-only, so the new decision is recorded but not written. */
  status: "rerouted" | "unchanged" | "observed";
  message: string;
  card: RoutingCardResponse;
};

export type StageRef = { id: string; label: string };

/** One exit criterion of the current stage, met or missing, with what to fill. */
export type ChecklistItem = {
  id: string;
  kind: "required" | "predicate" | "association" | "qualification";
  label: string;
  met: boolean;
  reason: string;
  properties: Array<{ name: string; label: string }>;
  /** Where the rep fills it (the record's property or association panel); null when nothing to fill. */
  fillUrl: string | null;
};

export type QualificationScore = {
  framework: "MEDDICC" | "MEDDPICC" | "BANT" | "SPICED";
  score: number;
  /** The lowest score the next stage asks for, if it asks. */
  minScore: number | null;
  elements: Array<{ key: string; letter: string; label: string; score: number; property: string }>;
};

/** A stage move the gates blocked or warned about. */
export type BlockedMove = {
  id: string;
  at: string;
  from: StageRef | null;
  to: StageRef;
  /** Who moved it; `userId` null for workflows and API writes. */
  by: { userId: string | null; name: string; source: string };
  verdict: "blocked" | "warned";
  reasons: string[];
  /** `refused`: the CRM rejected our move-back (e.g. the portal's own required properties); the note and task stand. */
  revert: "reverted" | "refused" | "not_attempted";
  revertError: string | null;
};

/** GET /api/cards/deal-gates */
export type DealGatesCardResponse = {
  dealId: string;
  pipeline: StageRef;
  stage: StageRef;
  /** Null when the deal is closed. */
  nextStage: StageRef | null;
  /** The pipeline's rule: `enforce` moves deals back, `warn` only notes. */
  gateMode: "enforce" | "warn";
  items: ChecklistItem[];
  metCount: number;
  ready: boolean;
  scores: QualificationScore[];
  blockedMoves: BlockedMove[];
  mode: AutomationMode;
  modeReason: string | null;
};
