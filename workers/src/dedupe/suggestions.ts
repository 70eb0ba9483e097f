import type { CandidateMatch } from "../../../shared/dedupe/incremental.ts";
import type { FieldEvidence } from "../../../shared/dedupe/types.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";

/** Suggestions kept per contact: the strongest first. */
export const MAX_SUGGESTIONS = 20;

/** A stored suggestion seen from one of its contacts: `evidence[i].a` is this contact's value. */
export type Suggestion = {
  pairId: string;
  thisId: string;
  otherId: string;
  score: number;
  decision: "merge" | "review";
  evidence: FieldEvidence[];
  veto: string | null;
  suggestedAt: number;
};

export type SuggestionRow = {
  id_a: string;
  id_b: string;
  score: number;
  decision: "merge" | "review";
  evidence: string;
  veto: string | null;
  suggested_at: number;
};

/** The pair's id on cards and in the queue: both contact ids, lower first. */
export const pairIdOf = (x: string, y: string) => (x < y ? `${x}:${y}` : `${y}:${x}`);

const flip = (evidence: readonly FieldEvidence[]): FieldEvidence[] => evidence.map((e) => ({ ...e, a: e.b, b: e.a }));

/** A stored row seen from `thisId`'s side. */
export function fromRow(row: SuggestionRow, thisId: string): Suggestion {
  const evidence = JSON.parse(row.evidence) as FieldEvidence[];
  const mine = row.id_a === thisId;
  return {
    pairId: pairIdOf(row.id_a, row.id_b),
    thisId,
    otherId: mine ? row.id_b : row.id_a,
    score: row.score,
    decision: row.decision,
    evidence: mine ? evidence : flip(evidence),
    veto: row.veto,
    suggestedAt: row.suggested_at,
  };
}

/**
 * Replaces a contact's suggestions with its current matches (a first suggestion keeps its date; a pair that no
 * longer matches is dropped). Evidence is stored oriented to the lower id.
 */
export async function saveSuggestions(
  db: D1Database,
  portalKey: PortalKey,
  contactId: string,
  matches: readonly CandidateMatch[],
  now: number,
): Promise<void> {
  await db.batch(suggestionStatements(db, portalKey, contactId, matches, now));
}

/** `saveSuggestions` as statements, so a batch of contacts' suggestions is written in one round trip (in order). */
export function suggestionStatements(
  db: D1Database,
  portalKey: PortalKey,
  contactId: string,
  matches: readonly CandidateMatch[],
  now: number,
): D1PreparedStatement[] {
  const kept = matches.slice(0, MAX_SUGGESTIONS);
  const keep = kept.map((m) => m.id);
  const stale = `DELETE FROM dedupe_suggestions WHERE portal_key = ? AND (id_a = ? OR id_b = ?)${
    keep.length ? ` AND (CASE WHEN id_a = ? THEN id_b ELSE id_a END) NOT IN (${keep.map(() => "?").join(", ")})` : ""
  }`;
  const upsert = `INSERT INTO dedupe_suggestions (portal_key, id_a, id_b, score, decision, evidence, veto, suggested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (portal_key, id_a, id_b) DO UPDATE SET score = excluded.score, decision = excluded.decision, evidence = excluded.evidence, veto = excluded.veto`;
  return [
    db.prepare(stale).bind(portalKey, contactId, contactId, ...(keep.length ? [contactId, ...keep] : [])),
    ...kept.map((m) => {
      const mineFirst = contactId < m.id;
      return db
        .prepare(upsert)
        .bind(
          portalKey,
          mineFirst ? contactId : m.id,
          mineFirst ? m.id : contactId,
          m.score,
          m.decision,
          JSON.stringify(mineFirst ? m.evidence : flip(m.evidence)),
          m.veto,
          now,
        );
    }),
  ];
}

/** A contact's open suggestions, strongest first. */
export async function suggestionsFor(db: D1Database, portalKey: PortalKey, contactId: string): Promise<Suggestion[]> {
  const rows = await db
    .prepare(
      `SELECT * FROM dedupe_suggestions WHERE portal_key = ?1 AND id_a = ?2
       UNION ALL SELECT * FROM dedupe_suggestions WHERE portal_key = ?1 AND id_b = ?2
       ORDER BY score DESC LIMIT ?3`,
    )
    .bind(portalKey, contactId, MAX_SUGGESTIONS)
    .all<SuggestionRow>();
  return rows.results.map((r) => fromRow(r, contactId));
}

/** One suggestion by its pair, or null when the portal has no such open suggestion. */
export async function suggestionByPair(db: D1Database, portalKey: PortalKey, x: string, y: string): Promise<SuggestionRow | null> {
  const [a, b] = x < y ? [x, y] : [y, x];
  return db
    .prepare("SELECT * FROM dedupe_suggestions WHERE portal_key = ? AND id_a = ? AND id_b = ?")
    .bind(portalKey, a, b)
    .first<SuggestionRow>();
}

/** The portal's review queue, strongest first, by offset cursor. */
export async function suggestionPage(
  db: D1Database,
  portalKey: PortalKey,
  offset: number,
  limit: number,
): Promise<{ rows: SuggestionRow[]; total: number }> {
  const [page, count] = await db.batch<Record<string, unknown>>([
    db
      .prepare("SELECT * FROM dedupe_suggestions WHERE portal_key = ? ORDER BY score DESC, id_a, id_b LIMIT ? OFFSET ?")
      .bind(portalKey, limit, offset),
    db.prepare("SELECT COUNT(*) AS n FROM dedupe_suggestions WHERE portal_key = ?").bind(portalKey),
  ]);
  return { rows: (page?.results ?? []) as SuggestionRow[], total: Number(count?.results[0]?.n ?? 0) };
}
