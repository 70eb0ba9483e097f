import type { CrmPort } from "../../../shared/crm-port.ts";
import { ADDITIONAL_EMAILS } from "../../../shared/dedupe/merge-plan.ts";
import { prepareContact } from "../../../shared/dedupe/prepare.ts";
import type { PreparedContact } from "../../../shared/dedupe/types.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { saveSnapshots } from "../cards/record-snapshots.ts";
import { ScanRetry } from "../queue/paged-scan.ts";
import { contactToDedupe } from "./contact-fields.ts";
import { indexContacts, matchAndIndexBatch } from "./index-repository.ts";
import { suggestionStatements } from "./suggestions.ts";

/** One page of the portal scan, as it travels through the queue: index pages read the CRM, match pages only D1. */
export type ScanPage = {
  type: "dedupe_scan";
  portalKey: PortalKey;
  scanId: string;
  phase: "index" | "match";
  /** Index phase: contacts modified at or after this time (ms), and HubSpot's search cursor within that window. */
  since: number;
  after?: string;
  /** Match phase: the last contact id matched. */
  lastId?: string;
};

export type ScanStep = { next: ScanPage | null; indexed: number; matched: number; suggestions: number };

/** Search pages beyond 10,000 results are refused: before that, restart the window from the last time seen. */
const SEARCH_WINDOW = 9_800;
const MATCH_PAGE = 100;

export const isScanPage = (body: unknown): body is ScanPage =>
  typeof body === "object" && body !== null && (body as { type?: unknown }).type === "dedupe_scan";

/** Thrown when the CRM asks us to come back later; the consumer retries the page. */

/** Runs one page: index up to 200 contacts read from the CRM (3 API calls), or match 100 indexed contacts (D1 only). */
export async function runScanPage(
  page: ScanPage,
  deps: { db: D1Database; crm: CrmPort; settings: PortalSettings; now: number },
): Promise<ScanStep> {
  return page.phase === "index" ? indexPage(page, deps) : matchPage(page, deps);
}

async function indexPage(page: ScanPage, deps: { db: D1Database; crm: CrmPort; now: number }): Promise<ScanStep> {
  const ids = await deps.crm.modifiedSince("contacts", page.since, page.after);
  if (!ids.ok) throw new ScanRetry(ids.error);
  const read = ids.value.ids.length > 0 ? await deps.crm.read("contacts", ids.value.ids, { properties: [ADDITIONAL_EMAILS] }) : null;
  if (read && !read.ok) throw new ScanRetry(read.error);
  const loaded = read?.ok ? read.value : new Map();
  const prepared: PreparedContact[] = [];
  for (const [id, l] of loaded) if (l.record.id === id) prepared.push(prepareContact(contactToDedupe(l.record)));
  await saveSnapshots(deps.db, page.portalKey, "contacts", loaded, deps.now);
  const indexed = await indexContacts(deps.db, page.portalKey, prepared, deps.now);
  const step = { indexed, matched: 0, suggestions: 0 };
  const next = ids.value.next;
  if (!next) return { ...step, next: { ...page, phase: "match", since: page.since, lastId: "" } };
  if (Number(next) < SEARCH_WINDOW) return { ...step, next: { ...page, after: next } };
  const latest = Math.max(page.since, ...ids.value.modifiedAt);
  // More than a search window of contacts share one modification time: paging cannot move on.
  if (latest <= page.since) throw new Error("more than 10,000 contacts share one modification time; the scan cannot page past them");
  return { ...step, next: { ...page, since: latest, after: undefined } };
}

async function matchPage(page: ScanPage, deps: { db: D1Database; settings: PortalSettings; now: number }): Promise<ScanStep> {
  const rows = await deps.db
    .prepare("SELECT contact_id, fields FROM dedupe_contacts WHERE portal_key = ? AND contact_id > ? ORDER BY contact_id LIMIT ?")
    .bind(page.portalKey, page.lastId ?? "", MATCH_PAGE)
    .all<{ contact_id: string; fields: string }>();
  const contacts = rows.results.map((row) => JSON.parse(row.fields) as PreparedContact);
  const found = await matchAndIndexBatch(deps.db, page.portalKey, contacts, deps.settings.dedupe.thresholds, deps.now);
  const writes = contacts.flatMap((c, i) => {
    const matches = found[i] ?? [];
    return matches.length > 0 ? suggestionStatements(deps.db, page.portalKey, c.id, matches, deps.now) : [];
  });
  if (writes.length > 0) await deps.db.batch(writes);
  const suggestions = found.reduce((n, matches) => n + matches.length, 0);
  const last = rows.results.at(-1)?.contact_id;
  const next = rows.results.length === MATCH_PAGE && last ? { ...page, lastId: last } : null;
  return { next, indexed: 0, matched: rows.results.length, suggestions };
}

/** Starts (or restarts) a portal's scan: its progress row, and the first page to enqueue. */
export async function startScan(db: D1Database, portalKey: PortalKey, now: number): Promise<ScanPage> {
  const scanId = crypto.randomUUID();
  await db
    .prepare(
      `INSERT INTO dedupe_scans (portal_key, scan_id, phase, started_at, updated_at) VALUES (?, ?, 'index', ?, ?)
       ON CONFLICT (portal_key) DO UPDATE SET scan_id = excluded.scan_id, phase = 'index', started_at = excluded.started_at,
         updated_at = excluded.updated_at, pages = 0, indexed = 0, matched = 0, suggestions = 0, last_error = NULL`,
    )
    .bind(portalKey, scanId, now, now)
    .run();
  return { type: "dedupe_scan", portalKey, scanId, phase: "index", since: 0 };
}

/** Records a page's progress; false when a newer scan replaced this one (its pages are dropped). */
export async function recordScanStep(db: D1Database, page: ScanPage, step: ScanStep | { error: string }, now: number): Promise<boolean> {
  const phase = "error" in step ? "failed" : step.next ? step.next.phase : "done";
  const counts = "error" in step ? { indexed: 0, matched: 0, suggestions: 0 } : step;
  const result = await db
    .prepare(
      `UPDATE dedupe_scans SET phase = ?, updated_at = ?, pages = pages + 1, indexed = indexed + ?, matched = matched + ?,
         suggestions = suggestions + ?, last_error = ? WHERE portal_key = ? AND scan_id = ?`,
    )
    .bind(phase, now, counts.indexed, counts.matched, counts.suggestions, "error" in step ? step.error : null, page.portalKey, page.scanId)
    .run();
  return (result.meta.changes ?? 0) > 0;
}

export { ScanRetry };
