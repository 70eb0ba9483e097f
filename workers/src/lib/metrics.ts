/** Adds to today's counters for a portal, one statement per counter, in one round trip. */
export async function countMetrics(db: D1Database, portalKey: string, counts: Record<string, number>, now: number): Promise<void> {
  const day = new Date(now).toISOString().slice(0, 10);
  const entries = Object.entries(counts).filter(([, v]) => v !== 0);
  if (entries.length === 0) return;
  const sql = `INSERT INTO metrics_daily (portal_key, day, name, value) VALUES (?, ?, ?, ?)
ON CONFLICT DO UPDATE SET value = metrics_daily.value + excluded.value`;
  await db.batch(entries.map(([name, value]) => db.prepare(sql).bind(portalKey, day, name, value)));
}

export async function recordLatency(
  db: D1Database,
  portalKey: string,
  name: string,
  samples: readonly number[],
  now: number,
): Promise<void> {
  if (samples.length === 0) return;
  const sql = "INSERT INTO latency_samples (portal_key, name, at, ms) VALUES (?, ?, ?, ?)";
  await db.batch(samples.map((ms) => db.prepare(sql).bind(portalKey, name, now, Math.round(ms))));
}

export type MetricsSummary = {
  counters: Record<string, number>;
  latency: Record<string, { p50: number | null; p95: number | null; count: number }>;
};

/** Totals since `sinceDay` (YYYY-MM-DD) and latency percentiles since `sinceMs` for one portal. */
export async function summarizeMetrics(db: D1Database, portalKey: string, sinceDay: string, sinceMs: number): Promise<MetricsSummary> {
  const counters: Record<string, number> = {};
  const rows = await db
    .prepare("SELECT name, SUM(value) AS value FROM metrics_daily WHERE portal_key = ? AND day >= ? GROUP BY name")
    .bind(portalKey, sinceDay)
    .all<{ name: string; value: number }>();
  for (const r of rows.results) counters[r.name] = r.value;
  const latency: MetricsSummary["latency"] = {};
  const samples = await db
    .prepare("SELECT name, ms FROM latency_samples WHERE portal_key = ? AND at >= ? ORDER BY name, ms")
    .bind(portalKey, sinceMs)
    .all<{ name: string; ms: number }>();
  const byName = new Map<string, number[]>();
  for (const s of samples.results) byName.set(s.name, [...(byName.get(s.name) ?? []), s.ms]);
  for (const [name, values] of byName)
    latency[name] = { p50: percentile(values, 0.5), p95: percentile(values, 0.95), count: values.length };
  if (counters.events_processed && counters.api_calls !== undefined)
    counters.api_calls_per_1000_events = Math.round((counters.api_calls / counters.events_processed) * 1000);
  return { counters, latency };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
}
