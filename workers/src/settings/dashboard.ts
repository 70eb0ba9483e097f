import type { DashboardResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { scoreSummary, scoreTrend } from "../hygiene/score-store.ts";
import { percentile } from "../lib/metrics.ts";

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The leaders' numbers for a date range, from what the engines keep in D1: no CRM call. */
export async function dashboard(
  db: D1Database,
  portalKey: PortalKey,
  settings: PortalSettings,
  range: { from: number; to: number },
): Promise<DashboardResponse> {
  const { from, to } = range;
  const [decisions, dedupe, gates, suggestions] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT owner_id, decided_at, speed_to_lead_ms, sla_status FROM routing_decisions
         WHERE portal_key = ? AND decided_at BETWEEN ? AND ? AND kind = 'initial' AND outcome = 'assigned' AND mode = 'auto'`,
      )
      .bind(portalKey, from, to),
    db
      .prepare(
        `SELECT created_at, action, status, undone_at FROM audit_log
         WHERE portal_key = ? AND automation = 'dedupe' AND created_at BETWEEN ? AND ? AND action = 'merge'`,
      )
      .bind(portalKey, from, to),
    db
      .prepare(
        `SELECT pipeline_id, from_stage, to_stage, actor_user_id FROM stage_gate_decisions
         WHERE portal_key = ? AND verdict = 'blocked' AND decided_at BETWEEN ? AND ?`,
      )
      .bind(portalKey, from, to),
    db
      .prepare("SELECT suggested_at FROM dedupe_suggestions WHERE portal_key = ? AND suggested_at BETWEEN ? AND ?")
      .bind(portalKey, from, to),
  ]);
  const rows = (decisions?.results ?? []) as Array<{
    owner_id: string | null;
    decided_at: number;
    speed_to_lead_ms: number | null;
    sla_status: string;
  }>;
  const byDay = new Map<string, number[]>();
  for (const r of rows)
    if (r.speed_to_lead_ms !== null) byDay.set(day(r.decided_at), [...(byDay.get(day(r.decided_at)) ?? []), r.speed_to_lead_ms]);
  const series = [...byDay]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, ms]) => {
      const sorted = ms.sort((a, b) => a - b);
      return { date, p50Minutes: (percentile(sorted, 0.5) ?? 0) / 60_000, p95Minutes: (percentile(sorted, 0.95) ?? 0) / 60_000 };
    });
  const judged = rows.filter((r) => r.sla_status === "met" || r.sla_status === "breached");
  const reps = settings.routing.reps;
  const totalWeight = reps.reduce((s, r) => s + r.weight, 0) || 1;
  const counts = new Map<string, number>();
  for (const r of rows) if (r.owner_id) counts.set(r.owner_id, (counts.get(r.owner_id) ?? 0) + 1);
  const owners = new Set([...reps.map((r) => r.ownerId), ...counts.keys()]);
  const leadsPerRep = [...owners].map((ownerId) => {
    const rep = reps.find((r) => r.ownerId === ownerId);
    const leads = counts.get(ownerId) ?? 0;
    return {
      ownerId,
      name: rep?.name ?? `Owner ${ownerId}`,
      leads,
      share: rows.length ? leads / rows.length : 0,
      targetShare: rep ? rep.weight / totalWeight : 0,
    };
  });

  const audit = (dedupe?.results ?? []) as Array<{ created_at: number; action: string; status: string; undone_at: number | null }>;
  const dupSeries = new Map<string, { merged: number; flagged: number; undone: number }>();
  const bump = (date: string, k: "merged" | "flagged" | "undone") => {
    const e = dupSeries.get(date) ?? { merged: 0, flagged: 0, undone: 0 };
    e[k]++;
    dupSeries.set(date, e);
  };
  for (const a of audit) {
    if (a.status === "applied" || a.undone_at) bump(day(a.created_at), "merged");
    if (a.undone_at) bump(day(a.undone_at), "undone");
  }
  for (const sug of (suggestions?.results ?? []) as Array<{ suggested_at: number }>) bump(day(sug.suggested_at), "flagged");
  const sum = (k: "merged" | "flagged" | "undone") => [...dupSeries.values()].reduce((s, e) => s + e[k], 0);

  const blocked = (gates?.results ?? []) as Array<{
    pipeline_id: string;
    from_stage: string | null;
    to_stage: string;
    actor_user_id: string | null;
  }>;
  const byRule = new Map<string, number>();
  const byRep = new Map<string, number>();
  for (const b of blocked) {
    const rule = `${b.pipeline_id}: ${b.from_stage ?? "entry"} → ${b.to_stage}`;
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    const who = b.actor_user_id ?? "workflow or integration";
    byRep.set(who, (byRep.get(who) ?? 0) + 1);
  }
  const hygiene = await scoreSummary(db, portalKey, "contacts");
  return {
    range: { from: day(from), to: day(to) },
    speedToLead: {
      series,
      slaShare: judged.length ? judged.filter((r) => r.sla_status === "met").length / judged.length : 0,
      slaMinutes: settings.routing.slaMinutes ?? 0,
    },
    leadsPerRep,
    hygiene: { distribution: hygiene.distribution, trend: await scoreTrend(db, portalKey, "contacts", day(from), day(to)) },
    duplicates: {
      merged: sum("merged"),
      flagged: sum("flagged"),
      undone: sum("undone"),
      series: [...dupSeries].sort(([a], [b]) => a.localeCompare(b)).map(([date, e]) => ({ date, ...e })),
    },
    stageMovesBlocked: {
      byRule: [...byRule].map(([rule, count]) => ({ rule, count })).sort((a, b) => b.count - a.count),
      byRep: [...byRep]
        .map(([ownerId, count]) => ({ ownerId, name: ownerId.startsWith("workflow") ? ownerId : `User ${ownerId}`, count }))
        .sort((a, b) => b.count - a.count),
    },
  };
}

/** The query's range, defaulting to the last 30 days; an unreadable date is a 400 upstream. */
export function dashboardRange(q: { from?: string; to?: string }, now: number): { from: number; to: number } | null {
  const to = q.to ? Date.parse(q.to) + DAY_MS - 1 : now;
  const from = q.from ? Date.parse(q.from) : to - 30 * DAY_MS;
  return Number.isFinite(from) && Number.isFinite(to) && from <= to ? { from, to } : null;
}
