import { blockingKeys, givenNamePlaceKeys } from "./blocking.ts";
import { TF_FIELDS } from "./frequencies.ts";
import type { PreparedContact } from "./types.ts";

/** A statement with its bound values, run as-is by D1 (`prepare(sql).bind(...params)`) and by node:sqlite. */
export type SqlStatement = { sql: string; params: (string | number)[] };

/** D1 binds at most 100 parameters per statement. */
export const MAX_PARAMS = 100;
/** Candidates read per lookup through name keys alone (a common name would otherwise return thousands). */
export const NAME_CANDIDATES = 30;
/**
 * Candidates read through the email local part alone: at a million contacts a local part such as "robertj" or "emily"
 * is shared by a few hundred people at other domains, so it is capped like a name key (it has its own cap so it
 * cannot crowd the name keys out).
 */
export const LOCAL_PART_CANDIDATES = 30;
/** Candidates read through an employer or postcode with the given name alone (many Johns share a big employer). */
export const PLACE_NAME_CANDIDATES = 30;
/**
 * Candidates read through a phone, or an employer, street or postcode with the surname: normally a handful, but a
 * switchboard number, a placeholder surname ("Unknown", "-") or a bulk import at one address makes such a block grow
 * with every contact, and scoring all of it made each lookup slower than the last (found by the reliability soak).
 */
export const PLACE_SURNAME_CANDIDATES = 100;
export const POPULATION_TERM = "population";

const marks = (n: number, from = 2) => Array.from({ length: n }, (_, i) => `?${i + from}`).join(", ");

/** The term-frequency keys a contact contributes ("last:smith"). */
export function contactTerms(c: PreparedContact): string[] {
  return TF_FIELDS.filter((f) => c[f] !== "").map((f) => `${f}:${c[f]}`);
}

/**
 * Candidates for a contact in one indexed query: everyone sharing its email, at most `PLACE_SURNAME_CANDIDATES`
 * sharing its phone or an employer, street or postcode with its surname, at most
 * `LOCAL_PART_CANDIDATES` sharing only the email's local part,
 * at most `NAME_CANDIDATES` sharing only a name key and at most `PLACE_NAME_CANDIDATES` sharing only an employer or
 * postcode with the given name, so a common name cannot flood the scorer. The initial-only key is used only when the
 * contact's given name is an initial.
 */
export function candidateQuery(portalKey: string, c: PreparedContact): SqlStatement {
  const placeName = new Set(givenNamePlaceKeys(c));
  const all = blockingKeys(c).filter((k) => !k.startsWith("i:") || c.first.length === 1);
  const groups = [
    { keys: all.filter((k) => k.startsWith("e:")), limit: null },
    // A company's switchboard number can be on every contact there. (D1 allows five terms in a compound SELECT.)
    { keys: all.filter((k) => /^[pcaz]:/.test(k) && !placeName.has(k)).slice(0, 40), limit: PLACE_SURNAME_CANDIDATES },
    { keys: all.filter((k) => k.startsWith("l:")), limit: LOCAL_PART_CANDIDATES },
    { keys: all.filter((k) => k.startsWith("n:") || k.startsWith("i:")).slice(0, 40), limit: NAME_CANDIDATES },
    { keys: [...placeName], limit: PLACE_NAME_CANDIDATES },
  ].filter((g) => g.keys.length > 0);
  const params: (string | number)[] = [portalKey];
  const parts = groups.map((g) => {
    const marks = g.keys.map((k) => `?${params.push(k)}`).join(", ");
    const select = `SELECT contact_id FROM dedupe_keys WHERE portal_key = ?1 AND key IN (${marks})`;
    return g.limit === null ? select : `SELECT contact_id FROM (${select} LIMIT ?${params.push(g.limit)})`;
  });
  return {
    sql: `SELECT d.contact_id AS id, d.fields AS fields FROM dedupe_contacts d WHERE d.portal_key = ?1 AND d.contact_id IN (${parts.join(" UNION ALL ") || "SELECT NULL"})`,
    params,
  };
}

/** The frequencies of the contact's own values and the population, for term-frequency adjustment. */
export function termsQuery(portalKey: string, c: PreparedContact): SqlStatement {
  const terms = [POPULATION_TERM, ...contactTerms(c)].slice(0, MAX_PARAMS - 1);
  return {
    sql: `SELECT term, n FROM dedupe_terms WHERE portal_key = ?1 AND term IN (${marks(terms.length)})`,
    params: [portalKey, ...terms],
  };
}

/** Statements that put a contact into the index (replacing its previous keys); run them in one batch. */
export function indexStatements(portalKey: string, c: PreparedContact, now: number): SqlStatement[] {
  const keys = blockingKeys(c);
  const out: SqlStatement[] = [
    {
      sql: "INSERT INTO dedupe_contacts (portal_key, contact_id, fields, updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (portal_key, contact_id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
      params: [portalKey, c.id, JSON.stringify(c), now],
    },
    { sql: "DELETE FROM dedupe_keys WHERE portal_key = ?1 AND contact_id = ?2", params: [portalKey, c.id] },
  ];
  for (let i = 0; i < keys.length; i += 30) {
    const chunk = keys.slice(i, i + 30);
    out.push({
      sql: `INSERT OR IGNORE INTO dedupe_keys (portal_key, key, contact_id) VALUES ${chunk.map((_, j) => `(?1, ?${j + 3}, ?2)`).join(", ")}`,
      params: [portalKey, c.id, ...chunk],
    });
  }
  return out;
}

/** Adds `delta` to the counts of the given terms (+1 when a contact enters the index, -1 when it leaves). */
export function termCountStatements(portalKey: string, terms: readonly string[], delta: 1 | -1): SqlStatement[] {
  return terms.map((term) => ({
    sql: "INSERT INTO dedupe_terms (portal_key, term, n) VALUES (?1, ?2, MAX(?3, 0)) ON CONFLICT (portal_key, term) DO UPDATE SET n = MAX(n + ?3, 0)",
    params: [portalKey, term, delta],
  }));
}
