import { err, ok, type Result } from "../result.ts";
import { buildCompanyIndex, companiesForLead } from "./accounts.ts";
import { chooseOwner } from "./choose-owner.ts";
import type { RoutingSettings } from "./settings.ts";
import { applyRoutingUpdate, emptyRoutingState, type RoutingState } from "./state.ts";
import type { CompanyRef, Lead, RosterOwner, RoutingDecision } from "./types.ts";

export type DistributionRow = { ownerId: string; name: string | null; leads: number; share: number };
export type Simulation = {
  decisions: RoutingDecision[];
  /** Reps in settings order, then other owners who got leads (account owners); `share` is of assigned leads. */
  distribution: DistributionRow[];
  assigned: number;
  unassigned: number;
  state: RoutingState;
};

/**
 * What-if routing of many leads at one instant, in order, each decision's update applied before the next, as the
 * Durable Object would. Writes nothing anywhere; for the CLI and the settings page.
 */
export function simulateRouting(
  leads: readonly Lead[],
  companies: readonly CompanyRef[],
  settings: RoutingSettings,
  at: Date,
  options: { owners?: readonly RosterOwner[]; state?: RoutingState } = {},
): Result<Simulation, "invalid_time"> {
  if (Number.isNaN(at.getTime())) return err("invalid_time", "the simulation time is not a valid date");
  const index = buildCompanyIndex(companies);
  let state = options.state ?? emptyRoutingState();
  const decisions: RoutingDecision[] = [];
  const counts = new Map<string, number>(settings.reps.map((r) => [r.ownerId, 0]));
  for (const lead of leads) {
    const context = { companies: companiesForLead(lead.properties, index), ...(options.owners ? { owners: options.owners } : {}) };
    const decided = chooseOwner(lead, context, settings, state, at);
    if (!decided.ok) return decided;
    const d = decided.value;
    decisions.push(d);
    if (d.update) state = applyRoutingUpdate(state, d.update);
    if (d.ownerId !== null) counts.set(d.ownerId, (counts.get(d.ownerId) ?? 0) + 1);
  }
  const assigned = decisions.filter((d) => d.ownerId !== null).length;
  const names = new Map(settings.reps.map((r) => [r.ownerId, r.name]));
  const distribution = [...counts].map(([ownerId, n]) => ({
    ownerId,
    name: names.get(ownerId) ?? null,
    leads: n,
    share: assigned ? n / assigned : 0,
  }));
  return ok({ decisions, distribution, assigned, unassigned: decisions.length - assigned, state });
}

/** One line for a decision: how the owner was found (account or rule and queue) and the outcome; failed rules left out. */
export function explainDecision(d: RoutingDecision): string {
  const parts: string[] = [];
  if (d.via === "account" || d.account.matches.length > 0) parts.push(d.account.reason);
  if (d.via !== "account") {
    parts.push(d.ruleSummary ?? "no rule evaluated");
    parts.push(...d.queues.map((q) => q.reason));
  }
  parts.push(d.reasons[d.reasons.length - 1] ?? "");
  return parts.join(" | ");
}
