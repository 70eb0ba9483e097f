import { Hono } from "hono";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { CrmEvent } from "../../../shared/events/types.ts";
import { parsePortalSettings } from "../../../shared/settings/portal-settings.ts";
import type { AppEnv } from "../app.ts";
import { uninstallPortal } from "../auth/uninstall.ts";
import { hubspotEventToCrmEvent } from "../crm/hubspot/webhook-events.ts";
import { ApiError } from "../http/errors.ts";
import { percentile, summarizeMetrics } from "../lib/metrics.ts";
import { enqueueEvents } from "../queue/producer.ts";
import { listSettingsVersions, loadSettings, saveSettings } from "../settings/repository.ts";
import { readBodyWithin } from "../webhooks/body.ts";
import { salesforceOutboundSecret } from "../webhooks/salesforce-intake.ts";

const MAX_SETTINGS_BYTES = 256 * 1024;

/** Admin API (settings as code, metrics, dead letters); mounted behind `requireAdminToken()`. */
export const adminRoutes = new Hono<AppEnv>();

function portalKeyParam(raw: string): PortalKey {
  if (/^\d{1,15}$/.test(raw)) return `hubspot:${raw}`;
  if (/^salesforce:00D[0-9A-Za-z]{12,15}$/.test(raw)) return raw as PortalKey;
  throw new ApiError(400, "invalid_portal", `"${raw}" is neither a HubSpot portal id nor salesforce:<orgId>`);
}

adminRoutes.get("/portals/:portalId/settings", async (c) => {
  const current = await loadSettings(c.env.DB, portalKeyParam(c.req.param("portalId")));
  return c.json(current);
});

adminRoutes.put("/portals/:portalId/settings", async (c) => {
  const portalKey = portalKeyParam(c.req.param("portalId"));
  const body = await readBodyWithin(c.req.raw, MAX_SETTINGS_BYTES);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new ApiError(400, "invalid_json", "The settings document is not valid JSON");
  }
  const parsed = parsePortalSettings(doc);
  if (!parsed.ok) throw new ApiError(400, "invalid_settings", "The settings document is invalid", { problems: parsed.problems });
  const version = await saveSettings(c.env.DB, portalKey, parsed.value, "admin-api", c.req.header("X-Change-Note") ?? null, Date.now());
  return c.json({ version, settings: parsed.value });
});

/** Uninstall: deletes everything stored for the portal, in every portal-keyed table. */
adminRoutes.delete("/portals/:portalId", async (c) => {
  const portalKey = portalKeyParam(c.req.param("portalId"));
  const report = await uninstallPortal(c.env, portalKey);
  await c.env.PORTAL.get(c.env.PORTAL.idFromName(portalKey)).forgetEverything();
  return c.json(report);
});

adminRoutes.get("/portals/:portalId/settings/versions", async (c) => {
  return c.json({ versions: await listSettingsVersions(c.env.DB, portalKeyParam(c.req.param("portalId"))) });
});

adminRoutes.get("/portals/:portalId/metrics", async (c) => {
  const days = Math.min(90, Math.max(1, Math.trunc(Number(c.req.query("days") ?? "7")) || 7));
  const since = Date.now() - days * 86_400_000;
  const portalKey = portalKeyParam(c.req.param("portalId"));
  const summary = await summarizeMetrics(c.env.DB, portalKey, new Date(since).toISOString().slice(0, 10), since);
  // Speed-to-lead comes from the routing decisions themselves (creation to owner decided, leads actually written).
  const leads = await c.env.DB.prepare(
    `SELECT speed_to_lead_ms AS ms FROM routing_decisions WHERE portal_key = ? AND decided_at >= ? AND kind = 'initial'
     AND outcome = 'assigned' AND mode = 'auto' AND speed_to_lead_ms IS NOT NULL ORDER BY ms`,
  )
    .bind(portalKey, since)
    .all<{ ms: number }>();
  const ms = leads.results.map((r) => r.ms);
  // What the product did, counted where each engine keeps its decisions.
  const [blocked, flagged, merged] = await c.env.DB.batch<{ n: number }>([
    c.env.DB.prepare(
      "SELECT COUNT(*) AS n FROM stage_gate_decisions WHERE portal_key = ? AND verdict = 'blocked' AND decided_at >= ?",
    ).bind(portalKey, since),
    c.env.DB.prepare("SELECT COUNT(*) AS n FROM dedupe_suggestions WHERE portal_key = ? AND suggested_at >= ?").bind(portalKey, since),
    c.env.DB.prepare(
      "SELECT COUNT(*) AS n FROM audit_log WHERE portal_key = ? AND action = 'merge' AND status = 'applied' AND created_at >= ?",
    ).bind(portalKey, since),
  ]);
  summary.counters.stage_moves_blocked = blocked?.results[0]?.n ?? 0;
  summary.counters.duplicates_flagged = flagged?.results[0]?.n ?? 0;
  summary.counters.duplicates_merged = merged?.results[0]?.n ?? 0;
  summary.counters.owners_assigned = ms.length;
  summary.latency.speed_to_lead_ms = { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), count: ms.length };
  return c.json(summary);
});

