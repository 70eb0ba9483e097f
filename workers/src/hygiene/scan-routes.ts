import { Hono } from "hono";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { AppEnv } from "../app.ts";
import type { TokenSource } from "../crm/crm-for-portal.ts";
import { ApiError } from "../http/errors.ts";
import { consumePagedScan } from "../queue/paged-scan.ts";
import { hygieneScanProgress, recordHygieneScanStep, runHygieneScanPage, startHygieneScan } from "./scan.ts";
import { scoreSummary, scoreTrend } from "./score-store.ts";

/** Consumes hygiene scan pages from the `crm-events` queue (see `consumePagedScan`). */
export async function consumeHygieneScanPages(messages: readonly Message<unknown>[], env: Env, tokens: TokenSource): Promise<void> {
  await consumePagedScan(messages, env, tokens, { table: "hygiene_scans", run: runHygieneScanPage, record: recordHygieneScanStep });
}

/** `/api/admin/portals/:portalId/hygiene…` behind the admin token: start a scan, its progress, the portal's scores. */
export const hygieneAdminRoutes = new Hono<AppEnv>();

function portalKeyOf(raw: string): PortalKey {
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(400, "invalid_portal", `"${raw}" is not a HubSpot portal id`);
  return `hubspot:${raw}`;
}

hygieneAdminRoutes.post("/portals/:portalId/hygiene/scan", async function startScan(c) {
  const page = await startHygieneScan(c.env.DB, portalKeyOf(c.req.param("portalId")), Date.now());
  await c.env.EVENTS.send(page, { contentType: "json" });
  return c.json({ scanId: page.scanId, phase: "running" }, 202);
});

hygieneAdminRoutes.get("/portals/:portalId/hygiene/scan", async function getScanProgress(c) {
  const progress = await hygieneScanProgress(c.env.DB, portalKeyOf(c.req.param("portalId")));
  if (!progress) throw new ApiError(404, "not_found", "No hygiene scan has run for this portal");
  return c.json(progress);
});

/** The scores as they stand: per object, the distribution and the before/after averages; the contacts' daily trend. */
hygieneAdminRoutes.get("/portals/:portalId/hygiene", async function getHygieneSummary(c) {
  const portalKey = portalKeyOf(c.req.param("portalId"));
  const now = Date.now();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return c.json({
    contacts: await scoreSummary(c.env.DB, portalKey, "contacts"),
    companies: await scoreSummary(c.env.DB, portalKey, "companies"),
    trend: await scoreTrend(c.env.DB, portalKey, "contacts", day(now - 30 * 86_400_000), day(now)),
  });
});
