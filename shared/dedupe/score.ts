import { compareContacts, type PairLevels } from "./compare.ts";
import type { TermFrequencies, TfField } from "./frequencies.ts";
import { DEFAULT_MODEL, type Level, levelWeights, type MatchModel } from "./model.ts";
import type { FieldEvidence, PreparedContact } from "./types.ts";

/** Everything scoring needs besides the pair: the model, its weights and the population's term frequencies. */
export type Scorer = { model: MatchModel; weights: Record<Level, number>; tf: TermFrequencies; prior: number };

/** Builds a scorer; the prior is -log2(population) + the model's offset, so thresholds mean the same at any size. */
export function makeScorer(tf: TermFrequencies, model: MatchModel = DEFAULT_MODEL): Scorer {
  return { model, weights: levelWeights(model), tf, prior: model.priorOffset - Math.log2(tf.population) };
}

const MAX_SCORE = 0.999999;

/** Exact agreement on these levels is weighed by the value's frequency instead of a fixed u. */
const TF_LEVEL: Partial<Record<Level, TfField>> = {
  "first.exact": "first",
  "last.exact": "last",
  "email.exact": "email",
  "phone.exact": "phone",
  "company.exact": "company",
  "address.street": "street",
  "address.postal": "postal",
  "address.city": "city",
};

const EVIDENCE_FIELD: Record<string, FieldEvidence["field"]> = {
  first: "first_name",
  last: "last_name",
  email: "email",
  phone: "phone",
  company: "company",
  address: "address",
  title: "job_title",
};

/** The value whose frequency weighs an exact agreement: a's, except for names, which may have been lined up crosswise. */
function agreedValue(field: TfField, a: PreparedContact, pl: PairLevels): string {
  return field === "first" ? pl.firstA : field === "last" ? pl.lastA : a[field];
}

function levelWeight(level: Level, a: PreparedContact, pl: PairLevels, s: Scorer): number {
  const field = TF_LEVEL[level];
  if (!field) return s.weights[level];
  const value = agreedValue(field, a, pl);
  // u is the value's frequency, but never below the model's u: two "smith"s in a small file are not a rare name.
  // Emails and phones belong to one person: only holders beyond this pair (a household, a switchboard) make them common.
  const holders = field === "email" || field === "phone" ? s.tf.count(field, value) - 2 : s.tf.count(field, value);
  const u = Math.max(holders / s.tf.population, s.model.u[level]);
  // At least 1 bit: a very common value is still weak agreement, not disagreement.
  return Math.max(1, Math.log2(s.model.m[level] / u));
}

function shown(c: PreparedContact, field: string, name: string): string {
  if (field === "first" || field === "last") return name;
  if (field === "address") return [c.street, c.postal, c.city].filter((x) => x !== "").join(", ");
  if (field === "title") return c.title;
  return c[field as "email" | "phone" | "company"];
}

function conflictCeiling(a: PreparedContact, pl: PairLevels, s: Scorer): number {
  let total = s.prior;
  for (let i = 0; i < pl.levels.length; i++) {
    const level = pl.levels[i];
    if (!level) continue;
    const w = levelWeight(level, a, pl, s);
    if (w < 0 || level === "email.exact" || level.startsWith("first.")) total += w;
  }
  return total;
}

/** Result of weighing one pair: total log2 odds, probability, and why auto-merge is ruled out (if it is). */
export type PairScore = { weight: number; score: number; veto: string | null };

/**
 * Weighs a pair's levels. Company and address are one "where they work or live" group: their agreements are not
 * independent, so the group counts its strongest agreement once (disagreements still add up).
 */
export function weighLevels(a: PreparedContact, b: PreparedContact, pl: PairLevels, s: Scorer, evidence?: FieldEvidence[]): PairScore {
  let total = s.prior;
  let placeBest = 0;
  let veto: string | null = null;
  for (let i = 0; i < pl.levels.length; i++) {
    const level = pl.levels[i];
    if (!level) continue;
    const w = levelWeight(level, a, pl, s);
    if (i === 4 || i === 5) {
      if (w > 0) placeBest = Math.max(placeBest, w);
      else total += w;
    } else total += w;
    if (level === "first.conflict") veto = "the first names name different people";
    if (level === "last.conflict") veto ??= "the last names differ";
    if (evidence) {
      const field = level.slice(0, level.indexOf("."));
      const name = pl.swapped && (field === "first" || field === "last") ? "name" : (EVIDENCE_FIELD[field] ?? "name");
      evidence.push({
        field: name,
        level: level.slice(field.length + 1),
        weight: Math.round(w * 100) / 100,
        a: shown(a, field, field === "first" ? pl.firstA : pl.lastA),
        b: shown(b, field, field === "first" ? pl.firstB : pl.lastB),
      });
    }
  }
  total += placeBest;
  // Relatives and colleagues share phone, address, company and surname; once the names say "different people",
  // only the strongest personal evidence (the same personal email, a given name) still counts for them.
  if (veto) total = Math.min(total, conflictCeiling(a, pl, s));
  // Never claim certainty: a merge threshold of 1 then means "never merge automatically".
  return { weight: total, score: Math.min(MAX_SCORE, 1 / (1 + 2 ** -total)), veto };
}

/** Compares and weighs a pair; pass `evidence` to collect the per-field evidence shown to reps. */
export function scorePair(a: PreparedContact, b: PreparedContact, s: Scorer, evidence?: FieldEvidence[]): PairScore {
  return weighLevels(a, b, compareContacts(a, b), s, evidence);
}
