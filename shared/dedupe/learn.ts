import { decodePair } from "./blocking.ts";
import type { PairLevels } from "./compare.ts";
import { compareContacts } from "./compare.ts";
import type { TermFrequencies } from "./frequencies.ts";
import { LEVELS, type Level, type MatchModel } from "./model.ts";
import { makeScorer, weighLevels } from "./score.ts";
import type { PreparedContact } from "./types.ts";

/** Levels whose m stays fixed: conflicts are rules (different people), not frequencies to fit. */
const FIXED: ReadonlySet<Level> = new Set(["first.conflict", "last.conflict", "email.role"]);
const SAMPLE = 100_000;
const ITERATIONS = 5;
/** Pseudo-counts pulling each m toward its default, so a small or odd portal cannot talk the model into anything. */
const PRIOR_STRENGTH = 200;

/**
 * Expectation-maximisation of the m-probabilities over (a sample of) the candidate pairs: the posterior that each pair
 * is a match re-estimates how often each agreement level occurs among matches. u stays from term frequencies and
 * defaults (candidate pairs are not a random sample of non-matches, so they would bias it).
 */
export function learnModel(contacts: readonly PreparedContact[], codes: Float64Array, tf: TermFrequencies, start: MatchModel): MatchModel {
  const stride = Math.max(1, Math.floor(codes.length / SAMPLE));
  const sample: { a: PreparedContact; b: PreparedContact; ia: number; ib: number; pl: PairLevels }[] = [];
  for (let p = 0; p < codes.length; p += stride) {
    const [a, b] = decodePair(codes[p] as number);
    const ca = contacts[a] as PreparedContact;
    const cb = contacts[b] as PreparedContact;
    sample.push({ a: ca, b: cb, ia: a, ib: b, pl: compareContacts(ca, cb) });
  }
  if (sample.length < 100) return start;
  let model = start;
  let lambda = 0.3;
  for (let it = 0; it < ITERATIONS; it++) {
    const scorer = makeScorer(tf, model);
    const logOdds = Math.log2(lambda / (1 - lambda)) - scorer.prior;
    const levelMass = new Map<Level, number>();
    const fieldMass = new Map<string, number>();
    let matchMass = 0;
    for (const s of sample) {
      const w = weighLevels(s.a, s.b, s.pl, scorer, undefined, s.ia, s.ib).weight + logOdds;
      const g = 1 / (1 + 2 ** -w);
      matchMass += g;
      for (const li of s.pl.levels) {
        const level = LEVELS[li];
        if (level === undefined) continue;
        levelMass.set(level, (levelMass.get(level) ?? 0) + g);
        const field = level.slice(0, level.indexOf("."));
        fieldMass.set(field, (fieldMass.get(field) ?? 0) + g);
      }
    }
    lambda = Math.min(0.9, Math.max(0.01, matchMass / sample.length));
    const m = { ...model.m };
    for (const level of LEVELS) {
      if (FIXED.has(level)) continue;
      const field = level.slice(0, level.indexOf("."));
      const prior = start.m[level];
      const learned = ((levelMass.get(level) ?? 0) + PRIOR_STRENGTH * prior) / ((fieldMass.get(field) ?? 0) + PRIOR_STRENGTH);
      m[level] = Math.min(prior * 4, Math.max(prior / 4, learned));
    }
    model = { ...model, m };
  }
  return model;
}
