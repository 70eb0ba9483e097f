import { Hono } from "hono";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { AppEnv } from "../app.ts";
import { crmForPortal, type TokenSource } from "../crm/crm-for-portal.ts";
import { ApiError } from "../http/errors.ts";
import { loadSettings } from "../settings/repository.ts";
import {
  type HygieneScanPage,
  HygieneScanRetry,
  hygieneScanProgress,
  recordHygieneScanStep,
  runHygieneScanPage,
  startHygieneScan,
} from "./scan.ts";
import { scoreSummary, scoreTrend } from "./score-store.ts";

/**
 * Consumes hygiene scan pages from the `crm-events` queue, one page per message, inside the portal's API budget
 * (calls are reserved from its Durable Object like every other); a busy CRM retries the page later, a finished page
 * enqueues the next. Pages of a scan that a newer scan replaced are dropped.
 */
export async function consumeHygieneScanPages(messages: readonly Message<unknown>[], env: Env, tokens: TokenSource): Promise<void> {
  for (const msg of messages) {
    const page = msg.body as HygieneScanPage;
    const current = await env.DB.prepare("SELECT scan_id FROM hygiene_scans WHERE portal_key = ?")
      .bind(page.portalKey)
      .first<{ scan_id: string }>();
    if (current?.scan_id !== page.scanId) {
      msg.ack();
      continue;
    }
    const settings = (await loadSettings(env.DB, page.portalKey)).settings;
    const crm = await crmForPortal(env, page.portalKey, settings, tokens);
    try {
      if (!crm.ok) throw new HygieneScanRetry(crm.error);
      const step = await runHygieneScanPage(page, { db: env.DB, crm: crm.value, settings, now: Date.now() });
      if ((await recordHygieneScanStep(env.DB, page, step, Date.now())) && step.next)
        await env.EVENTS.send(step.next, { contentType: "json" });
      msg.ack();
    } catch (cause) {
      if (cause instanceof HygieneScanRetry && cause.crmError.retryable) {
        msg.retry({ delaySeconds: Math.ceil(Math.max(cause.crmError.retryAfterMs ?? 0, 10_000) / 1000) });
        continue;
      }
      await recordHygieneScanStep(env.DB, page, { error: cause instanceof Error ? cause.message : String(cause) }, Date.now());
      msg.ack();
    }
  }
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
