import type { PropertyHistoryEntry } from "../../../shared/crm-port.ts";
import type { Deal } from "../../../shared/domain/types.ts";
import type { RecordEvents } from "../../../shared/events/coalesce.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { evaluateStageMove } from "../../../shared/stage-gates/evaluate.ts";
import { gateInputsFor } from "../../../shared/stage-gates/requirements.ts";
import type { DealAssociations, StageMoveDecision } from "../../../shared/stage-gates/types.ts";
import type { Engine, EngineContext, PlannedChange } from "./types.ts";

const TASK_DUE_MS = 24 * 3_600_000;

/** Every property any pipeline's gates read, so one batch read serves every deal. */
function readPlan(settings: PortalSettings) {
  const gates = settings.stageGates;
  const plans = Object.keys(gates.pipelines).map((id) => gateInputsFor(gates, id));
  return {
    properties: [...new Set(plans.flatMap((p) => p.properties))],
    historyFor: [...new Set([gates.stageProperty, ...plans.flatMap((p) => p.historyFor)])],
  };
}

/** Enforces stage exit criteria on every write path: judges the deal's latest stage move, reverts, notes, tasks. */
export const stageGatesEngine: Engine = {
  name: "stageGates",
  concurrency: 8,
  wants: (g: RecordEvents) => g.objectType === "deals" && (g.changedProperties.has("dealstage") || g.changedProperties.has("StageName")),
  propertiesFor: (objectType, settings) => (objectType === "deals" ? readPlan(settings).properties : []),
  historyFor: (objectType, settings) => (objectType === "deals" ? readPlan(settings).historyFor : []),

  async plan(group, ctx) {
    const loaded = ctx.records.get("deals", group.objectId);
    const gates = ctx.settings.stageGates;
    const deal = loaded?.record;
    const toStageId = deal?.stageId;
    if (!loaded || !deal || !toStageId || !deal.pipelineId || !gates.pipelines[deal.pipelineId]) return [];
    // Newest first, whatever order the CRM sent (a stable sort keeps same-millisecond entries as sent).
    const stageHistory = [...(loaded.history[gates.stageProperty] ?? [])].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
    const latest = stageHistory[0];
    // The move is the stage history's latest entry; if we made it (a revert), there is nothing to judge.
    if (!latest || latest.value !== toStageId || isOurs(latest, ctx)) return [];
    const pipelines = await ctx.reference.pipelines();
    const pipeline = pipelines.ok ? pipelines.value.find((p) => p.id === deal.pipelineId) : undefined;
    if (!pipeline) return [];
    const actorUserId = /^userId:(\d+)$/.exec(latest.sourceId ?? "")?.[1] ?? null;
    const decision = evaluateStageMove({
      deal,
      fromStageId: stageHistory[1]?.value ?? null,
      toStageId,
      pipeline,
      settings: gates,
      actor: { userId: actorUserId, teamIds: await teamsOf(actorUserId, ctx) },
      history: loaded.history,
      associations: gateInputsFor(gates, pipeline.id).associations ? await associationsOf(deal.id, ctx) : undefined,
      now: ctx.now,
    });
    if (!decision.ok) return [];
    await recordDecision(ctx, decision.value, actorUserId, `${latest.timestamp}:${latest.value}`);
    return changesFor(decision.value, deal);
  },
};

function isOurs(entry: PropertyHistoryEntry, ctx: EngineContext): boolean {
  return entry.sourceType === "INTEGRATION" && entry.sourceId !== null && ctx.appId !== undefined && entry.sourceId === ctx.appId;
}

async function teamsOf(userId: string | null, ctx: EngineContext): Promise<string[]> {
  if (!userId) return [];
  const owners = await ctx.reference.owners();
  return owners.ok ? (owners.value.find((o) => o.userId === userId)?.teamIds ?? []) : [];
}

async function associationsOf(dealId: string, ctx: EngineContext): Promise<DealAssociations | undefined> {
  const [contacts, companies] = await Promise.all([
    ctx.crm.readAssociations("deals", "contacts", [dealId]),
    ctx.crm.readAssociations("deals", "companies", [dealId]),
  ]);
  if (!contacts.ok || !companies.ok) return undefined;
  return { contacts: contacts.value.get(dealId) ?? [], companies: companies.value.get(dealId) ?? [] };
}

/** Keeps the judged move for the deal card; one row per move however often its events are delivered. */
async function recordDecision(ctx: EngineContext, d: StageMoveDecision, actorUserId: string | null, moveKey: string): Promise<void> {
  if (d.verdict === "allowed" && d.move.kind !== "backward") return;
  await ctx.db
    .prepare(
      `INSERT INTO stage_gate_decisions (portal_key, object_id, decided_at, pipeline_id, from_stage, to_stage, verdict, mode, actor_user_id, reasons, revert_to, move_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(
      ctx.portalKey,
      d.dealId,
      ctx.now,
      d.pipelineId,
      d.fromStageId,
      d.toStageId,
      d.verdict,
      d.mode,
      actorUserId,
      JSON.stringify(d.reasons),
      d.revertToStageId,
      moveKey,
    )
    .run();
}

function changesFor(d: StageMoveDecision, deal: Deal): PlannedChange[] {
  if (d.verdict !== "blocked" && d.verdict !== "warned") return [];
  const rule = `stage-exit:${d.pipelineId}:${d.fromStageId ?? "entry"}->${d.toStageId}`;
  const missing = d.reasons.map((r) => `• ${r}`).join("\n");
  const base = { automation: "stageGates" as const, objectType: "deals" as const, objectId: d.dealId, rule };
  const changes: PlannedChange[] = [];
  if (d.verdict === "blocked" && d.revertToStageId) {
    changes.push({
      ...base,
      kind: "update",
      before: { dealstage: d.toStageId },
      after: { dealstage: d.revertToStageId },
      reason: `${d.summary}`,
    });
  }
  const verb = d.verdict === "blocked" ? "was moved back" : "moved on without meeting its exit criteria";
  changes.push({ ...base, kind: "note", body: `This deal ${verb}.\n${d.summary}\nStill missing:\n${missing}`, reason: d.summary });
  if (d.verdict === "blocked") {
    changes.push({
      ...base,
      kind: "task",
      subject: `Complete the exit criteria for "${deal.name ?? d.dealId}"`,
      body: missing,
      ownerId: deal.ownerId,
      dueAt: Date.now() + TASK_DUE_MS,
      reason: d.summary,
    });
  }
  return changes;
}
