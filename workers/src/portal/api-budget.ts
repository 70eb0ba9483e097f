/**
 * Sliding-window API budget matching HubSpot's limits: a rolling 10-second window, a separate search rate and a
 * daily cap. Pure state machine; the portal's Durable Object owns one instance and persists the daily count.
 */
export type BudgetLimits = {
  windowMs: number;
  perWindow: number;
  searchWindowMs: number;
  searchPerWindow: number;
  perDay: number;
};

export const HUBSPOT_OAUTH_LIMITS: BudgetLimits = {
  windowMs: 10_000,
  perWindow: 110,
  searchWindowMs: 1_000,
  searchPerWindow: 5,
  perDay: 500_000,
};

export type BudgetKind = "general" | "search";
export type Reservation =
  | { granted: true; remaining: number }
  | { granted: false; retryAfterMs: number; reason: "window" | "search" | "daily" };

export class ApiBudget {
  private readonly general: number[] = [];
  private readonly search: number[] = [];

  constructor(
    private limits: BudgetLimits,
    private day: { key: string; used: number } = { key: "", used: 0 },
  ) {}

  setLimits(limits: BudgetLimits): void {
    this.limits = limits;
  }

  get daily(): { key: string; used: number } {
    return { ...this.day };
  }

  /** Reserves `count` calls at `now`, or says how long to wait before asking again. Searches also count as calls. */
  reserve(kind: BudgetKind, count: number, now: number): Reservation {
    const dayKey = new Date(now).toISOString().slice(0, 10);
    if (dayKey !== this.day.key) this.day = { key: dayKey, used: 0 };
    prune(this.general, now - this.limits.windowMs);
    prune(this.search, now - this.limits.searchWindowMs);
    if (this.day.used + count > this.limits.perDay) {
      return { granted: false, retryAfterMs: msUntilNextUtcDay(now), reason: "daily" };
    }
    if (this.general.length + count > this.limits.perWindow) {
      return {
        granted: false,
        retryAfterMs: waitFor(this.general, count, this.limits.perWindow, this.limits.windowMs, now),
        reason: "window",
      };
    }
    if (kind === "search" && this.search.length + count > this.limits.searchPerWindow) {
      return {
        granted: false,
        retryAfterMs: waitFor(this.search, count, this.limits.searchPerWindow, this.limits.searchWindowMs, now),
        reason: "search",
      };
    }
    for (let i = 0; i < count; i++) {
      this.general.push(now);
      if (kind === "search") this.search.push(now);
    }
    this.day.used += count;
    return { granted: true, remaining: this.limits.perWindow - this.general.length };
  }

  /** Calls granted inside the current window (for metrics and tests). */
  inWindow(now: number): number {
    prune(this.general, now - this.limits.windowMs);
    return this.general.length;
  }
}

function prune(stamps: number[], before: number): void {
  let drop = 0;
  while (drop < stamps.length && (stamps[drop] ?? 0) <= before) drop++;
  if (drop > 0) stamps.splice(0, drop);
}

/** How long until enough old grants leave the window for `count` more to fit. */
function waitFor(stamps: number[], count: number, limit: number, windowMs: number, now: number): number {
  const mustLeave = stamps.length + count - limit;
  const stamp = stamps[Math.min(mustLeave, stamps.length) - 1] ?? now;
  return Math.max(1, stamp + windowMs - now + 1);
}

function msUntilNextUtcDay(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}
