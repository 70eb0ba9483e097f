import type { CrmResult, PropertyHistoryEntry, RecordHistory } from "../../../shared/crm-port.ts";
import type { Deal, Owner, Pipeline } from "../../../shared/domain/types.ts";
import { fromBackfillSearch, type RecordEvents } from "../../../shared/events/coalesce.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { evaluateStageMove } from "../../../shared/stage-gates/evaluate.ts";
import { type EntryStanding, entryMs, historyUntil, newestFirst, stageHeldBefore } from "../../../shared/stage-gates/path.ts";
import { gateInputsFor } from "../../../shared/stage-gates/requirements.ts";
import type { DealAssociations, StageMoveDecision } from "../../../shared/stage-gates/types.ts";
import { findDecisions, moveKeyOf, type RecordedDecision, recordDecisions, type StageGateDecisionRow } from "../stage-gates/decisions.ts";
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

/**
 * Enforces stage exit criteria on every write path: judges the deal's latest stage move from the stage it last held
 * legitimately, and plans the revert, note and task, each guarded so that concurrent batches act once per deal state.
 */
export const stageGatesEngine: Engine = {
  name: "stageGates",
  concurrency: 8,
  wants: (g: RecordEvents) => g.objectType === "deals" && (movedStage(g) || fromBackfillSearch(g)),
  propertiesFor: (objectType, settings) => (objectType === "deals" ? readPlan(settings).properties : []),
  historyFor: (objectType, settings) => (objectType === "deals" ? readPlan(settings).historyFor : []),

  async plan(group, ctx) {
    const loaded = ctx.records.get("deals", group.objectId);
    const gates = ctx.settings.stageGates;
    const deal = loaded?.record;
    const toStageId = deal?.stageId;
    if (!loaded || !deal || !toStageId || !deal.pipelineId || !gates.pipelines[deal.pipelineId]) return [];
    const stageHistory = newestFirst(loaded.history[gates.stageProperty]).slice(0, MAX_PATH);
    const latest = stageHistory[0];
    // The move is the stage history's latest entry; if we made it (a revert), there is nothing to judge.
    if (!latest || latest.value !== toStageId || isOurs(latest, ctx)) return [];
    // Found by the backfill (its webhook never came, or its batch was lost): only a recent move is judged, never
    // one made before the gates were on.
    if (!movedStage(group) && !(entryMs(latest) >= ctx.now - UNJUDGED_HORIZON_MS)) return [];
    const recorded = await findDecisions(ctx.db, ctx.portalKey, [{ objectId: deal.id, moveKeys: stageHistory.map(moveKeyOf) }]);
    // Judged already (a redelivery, or another batch got there first): its outcome stands.
    if (recorded.has(`${deal.id}|${moveKeyOf(latest)}`)) return [];
    const pipelines = await ctx.reference.pipelines();
    const pipeline = pipelines.ok ? pipelines.value.find((p) => p.id === deal.pipelineId) : undefined;
    if (!pipeline) return [];
    const judge = moveJudge(deal, pipeline, ctx, {
      owners: stageHistory.some((e) => actorOf(e) !== null) ? await ctx.reference.owners() : undefined,
      associations: gateInputsFor(gates, pipeline.id).associations ? await associationsOf(deal.id, ctx) : undefined,
    });
    // Moves since the deal last stood legitimately are judged as one path: A→C (skipping B) then C→D is A→D.
    const heldBefore = stageHeldBefore(
      stageHistory,
      (entry) => standingOf(entry, recorded.get(`${deal.id}|${moveKeyOf(entry)}`), ctx),
      (from, entry) => {
        const hop = judge(from, entry, historyUntil(loaded.history, entryMs(entry)));
        return !hop.ok || hop.value.verdict !== "blocked";
      },
    );
    const decision = judge(heldBefore, latest, loaded.history);
    if (!decision.ok) return [];
    const row = decisionRow(decision.value, actorOf(latest), moveKeyOf(latest));
    const changes = changesFor(decision.value, deal);
    // A move that stands changes nothing: record it now. Changes are applied, and recorded, only while the deal still
    // stands where it was judged, once per move, under the deal's lock (executor → stage-gates/move-guard.ts).
    if (changes.length === 0) await recordDecisions(ctx.db, ctx.portalKey, [row], ctx.now);
    return changes.map((c) => ({ ...c, guard: { moveKey: row.moveKey, decision: row } }));
  },
};

