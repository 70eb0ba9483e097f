import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";

/** Tables keyed by portal and record, found from the schema so every future index or snapshot is covered too. */
async function recordTables(db: D1Database): Promise<Array<{ table: string; hasObjectType: boolean }>> {
  const tables = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    )
    .all<{ name: string }>();
  const out: Array<{ table: string; hasObjectType: boolean }> = [];
  for (const { name } of tables.results) {
    const cols = await db.prepare(`SELECT name FROM pragma_table_info(?)`).bind(name).all<{ name: string }>();
    const names = new Set(cols.results.map((c) => c.name));
    if (names.has("portal_key") && names.has("object_id")) out.push({ table: name, hasObjectType: names.has("object_type") });
  }
  return out;
}

export type PurgeReport = { rowsDeleted: number; auditRedacted: number; deadLettersDeleted: number };

/**
 * Removes a deleted (or privacy-deleted) person from everything we keep: every portal+record keyed table, the
 * dead letters that carry the record, and the values in audit entries (the rows stay, redacted, as the trail).
 */
export async function purgeRecord(
  db: D1Database,
  portalKey: PortalKey,
  objectType: ObjectType,
  objectId: string,
  now: number,
): Promise<PurgeReport> {
  const report: PurgeReport = { rowsDeleted: 0, auditRedacted: 0, deadLettersDeleted: 0 };
  const redacted = await db
    .prepare(
      `UPDATE audit_log SET before = NULL, after = NULL, reason = 'values removed: the record was deleted', undone_at = COALESCE(undone_at, ?)
       WHERE portal_key = ? AND object_type = ? AND object_id = ? AND (before IS NOT NULL OR after IS NOT NULL)`,
    )
    .bind(now, portalKey, objectType, objectId)
    .run();
  report.auditRedacted = redacted.meta.changes ?? 0;
  for (const { table, hasObjectType } of await recordTables(db)) {
    if (table === "audit_log" || table === "event_ledger") continue;
    const sql = hasObjectType
      ? `DELETE FROM ${table} WHERE portal_key = ? AND object_type = ? AND object_id = ?`
      : `DELETE FROM ${table} WHERE portal_key = ? AND object_id = ?`;
    const result = await (hasObjectType
      ? db.prepare(sql).bind(portalKey, objectType, objectId)
      : db.prepare(sql).bind(portalKey, objectId)
    ).run();
    report.rowsDeleted += result.meta.changes ?? 0;
  }
  const dead = await db
    .prepare(
      `DELETE FROM dead_letters WHERE portal_key = ? AND json_valid(payload)
       AND (CAST(json_extract(payload, '$.objectId') AS TEXT) = ? OR json_extract(payload, '$.sObject.Id') = ?)`,
    )
    .bind(portalKey, objectId, objectId)
    .run();
  report.deadLettersDeleted = dead.meta.changes ?? 0;
  return report;
}
