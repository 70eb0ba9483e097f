import type { Company, Contact, PortalKey } from "../../../shared/domain/types.ts";
import type { HygieneContext } from "../../../shared/hygiene/types.ts";
import type { HygieneObject } from "./fields.ts";

const CHUNK = 90;

/**
 * What scoring needs beyond the record, from D1 only: how many open duplicate suggestions name each contact (only
 * for contacts the dedupe index holds; otherwise uniqueness is left out), and each contact's company snapshot.
 */
export async function scoringContexts(
  db: D1Database,
  portalKey: PortalKey,
  objectType: HygieneObject,
  records: readonly (Contact | Company)[],
  now: number,
): Promise<Map<string, HygieneContext>> {
  const out = new Map<string, HygieneContext>(records.map((r) => [r.id, { now }]));
  if (objectType !== "contacts" || records.length === 0) return out;
  const contacts = records as readonly Contact[];
  const ids = contacts.map((c) => c.id);
  const companyIds = [...new Set(contacts.flatMap((c) => (c.companyId ? [c.companyId] : [])))];
  const [indexed, suspects, companies] = await Promise.all([
    inChunks(
      db,
      ids,
      (marks) => `SELECT contact_id AS id FROM dedupe_contacts WHERE portal_key = ? AND contact_id IN (${marks})`,
      portalKey,
    ),
    duplicateCounts(db, portalKey, ids),
    inChunks(
      db,
      companyIds,
      (marks) =>
        `SELECT object_id AS id, record FROM record_snapshots WHERE portal_key = ? AND object_type = 'companies' AND object_id IN (${marks})`,
      portalKey,
    ),
  ]);
  const inIndex = new Set(indexed.map((r) => String(r.id)));
  const companyById = new Map(companies.map((r) => [String(r.id), JSON.parse(String(r.record)) as Company]));
  for (const c of contacts) {
    out.set(c.id, {
      now,
      ...(inIndex.has(c.id) ? { duplicateSuspects: suspects.get(c.id) ?? 0 } : {}),
      ...(c.companyId && companyById.has(c.companyId) ? { company: companyById.get(c.companyId) } : {}),
    });
  }
  return out;
}

async function duplicateCounts(db: D1Database, portalKey: PortalKey, ids: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < ids.length; i += CHUNK / 2) {
    const chunk = ids.slice(i, i + CHUNK / 2);
    const marks = chunk.map(() => "?").join(", ");
    const rows = await db
      .prepare(`SELECT id_a, id_b FROM dedupe_suggestions WHERE portal_key = ? AND (id_a IN (${marks}) OR id_b IN (${marks}))`)
      .bind(portalKey, ...chunk, ...chunk)
      .all<{ id_a: string; id_b: string }>();
    const wanted = new Set(chunk);
    for (const r of rows.results) {
      for (const id of [r.id_a, r.id_b]) if (wanted.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

async function inChunks(
  db: D1Database,
  ids: readonly string[],
  sql: (marks: string) => string,
  portalKey: PortalKey,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await db
      .prepare(sql(chunk.map(() => "?").join(", ")))
      .bind(portalKey, ...chunk)
      .all<Record<string, unknown>>();
    out.push(...rows.results);
  }
  return out;
}

/**
 * Hygiene fields of each record whose earlier hygiene change an admin undid: never auto-fixed again on that record.
 * Records with none are absent from the map.
 */
export async function undoneProperties(
  db: D1Database,
  portalKey: PortalKey,
  objectType: HygieneObject,
  objectIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < objectIds.length; i += CHUNK) {
    const chunk = objectIds.slice(i, i + CHUNK);
    const rows = await db
      .prepare(
        `SELECT object_id, after FROM audit_log WHERE portal_key = ? AND object_type = ? AND automation = 'hygiene'
           AND action = 'update_properties' AND undone_at IS NOT NULL AND object_id IN (${chunk.map(() => "?").join(", ")})`,
      )
      .bind(portalKey, objectType, ...chunk)
      .all<{ object_id: string; after: string | null }>();
    for (const r of rows.results) {
      const fields = out.get(r.object_id) ?? new Set<string>();
      for (const key of Object.keys(JSON.parse(r.after ?? "{}") as object)) fields.add(key);
      out.set(r.object_id, fields);
    }
  }
  return out;
}
