/**
 * The mutable side of routing, held by the portal's Durable Object: `chooseOwner` reads it and returns an update the
 * object applies in the same turn, so concurrent leads never take the same slot.
 */
export type RoutingState = {
  /** Round-robin pointer per queue: the owner who last got a lead from it. */
  readonly lastAssigned: Readonly<Record<string, string>>;
  /** Smooth weighted round robin's running weights per queue and owner. */
  readonly weightedCurrent: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Leads given to each owner on their local day (`day` is that date; another day means zero). */
  readonly assignedToday: Readonly<Record<string, { readonly day: string; readonly count: number }>>;
  /** Open leads per owner; the edge lowers it when a lead is worked or closed. */
  readonly openLeads: Readonly<Record<string, number>>;
};

/** Absolute values to set (not increments), so applying one update twice changes nothing more. */
export type RoutingStateUpdate = {
  readonly ownerId: string;
  readonly queueId: string | null;
  readonly lastAssigned: { readonly queueId: string; readonly ownerId: string } | null;
  readonly weightedCurrent: { readonly queueId: string; readonly values: Readonly<Record<string, number>> } | null;
  readonly assignedToday: { readonly day: string; readonly count: number };
  readonly openLeads: number;
};

export function emptyRoutingState(): RoutingState {
  return { lastAssigned: {}, weightedCurrent: {}, assignedToday: {}, openLeads: {} };
}

/** The state after a decision's update; the input is left untouched. */
export function applyRoutingUpdate(state: RoutingState, u: RoutingStateUpdate): RoutingState {
  return {
    lastAssigned: u.lastAssigned ? { ...state.lastAssigned, [u.lastAssigned.queueId]: u.lastAssigned.ownerId } : state.lastAssigned,
    weightedCurrent: u.weightedCurrent
      ? { ...state.weightedCurrent, [u.weightedCurrent.queueId]: u.weightedCurrent.values }
      : state.weightedCurrent,
    assignedToday: { ...state.assignedToday, [u.ownerId]: u.assignedToday },
    openLeads: { ...state.openLeads, [u.ownerId]: u.openLeads },
  };
}

/** Leads an owner already got on `day` (their local date). */
export function countOn(state: RoutingState, ownerId: string, day: string): number {
  const entry = state.assignedToday[ownerId];
  return entry && entry.day === day ? entry.count : 0;
}
