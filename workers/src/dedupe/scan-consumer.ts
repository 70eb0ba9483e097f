import { Hono } from "hono";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { AppEnv } from "../app.ts";
import type { TokenSource } from "../crm/crm-for-portal.ts";
import { ApiError } from "../http/errors.ts";
import { consumePagedScan } from "../queue/paged-scan.ts";
import { recordScanStep, runScanPage, startScan } from "./scan.ts";

/** Consumes dedupe scan pages from the `crm-events` queue (see `consumePagedScan`). */
export async function consumeScanPages(messages: readonly Message<unknown>[], env: Env, tokens: TokenSource): Promise<void> {
  await consumePagedScan(messages, env, tokens, { table: "dedupe_scans", run: runScanPage, record: recordScanStep });
}

/** `POST /api/admin/portals/:portalId/dedupe/scan` starts a scan; `GET` reports its progress. Behind the admin token. */
export const dedupeAdminRoutes = new Hono<AppEnv>();

function portalKeyOf(raw: string): PortalKey {
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(400, "invalid_portal", `"${raw}" is not a HubSpot portal id`);
  return `hubspot:${raw}`;
}

dedupeAdminRoutes.post("/portals/:portalId/dedupe/scan", async function startDedupeScan(c) {
  const page = await startScan(c.env.DB, portalKeyOf(c.req.param("portalId")), Date.now());
  await c.env.EVENTS.send(page, { contentType: "json" });
  return c.json({ scanId: page.scanId, phase: page.phase }, 202);
});

dedupeAdminRoutes.get("/portals/:portalId/dedupe/scan", async function getDedupeScan(c) {
  const row = await c.env.DB.prepare("SELECT * FROM dedupe_scans WHERE portal_key = ?")
    .bind(portalKeyOf(c.req.param("portalId")))
    .first();
  if (!row) throw new ApiError(404, "not_found", "No dedupe scan has run for this portal");
  return c.json(row);
});
