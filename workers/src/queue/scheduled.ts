import type { PortalKey } from "../../../shared/domain/types.ts";
import { crmForPortal, type TokenSource } from "../crm/crm-for-portal.ts";
import { hubspotJournal } from "../crm/hubspot/webhooks-journal.ts";
import { pruneActivityAttempts } from "../engines/activities.ts";
import { pruneLedger } from "../ledger/event-ledger.ts";
import { pruneOwnWrites } from "../ledger/own-writes.ts";
import { createLogger } from "../lib/logger.ts";
import { loadSettings } from "../settings/repository.ts";
import { reconcileObjectType } from "./backfill.ts";
import { backfillFromJournal, type JournalBackfill } from "./journal-backfill.ts";
import { enqueueEvents, recordDeadLetters } from "./producer.ts";

export const BACKFILL_CRON = "*/5 * * * *";
export const RETENTION_CRON = "17 3 * * *";
const LATENCY_RETENTION_MS = 30 * 86_400_000;

/**
 * Every 5 minutes: reconcile what webhooks missed — from the Webhooks Journal for HubSpot portals where it can be
 * read, by searching for modified records otherwise — and prune the ledger. Daily: retention clean-up.
 */
export async function runScheduled(cron: string, env: Env, tokens: TokenSource, now = Date.now()): Promise<Record<string, unknown>> {
  const log = createLogger({ cron });
  if (cron === RETENTION_CRON) {
    await env.DB.prepare("DELETE FROM latency_samples WHERE at < ?")
      .bind(now - LATENCY_RETENTION_MS)
      .run();
    await env.DB.prepare("DELETE FROM oauth_states WHERE expires_at < ?").bind(now).run();
    return { retention: true, activityAttempts: await pruneActivityAttempts(env.DB, now) };
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
    const journal = portalKey.startsWith("hubspot:") ? await journalBackfill(env, portalKey, tokens, now) : null;
    if (journal) {
      backfill[`${portalKey}:journal`] = { status: journal.status, entries: journal.entriesRead, enqueued: journal.events.length };
      const trouble = journal.status === "failed" || journal.status === "blocked" || journal.status === "offset_expired";
      if (journal.detail)
        log[trouble ? "warn" : "info"]("journal backfill", { portal: portalKey, status: journal.status, detail: journal.detail });
    }
    for (const objectType of ["contacts", "deals"] as const) {
      const { events, result } = await reconcileObjectType(env.DB, crm.value, portalKey, objectType, now, journal?.coverage ?? null);
      if (events.length > 0) await enqueueEvents(env.EVENTS, events);
      backfill[`${portalKey}:${objectType}`] = result;
    }
  }
  log.info("scheduled run", { portals: portalKeys.size, prunedLedger: pruned.ledger });
  return { pruned, backfill };
}

/** Reads a HubSpot portal's journal with its token and enqueues what the ledger has not seen. */
async function journalBackfill(env: Env, portalKey: PortalKey, tokens: TokenSource, now: number): Promise<JournalBackfill> {
  const token = await tokens(env, portalKey);
  if (!token.ok) return { status: "unavailable", detail: token.error.message, events: [], dead: [], entriesRead: 0, coverage: null };
  const journal = hubspotJournal({ baseUrl: env.HUBSPOT_API_BASE, accessToken: token.value, portalId: portalKey.slice("hubspot:".length) });
  return backfillFromJournal(env.DB, journal, portalKey, now, async (events, dead) => {
    if (events.length > 0) await enqueueEvents(env.EVENTS, events);
    if (dead.length > 0) await recordDeadLetters(env.DB, dead, now);
  });
}
