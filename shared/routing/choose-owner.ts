import { err, ok, type Result } from "../result.ts";
import { matchAccount } from "./account-match.ts";
import { evaluateRules, textOf } from "./conditions.ts";
import { type Checked, checkCandidate, repsById } from "./eligibility.ts";
import type { Queue, RoutingSettings } from "./settings.ts";
import type { RoutingState, RoutingStateUpdate } from "./state.ts";
import { pickByStrategy } from "./strategies.ts";
import type { Lead, PropertyMap, QueueAttempt, RoutingContext, RoutingDecision } from "./types.ts";

type Attempt = { attempt: QueueAttempt; chosen: Checked | null; weightedCurrent: Record<string, number> | null };

function tryQueue(
  queue: Queue,
  via: QueueAttempt["via"],
  context: RoutingContext,
  settings: RoutingSettings,
  state: RoutingState,
  now: Date,
): Attempt {
  const checked = queue.members.map((m) => checkCandidate(m, settings, context.owners, state, now, true));
  const eligible = new Set(checked.filter((c) => c.eligible).map((c) => c.ownerId));
  const weights = new Map(queue.members.map((m) => [m, repsById(settings).get(m)?.weight ?? 1]));
  const pick = pickByStrategy(queue, eligible, state, weights);
  const candidates = checked.map(({ day: _day, ...c }) => c);
  const chosen = pick ? (checked.find((c) => c.ownerId === pick.ownerId) ?? null) : null;
  const label = queue.name ? `${queue.id} (${queue.name})` : queue.id;
  const reason = pick
    ? `queue ${label}: ${pick.reason}: ${pick.ownerId}${chosen?.name ? ` ${chosen.name}` : ""}`
    : `queue ${label}: no rep available (${checked.map((c) => `${c.ownerId}: ${c.reasons.join(", ")}`).join("; ")})`;
  const attempt = { queueId: queue.id, strategy: queue.strategy, via, candidates, chosen: pick?.ownerId ?? null, reason };
  return { attempt, chosen, weightedCurrent: pick?.weightedCurrent ?? null };
}

/** Queues to try in order: the matched rule's, then the fallback when allowed. */
function queuePlan(ruleQueue: string | null, settings: RoutingSettings): { id: string; via: QueueAttempt["via"] }[] {
  const plan: { id: string; via: QueueAttempt["via"] }[] = [];
  if (ruleQueue !== null) plan.push({ id: ruleQueue, via: "rule" });
  const fb = settings.fallbackQueue;
  const fallbackAllowed = ruleQueue === null || settings.whenNoRepAvailable === "fallback_queue";
  if (fb !== null && fb !== ruleQueue && fallbackAllowed) plan.push({ id: fb, via: "fallback" });
  return plan;
}

function createdAt(props: PropertyMap): number | null {
  const raw = textOf(props.createdate);
  if (raw === null) return null;
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(t) ? t : null;
}

function updateFor(chosen: Checked, queueId: string | null, weightedCurrent: Record<string, number> | null): RoutingStateUpdate {
  return {
    ownerId: chosen.ownerId,
    queueId,
    lastAssigned: queueId === null ? null : { queueId, ownerId: chosen.ownerId },
    weightedCurrent: queueId !== null && weightedCurrent ? { queueId, values: weightedCurrent } : null,
    assignedToday: { day: chosen.day, count: chosen.assignedToday + 1 },
    openLeads: chosen.openLeads + 1,
  };
}

/**
 * Decides who owns a new lead, purely: lead-to-account matching first, then the first matching rule's queue (or the
 * fallback), picking among available reps by the queue's strategy. The decision lists every step's reasons and the
 * state update the caller applies in the same turn (see `applyRoutingUpdate`).
 */
export function chooseOwner(
  lead: Lead,
  context: RoutingContext,
  settings: RoutingSettings,
  state: RoutingState,
  now: Date,
): Result<RoutingDecision, "invalid_time"> {
  if (Number.isNaN(now.getTime())) return err("invalid_time", "the decision time is not a valid date");
  const account = matchAccount(lead, context, settings, state, now);
  const reasons = [account.result.reason];
  let via: RoutingDecision["via"] = null;
  let ruleId: string | null = null;
  let queueId: string | null = null;
  let chosen: Checked | null = account.chosen;
  let weighted: Record<string, number> | null = null;
  const attempts: QueueAttempt[] = [];
  let rules: RoutingDecision["rules"] = [];
  let ruleSummary: string | null = null;
  if (chosen) via = "account";
  else {
    const company = context.company ?? (account.company ? { name: account.company.name, domain: account.company.domain } : null);
    const evaluated = evaluateRules(lead.properties, company, settings);
    rules = evaluated.results;
    ruleSummary = evaluated.summary;
    ruleId = evaluated.matched?.ruleId ?? null;
    reasons.push(...rules.map((r) => r.reason), ...(evaluated.matched ? [] : [evaluated.summary]));
    for (const step of queuePlan(evaluated.matched?.queueId ?? null, settings)) {
      const queue = settings.queues.find((q) => q.id === step.id);
      if (!queue) continue;
      const tried = tryQueue(queue, step.via, context, settings, state, now);
      attempts.push(tried.attempt);
      reasons.push(tried.attempt.reason);
      if (tried.chosen) {
        ({ chosen, weightedCurrent: weighted } = tried);
        via = step.via;
        queueId = queue.id;
        break;
      }
    }
  }
  return ok(
    decision(lead, settings, now, {
      via,
      ruleId,
      queueId,
      chosen,
      weighted,
      account: account.result,
      rules,
      ruleSummary,
      attempts,
      reasons,
    }),
  );
}

type Parts = {
  via: RoutingDecision["via"];
  ruleId: string | null;
  queueId: string | null;
  chosen: Checked | null;
  weighted: Record<string, number> | null;
  account: RoutingDecision["account"];
  rules: RoutingDecision["rules"];
  ruleSummary: string | null;
  attempts: QueueAttempt[];
  reasons: string[];
};

function decision(lead: Lead, settings: RoutingSettings, now: Date, p: Parts): RoutingDecision {
  const created = createdAt(lead.properties);
  const { chosen } = p;
  const final = chosen
    ? `assigned to ${chosen.ownerId}${chosen.name ? ` ${chosen.name}` : ""}`
    : p.attempts.length === 0
      ? "left unassigned: no queue to try"
      : "left unassigned: no rep available in any queue tried";
  return {
    leadId: lead.id,
    decidedAt: now.toISOString(),
    outcome: chosen ? "assigned" : "unassigned",
    ownerId: chosen?.ownerId ?? null,
    ownerName: chosen?.name ?? null,
    via: p.via,
    ruleId: p.ruleId,
    queueId: p.queueId,
    account: p.account,
    rules: p.rules,
    ruleSummary: p.ruleSummary,
    queues: p.attempts,
    reasons: [...p.reasons, final],
    speedToLeadMs: created === null ? null : now.getTime() - created,
    slaDueAt: chosen && settings.slaMinutes !== null ? new Date(now.getTime() + settings.slaMinutes * 60_000).toISOString() : null,
    update: chosen ? updateFor(chosen, p.queueId, p.weighted) : null,
  };
}
