import type { CrmPort } from "../../../shared/crm-port.ts";
import type { Contact, PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { ScanRetry as HygieneScanRetry } from "../queue/paged-scan.ts";
import { extraProperties } from "./fields.ts";
import { scoreRecord } from "./plan.ts";
import { scoringContexts } from "./record-context.ts";
import { type ScoreSummary, saveScores, scoreSummary, trendStatement } from "./score-store.ts";

/** One page of the portal's hygiene scan as it travels through the queue: up to 200 contacts, 3 API calls. */
export type HygieneScanPage = {
  type: "hygiene_scan";
  portalKey: PortalKey;
  scanId: string;
  /** Contacts modified at or after this time (ms), and the CRM's search cursor within that window. */
  since: number;
  after?: string;
};

export type HygieneScanStep = { next: HygieneScanPage | null; scored: number; safeFixes: number };

/** Search pages beyond 10,000 results are refused: before that, restart the window from the last time seen. */
const SEARCH_WINDOW = 9_800;

export const isHygieneScanPage = (body: unknown): body is HygieneScanPage =>
  typeof body === "object" && body !== null && (body as { type?: unknown }).type === "hygiene_scan";

/** Thrown when the CRM asks us to come back later; the consumer retries the page. */

/** Scores one page of contacts (read from the CRM, oldest change first) and stores their scores. */
export async function runHygieneScanPage(
  page: HygieneScanPage,
  deps: { db: D1Database; crm: CrmPort; settings: PortalSettings; now: number },
): Promise<HygieneScanStep> {
  const ids = await deps.crm.modifiedSince("contacts", page.since, page.after);
  if (!ids.ok) throw new HygieneScanRetry(ids.error);
  const properties = extraProperties("contacts", deps.settings.hygiene);
  const read = ids.value.ids.length > 0 ? await deps.crm.read("contacts", ids.value.ids, { properties }) : null;
  if (read && !read.ok) throw new HygieneScanRetry(read.error);
  const contacts: Contact[] = [];
  // An id merged into another answers with the survivor, which its own page scores.
  for (const [id, l] of read?.ok ? read.value : []) if (l.record.id === id) contacts.push(l.record);
  const contexts = await scoringContexts(deps.db, page.portalKey, "contacts", contacts, deps.now);
  const reports = contacts.map((c) => scoreRecord("contacts", c, deps.settings.hygiene, contexts.get(c.id) ?? { now: deps.now }));
  await saveScores(deps.db, page.portalKey, reports, deps.now);
  const safeFixes = reports.reduce((n, r) => n + r.findings.filter((f) => f.fix?.safe).length, 0);
  const step = { scored: reports.length, safeFixes };
  const next = ids.value.next;
  if (!next) {
    await trendStatement(deps.db, page.portalKey, "contacts", deps.now, 0).run();
    return { ...step, next: null };
  }
  if (Number(next) < SEARCH_WINDOW) return { ...step, next: { ...page, after: next } };
  const latest = Math.max(page.since, ...ids.value.modifiedAt);
  // More than a search window of contacts share one modification time: paging cannot move on.
  if (latest <= page.since) throw new Error("more than 10,000 contacts share one modification time; the scan cannot page past them");
  return { ...step, next: { ...page, since: latest, after: undefined } };
}

/** Starts (or restarts) a portal's scan: its progress row, and the first page to enqueue. */
export async function startHygieneScan(db: D1Database, portalKey: PortalKey, now: number): Promise<HygieneScanPage> {
  const scanId = crypto.randomUUID();
  await db
    .prepare(
      `INSERT INTO hygiene_scans (portal_key, scan_id, phase, started_at, updated_at) VALUES (?, ?, 'running', ?, ?)
       ON CONFLICT (portal_key) DO UPDATE SET scan_id = excluded.scan_id, phase = 'running', started_at = excluded.started_at,
         updated_at = excluded.updated_at, pages = 0, scored = 0, safe_fixes = 0, last_error = NULL`,
    )
    .bind(portalKey, scanId, now, now)
    .run();
  return { type: "hygiene_scan", portalKey, scanId, since: 0 };
}

/** Records a page's progress; false when a newer scan replaced this one (its pages are dropped). */
export async function recordHygieneScanStep(
  db: D1Database,
  page: HygieneScanPage,
  step: HygieneScanStep | { error: string },
  now: number,
): Promise<boolean> {
  const failed = "error" in step;
  const result = await db
    .prepare(
      `UPDATE hygiene_scans SET phase = ?, updated_at = ?, pages = pages + 1, scored = scored + ?, safe_fixes = safe_fixes + ?,
         last_error = ? WHERE portal_key = ? AND scan_id = ?`,
    )
    .bind(
      failed ? "failed" : step.next ? "running" : "done",
      now,
      failed ? 0 : step.scored,
      failed ? 0 : step.safeFixes,
      failed ? step.error : null,
      page.portalKey,
      page.scanId,
    )
    .run();
  return (result.meta.changes ?? 0) > 0;
}

export type HygieneScanProgress = {
  scanId: string;
  phase: "running" | "done" | "failed";
  startedAt: string;
  updatedAt: string;
  pages: number;
  scored: number;
  /** Safe fixes found on the scanned contacts (applied only where an admin set the field to auto, on the next change). */
  safeFixes: number;
  lastError: string | null;
  /** The portal's contacts' latest scores: distribution, average, and the average of first scores (before our fixes). */
  contacts: ScoreSummary;
};

/** The portal's scan progress with the contacts' score distribution; null when no scan ever ran. */
export async function hygieneScanProgress(db: D1Database, portalKey: PortalKey): Promise<HygieneScanProgress | null> {
  const row = await db
    .prepare("SELECT scan_id, phase, started_at, updated_at, pages, scored, safe_fixes, last_error FROM hygiene_scans WHERE portal_key = ?")
    .bind(portalKey)
    .first<{
      scan_id: string;
      phase: HygieneScanProgress["phase"];
      started_at: number;
      updated_at: number;
      pages: number;
      scored: number;
      safe_fixes: number;
      last_error: string | null;
    }>();
  if (!row) return null;
  return {
    scanId: row.scan_id,
    phase: row.phase,
    startedAt: new Date(row.started_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    pages: row.pages,
    scored: row.scored,
    safeFixes: row.safe_fixes,
    lastError: row.last_error,
    contacts: await scoreSummary(db, portalKey, "contacts"),
  };
}

export { HygieneScanRetry };
