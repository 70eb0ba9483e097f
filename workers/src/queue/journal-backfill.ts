import type { PortalKey } from "../../../shared/domain/types.ts";
import { type CrmEvent, type DeadLetter, eventKey } from "../../../shared/events/types.ts";
import { hubspotEventToCrmEvent } from "../crm/hubspot/webhook-events.ts";
import type { HubspotJournal } from "../crm/hubspot/webhooks-journal.ts";
import { BACKFILL_GRACE_MS, type JournalCoverage } from "./backfill.ts";
import { type JournalEvents, readJournalAfter } from "./journal-read.ts";

export type JournalStatus = "started" | "read" | "empty" | "unavailable" | "failed" | "offset_expired" | "blocked";

export type JournalBackfill = {
  status: JournalStatus;
  detail?: string;
  /** Events no ledger entry covers, as the intake would have enqueued them (origin `backfill`). */
  events: CrmEvent[];
  /** Journal events the product cannot use, dead-lettered as the intake does (a webhook copy counts as a repeat). */
  dead: DeadLetter[];
  entriesRead: number;
  /** Set when the journal was read this run; the search-based reconciliation uses it to stand down. */
  coverage: JournalCoverage | null;
};

type Checkpoint = { journal_offset: string | null; covered_from: number | null };

/** Hands on what the journal yielded (enqueue, dead-letter); the offset moves only after it resolves. */
export type Deliver = (events: readonly CrmEvent[], dead: readonly DeadLetter[]) => Promise<void>;

/**
 * Backfills a HubSpot portal from its Webhooks Journal: reads the entries after the stored offset and delivers the
 * events the ledger has not seen. Without an offset (first run, or it expired) it starts at the newest entry, or reads
 * from the earliest once it found the journal empty; the search-based reconciliation covers what came before (its
 * checkpoint must pass `coveredFrom`).
 */
export async function backfillFromJournal(
  db: D1Database,
  journal: HubspotJournal,
  portalKey: PortalKey,
  now: number,
  deliver: Deliver,
): Promise<JournalBackfill> {
  const cp = await db
    .prepare("SELECT journal_offset, covered_from FROM journal_checkpoints WHERE portal_key = ?")
    .bind(portalKey)
    .first<Checkpoint>();
  // No offset: a first run positions at the newest entry, unless the journal was found empty (then it covers every
  // change since, and is read from its earliest entry until one is read).
  const fromEarliest = !cp?.journal_offset && cp?.covered_from != null;
  if (!cp?.journal_offset && !fromEarliest) return start(db, journal, portalKey, now);

  const read = await readJournalAfter(journal, cp?.journal_offset || null, now, BACKFILL_GRACE_MS);
  if (!read.ok) {
    if (read.error.code === "offset_expired") {
      const restarted = await start(db, journal, portalKey, now);
      return { ...restarted, status: "offset_expired", detail: `${read.error.message}; restarted: ${restarted.status}` };
    }
    await save(db, portalKey, now, { status: read.error.code, detail: read.error.message });
    return empty(read.error.code, read.error.message);
  }
  const { events, dead } = toCrmEvents(portalKey, read.value);
  const unseen = await notInLedger(db, portalKey, events, now);
  if (unseen.length > 0 || dead.length > 0) await deliver(unseen, dead);
  const status: JournalStatus = read.value.blockedBy ? "blocked" : "read";
  const detail = read.value.blockedBy ?? undefined;
  const coveredFrom = cp?.covered_from ?? now;
  await save(db, portalKey, now, {
    status,
    detail,
    offset: read.value.offset || null,
    coveredFrom,
    entriesRead: read.value.entriesRead,
    enqueued: unseen.length,
  });
  // A blocked journal cannot promise anything past the entry it is stuck on: the search keeps reconciling meanwhile.
  const coverage = read.value.blockedBy ? null : { coveredFrom, coveredUntil: read.value.coveredUntil };
  return { status, ...(detail ? { detail } : {}), events: unseen, dead, entriesRead: read.value.entriesRead, coverage };
}

/** Positions a portal's journal at its newest entry; what came before is the search's to reconcile. */
async function start(db: D1Database, journal: HubspotJournal, portalKey: PortalKey, now: number): Promise<JournalBackfill> {
  const latest = await journal.latest();
  if (!latest.ok) {
    await save(db, portalKey, now, { status: latest.error.code, detail: latest.error.message, offset: null });
    return empty(latest.error.code, latest.error.message);
  }
  if (!latest.value) {
    // Every change from now on is journaled: the next run reads from the earliest entry.
    await save(db, portalKey, now, { status: "empty", offset: null, coveredFrom: now });
    return empty("empty");
  }
  await save(db, portalKey, now, { status: "started", offset: latest.value.offset, coveredFrom: now });
  return empty("started");
}

