import type { CrmPort } from "../../../shared/crm-port.ts";
import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";
import type { CrmEvent } from "../../../shared/events/types.ts";

/** Webhooks get this long to arrive before the backfill treats a change as missed. */
export const BACKFILL_GRACE_MS = 2 * 60_000;
/** A first run looks back this far. */
export const BACKFILL_FIRST_LOOKBACK_MS = 60 * 60_000;
const MAX_PAGES_PER_RUN = 10;

export type BackfillResult = {
  objectType: ObjectType;
  /** `journal`: the Webhooks Journal covered this run and no search was made. */
  by: "search" | "journal";
  scanned: number;
  missed: number;
  reconciledUntil: number;
};

/** What a HubSpot portal's Webhooks Journal covered this run (see journal-backfill.ts). */
export type JournalCoverage = {
  /** When reading the journal began: the search still reconciles until its checkpoint passes this. */
  coveredFrom: number;
  /** Every change up to this time was in an entry read; null while the journal is still catching up. */
  coveredUntil: number | null;
};

/**
 * Reconciles one object type of a portal: by searching for modified records (`findMissedChanges`), unless the
 * portal's journal covered this run and the search already reconciled up to where the journal began — then the
 * search checkpoint only moves up to what the journal covered, so a later fallback starts from there.
 */
export async function reconcileObjectType(
  db: D1Database,
  crm: CrmPort,
  portalKey: PortalKey,
  objectType: ObjectType,
  now: number,
  journal: JournalCoverage | null,
): Promise<{ events: CrmEvent[]; result: BackfillResult }> {
  const since = journal ? await checkpointOf(db, portalKey, objectType) : null;
  if (!journal || since === null || since < journal.coveredFrom) return findMissedChanges(db, crm, portalKey, objectType, now);
  const reconciledUntil = Math.max(since, journal.coveredUntil ?? since);
  if (reconciledUntil > since) await saveCheckpoint(db, portalKey, objectType, reconciledUntil, now);
  return { events: [], result: { objectType, by: "journal", scanned: 0, missed: 0, reconciledUntil } };
}

async function checkpointOf(db: D1Database, portalKey: PortalKey, objectType: ObjectType): Promise<number | null> {
  const row = await db
    .prepare("SELECT reconciled_until FROM backfill_checkpoints WHERE portal_key = ? AND object_type = ?")
    .bind(portalKey, objectType)
    .first<{ reconciled_until: number }>();
  return row?.reconciled_until ?? null;
}

async function saveCheckpoint(db: D1Database, portalKey: PortalKey, objectType: ObjectType, until: number, now: number) {
  await db
    .prepare(
      `INSERT INTO backfill_checkpoints (portal_key, object_type, reconciled_until, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET reconciled_until = excluded.reconciled_until, updated_at = excluded.updated_at`,
    )
    .bind(portalKey, objectType, until, now)
    .run();
}

/**
 * Finds records modified since the checkpoint that no processed event covers, and returns events for them, so
 * webhooks that never arrived are still acted on. Bounded per run; the checkpoint only moves past what was seen.
 */
export async function findMissedChanges(
  db: D1Database,
  crm: CrmPort,
  portalKey: PortalKey,
  objectType: ObjectType,
  now: number,
): Promise<{ events: CrmEvent[]; result: BackfillResult }> {
  const since = (await checkpointOf(db, portalKey, objectType)) ?? now - BACKFILL_FIRST_LOOKBACK_MS;
  const until = now - BACKFILL_GRACE_MS;
  const seen: Array<{ id: string; modifiedAt: number }> = [];
  let after: string | undefined;
  let complete = true;
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const res = await crm.modifiedSince(objectType, since, after);
    if (!res.ok) {
      complete = false;
      break;
    }
    res.value.ids.forEach((id, i) => {
      const at = res.value.modifiedAt[i] ?? since;
      if (at <= until) seen.push({ id, modifiedAt: at });
    });
    after = res.value.next;
    if (!after) break;
    if (page === MAX_PAGES_PER_RUN - 1) complete = false;
  }
  const missed = await uncovered(db, portalKey, objectType, seen);
  const reconciledUntil = complete ? until : seen.reduce((m, s) => Math.max(m, s.modifiedAt), since);
  await saveCheckpoint(db, portalKey, objectType, Math.max(since, reconciledUntil), now);
  const events = missed.map(
    (m): CrmEvent => ({
      portalKey,
      origin: "backfill",
      kind: "changed",
      objectType,
      objectId: m.id,
      eventId: `backfill:${m.modifiedAt}`,
      subscriptionType: `backfill.${objectType}`,
      occurredAt: m.modifiedAt,
    }),
  );
  return { events, result: { objectType, by: "search", scanned: seen.length, missed: missed.length, reconciledUntil } };
}

/**
 * The records whose latest change no processed ledger entry covers (none for them at or after their modification): an
 * event claimed but never finished (its batch lost) does not cover its record.
 */
async function uncovered(
  db: D1Database,
  portalKey: PortalKey,
  objectType: ObjectType,
  seen: ReadonlyArray<{ id: string; modifiedAt: number }>,
) {
  const missed: Array<{ id: string; modifiedAt: number }> = [];
  for (let i = 0; i < seen.length; i += 90) {
    const chunk = seen.slice(i, i + 90);
    const rows = await db
      .prepare(
        `SELECT object_id, MAX(occurred_at) AS latest FROM event_ledger WHERE portal_key = ? AND object_type = ? AND processed_at IS NOT NULL AND object_id IN (${chunk.map(() => "?").join(", ")}) GROUP BY object_id`,
      )
      .bind(portalKey, objectType, ...chunk.map((c) => c.id))
      .all<{ object_id: string; latest: number }>();
    const latest = new Map(rows.results.map((r) => [r.object_id, r.latest]));
    for (const c of chunk) if ((latest.get(c.id) ?? -1) < c.modifiedAt - 1_000) missed.push(c);
  }
  return missed;
}
