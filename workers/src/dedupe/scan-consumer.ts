import { Hono } from "hono";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { AppEnv } from "../app.ts";
import { crmForPortal, type TokenSource } from "../crm/crm-for-portal.ts";
import { ApiError } from "../http/errors.ts";
import { loadSettings } from "../settings/repository.ts";
import { recordScanStep, runScanPage, type ScanPage, ScanRetry, startScan } from "./scan.ts";

/**
 * Consumes dedupe scan pages from the `crm-events` queue: one page per message, each inside the portal's API budget
 * (calls are reserved from its Durable Object like every other); a busy CRM retries the page later, a finished page
 * enqueues the next. Pages of a scan that a newer scan replaced are dropped.
 */
export async function consumeScanPages(messages: readonly Message<unknown>[], env: Env, tokens: TokenSource): Promise<void> {
  for (const msg of messages) {
    const page = msg.body as ScanPage;
    const current = await env.DB.prepare("SELECT scan_id FROM dedupe_scans WHERE portal_key = ?")
      .bind(page.portalKey)
      .first<{ scan_id: string }>();
    if (current?.scan_id !== page.scanId) {
      msg.ack();
      continue;
    }
    const settings = (await loadSettings(env.DB, page.portalKey)).settings;
    const crm = await crmForPortal(env, page.portalKey, settings, tokens);
    try {
      if (!crm.ok) throw new ScanRetry(crm.error);
      const step = await runScanPage(page, { db: env.DB, crm: crm.value, settings, now: Date.now() });
      if ((await recordScanStep(env.DB, page, step, Date.now())) && step.next) await env.EVENTS.send(step.next, { contentType: "json" });
      msg.ack();
    } catch (cause) {
      if (cause instanceof ScanRetry && cause.crmError.retryable) {
        msg.retry({ delaySeconds: Math.ceil(Math.max(cause.crmError.retryAfterMs ?? 0, 10_000) / 1000) });
        continue;
      }
      await recordScanStep(env.DB, page, { error: cause instanceof Error ? cause.message : String(cause) }, Date.now());
      msg.ack();
    }
  }
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
