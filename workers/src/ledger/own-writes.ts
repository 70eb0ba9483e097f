import type { CrmEvent } from "../../../shared/events/types.ts";

/** Our writes come back as webhooks within seconds; a day covers HubSpot's retries too. */
export const OWN_WRITE_RETENTION_MS = 24 * 3_600_000;

export type OwnWrite = { portalKey: string; objectType: string; objectId: string; property: string; value: string | null };

/** SHA-256 of a property value, so the journal holds no PII. */
export async function valueHash(value: string | null): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value ?? "\u0000null"));
  return btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 16)));
}

/** Journals property values we are about to write, before writing them, so the echo is always recognised. */
export async function journalOwnWrites(db: D1Database, writes: readonly OwnWrite[], now: number): Promise<void> {
  if (writes.length === 0) return;
  await db.batch(await ownWriteStatements(db, writes, now));
}

/** The journal's statements, for a caller that sends them in one batch with other work. */
export async function ownWriteStatements(db: D1Database, writes: readonly OwnWrite[], now: number): Promise<D1PreparedStatement[]> {
  const sql = `INSERT INTO own_writes (portal_key, object_type, object_id, property, value_hash, written_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT DO UPDATE SET written_at = excluded.written_at`;
  const hashes = await Promise.all(writes.map((w) => valueHash(w.value)));
  return writes.map((w, i) => db.prepare(sql).bind(w.portalKey, w.objectType, w.objectId, w.property, hashes[i], now));
}

/**
 * Says which events are echoes of our own writes: the CRM names our app as the source, or a property change
 * carries exactly a value we journaled for that record and property.
 */
export async function findOwnWriteEchoes(db: D1Database, events: readonly CrmEvent[], appId: string | undefined): Promise<boolean[]> {
  const echoes = events.map((e) => isOurSource(e.sourceId, appId));
  const candidates = events.map((e, i) => ({ e, i })).filter(({ e, i }) => !echoes[i] && e.kind === "changed" && e.propertyName);
  if (candidates.length === 0) return echoes;
  const sql =
    "SELECT 1 AS hit FROM own_writes WHERE portal_key = ? AND object_type = ? AND object_id = ? AND property = ? AND value_hash = ?";
  const hashes = await Promise.all(candidates.map(({ e }) => valueHash(e.propertyValue ?? null)));
  const results = await db.batch<{ hit: number }>(
    candidates.map(({ e }, k) => db.prepare(sql).bind(e.portalKey, e.objectType, e.objectId, e.propertyName, hashes[k])),
  );
  candidates.forEach(({ i }, k) => {
    if ((results[k]?.results.length ?? 0) > 0) echoes[i] = true;
  });
  return echoes;
}

function isOurSource(sourceId: string | undefined, appId: string | undefined): boolean {
  if (!sourceId || !appId) return false;
  return sourceId === appId || sourceId.endsWith(`:${appId}`);
}

export async function pruneOwnWrites(db: D1Database, now: number): Promise<number> {
  const result = await db
    .prepare("DELETE FROM own_writes WHERE written_at < ?")
    .bind(now - OWN_WRITE_RETENTION_MS)
    .run();
  return result.meta.changes ?? 0;
}