function empty(status: JournalStatus, detail?: string): JournalBackfill {
  return { status, ...(detail ? { detail } : {}), events: [], dead: [], entriesRead: 0, coverage: null };
}

function toCrmEvents(portalKey: PortalKey, read: JournalEvents): { events: CrmEvent[]; dead: DeadLetter[] } {
  const events: CrmEvent[] = [];
  const dead: DeadLetter[] = [];
  for (const { entry, index, raw } of read.events) {
    const mapped = hubspotEventToCrmEvent(raw);
    const where = `journal entry ${entry} event ${index}`;
    if (!mapped.ok) {
      dead.push({ portalKey, source: "hubspot", reasonCode: mapped.error.code, reason: `${where}: ${mapped.error.message}`, payload: raw });
    } else if (mapped.value.portalKey !== portalKey) {
      dead.push({ portalKey, source: "hubspot", reasonCode: "wrong_portal", reason: `${where}: not ${portalKey}`, payload: raw });
    } else events.push({ ...mapped.value, origin: "backfill" });
  }
  return { events, dead };
}

/**
 * The events the ledger has not seen through (each once), 24 keys per statement and one round trip: never recorded, or
 * claimed over the grace period ago and never finished (its batch was lost, e.g. a Worker restart with a local queue).
 * One still waiting out a retry is enqueued again as well; the ledger makes whichever copy comes second a duplicate.
 */
async function notInLedger(db: D1Database, portalKey: PortalKey, events: readonly CrmEvent[], now: number): Promise<CrmEvent[]> {
  const unique = [...new Map(events.map((e) => [eventKey(e), e])).values()];
  if (unique.length === 0) return [];
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < unique.length; i += 24) {
    const chunk = unique.slice(i, i + 24);
    statements.push(
      db
        .prepare(
          `SELECT subscription_type, object_id, event_id, occurred_at FROM event_ledger WHERE portal_key = ?
           AND (processed_at IS NOT NULL OR received_at > ?)
           AND (subscription_type, object_id, event_id, occurred_at) IN (VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")})`,
        )
        .bind(portalKey, now - BACKFILL_GRACE_MS, ...chunk.flatMap((e) => [e.subscriptionType, e.objectId, e.eventId, e.occurredAt])),
    );
  }
  const results = await db.batch<{ subscription_type: string; object_id: string; event_id: string; occurred_at: number }>(statements);
  const seen = new Set(
    results.flatMap((r) =>
      r.results.map((row) =>
        eventKey({
          portalKey,
          subscriptionType: row.subscription_type,
          objectId: row.object_id,
          eventId: row.event_id,
          occurredAt: row.occurred_at,
        }),
      ),
    ),
  );
  return unique.filter((e) => !seen.has(eventKey(e)));
}

type Saved = {
  status: JournalStatus;
  detail?: string | undefined;
  /** Omitted: keep the stored offset. */
  offset?: string | null;
  coveredFrom?: number;
  entriesRead?: number;
  enqueued?: number;
};

async function save(db: D1Database, portalKey: PortalKey, now: number, s: Saved): Promise<void> {
  const keepOffset = s.offset === undefined;
  await db
    .prepare(
      `INSERT INTO journal_checkpoints (portal_key, journal_offset, covered_from, status, detail, entries_read, events_enqueued, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (portal_key) DO UPDATE SET
         journal_offset = CASE WHEN ?9 THEN journal_checkpoints.journal_offset ELSE excluded.journal_offset END,
         covered_from = CASE WHEN ?9 THEN journal_checkpoints.covered_from ELSE excluded.covered_from END,
         status = excluded.status, detail = excluded.detail,
         entries_read = journal_checkpoints.entries_read + excluded.entries_read,
         events_enqueued = journal_checkpoints.events_enqueued + excluded.events_enqueued, updated_at = excluded.updated_at`,
    )
    .bind(
      portalKey,
      s.offset ?? null,
      s.coveredFrom ?? null,
      s.status,
      s.detail?.slice(0, 500) ?? null,
      s.entriesRead ?? 0,
      s.enqueued ?? 0,
      now,
      keepOffset ? 1 : 0,
    )
    .run();
}
