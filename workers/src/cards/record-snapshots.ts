import type { CrmPort, ReadOptions, RecordHistory, RecordOf } from "../../../shared/crm-port.ts";
import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";
import { ApiError } from "../http/errors.ts";

/** A snapshot older than this is read again from the CRM when a card asks for it. */
export const SNAPSHOT_TTL_MS = 5 * 60_000;

export type Snapshot<T extends ObjectType> = { record: RecordOf<T>; history: RecordHistory; fetchedAt: number };

/** Stores what the pipeline or a card read, one statement per record in one round trip. */
export async function saveSnapshots(
  db: D1Database,
  portalKey: PortalKey,
  objectType: ObjectType,
  loaded: ReadonlyMap<string, { record: unknown; history: RecordHistory }>,
  now: number,
): Promise<void> {
  if (loaded.size === 0) return;
  const sql = `INSERT INTO record_snapshots (portal_key, object_type, object_id, record, history, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT DO UPDATE SET record = excluded.record, history = excluded.history, fetched_at = excluded.fetched_at`;
  await db.batch(
    [...loaded].map(([id, l]) => db.prepare(sql).bind(portalKey, objectType, id, JSON.stringify(l.record), JSON.stringify(l.history), now)),
  );
}

/**
 * A record for a card: the D1 snapshot when it is fresh and has every property and history asked for; otherwise
 * one CRM read, saved for next time. Null when the CRM no longer has the record.
 */
export async function snapshotFor<T extends ObjectType>(
  db: D1Database,
  portalKey: PortalKey,
  objectType: T,
  objectId: string,
  options: ReadOptions & { crm: () => Promise<CrmPort | null>; now: number },
): Promise<Snapshot<T> | null> {
  const row = await db
    .prepare("SELECT record, history, fetched_at FROM record_snapshots WHERE portal_key = ? AND object_type = ? AND object_id = ?")
    .bind(portalKey, objectType, objectId)
    .first<{ record: string; history: string; fetched_at: number }>();
  if (row && options.now - row.fetched_at < SNAPSHOT_TTL_MS) {
    const snapshot: Snapshot<T> = { record: JSON.parse(row.record), history: JSON.parse(row.history), fetchedAt: row.fetched_at };
    if (covers(snapshot, options)) return snapshot;
  }
  const crm = await options.crm();
  if (!crm) return null;
  const read = await crm.read(objectType, [objectId], options);
  if (!read.ok) throw new ApiError(502, "crm_unavailable", `The CRM could not be read just now: ${read.error.message}`);
  const loaded = read.value.get(objectId);
  if (!loaded) return null;
  await saveSnapshots(db, portalKey, objectType, read.value, options.now);
  return { ...loaded, fetchedAt: options.now };
}

function covers(snapshot: Snapshot<ObjectType>, options: ReadOptions): boolean {
  const props = (snapshot.record as { properties?: Record<string, unknown>; extra?: Record<string, unknown> }).properties;
  const historyOk = (options.historyFor ?? []).every((p) => p in snapshot.history);
  const propsOk = !props || (options.properties ?? []).every((p) => p in props);
  return historyOk && propsOk;
}
