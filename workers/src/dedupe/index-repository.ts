import { blockingKeys } from "../../../shared/dedupe/blocking.ts";
import type { Thresholds } from "../../../shared/dedupe/cluster.ts";
import { type CandidateMatch, matchAgainstIndex } from "../../../shared/dedupe/incremental.ts";
import {
  candidateQuery,
  contactTerms,
  indexStatements,
  POPULATION_TERM,
  type SqlStatement,
  termCountStatements,
  termsQuery,
} from "../../../shared/dedupe/index-sql.ts";
import type { PreparedContact } from "../../../shared/dedupe/types.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";

const bind = (db: D1Database, s: SqlStatement) => db.prepare(s.sql).bind(...s.params);

const NOT_DUPLICATES_SQL =
  "SELECT CASE WHEN id_a = ?2 THEN id_b ELSE id_a END AS other FROM dedupe_not_duplicates WHERE portal_key = ?1 AND (id_a = ?2 OR id_b = ?2)";
const PREVIOUS_SQL = "SELECT fields FROM dedupe_contacts WHERE portal_key = ?1 AND contact_id = ?2";

/**
 * Matches a contact against the portal's index and puts it into the index: candidates, term counts, its previous
 * entry and its "not a duplicate" answers in one round trip, then the upkeep writes in one more (none when unchanged).
 */
export async function matchAndIndex(
  db: D1Database,
  portalKey: PortalKey,
  contact: PreparedContact,
  thresholds: Thresholds,
  now: number,
): Promise<CandidateMatch[]> {
  return (await matchAndIndexBatch(db, portalKey, [contact], thresholds, now))[0] ?? [];
}

/**
 * `matchAndIndex` for a batch of contacts with exactly its one-after-another result: one D1 round trip reads every
 * contact's candidates, term counts, previous entry and "not a duplicate" answers; each contact is then matched with
 * the batch's earlier contacts laid over what the index said (their new entries and term counts), and the upkeep writes
 * of the whole batch go in one more round trip.
 */
export async function matchAndIndexBatch(
  db: D1Database,
  portalKey: PortalKey,
  contacts: readonly PreparedContact[],
  thresholds: Thresholds,
  now: number,
): Promise<CandidateMatch[][]> {
  if (contacts.length === 0) return [];
  const reads = await db.batch<Record<string, unknown>>(
    contacts.flatMap((c) => [
      bind(db, candidateQuery(portalKey, c)),
      bind(db, termsQuery(portalKey, c)),
      db.prepare(PREVIOUS_SQL).bind(portalKey, c.id),
      db.prepare(NOT_DUPLICATES_SQL).bind(portalKey, c.id),
    ]),
  );
  /** Contacts of this batch already indexed: their new entry and keys. */
  const earlier = new Map<string, { fields: string; keys: ReadonlySet<string> }>();
  const termDelta = new Map<string, number>();
  const upkeep: SqlStatement[] = [];
  const out = contacts.map((contact, i) => {
    const [candidates, terms, previous, dismissed] = reads.slice(4 * i, 4 * i + 4);
    const rows = new Map<string, string>();
    for (const r of (candidates?.results ?? []) as { id: string; fields: string }[]) if (!earlier.has(r.id)) rows.set(r.id, r.fields);
    const lookedUp = lookupKeys(contact);
    for (const [id, entry] of earlier) if (lookedUp.some((k) => entry.keys.has(k))) rows.set(id, entry.fields);
    const counts = new Map(((terms?.results ?? []) as { term: string; n: number }[]).map((t) => [t.term, t.n]));
    for (const term of [POPULATION_TERM, ...contactTerms(contact)]) {
      const delta = termDelta.get(term) ?? 0;
      if (delta !== 0) counts.set(term, Math.max(0, (counts.get(term) ?? 0) + delta));
    }
    const matches = matchAgainstIndex(
      contact,
      [...rows].map(([id, fields]) => ({ id, fields })),
      [...counts].map(([term, n]) => ({ term, n })),
      thresholds,
      { notDuplicates: new Set((dismissed?.results ?? []).map((r) => String(r.other))) },
    );
    const stored = previous?.results[0]?.fields;
    const before = typeof stored === "string" ? stored : null;
    upkeep.push(...upkeepStatements(portalKey, contact, before, now));
    for (const [term, delta] of termChanges(contact, before)) termDelta.set(term, (termDelta.get(term) ?? 0) + delta);
    earlier.set(contact.id, { fields: JSON.stringify(contact), keys: new Set(blockingKeys(contact)) });
    return matches;
  });
  if (upkeep.length > 0) await db.batch(upkeep.map((s) => bind(db, s)));
  return out;
}

/** The keys `candidateQuery` looks a contact up by (the initial-only key only for a contact whose given name is one). */
function lookupKeys(c: PreparedContact): string[] {
  return blockingKeys(c).filter((k) => !k.startsWith("i:") || c.first.length === 1);
}

/** How `upkeepStatements` moves the term counts for a contact whose stored fields were `before`. */
function termChanges(contact: PreparedContact, before: string | null): Array<[string, number]> {
  if (before === JSON.stringify(contact)) return [];
  const oldTerms = before ? contactTerms(JSON.parse(before) as PreparedContact) : [];
  const newTerms = contactTerms(contact);
  return [
    ...oldTerms.filter((t) => !newTerms.includes(t)).map((t): [string, number] => [t, -1]),
    ...(before ? [] : [[POPULATION_TERM, 1] as [string, number]]),
    ...newTerms.filter((t) => !oldTerms.includes(t)).map((t): [string, number] => [t, 1]),
  ];
}

