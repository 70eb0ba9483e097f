import { compareContacts, FIELDS, type PairLevels } from "./compare.ts";
import type { TermFrequencies, TfField } from "./frequencies.ts";
import { DEFAULT_MODEL, LEVEL_INDEX, LEVELS, type Level, levelWeights, type MatchModel } from "./model.ts";
import type { FieldEvidence, PreparedContact } from "./types.ts";

/** Everything scoring needs besides the pair: the model, its weights and the population's term frequencies. */
export type Scorer = {
  model: MatchModel;
  weights: Record<Level, number>;
  tf: TermFrequencies;
  prior: number;
  /** By level number: log2(m/u), m and u (the hot loop reads these rather than the records above). */
  w: Float64Array;
  m: Float64Array;
  u: Float64Array;
  /** By level number: the batch's per-contact counts of the field that level weighs by frequency, if any. */
  holdersAt: readonly (Int32Array | null)[];
};

/** Builds a scorer; the prior is -log2(population) + the model's offset, so thresholds mean the same at any size. */
export function makeScorer(tf: TermFrequencies, model: MatchModel = DEFAULT_MODEL): Scorer {
  const weights = levelWeights(model);
  return {
    model,
    weights,
    tf,
    prior: model.priorOffset - Math.log2(tf.population),
    w: Float64Array.from(LEVELS, (l) => weights[l]),
    m: Float64Array.from(LEVELS, (l) => model.m[l]),
    u: Float64Array.from(LEVELS, (l) => model.u[l]),
    holdersAt: TF_OF.map((field) => (field && tf.byContact ? tf.byContact[field] : null)),
  };
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
const TF_OF: readonly (TfField | null)[] = LEVELS.map((l) => TF_LEVEL[l] ?? null);
const FIRST_CONFLICT = LEVEL_INDEX["first.conflict"];
const LAST_CONFLICT = LEVEL_INDEX["last.conflict"];
const EMAIL_EXACT = LEVEL_INDEX["email.exact"];
const FIRST_LEVELS = new Set(LEVELS.flatMap((l, i) => (l.startsWith("first.") ? [i] : [])));
const COMPANY = FIELDS.indexOf("company");
const ADDRESS = FIELDS.indexOf("address");

const EVIDENCE_FIELD: Record<string, FieldEvidence["field"]> = {
  first: "first_name",
  last: "last_name",
  email: "email",
  phone: "phone",
  company: "company",
  address: "address",
  title: "job_title",
};

/**
 * How many contacts hold the value an exact agreement agreed on. Names may have been lined up crosswise, so the value
 * is read from whichever side holds it in its own field; with the pair's positions in the batch the counts are read
 * by position instead of by value.
 */
function holdersOf(
  li: number,
  field: TfField,
  a: PreparedContact,
  b: PreparedContact,
  pl: PairLevels,
  s: Scorer,
  ia: number,
  ib: number,
): number {
  const at = ia >= 0 ? s.holdersAt[li] : null;
  if (field === "first" || field === "last") {
    const value = field === "first" ? pl.firstA : pl.lastA;
    if (at && value === a[field]) return at[ia] as number;
    if (at && value === b[field]) return at[ib] as number;
    return s.tf.count(field, value);
  }
  return at ? (at[ia] as number) : s.tf.count(field, a[field]);
}

function levelWeight(li: number, a: PreparedContact, b: PreparedContact, pl: PairLevels, s: Scorer, ia: number, ib: number): number {
  const field = TF_OF[li];
  if (!field) return s.w[li] as number;
  // u is the value's frequency, but never below the model's u: two "smith"s in a small file are not a rare name.
  // Emails and phones belong to one person: only holders beyond this pair (a household, a switchboard) make them common.
  const count = holdersOf(li, field, a, b, pl, s, ia, ib);
  const holders = field === "email" || field === "phone" ? count - 2 : count;
  const u = Math.max(holders / s.tf.population, s.u[li] as number);
  // At least 1 bit: a very common value is still weak agreement, not disagreement.
  return Math.max(1, Math.log2((s.m[li] as number) / u));
}

function shown(c: PreparedContact, field: string, name: string): string {
  if (field === "first" || field === "last") return name;
  if (field === "address") return [c.street, c.postal, c.city].filter((x) => x !== "").join(", ");
  if (field === "title") return c.title;
  return c[field as "email" | "phone" | "company"];
}

function addEvidence(out: FieldEvidence[], li: number, w: number, a: PreparedContact, b: PreparedContact, pl: PairLevels): void {
  const level = LEVELS[li] as Level;
  const field = level.slice(0, level.indexOf("."));
  const name = pl.swapped && (field === "first" || field === "last") ? "name" : (EVIDENCE_FIELD[field] ?? "name");
  out.push({
    field: name,
    level: level.slice(field.length + 1),
    weight: Math.round(w * 100) / 100,
    a: shown(a, field, field === "first" ? pl.firstA : pl.lastA),
    b: shown(b, field, field === "first" ? pl.firstB : pl.lastB),
  });
}

/** Result of weighing one pair: total log2 odds, probability, and why auto-merge is ruled out (if it is). */
export type PairScore = { weight: number; score: number; veto: string | null };

const fieldWeights = new Float64Array(FIELDS.length);

/**
 * Weighs a pair's levels. Company and address are one "where they work or live" group: their agreements are not
 * independent, so the group counts its strongest agreement once (disagreements still add up). `ia`/`ib` are the
 * records' positions in the batch whose term frequencies the scorer holds (-1: look values up by value).
 */
export function weighLevels(
  a: PreparedContact,
  b: PreparedContact,
  pl: PairLevels,
  s: Scorer,
  evidence?: FieldEvidence[],
  ia = -1,
  ib = -1,
): PairScore {
  let total = s.prior;
  let placeBest = 0;
  let veto: string | null = null;
  const levels = pl.levels;
  for (let i = 0; i < levels.length; i++) {
    const li = levels[i] as number;
    if (li < 0) continue;
    const w = levelWeight(li, a, b, pl, s, ia, ib);
    fieldWeights[i] = w;
    if (i === COMPANY || i === ADDRESS) {
      if (w > 0) placeBest = Math.max(placeBest, w);
      else total += w;
    } else total += w;
    if (li === FIRST_CONFLICT) veto = "the first names name different people";
    if (li === LAST_CONFLICT) veto ??= "the last names differ";
    if (evidence) addEvidence(evidence, li, w, a, b, pl);
  }
  total += placeBest;
  // Relatives and colleagues share phone, address, company and surname; once the names say "different people",
  // only the strongest personal evidence (the same personal email, a given name) still counts for them.
  if (veto) {
    let ceiling = s.prior;
    for (let i = 0; i < levels.length; i++) {
      const li = levels[i] as number;
      if (li < 0) continue;
      const w = fieldWeights[i] as number;
      if (w < 0 || li === EMAIL_EXACT || FIRST_LEVELS.has(li)) ceiling += w;
    }
    total = Math.min(total, ceiling);
  }
  // Never claim certainty: a merge threshold of 1 then means "never merge automatically".
  return { weight: total, score: Math.min(MAX_SCORE, 1 / (1 + 2 ** -total)), veto };
}

/**
 * An upper bound of a pair's weight from its name levels alone (`compareNames`) and whether the emails are the same,
 * or Infinity when the names do not say "different people": then only the given name, the same email and
 * disagreements count (see `weighLevels`).
 */
export function namesCeiling(a: PreparedContact, b: PreparedContact, pl: PairLevels, s: Scorer, ia = -1, ib = -1): number {
  const first = pl.levels[0] as number;
  const last = pl.levels[1] as number;
  if (first !== FIRST_CONFLICT && last !== LAST_CONFLICT) return Number.POSITIVE_INFINITY;
  let ceiling = s.prior;
  if (a.email !== "" && a.email === b.email && !a.emailRole) ceiling += levelWeight(EMAIL_EXACT, a, b, pl, s, ia, ib);
  if (first >= 0) ceiling += levelWeight(first, a, b, pl, s, ia, ib);
  if (last >= 0) ceiling += Math.min(0, levelWeight(last, a, b, pl, s, ia, ib));
  return ceiling;
}

/** Compares and weighs a pair; pass `evidence` to collect the per-field evidence shown to reps, `ia`/`ib` as above. */
export function scorePair(a: PreparedContact, b: PreparedContact, s: Scorer, evidence?: FieldEvidence[], ia = -1, ib = -1): PairScore {
  return weighLevels(a, b, compareContacts(a, b), s, evidence, ia, ib);
}
