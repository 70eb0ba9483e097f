import type { PortalKey } from "../../../shared/domain/types.ts";
import { crmForPortal, type TokenSource } from "../crm/crm-for-portal.ts";
import { pruneLedger } from "../ledger/event-ledger.ts";
import { pruneOwnWrites } from "../ledger/own-writes.ts";
import { createLogger } from "../lib/logger.ts";
import { loadSettings } from "../settings/repository.ts";
import { findMissedChanges } from "./backfill.ts";
import { enqueueEvents } from "./producer.ts";

export const BACKFILL_CRON = "*/5 * * * *";
export const RETENTION_CRON = "17 3 * * *";
const LATENCY_RETENTION_MS = 30 * 86_400_000;

/** Every 5 minutes: reconcile what webhooks missed and prune the ledger. Daily: retention clean-up. */
export async function runScheduled(cron: string, env: Env, tokens: TokenSource, now = Date.now()): Promise<Record<string, unknown>> {
  const log = createLogger({ cron });
  if (cron === RETENTION_CRON) {
    await env.DB.prepare("DELETE FROM latency_samples WHERE at < ?")
      .bind(now - LATENCY_RETENTION_MS)
      .run();
    await env.DB.prepare("DELETE FROM oauth_states WHERE expires_at < ?").bind(now).run();
    return { retention: true };
  }
  const pruned = { ledger: await pruneLedger(env.DB, now), ownWrites: await pruneOwnWrites(env.DB, now) };
  const installed = await env.DB.prepare("SELECT portal_key FROM portals WHERE status = 'active'").all<{
    portal_key: PortalKey;
  }>();
  const portalKeys = new Set(installed.results.map((r) => r.portal_key));
  // Private-app mode serves one portal that never went through the OAuth install.
  if (env.HUBSPOT_ACCESS_TOKEN && env.HUBSPOT_PORTAL_ID) portalKeys.add(`hubspot:${env.HUBSPOT_PORTAL_ID}`);
  const backfill: Record<string, unknown> = {};
  for (const portalKey of portalKeys) {
    const settings = (await loadSettings(env.DB, portalKey)).settings;
    const crm = await crmForPortal(env, portalKey, settings, tokens);
    if (!crm.ok) {
      log.warn("backfill skipped", { portal: portalKey, reason: crm.error.code });
      continue;
    }
    for (const objectType of ["contacts", "deals"] as const) {
      const { events, result } = await findMissedChanges(env.DB, crm.value, portalKey, objectType, now);
      if (events.length > 0) await enqueueEvents(env.EVENTS, events);
      backfill[`${portalKey}:${objectType}`] = result;
    }
  }
  log.info("scheduled run", { portals: portalKeys.size, prunedLedger: pruned.ledger });
  return { pruned, backfill };
}
