import type { CrmError, CrmPort } from "../../../shared/crm-port.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { crmForPortal, type TokenSource } from "../crm/crm-for-portal.ts";
import { loadSettings } from "../settings/repository.ts";

/** A scan page's CRM call said "later": the page goes back on the queue. */
export class ScanRetry extends Error {
  constructor(readonly crmError: CrmError) {
    super(crmError.message);
  }
}

export type ScanPageBase = { portalKey: PortalKey; scanId: string };

/** One kind of portal-wide scan run page by page through the queue (dedupe's index, hygiene's scores). */
export type PagedScan<P extends ScanPageBase, S extends { next: P | null }> = {
  /** The table holding the portal's current scan (`scan_id` by `portal_key`): pages of a replaced scan are dropped. */
  table: "dedupe_scans" | "hygiene_scans";
  run(page: P, deps: { db: D1Database; crm: CrmPort; settings: PortalSettings; now: number }): Promise<S>;
  /** Records the step; false when the scan moved on meanwhile, so no next page is sent. */
  record(db: D1Database, page: P, step: S | { error: string }, now: number): Promise<boolean>;
};

/**
 * Consumes scan pages, one per message, each inside the portal's API budget (calls are reserved from its Durable
 * Object like every other): a busy CRM retries the page later, a finished page enqueues the next, a failure is
 * recorded on the scan.
 */
export async function consumePagedScan<P extends ScanPageBase, S extends { next: P | null }>(
  messages: readonly Message<unknown>[],
  env: Env,
  tokens: TokenSource,
  scan: PagedScan<P, S>,
): Promise<void> {
  for (const msg of messages) {
    const page = msg.body as P;
    const current = await env.DB.prepare(`SELECT scan_id FROM ${scan.table} WHERE portal_key = ?`)
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
      const step = await scan.run(page, { db: env.DB, crm: crm.value, settings, now: Date.now() });
      if ((await scan.record(env.DB, page, step, Date.now())) && step.next) await env.EVENTS.send(step.next, { contentType: "json" });
      msg.ack();
    } catch (cause) {
      if (cause instanceof ScanRetry && cause.crmError.retryable) {
        msg.retry({ delaySeconds: Math.ceil(Math.max(cause.crmError.retryAfterMs ?? 0, 10_000) / 1000) });
        continue;
      }
      await scan.record(env.DB, page, { error: cause instanceof Error ? cause.message : String(cause) }, Date.now());
      msg.ack();
    }
  }
}
