import type { Thresholds } from "./cluster.ts";
import { termsFromTable } from "./frequencies.ts";
import { POPULATION_TERM } from "./index-sql.ts";
import { DEFAULT_MODEL, type MatchModel } from "./model.ts";
import { makeScorer, scorePair } from "./score.ts";
import type { FieldEvidence, PreparedContact } from "./types.ts";

/** One indexed contact that matches the new one, with the decision and the evidence shown on the card. */
export type CandidateMatch = { id: string; score: number; decision: "merge" | "review"; evidence: FieldEvidence[]; veto: string | null };

/**
 * Scores a new or changed contact against the candidates its blocking keys found in the index (rows of
 * `candidateQuery`) using the index's term counts (rows of `termsQuery`). Pairs in `notDuplicates` are never returned.
 */
export function matchAgainstIndex(
  contact: PreparedContact,
  candidates: readonly { id: string; fields: string }[],
  terms: readonly { term: string; n: number }[],
  thresholds: Thresholds,
  options: { model?: MatchModel; notDuplicates?: ReadonlySet<string> } = {},
): CandidateMatch[] {
  const table = new Map(terms.map((t) => [t.term, t.n]));
  const scorer = makeScorer(termsFromTable(table.get(POPULATION_TERM) ?? 0, table), options.model ?? DEFAULT_MODEL);
  const out: CandidateMatch[] = [];
  for (const row of candidates) {
    if (row.id === contact.id || options.notDuplicates?.has(row.id)) continue;
    const other = JSON.parse(row.fields) as PreparedContact;
    const evidence: FieldEvidence[] = [];
    const s = scorePair(contact, other, scorer, evidence);
    if (s.score < thresholds.review) continue;
    const decision = s.score >= thresholds.merge && !s.veto ? "merge" : "review";
    out.push({ id: row.id, score: s.score, decision, evidence, veto: s.veto });
  }
  return out.sort((x, y) => y.score - x.score);
}
