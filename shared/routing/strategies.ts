import type { Queue } from "./settings.ts";
import type { RoutingState } from "./state.ts";

/** A strategy's pick and the pointer/weight changes that go with it. */
export type Pick = {
  ownerId: string;
  reason: string;
  weightedCurrent: Record<string, number> | null;
};

/** Members in round-robin order: starting just after the owner who got the queue's last lead. */
function rotation(members: readonly string[], last: string | undefined): string[] {
  const at = last === undefined ? -1 : members.indexOf(last);
  return [...members.slice(at + 1), ...members.slice(0, at + 1)];
}

function roundRobin(queue: Queue, eligible: ReadonlySet<string>, state: RoutingState): Pick | null {
  const last = state.lastAssigned[queue.id];
  const ownerId = rotation(queue.members, last).find((m) => eligible.has(m));
  if (ownerId === undefined) return null;
  const after = last === undefined ? "first in the rotation" : `next in the rotation after ${last}`;
  return { ownerId, reason: `round robin: ${after}`, weightedCurrent: null };
}

/**
 * Smooth weighted round robin (as in nginx): each eligible rep's running weight grows by its weight, the largest
 * wins and gives back the eligible total. Shares track weights within one lead, without bursts for heavy reps.
 */
function weightedRoundRobin(
  queue: Queue,
  eligible: ReadonlySet<string>,
  state: RoutingState,
  weights: ReadonlyMap<string, number>,
): Pick | null {
  const previous = state.weightedCurrent[queue.id] ?? {};
  const current: Record<string, number> = {};
  let total = 0;
  let best: string | null = null;
  for (const m of queue.members) {
    const value = previous[m] ?? 0;
    if (!eligible.has(m)) {
      current[m] = value;
      continue;
    }
    const w = weights.get(m) ?? 1;
    total += w;
    current[m] = value + w;
    if (best === null || (current[m] ?? 0) > (current[best] ?? 0)) best = m;
  }
  if (best === null) return null;
  current[best] = (current[best] ?? 0) - total;
  const share = Math.round(((weights.get(best) ?? 1) / total) * 100);
  return {
    ownerId: best,
    reason: `weighted round robin: highest running weight (weight ${weights.get(best) ?? 1}, ${share}% of available weight)`,
    weightedCurrent: current,
  };
}

function loadBalanced(queue: Queue, eligible: ReadonlySet<string>, state: RoutingState): Pick | null {
  let best: string | null = null;
  let fewest = Number.POSITIVE_INFINITY;
  for (const m of rotation(queue.members, state.lastAssigned[queue.id])) {
    if (!eligible.has(m)) continue;
    const open = state.openLeads[m] ?? 0;
    if (open < fewest) {
      fewest = open;
      best = m;
    }
  }
  if (best === null) return null;
  return { ownerId: best, reason: `load balanced: fewest open leads (${fewest}), ties broken by rotation`, weightedCurrent: null };
}

/** Picks among the queue's eligible members by its strategy; null when none is eligible. */
export function pickByStrategy(
  queue: Queue,
  eligible: ReadonlySet<string>,
  state: RoutingState,
  weights: ReadonlyMap<string, number>,
): Pick | null {
  switch (queue.strategy) {
    case "round_robin":
      return roundRobin(queue, eligible, state);
    case "weighted_round_robin":
      return weightedRoundRobin(queue, eligible, state, weights);
    case "load_balanced":
      return loadBalanced(queue, eligible, state);
  }
}