const movedStage = (g: RecordEvents) => g.changedProperties.has("dealstage") || g.changedProperties.has("StageName");

/** Judges the move into a stage-history entry from a given stage, as its author made it and with the history then. */
function moveJudge(
  deal: Deal,
  pipeline: Pipeline,
  ctx: EngineContext,
  reads: { owners: CrmResult<Owner[]> | undefined; associations: DealAssociations | undefined },
) {
  return (fromStageId: string | null, entry: PropertyHistoryEntry, history: RecordHistory) => {
    const userId = actorOf(entry);
    const owner = userId !== null && reads.owners?.ok ? reads.owners.value.find((o) => o.userId === userId) : undefined;
    return evaluateStageMove({
      deal,
      fromStageId,
      toStageId: entry.value ?? "",
      pipeline,
      settings: ctx.settings.stageGates,
      actor: { userId, teamIds: owner?.teamIds ?? [] },
      history,
      associations: reads.associations,
      now: ctx.now,
    });
  };
}

/** Entries a path may span: more than any burst of moves, few enough to judge in microseconds. */
const MAX_PATH = 20;
/**
 * How long an entry the gates have not judged may still be waiting for its event (delivery retries, queue backoff);
 * older unjudged entries (made before the gates were on, say) count as where the deal legitimately stood.
 */
const UNJUDGED_HORIZON_MS = 3_600_000;

function standingOf(entry: PropertyHistoryEntry, recorded: RecordedDecision | undefined, ctx: EngineContext): EntryStanding {
  if (isOurs(entry, ctx)) return { kind: "settled", stageId: entry.value };
  if (recorded) return { kind: "settled", stageId: recorded.verdict === "blocked" ? recorded.revertTo : entry.value };
  // An unreadable time counts as old: nothing is judged again on a guess.
  if (!(ctx.now - entryMs(entry) <= UNJUDGED_HORIZON_MS)) return { kind: "settled", stageId: entry.value };
  return { kind: "unjudged" };
}

function actorOf(entry: PropertyHistoryEntry): string | null {
  return /^userId:(\d+)$/.exec(entry.sourceId ?? "")?.[1] ?? null;
}

function isOurs(entry: PropertyHistoryEntry, ctx: EngineContext): boolean {
  return entry.sourceType === "INTEGRATION" && entry.sourceId !== null && ctx.appId !== undefined && entry.sourceId === ctx.appId;
}

async function associationsOf(dealId: string, ctx: EngineContext): Promise<DealAssociations | undefined> {
  const [contacts, companies] = await Promise.all([
    ctx.crm.readAssociations("deals", "contacts", [dealId]),
    ctx.crm.readAssociations("deals", "companies", [dealId]),
  ]);
  if (!contacts.ok || !companies.ok) return undefined;
  return { contacts: contacts.value.get(dealId) ?? [], companies: companies.value.get(dealId) ?? [] };
}

function decisionRow(d: StageMoveDecision, actorUserId: string | null, moveKey: string): StageGateDecisionRow {
  return {
    objectId: d.dealId,
    pipelineId: d.pipelineId,
    fromStageId: d.fromStageId,
    toStageId: d.toStageId,
    verdict: d.verdict,
    mode: d.mode,
    actorUserId,
    reasons: d.reasons,
    revertTo: d.revertToStageId,
    moveKey,
  };
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