/** The processed-event ledger for a portal: how many events arrived, how many are done, by outcome. */
adminRoutes.get("/portals/:portalId/ledger", async (c) => {
  const rows = await c.env.DB.prepare(
    "SELECT COALESCE(outcome, 'pending') AS outcome, COUNT(*) AS n FROM event_ledger WHERE portal_key = ? GROUP BY outcome",
  )
    .bind(portalKeyParam(c.req.param("portalId")))
    .all<{ outcome: string; n: number }>();
  const byOutcome = Object.fromEntries(rows.results.map((r) => [r.outcome, r.n]));
  const received = rows.results.reduce((sum, r) => sum + r.n, 0);
  return c.json({ received, processed: received - (byOutcome.pending ?? 0), pending: byOutcome.pending ?? 0, byOutcome });
});

adminRoutes.get("/dead-letters", async (c) => {
  const limit = Math.min(500, Math.max(1, Math.trunc(Number(c.req.query("limit") ?? "100")) || 100));
  const portal = c.req.query("portal");
  const rows = await c.env.DB.prepare(
    `SELECT id, portal_key, source, reason_code, reason, created_at, replayed_at, times_seen, last_seen_at FROM dead_letters
     WHERE (?1 IS NULL OR portal_key = ?1) ORDER BY id DESC LIMIT ?2`,
  )
    .bind(portal ? portalKeyParam(portal) : null, limit)
    .all();
  return c.json({ deadLetters: rows.results });
});

/** Replays dead letters: CrmEvents go back on the queue as they were; raw HubSpot events are mapped again. */
adminRoutes.post("/dead-letters/replay", async (c) => {
  const body = (await c.req.json().catch(() => null)) as { ids?: unknown } | null;
  const ids = Array.isArray(body?.ids) ? body.ids.filter((x): x is number => Number.isInteger(x)).slice(0, 90) : null;
  if (!ids || ids.length === 0) throw new ApiError(400, "invalid_request", 'Send {"ids": [dead-letter ids]} (at most 90 per call)');
  const rows = await c.env.DB.prepare(
    `SELECT id, payload FROM dead_letters WHERE replayed_at IS NULL AND id IN (${ids.map(() => "?").join(", ")})`,
  )
    .bind(...ids)
    .all<{ id: number; payload: string }>();
  const events: CrmEvent[] = [];
  const skipped: Array<{ id: number; reason: string }> = [];
  for (const row of rows.results) {
    const payload = JSON.parse(row.payload) as Partial<CrmEvent>;
    if (typeof payload.portalKey === "string" && typeof payload.objectType === "string") {
      events.push({ ...(payload as CrmEvent), origin: "replay" });
      continue;
    }
    const mapped = hubspotEventToCrmEvent(payload);
    if (mapped.ok) events.push({ ...mapped.value, origin: "replay" });
    else skipped.push({ id: row.id, reason: mapped.error.message });
  }
  await enqueueEvents(c.env.EVENTS, events);
  const replayedIds = rows.results.map((r) => r.id).filter((id) => !skipped.some((s) => s.id === id));
  if (replayedIds.length > 0) {
    await c.env.DB.prepare(`UPDATE dead_letters SET replayed_at = ? WHERE id IN (${replayedIds.map(() => "?").join(", ")})`)
      .bind(Date.now(), ...replayedIds)
      .run();
  }
  return c.json({ replayed: replayedIds.length, skipped });
});

adminRoutes.get("/salesforce/:orgId/outbound-url", async (c) => {
  const orgId = c.req.param("orgId");
  if (!/^00D[0-9A-Za-z]{12,15}$/.test(orgId)) throw new ApiError(400, "invalid_org", "Not a Salesforce org id");
  const secret = await salesforceOutboundSecret(c.env.TOKEN_ENCRYPTION_KEY, orgId);
  return c.json({ url: `${c.env.PUBLIC_BASE_URL}/webhooks/salesforce/${orgId}/${secret}` });
});