/** Index writes for a contact whose stored fields were `before` (null: not indexed yet); nothing when unchanged. */
export function upkeepStatements(portalKey: PortalKey, contact: PreparedContact, before: string | null, now: number): SqlStatement[] {
  if (before === JSON.stringify(contact)) return [];
  const oldTerms = before ? contactTerms(JSON.parse(before) as PreparedContact) : [];
  const newTerms = contactTerms(contact);
  const gone = oldTerms.filter((t) => !newTerms.includes(t));
  const added = newTerms.filter((t) => !oldTerms.includes(t));
  return [
    ...indexStatements(portalKey, contact, now),
    ...termCountStatements(portalKey, gone, -1),
    ...termCountStatements(portalKey, before ? added : [POPULATION_TERM, ...added], 1),
  ];
}

/** Puts many contacts into the index (the scan), reading their previous entries first so term counts stay exact. */
export async function indexContacts(
  db: D1Database,
  portalKey: PortalKey,
  contacts: readonly PreparedContact[],
  now: number,
): Promise<number> {
  if (contacts.length === 0) return 0;
  const before = new Map<string, string>();
  for (let i = 0; i < contacts.length; i += 90) {
    const chunk = contacts.slice(i, i + 90);
    const rows = await db
      .prepare(`SELECT contact_id, fields FROM dedupe_contacts WHERE portal_key = ? AND contact_id IN (${chunk.map(() => "?").join(", ")})`)
      .bind(portalKey, ...chunk.map((c) => c.id))
      .all<{ contact_id: string; fields: string }>();
    for (const r of rows.results) before.set(r.contact_id, r.fields);
  }
  const statements = contacts.flatMap((c) => upkeepStatements(portalKey, c, before.get(c.id) ?? null, now));
  if (statements.length > 0) await db.batch(statements.map((s) => bind(db, s)));
  return contacts.length;
}

/**
 * Takes contacts out of the index (deleted, or merged away): their keys, their share of the term counts, their
 * suggestions and their "not a duplicate" answers. Ids that were not indexed are ignored.
 */
export async function forgetContacts(db: D1Database, portalKey: PortalKey, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const marks = chunk.map(() => "?").join(", ");
    const rows = await db
      .prepare(`SELECT contact_id, fields FROM dedupe_contacts WHERE portal_key = ? AND contact_id IN (${marks})`)
      .bind(portalKey, ...chunk)
      .all<{ contact_id: string; fields: string }>();
    const terms = rows.results.flatMap((r) => contactTerms(JSON.parse(r.fields) as PreparedContact));
    const statements = [
      ...termCountStatements(portalKey, [...terms, ...rows.results.map(() => POPULATION_TERM)], -1).map((s) => bind(db, s)),
      ...["dedupe_contacts", "dedupe_keys"].map((t) =>
        db.prepare(`DELETE FROM ${t} WHERE portal_key = ? AND contact_id IN (${marks})`).bind(portalKey, ...chunk),
      ),
      ...["dedupe_suggestions", "dedupe_not_duplicates"].map((t) =>
        db
          .prepare(`DELETE FROM ${t} WHERE portal_key = ? AND (id_a IN (${marks}) OR id_b IN (${marks}))`)
          .bind(portalKey, ...chunk, ...chunk),
      ),
    ];
    await db.batch(statements);
  }
}

/** Records old id → surviving id for downstream systems (a later merge of the survivor re-points older rows). */
export async function journalMerge(
  db: D1Database,
  portalKey: PortalKey,
  oldIds: readonly string[],
  newId: string,
  now: number,
  auditId: string | null,
): Promise<void> {
  const olds = oldIds.filter((id) => id !== newId);
  if (olds.length === 0) return;
  await db.batch([
    ...olds.map((old) =>
      db
        .prepare(
          `INSERT INTO dedupe_merge_journal (portal_key, old_id, new_id, merged_at, audit_id) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (portal_key, old_id) DO UPDATE SET new_id = excluded.new_id, merged_at = excluded.merged_at, audit_id = COALESCE(excluded.audit_id, audit_id)`,
        )
        .bind(portalKey, old, newId, now, auditId),
    ),
    db
      .prepare(`UPDATE dedupe_merge_journal SET new_id = ? WHERE portal_key = ? AND new_id IN (${olds.map(() => "?").join(", ")})`)
      .bind(newId, portalKey, ...olds),
  ]);
}

/** Which of `ids` a merge already replaced (old id → new id), from the journal. */
export async function mergedAway(db: D1Database, portalKey: PortalKey, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const rows = await db
      .prepare(`SELECT old_id, new_id FROM dedupe_merge_journal WHERE portal_key = ? AND old_id IN (${chunk.map(() => "?").join(", ")})`)
      .bind(portalKey, ...chunk)
      .all<{ old_id: string; new_id: string }>();
    for (const r of rows.results) out.set(r.old_id, r.new_id);
  }
  return out;
}

/** Remembers "not a duplicate" for a pair (it is never suggested again) and drops its suggestion. */
export async function rememberNotDuplicate(
  db: D1Database,
  portalKey: PortalKey,
  x: string,
  y: string,
  by: string,
  now: number,
): Promise<void> {
  const [a, b] = x < y ? [x, y] : [y, x];
  await db.batch([
    db
      .prepare(
        "INSERT INTO dedupe_not_duplicates (portal_key, id_a, id_b, decided_by, decided_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      )
      .bind(portalKey, a, b, by, now),
    db.prepare("DELETE FROM dedupe_suggestions WHERE portal_key = ? AND id_a = ? AND id_b = ?").bind(portalKey, a, b),
  ]);
}
