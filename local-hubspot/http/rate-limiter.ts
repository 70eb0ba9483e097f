import type { RateLimits } from "./control-state.ts";

export type Verdict = { ok: true; remaining: number } | { ok: false; policyName: "TEN_SECONDLY_ROLLING" | "SECONDLY"; message: string };

/** HubSpot's rolling windows per token: N calls per 10 s, and a few searches per second on top. */
export class RateLimiter {
  private calls = new Map<string, number[]>();
  private searches = new Map<string, number[]>();

  constructor(private limits: () => RateLimits) {}

  reset(): void {
    this.calls.clear();
    this.searches.clear();
  }

  check(token: string, isSearch: boolean, now: number): Verdict {
    const { perTenSeconds, searchPerSecond } = this.limits();
    const calls = prune(this.calls, token, now - 10_000);
    if (calls.length >= perTenSeconds) {
      return { ok: false, policyName: "TEN_SECONDLY_ROLLING", message: `You have reached your ten_secondly_rolling limit.` };
    }
    if (isSearch) {
      const searches = prune(this.searches, token, now - 1_000);
      if (searches.length >= searchPerSecond)
        return { ok: false, policyName: "SECONDLY", message: "You have reached your secondly limit." };
      searches.push(now);
    }
    calls.push(now);
    return { ok: true, remaining: perTenSeconds - calls.length };
  }
}

function prune(map: Map<string, number[]>, key: string, since: number): number[] {
  const list = (map.get(key) ?? []).filter((t) => t > since);
  map.set(key, list);
  return list;
}
