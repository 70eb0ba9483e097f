/** The live summary `npm start` prints: what the product did, from the Worker's admin metrics. */
export type SummaryState = { last: string };

type Metrics = { counters: Record<string, number>; latency: Record<string, { p50: number | null; p95: number | null; count: number }> };

export async function printSummary(admin: { url: string; token: string }, portalId: number, state: SummaryState): Promise<void> {
  try {
    const res = await fetch(`${admin.url}/api/admin/portals/${portalId}/metrics?days=1`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    if (!res.ok) return;
    const { counters: c, latency } = (await res.json()) as Metrics;
    const n = (k: string) => c[k] ?? 0;
    const parts = [
      `events ${n("events_processed")} processed, ${n("events_duplicate")} duplicate, ${n("events_own_write")} own echoes, ${n("events_retried")} retried, ${n("events_dead_lettered")} dead-lettered`,
      `CRM calls ${n("api_calls")}`,
    ];
    parts.push(
      `duplicates ${n("duplicates_merged")} merged / ${n("duplicates_flagged")} flagged`,
      `owners assigned ${n("owners_assigned")}`,
      `stage moves blocked ${n("stage_moves_blocked")}`,
      `changes applied ${["hygiene", "dedupe", "routing", "stageGates"].reduce((s, a) => s + n(`${a}_applied`), 0)}, observed ${["hygiene", "dedupe", "routing", "stageGates"].reduce((s, a) => s + n(`${a}_observed`), 0)}`,
    );
    const hygiene = await fetch(`${admin.url}/api/admin/portals/${portalId}/hygiene`, {
      headers: { authorization: `Bearer ${admin.token}` },
    })
      .then((r) =>
        r.ok ? (r.json() as Promise<{ contacts?: { average: number | null; firstAverage: number | null; records: number } }>) : null,
      )
      .catch(() => null);
    const h = hygiene?.contacts;
    if (h?.records) parts.push(`hygiene score ${h.firstAverage ?? "?"} → ${h.average ?? "?"} over ${h.records} contacts`);
    const stl = latency.speed_to_lead_ms;
    if (stl?.count) parts.push(`speed-to-lead p50 ${stl.p50} ms, p95 ${stl.p95} ms`);
    const line = parts.join(" | ");
    if (line !== state.last) {
      console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
      state.last = line;
    }
  } catch {
    // the Worker is restarting or stopping; the next tick tries again
  }
}
