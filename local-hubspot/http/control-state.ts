/** Added latency: fixed ms, or uniform jitter between two bounds. */
export type Latency = number | { minMs: number; maxMs: number };

/**
 * Faults to inject. `next*` counts answer the next N API calls that way (deterministic, for tests); `*Rate` values are
 * probabilities per call (for benchmarks). A hang holds the request `hangMs` (default 30 s) and then answers 504.
 */
export type Faults = {
  next429?: number;
  next5xx?: number;
  nextHang?: number;
  rate429?: number;
  rate5xx?: number;
  rateHang?: number;
  slowRate?: number;
  slowMs?: number;
  hangMs?: number;
  status5xx?: number;
  /** Writes that HubSpot applies but whose reply never comes (held `hangMs`, then 504): the next N, or a probability. */
  nextLostReply?: number;
  rateLostReply?: number;
  /** Faults hit only calls whose path starts with one of these (an outage of one endpoint); absent: every call. */
  paths?: string[];
};

export type RateLimits = { perTenSeconds: number; searchPerSecond: number };

export type ControlState = { latency: Latency; faults: Faults; rateLimit: RateLimits };

export const DEFAULT_RATE_LIMITS: RateLimits = { perTenSeconds: 110, searchPerSecond: 5 };

export function latencyMs(latency: Latency, random: () => number): number {
  if (typeof latency === "number") return latency;
  return latency.minMs + random() * Math.max(0, latency.maxMs - latency.minMs);
}

export type FaultDecision =
  | { kind: "none" }
  | { kind: "429" }
  | { kind: "5xx"; status: number }
  | { kind: "hang"; ms: number }
  | { kind: "slow"; ms: number }
  | { kind: "lostReply"; ms: number };

/** Calls that change data (searches and batch reads are POSTs that only read). */
export function isWrite(method: string, path: string): boolean {
  return method !== "GET" && method !== "HEAD" && !path.endsWith("/search") && !path.endsWith("/batch/read");
}

/** Picks the fault for one call (`method` at `path`) and consumes a `next*` count if one applies. */
export function decideFault(faults: Faults, random: () => number, path = "/", method = "GET"): FaultDecision {
  if (faults.paths && !faults.paths.some((p) => path.startsWith(p))) return { kind: "none" };
  const status = faults.status5xx ?? 503;
  const hangMs = faults.hangMs ?? 30_000;
  if ((faults.next429 ?? 0) > 0) {
    faults.next429 = (faults.next429 ?? 1) - 1;
    return { kind: "429" };
  }
  if ((faults.next5xx ?? 0) > 0) {
    faults.next5xx = (faults.next5xx ?? 1) - 1;
    return { kind: "5xx", status };
  }
  if ((faults.nextHang ?? 0) > 0) {
    faults.nextHang = (faults.nextHang ?? 1) - 1;
    return { kind: "hang", ms: hangMs };
  }
  if (random() < (faults.rate429 ?? 0)) return { kind: "429" };
  if (random() < (faults.rate5xx ?? 0)) return { kind: "5xx", status };
  if (random() < (faults.rateHang ?? 0)) return { kind: "hang", ms: hangMs };
  if (random() < (faults.slowRate ?? 0)) return { kind: "slow", ms: faults.slowMs ?? 2_000 };
  if (!isWrite(method, path)) return { kind: "none" };
  if ((faults.nextLostReply ?? 0) > 0) {
    faults.nextLostReply = (faults.nextLostReply ?? 1) - 1;
    return { kind: "lostReply", ms: hangMs };
  }
  // Drawn only when asked for, so other faults' random sequences stay as they were.
  if ((faults.rateLostReply ?? 0) > 0 && random() < (faults.rateLostReply ?? 0)) return { kind: "lostReply", ms: hangMs };
  return { kind: "none" };
}
