/** Builders for routing tests and benchmarks: always-on reps, parsed settings, leads. */
import { parseRoutingSettings, type RoutingSettings } from "./settings.ts";
import type { Lead, PropertyValue } from "./types.ts";

/** Monday 2026-11-23 09:00 UTC (10:00 in Berlin, 04:00 in New York). */
export const MONDAY_0900_UTC = new Date("2026-11-23T09:00:00Z");

const ALL_DAY = ["00:00-24:00"];
export const ALWAYS = { sun: ALL_DAY, mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY };

/** A raw rep document working around the clock in UTC unless overridden. */
export function rep(ownerId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ownerId, name: `Rep ${ownerId}`, timeZone: "UTC", workingHours: ALWAYS, ...over };
}

/** Parses a routing document, failing loudly: fixtures must be valid. */
export function routingSettings(doc: unknown): RoutingSettings {
  const parsed = parseRoutingSettings(doc);
  if (!parsed.ok) throw new Error(`invalid fixture settings: ${parsed.error.message}`);
  return parsed.value;
}

/** One queue of the given reps and strategy, with a catch-all rule and account matching off. */
export function singleQueue(strategy: string, reps: Record<string, unknown>[]): RoutingSettings {
  return routingSettings({
    reps,
    queues: [{ id: "q", strategy, members: reps.map((r) => r.ownerId) }],
    rules: [{ id: "all", queue: "q" }],
    accountMatching: { enabled: false },
  });
}

export function lead(id: string, properties: Record<string, PropertyValue> = {}): Lead {
  return { id, properties };
}
