import type { BlockedMove, ChecklistItem, DealGatesCardResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { CrmPort } from "../../../shared/crm-port.ts";
import type { Owner, Pipeline, PortalKey } from "../../../shared/domain/types.ts";
import { mayWrite, type PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { nextStageChecklist } from "../../../shared/stage-gates/checklist.ts";
import { gateInputsFor } from "../../../shared/stage-gates/requirements.ts";
import { propertyLabel } from "../../../shared/stage-gates/values.ts";
import { ApiError } from "../http/errors.ts";
import { snapshotFor } from "./record-snapshots.ts";

export type CardDeps = {
  db: D1Database;
  portalKey: PortalKey;
  portalId: string;
  settings: PortalSettings;
  now: number;
  crm: () => Promise<CrmPort | null>;
  pipelines: () => Promise<Pipeline[]>;
  owners: () => Promise<Owner[]>;
};

/** The deal card: the checklist to leave the current stage, the qualification scores and the blocked-move history. */
export async function dealGatesCard(dealId: string, deps: CardDeps): Promise<DealGatesCardResponse> {
  const gates = deps.settings.stageGates;
  const plans = Object.keys(gates.pipelines).map((id) => gateInputsFor(gates, id));
  const snapshot = await snapshotFor(deps.db, deps.portalKey, "deals", dealId, {
    properties: [...new Set(plans.flatMap((p) => p.properties))],
    historyFor: [...new Set([gates.stageProperty, ...plans.flatMap((p) => p.historyFor)])],
    crm: deps.crm,
    now: deps.now,
  });
  if (!snapshot) throw new ApiError(404, "not_found", `Deal ${dealId} does not exist in this portal`);
  const deal = snapshot.record;
  const pipeline = (await deps.pipelines()).find((p) => p.id === deal.pipelineId);
  if (!pipeline)
    throw new ApiError(409, "unknown_pipeline", `The deal's pipeline ${deal.pipelineId ?? "(none)"} is not in the portal's pipelines`);
  const checklist = nextStageChecklist(deal, pipeline, gates, { history: snapshot.history, now: deps.now });
  if (!checklist.ok) throw new ApiError(409, checklist.error.code, checklist.error.message);
  const c = checklist.value;
  const stageRef = (id: string | null) => {
    const s = pipeline.stages.find((x) => x.id === id);
    return s ? { id: s.id, label: s.label } : null;
  };
  const recordUrl = `https://app.hubspot.com/contacts/${deps.portalId}/record/0-3/${dealId}`;
  const items: ChecklistItem[] = c.items.map((i) => ({
    id: i.id,
    kind: i.kind,
    label: i.label,
    met: i.met,
    reason: i.reason,
    properties: i.properties.map((name) => ({ name, label: propertyLabel(name) })),
    fillUrl: i.met || i.properties.length === 0 ? null : recordUrl,
  }));
  const mode = mayWrite(deps.settings, "stageGates") ? "auto" : "observe";
  return {
    dealId,
    pipeline: { id: pipeline.id, label: pipeline.label },
    stage: { id: c.stageId, label: c.stageLabel },
    nextStage: c.nextStageId ? { id: c.nextStageId, label: c.nextStageLabel ?? c.nextStageId } : null,
    gateMode: c.mode,
    items,
    metCount: c.metCount,
    ready: c.ready,
    scores: c.scores.map((s) => ({
      framework: s.framework,
      score: s.score,
      minScore: minScoreFor(gates.pipelines[pipeline.id]?.stages[c.stageId]?.qualification ?? [], s.framework),
      elements: s.elements.map((e) => ({ key: e.key, letter: e.letter, label: e.label, score: e.score, property: e.property })),
    })),
    blockedMoves: await blockedMoves(deps, dealId, stageRef),
    mode,
    modeReason:
      mode === "auto"
        ? null
        : deps.settings.killSwitch
          ? "The kill switch is on"
          : "Stage gates are observe-only until an admin turns them on",
  };
}

function minScoreFor(rules: ReadonlyArray<{ framework: string; minScore?: number }>, framework: string): number | null {
  return rules.find((r) => r.framework === framework)?.minScore ?? null;
}

async function blockedMoves(
  deps: CardDeps,
  dealId: string,
  stageRef: (id: string | null) => { id: string; label: string } | null,
): Promise<BlockedMove[]> {
  const rows = await deps.db
    .prepare(
      `SELECT d.id, d.decided_at, d.from_stage, d.to_stage, d.verdict, d.actor_user_id, d.reasons,
              (SELECT a.status || '|' || a.reason FROM audit_log a WHERE a.portal_key = d.portal_key AND a.object_type = 'deals' AND a.object_id = d.object_id
                 AND a.automation = 'stageGates' AND a.action = 'update_properties' AND a.created_at = d.decided_at LIMIT 1) AS revert
       FROM stage_gate_decisions d WHERE d.portal_key = ? AND d.object_id = ? AND d.verdict IN ('blocked', 'warned')
       ORDER BY d.decided_at DESC LIMIT 20`,
    )
    .bind(deps.portalKey, dealId)
    .all<{
      id: number;
      decided_at: number;
      from_stage: string | null;
      to_stage: string;
      verdict: "blocked" | "warned";
      actor_user_id: string | null;
      reasons: string;
      revert: string | null;
    }>();
  const owners = rows.results.some((r) => r.actor_user_id) ? await deps.owners() : [];
  return rows.results.map((r) => {
    const owner = owners.find((o) => o.userId === r.actor_user_id);
    const [status, ...why] = (r.revert ?? "").split("|");
    const revert = status === "applied" ? "reverted" : status === "refused" ? "refused" : "not_attempted";
    return {
      id: String(r.id),
      at: new Date(r.decided_at).toISOString(),
      from: stageRef(r.from_stage),
      to: stageRef(r.to_stage) ?? { id: r.to_stage, label: r.to_stage },
      by: {
        userId: r.actor_user_id,
        name: owner
          ? [owner.firstName, owner.lastName].filter(Boolean).join(" ") || (owner.email ?? `User ${r.actor_user_id}`)
          : r.actor_user_id
            ? `User ${r.actor_user_id}`
            : "A workflow or integration",
        source: r.actor_user_id ? "CRM_UI" : "INTEGRATION",
      },
      verdict: r.verdict,
      reasons: JSON.parse(r.reasons) as string[],
      revert,
      revertError: revert === "refused" ? why.join("|") : null,
    };
  });
}
