import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";

// One upsert per record: it takes a free or expired lease (or renews our own) and says so by returning the row;
// a lease another holder still has is left alone and returns nothing. D1 runs the batch as one transaction.
const TAKE_SQL = `INSERT INTO record_locks (portal_key, object_type, object_id, holder, expires_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (portal_key, object_type, object_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE record_locks.expires_at <= ? OR record_locks.holder = excluded.holder
RETURNING object_id`;

export type RecordLease = { portalKey: PortalKey; objectType: ObjectType; holder: string };

/** Takes the lease on every record of `ids` that no one else holds; returns the ids now held by `lease.holder`. */
export async function takeRecordLeases(
  db: D1Database,
  lease: RecordLease,
  ids: readonly string[],
  now: number,
  ttlMs: number,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const results = await db.batch<{ object_id: string }>(
    ids.map((id) => db.prepare(TAKE_SQL).bind(lease.portalKey, lease.objectType, id, lease.holder, now + ttlMs, now)),
  );
  return results.flatMap((r) => r.results.map((row) => row.object_id));
}

/** Gives back the leases `lease.holder` has on `ids` (a lease taken over after it expired is not ours to drop). */
export async function releaseRecordLeases(db: D1Database, lease: RecordLease, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    await db
      .prepare(
        `DELETE FROM record_locks WHERE portal_key = ? AND object_type = ? AND holder = ? AND object_id IN (${chunk.map(() => "?").join(", ")})`,
      )
      .bind(lease.portalKey, lease.objectType, lease.holder, ...chunk)
      .run();
  }
}
