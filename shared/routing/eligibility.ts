import { isInPeriod, isWithinHours, type LocalClock, localClock } from "./hours.ts";
import type { Rep, RoutingSettings } from "./settings.ts";
import { countOn, type RoutingState } from "./state.ts";
import type { CandidateResult, RosterOwner } from "./types.ts";

/** A checked candidate, with the local day its daily count belongs to. */
export type Checked = CandidateResult & { day: string };

// Settings and rosters are immutable for a decision's life; their lookup maps are built once per object.
const repMaps = new WeakMap<readonly Rep[], Map<string, Rep>>();
const rosterMaps = new WeakMap<readonly RosterOwner[], Map<string, RosterOwner>>();

export function repsById(settings: RoutingSettings): Map<string, Rep> {
  let m = repMaps.get(settings.reps);
  if (!m) {
    m = new Map(settings.reps.map((r) => [r.ownerId, r]));
    repMaps.set(settings.reps, m);
  }
  return m;
}

function rosterById(owners: readonly RosterOwner[]): Map<string, RosterOwner> {
  let m = rosterMaps.get(owners);
  if (!m) {
    m = new Map(owners.map((o) => [o.id, o]));
    rosterMaps.set(owners, m);
  }
  return m;
}

/** Why the CRM says this owner cannot take leads; empty when the roster is absent or the owner is fine. */
export function rosterProblems(ownerId: string, owners: readonly RosterOwner[] | undefined): string[] {
  if (!owners) return [];
  const o = rosterById(owners).get(ownerId);
  if (!o) return ["not in the CRM's owner list"];
  const out: string[] = [];
  if (o.archived) out.push("archived in the CRM");
  if (o.deactivated) out.push("deactivated in the CRM");
  return out;
}

function availabilityProblems(rep: Rep, state: RoutingState, now: Date, clock: LocalClock): string[] {
  const out: string[] = [];
  const off = rep.timeOff.find((p) => isInPeriod(p, clock, now));
  if (off) out.push(`on time off ${off.start} to ${off.end}${off.reason ? ` (${off.reason})` : ""}`);
  if (!isWithinHours(clock, rep.workingHours)) out.push(`off hours in ${rep.timeZone} (${clock.label})`);
  const count = countOn(state, rep.ownerId, clock.date);
  if (rep.dailyCap !== null && count >= rep.dailyCap) out.push(`daily cap reached (${count} of ${rep.dailyCap} today)`);
  return out;
}

/**
 * Checks one owner for a lead at `now`: in the roster and not archived/deactivated, active in our settings, and, when
 * `availability` is asked, not on time off, within working hours in their zone and under their daily cap.
 */
export function checkCandidate(
  ownerId: string,
  settings: RoutingSettings,
  owners: readonly RosterOwner[] | undefined,
  state: RoutingState,
  now: Date,
  availability: boolean,
): Checked {
  const rep = repsById(settings).get(ownerId);
  const reasons = rosterProblems(ownerId, owners);
  const openLeads = state.openLeads[ownerId] ?? 0;
  if (!rep) {
    const day = now.toISOString().slice(0, 10);
    const count = countOn(state, ownerId, day);
    return { ownerId, name: null, eligible: reasons.length === 0, reasons, localTime: null, assignedToday: count, openLeads, day };
  }
  if (!rep.active) reasons.push("marked inactive in routing settings");
  const clock = localClock(rep.timeZone, now);
  if (availability) reasons.push(...availabilityProblems(rep, state, now, clock));
  return {
    ownerId,
    name: rep.name,
    eligible: reasons.length === 0,
    reasons,
    localTime: `${clock.label} ${rep.timeZone}`,
    assignedToday: countOn(state, ownerId, clock.date),
    openLeads,
    day: clock.date,
  };
}
